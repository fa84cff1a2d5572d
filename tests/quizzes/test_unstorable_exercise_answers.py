"""An exercise answer in a quiz that no database can keep (a NUL: PostgreSQL refuses it in
jsonb) is refused with a sentence naming the field; the attempt keeps working. Run this file
on PostgreSQL too."""

from django.contrib.auth.models import User
from django.test import Client

from questions.interviews import sets
from questions.owners import Owner
from questions.quizzes.services import attempt_start


def test_a_nul_in_an_exercise_answer_is_refused_and_the_attempt_keeps_working(db):
    alice = User.objects.create_user("alice", password="pw-alice-123")
    client = Client()
    client.force_login(alice)
    interview_set = sets.set_create(owner=alice, title="S", description="d", time_limit_minutes=5)
    sets.entry_add(
        interview_set=interview_set, exercise_kind="nifti", exercise_level="easy", exercise_seed=5
    )
    attempt = attempt_start(
        owner=Owner(alice, ""), kind="interview", interview_set=interview_set, begin=True
    )
    url = f"/attempts/{attempt.pk}/answers/1/"
    response = client.post(url, {"axcodes": "RA\x00S"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "Axis codes of i, j, k: the answer holds a character that cannot be saved" in (
        response.content.decode()
    )
    item = attempt.items.get()
    assert item.answer is None
    assert client.post(url, {"axcodes": "RAS"}).status_code == 302
    item.refresh_from_db()
    assert item.answer["axcodes"] == "RAS"
