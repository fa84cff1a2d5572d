"""A set's description has one set of limits on every path an interviewer can take (the
form, the API, an imported file): at most 5,000 characters, lists and quotes at most 16
deep. Beyond them the answer is a sentence, never a slow save or a 500."""

import json
import time

from django.urls import reverse

from questions.models import InterviewSet

from .test_files import _import

TOO_DEEP = "The description puts lists or quotes 500 levels deep; keep it to 16 at most."


def nested_list(levels: int) -> str:
    """A list in a list in a list..., in two characters a level (1,000 for 500 levels)."""
    return "- " * levels + "item"


def _create(client, description: str):
    return client.post(
        reverse("interviews:new"),
        {"title": "Screen", "description": description, "time_limit_minutes": 25},
    )


def test_the_form_refuses_a_500_level_list(loaded, alice_client):
    # Rendering it was a RecursionError: a 500 on save (300 levels were enough in a worker).
    response = _create(alice_client, nested_list(500))
    assert response.status_code == 400
    assert TOO_DEEP in response.content.decode()
    assert not InterviewSet.objects.exists()


def test_the_form_saves_5000_brackets_in_well_under_a_second(loaded, alice_client):
    # 2.8 s per save before: Python-Markdown walked from each '[' to the end.
    started = time.process_time()  # CPU seconds, whatever the load
    response = _create(alice_client, "[" * 5000)
    assert response.status_code == 302
    assert time.process_time() - started < 1.0
    assert InterviewSet.objects.get().description_html == "<p>" + "[" * 5000 + "</p>"


def test_the_form_names_the_length(loaded, alice_client):
    response = _create(alice_client, "x" * 5001)
    assert response.status_code == 400
    assert (
        "The description is 5,001 characters long; keep it to 5,000 at most."
        in response.content.decode()
    )


def test_the_api_refuses_the_same(loaded, alice_client):
    for description, message in (
        (nested_list(500), TOO_DEEP),
        ("x" * 5001, "The description is 5,001 characters long; keep it to 5,000 at most."),
    ):
        response = alice_client.post(
            "/api/sets/",
            {"title": "API", "description": description, "time_limit_minutes": 15},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["errors"] == {"description": [message]}
    assert not InterviewSet.objects.exists()


def _set_file(description: str) -> str:
    front = "id: imported\ntitle: Imported\ntime_limit: 20\nquestions:\n  - metrics-single\n"
    return f"---\n{front}---\n{description}\n"


def test_an_import_keeps_to_the_form_s_limits(loaded, alice_client):
    # Imports skipped the 5,000-character limit: 30,000 '[' held a worker until the kill.
    page = _import(alice_client, "long.md", _set_file("[" * 30_000)).content.decode()
    assert "long.md:8: the description is 30,000 characters long; keep it to 5,000 at most" in page
    page = _import(alice_client, "deep.md", _set_file(nested_list(500))).content.decode()
    assert "deep.md:8: the description puts lists or quotes 500 levels deep" in page
    data = {
        "format": "imagingprep-set",
        "version": 1,
        "id": "imported",
        "title": "Imported",
        "time_limit": 20,
        "questions": ["metrics-single"],
        "description": "x" * 6000,
    }
    page = _import(alice_client, "set.json", json.dumps(data, indent=2)).content.decode()
    assert "set.json:10: the description is 6,000 characters long" in page
    assert not InterviewSet.objects.exists()
