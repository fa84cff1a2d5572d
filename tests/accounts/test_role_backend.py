"""Each request's user comes with their interviewer role (questions/accounts/backends.py):
the role is read with the user on every request, so a grant or a revoke counts from the
reader's next request; log-in, inactive users and older sessions behave as with Django's
ModelBackend."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

from questions.accounts.backends import RoleBackend
from questions.models.interviews import INTERVIEWER_GROUP

from .conftest import PASSWORD

MY_SETS = ">My sets</a>"


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_granted_role_shows_from_the_next_request_and_a_revoked_one_goes(alice):
    browser = logged_in(alice)
    assert browser.session[BACKEND_SESSION_KEY] == "questions.accounts.backends.RoleBackend"
    assert MY_SETS not in browser.get("/glossary/").content.decode()
    assert browser.get("/sets/").status_code in (403, 404)
    call_command("grant_interviewer", "alice")
    assert MY_SETS in browser.get("/glossary/").content.decode()
    assert browser.get("/sets/").status_code == 200
    alice.groups.remove(Group.objects.get(name=INTERVIEWER_GROUP))
    assert MY_SETS not in browser.get("/glossary/").content.decode()
    assert browser.get("/sets/").status_code in (403, 404)


def test_the_role_costs_no_query_of_its_own(alice, loaded, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 600
    call_command("grant_interviewer", "alice")
    browser = logged_in(alice)
    Client().get("/glossary/precision/")  # cached for everyone
    with django_assert_num_queries(2):  # the session and the user, with the role
        assert MY_SETS in browser.get("/glossary/precision/").content.decode()


def test_a_deactivated_user_is_logged_out(alice):
    browser = logged_in(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert not browser.get("/glossary/").wsgi_request.user.is_authenticated


def test_a_session_made_before_the_role_backend_stays_logged_in(alice):
    browser = Client()
    browser.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    call_command("grant_interviewer", "alice")
    page = browser.get("/glossary/")
    assert page.wsgi_request.user == alice
    assert MY_SETS in page.content.decode()  # the role asked for separately, as before


@pytest.mark.parametrize("username", ["alice", "nobody"])
def test_a_wrong_password_is_hashed_once_not_once_per_backend(alice, username, monkeypatch):
    checked = []
    check = ModelBackend.authenticate

    def counted(self, *args, **kwargs):
        checked.append(type(self).__name__)
        return check(self, *args, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    assert not Client().login(username=username, password="wrong")
    assert checked == ["RoleBackend"]
    assert Client().login(username="alice", password=PASSWORD)


@pytest.mark.parametrize("odd", ["1.0", "x", 10**30, -1, None])
def test_an_id_that_is_no_user_id_finds_no_user(db, odd):
    # ModelBackend reads the id in the primary key's type first; so does RoleBackend,
    # rather than letting SQLite match "1.0" to 1 or PostgreSQL fail the transaction.
    User.objects.create_user("alice", password="alice-password")
    assert RoleBackend().get_user(odd) is None
    assert RoleBackend().get_user(User.objects.get().pk) is not None


def test_the_user_is_read_as_the_orm_reads_it(alice):
    """Read with a plain cursor: every field has the value and type the ORM gives it (aware
    datetimes on SQLite too), and the user is bound to its database like any loaded row."""
    from django.utils import timezone

    User.objects.filter(pk=alice.pk).update(last_login=timezone.now(), is_staff=True)
    call_command("grant_interviewer", "alice")
    read, orm = RoleBackend().get_user(alice.pk), User.objects.get(pk=alice.pk)
    assert read is not None
    for field in User._meta.concrete_fields:
        ours, theirs = getattr(read, field.attname), getattr(orm, field.attname)
        assert (ours, type(ours)) == (theirs, type(theirs)), field.name
    assert timezone.is_aware(read.last_login) and timezone.is_aware(read.date_joined)
    assert read._state.db == orm._state.db and not read._state.adding
    assert read.loaded_interviewer_role is True
    read.first_name = "Alice"
    read.save(update_fields=["first_name"])  # an UPDATE of an existing row, not an INSERT
    assert User.objects.get(pk=alice.pk).first_name == "Alice"
