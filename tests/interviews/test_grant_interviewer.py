import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from questions.models.interviews import is_interviewer


def test_it_grants_and_revokes_the_role(db, capsys):
    user = User.objects.create_user("dana")
    call_command("grant_interviewer", "dana")
    assert is_interviewer(user)
    assert "dana is now an interviewer" in capsys.readouterr().out
    call_command("grant_interviewer", "dana", "--revoke")
    assert not is_interviewer(user)


def test_it_names_unknown_accounts_and_changes_nothing(db):
    User.objects.create_user("dana")
    with pytest.raises(CommandError, match="No account named erin"):
        call_command("grant_interviewer", "dana", "erin")
    assert not is_interviewer(User.objects.get(username="dana"))
