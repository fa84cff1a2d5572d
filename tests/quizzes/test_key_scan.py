"""Keys, feedback and explanations never reach the browser or the API before the end."""

import json

import pytest

from questions.models import Attempt, Question
from tests.quiz_flow import press_start


def secrets() -> list[str]:
    """Every string that would give an answer away, from the loaded fixture bank."""
    found = [
        "SECRET-INTERVIEWER-NOTE",
        '"correct"',
        "feedback",
        "explanation",
        "model_answer",
        "rubric",
        "accepted",
        "tolerance",
    ]
    for question in Question.objects.all():
        found += [
            question.explanation_html,
            question.model_answer_html,
            question.interviewer_notes_html,
            *question.rubric,
        ]
        found += [c["feedback_html"] for c in question.choices if c["feedback_html"]]
    return [s for s in found if s]


def scan(responses, forbidden):
    for label, body in responses:
        for secret in forbidden:
            assert secret not in body, f"{secret!r} leaked in {label}"


def test_no_response_of_a_whole_attempt_carries_a_key(loaded, client):
    forbidden = secrets()
    responses = []

    def keep(label, response):
        assert response.status_code < 500, label
        responses.append((label, response.content.decode()))
        return response

    # Through the pages.
    start = keep(
        "start", client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    )
    url = start["Location"]
    keep("start page", client.get(url))
    press_start(client, url)
    keep("page", client.get(url))
    attempt = Attempt.objects.get()
    keep(
        "answer 1",
        client.post(
            f"{url}answers/1/",
            {"choice": attempt.items.get(position=1).choice_id(1)},
            HTTP_ACCEPT="application/json",
        ),
    )
    keep("answer 2", client.post(f"{url}answers/2/", {"answer": "0.5"}))
    keep("page after answers", client.get(url, follow=True))
    keep(
        "bad answer",
        client.post(f"{url}answers/2/", {"answer": "x"}, HTTP_ACCEPT="application/json"),
    )
    keep("too early to assess", client.post(f"{url}assess/3/", {"rating": "fully"}, follow=True))
    # Through the API.
    api = f"/api/attempts/{attempt.pk}/"
    keep("api detail", client.get(api))
    keep("api list", client.get("/api/attempts/"))
    keep(
        "api answer",
        client.put(
            f"{api}answers/3/", json.dumps({"answer": "My text"}), content_type="application/json"
        ),
    )
    keep(
        "api bad answer",
        client.put(f"{api}answers/1/", json.dumps({"answer": 7}), content_type="application/json"),
    )
    created = keep(
        "api start",
        client.post("/api/attempts/", {"set": "starter"}, content_type="application/json"),
    )
    assert created.status_code == 201
    scan(responses, forbidden)

    # Once finished, the review shows them: the scan above could have failed.
    review = client.post(f"{url}finish/", follow=True).content.decode()
    assert Question.objects.get(ext_id="metrics-numeric").explanation_html in review
    assert "Specificity concerns healthy patients." in review
    assert "SECRET-INTERVIEWER-NOTE" not in review  # interviewer notes stay hidden
    data = client.get(api).json()
    assert data["items"][1]["key"]["value"] == 0.75


@pytest.mark.parametrize("kind", ["quick", "glossary"])
def test_generated_quizzes_do_not_leak_either(loaded, client, kind):
    from tests.quizzes.test_start import add_terms

    add_terms(loaded, 3)
    response = client.post("/api/attempts/", {"kind": kind}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.content.decode()
    assert '"correct"' not in body and "feedback" not in body and "explanation" not in body
    page = client.get(f"/attempts/{response.json()['id']}/").content.decode()
    assert "is different:" not in page and "This is the term defined" not in page
