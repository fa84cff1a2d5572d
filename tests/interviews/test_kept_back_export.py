"""'My data' keeps back what the interviewer keeps back: no score, no marks, no exercise seed."""

import json

from django.urls import reverse

from questions.interviews import invites
from questions.models import AttemptItem
from questions.owners import Owner
from questions.quizzes.services import attempt_begin, attempt_finish, private_seed

from .conftest import client_for

KEPT_BACK = "kept back by the interviewer"


def _interview(screening, bob):
    """Bob takes Alice's screening logged in; it is finished and marked as if he did well."""
    invite = invites.invite_create(interview_set=screening)
    attempt = invites.invite_start(invite=invite, owner=Owner(bob), candidate_name="Bob")
    attempt = attempt_finish(attempt=attempt_begin(attempt=attempt))
    AttemptItem.objects.filter(attempt=attempt).update(score=1.0, correct=True)
    attempt.score = attempt.max_score
    attempt.save(update_fields=["score"])
    return attempt


def _exported(bob, attempt) -> dict:
    response = client_for(bob).get(reverse("accounts:data_download"))
    assert response.status_code == 200
    text = response.content.decode()
    return next(a for a in json.loads(text)["attempts"] if a["id"] == str(attempt.pk))


def test_the_export_holds_no_result_the_interviewer_keeps_back(screening, bob):
    attempt = _interview(screening, bob)
    assert not attempt.reveal_answers
    exported = _exported(bob, attempt)

    assert exported["score"] is None
    assert KEPT_BACK in exported["kept_back"]
    assert exported["items"], "Bob's own answers are still his data"
    for item in exported["items"]:
        assert "score" not in item and "correct" not in item
    exercise = next(item["exercise"] for item in exported["items"] if item["exercise"])
    assert exercise == {"kind": "class_weights", "level": "easy"}
    assert "1234" not in json.dumps(exported)


def test_the_export_holds_the_results_the_interviewer_shows(screening, bob):
    screening.show_answers = True
    screening.save(update_fields=["show_answers"])
    attempt = _interview(screening, bob)
    exported = _exported(bob, attempt)

    assert exported["score"] == attempt.max_score
    assert "kept_back" not in exported
    assert all(item["score"] == 1.0 and item["correct"] for item in exported["items"])
    exercise = next(item["exercise"] for item in exported["items"] if item["exercise"])
    assert exercise["seed"] == private_seed(
        "class_weights", 1234, "easy", owner=f"interview-set:{screening.pk}"
    )
