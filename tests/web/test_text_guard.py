"""Text no database can hold is refused with a 400 and a sentence, never a 500 (NUL breaks
PostgreSQL queries; a lone surrogate, stored by SQLite, broke every later read of the row)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from questions.models import Attempt
from tests.quiz_flow import press_start


@pytest.mark.parametrize(
    "url",
    [
        "/questions/?q=a%00b",
        "/questions/?tag=x%00",
        "/questions/?topic=%00",
        "/glossary/?q=%00",
        "/api/exercises/?x=%00",
        # In the path: an invite's token or an exercise's seed goes to a query as it is.
        "/invite/tok%00en/",
        "/exercises/classification/1%00/",
        "/api/exercises/classification/1%00/",
    ],
)
def test_a_nul_in_the_address_is_a_400_with_a_sentence(loaded, url):
    response = Client().get(url)
    assert response.status_code == 400
    assert "(a NUL byte, %00): remove it and try again" in response.content.decode()


@pytest.mark.parametrize("text", ["half \ud800 pair", "nul \x00 byte"])
def test_an_unstorable_text_answer_is_refused_and_the_attempt_keeps_working(loaded, text):
    client = Client()
    client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    attempt = Attempt.objects.get()
    press_start(client, attempt)
    url = f"/api/attempts/{attempt.pk}/"
    response = client.put(
        f"{url}answers/3/", json.dumps({"answer": text}), content_type="application/json"
    )
    assert response.status_code == 400 and "cannot be saved" in response.json()["detail"]
    if "\x00" in text:  # a form cannot even carry a lone surrogate
        page = client.post(
            f"/attempts/{attempt.pk}/answers/3/", {"answer": text}, HTTP_ACCEPT="application/json"
        )
        assert page.status_code == 400
    assert client.get(attempt.get_absolute_url()).status_code == 200
    assert client.get(url).status_code == 200
    assert client.post(f"{url}finish/").status_code == 200
