"""Today keeps the answer given: text no database can keep (a NUL: PostgreSQL refuses it in
jsonb) or longer than a quiz takes is refused with a sentence, and the item stays to answer.
Run this file on PostgreSQL too."""

from questions.models import ExerciseResult, TodayItem, TodaySession

from .support import answer_current, current


def _until(client, session: TodaySession, wanted) -> TodayItem:
    """Answer items in order until the current one is `wanted`."""
    while not wanted(item := current(session)):
        answer_current(client, session, right=True)
    return item


def test_a_short_answer_with_a_nul_or_too_long_is_refused(loaded, client):
    client.post("/today/start/")
    session = TodaySession.objects.get()
    item = _until(client, session, lambda i: i.question is not None and i.question.type == "short")
    url = f"/today/{item.position}/answer/"
    response = client.post(url, {"answer": "dice\x00"})
    assert response.status_code == 400
    assert "The answer holds a character that cannot be saved" in response.content.decode()
    response = client.post(url, {"answer": "x" * 5001})
    assert response.status_code == 400
    assert "Keep the answer under 5000 characters." in response.content.decode()
    item.refresh_from_db()
    assert item.answered_at is None and item.answer is None
    client.post(url, {"answer": "dice"})
    item.refresh_from_db()
    assert item.answered_at is not None


def test_an_exercise_answer_with_a_nul_is_refused(loaded, client):
    client.post("/today/start/")
    session = TodaySession.objects.get()
    item = _until(client, session, lambda i: i.source == "exercise")
    name = item.exercise.fields[0].name
    response = client.post(f"/today/{item.position}/answer/", {name: "3\x00"}, follow=True)
    assert f"{item.exercise.fields[0].label}: the answer holds a character" in (
        response.content.decode()
    )
    item.refresh_from_db()
    assert item.answered_at is None and not ExerciseResult.objects.exists()
