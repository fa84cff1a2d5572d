"""Answering a Today session through its pages, as a browser would."""

from django.test import Client

from questions.models import TodayItem, TodaySession, choice_ids


def current(client_session: TodaySession) -> TodayItem | None:
    return client_session.items.filter(answered_at=None).order_by("position").first()


def answer_current(client: Client, session: TodaySession, *, right: bool = False) -> TodayItem:
    """Answer the session's current item through the pages, as a browser would."""
    item = current(session)
    assert item is not None
    url = f"/today/{item.position}/"
    if item.source == "review":
        client.post(url + "reveal/")
        client.post(url + "rate/", {"rating": "good" if right else "again"})
    elif item.source == "exercise":
        client.post(url + "answer/", {f.name: "" for f in item.exercise.fields})
    else:
        question = item.question
        if question.type in ("single", "multiple"):
            index = next(n for n, c in enumerate(question.choices) if c["correct"] == right)
            data = {"choice": choice_ids.choice_id(item.choice_scope, index)}
        elif question.type == "open":
            data = {"self_assessment": "fully" if right else "no"}
        elif question.type == "truefalse":
            data = {"answer": str(question.answer["value"] == right).lower()}
        elif question.type == "numeric":
            data = {"answer": str(question.answer["value"] if right else 123456)}
        else:
            data = {"answer": question.answer["accepted"][0] if right else "nothing like it"}
        client.post(url + "answer/", data)
    item.refresh_from_db()
    assert item.answered_at is not None, item
    return item
