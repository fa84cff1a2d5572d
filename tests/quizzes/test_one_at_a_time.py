"""One question at a time: a map of numbered boxes, Previous / Next, and only the current
question on the page (no other question's text, and no key at all)."""

import re

from django.test import Client

from questions.models import Attempt
from tests.quiz_flow import start_quiz

from .test_key_scan import secrets


def _one_at_a_time(client: Client) -> tuple[str, Attempt]:
    url = start_quiz(client, {"kind": "set", "question_set": "starter"}, layout="one")
    return url, Attempt.objects.get()


def test_the_start_page_choice_shows_one_question_with_a_map(loaded):
    client = Client()
    url, attempt = _one_at_a_time(client)
    assert attempt.one_at_a_time
    html = client.get(url).content.decode()
    items = list(attempt.items.select_related("question"))
    assert items[0].prompt_html in html
    for other in items[1:]:
        assert other.prompt_html not in html and other.title not in html
    assert re.findall(r'id="map-(\d)"', html) == ["1", "2", "3"]
    assert 'aria-current="step"' in html and "(this question)" in html
    assert 'name="go" value="2"' in html and "Next" in html
    assert "Previous" not in html


def test_the_map_marks_answered_questions_and_the_current_one(loaded):
    client = Client()
    url, _attempt = _one_at_a_time(client)
    client.post(f"{url}answers/2/", {"answer": "0.75"})
    html = client.get(f"{url}?q=3").content.decode()
    assert 'id="map-2" class="answered"' in html
    assert 'id="map-1" class=""' in html
    assert 'id="map-3" class=" current" aria-current="step"' in html
    assert 'name="go" value="2"' in html and 'name="go" value="4"' not in html


def test_next_saves_the_answer_and_moves_on_and_a_blank_next_just_moves(loaded):
    client = Client()
    url, attempt = _one_at_a_time(client)
    moved = client.post(f"{url}answers/1/", {"go": "2"})
    assert moved.url == f"{url}?q=2"
    assert not attempt.items.filter(answer__isnull=False).exists()
    saved = client.post(f"{url}answers/2/", {"answer": "0.75", "go": "3"})
    assert saved.url == f"{url}?q=3"
    assert attempt.items.get(position=2).answer == 0.75
    refused = client.post(f"{url}answers/2/", {"answer": "abc", "go": "3"})
    assert refused.url == f"{url}?q=2"  # a refused answer keeps the candidate there


def test_an_out_of_range_or_garbled_question_number_shows_a_real_question(loaded):
    client = Client()
    url, attempt = _one_at_a_time(client)
    last = attempt.items.select_related("question").get(position=3)
    first = attempt.items.select_related("question").get(position=1)
    assert last.prompt_html in client.get(f"{url}?q=99").content.decode()
    assert first.prompt_html in client.get(f"{url}?q=-4").content.decode()
    assert first.prompt_html in client.get(f"{url}?q=x").content.decode()


def test_no_page_of_the_one_at_a_time_view_carries_a_key(loaded):
    client = Client()
    url, _attempt = _one_at_a_time(client)
    forbidden = secrets()
    for position in (1, 2, 3):
        html = client.get(f"{url}?q={position}").content.decode()
        for secret in forbidden:
            assert secret not in html, (position, secret)


def test_the_layout_switches_while_running_and_keeps_the_place(loaded):
    client = Client()
    url, attempt = _one_at_a_time(client)
    response = client.post(f"{url}layout/", {"layout": "all", "q": "2"})
    assert response.url == f"{url}#q-2"
    attempt.refresh_from_db()
    assert not attempt.one_at_a_time
    html = client.get(url).content.decode()
    assert html.count('class="quiz-item"') == 3
    assert client.post(f"{url}layout/", {"layout": "one", "q": "3"}).url == f"{url}?q=3"
    # The clock is not touched by switching.
    before = attempt.deadline
    attempt.refresh_from_db()
    assert attempt.deadline == before


def test_only_the_owner_can_switch_the_layout(loaded):
    client = Client()
    url, attempt = _one_at_a_time(client)
    assert Client().post(f"{url}layout/", {"layout": "all"}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.one_at_a_time
