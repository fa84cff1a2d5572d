"""Practice like a candidate expects: the next question of the same list, the list as a
timed quiz, and each question's standing for this visitor."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from questions.catalog import practice
from questions.models import Attempt, ProgressEvent


def row(html: str, question_id: str) -> str:
    """The list item of one question."""
    match = re.search(
        rf'<li class="standing-[a-z]+">\s*<a [^>]*href="/questions/{question_id}/[^<]*</a>.*?</li>',
        html,
        re.S,
    )
    assert match, f"{question_id} is not listed"
    return match.group(0)


# --- the next question ---------------------------------------------------------------


def test_the_list_links_each_question_with_its_filter(loaded, client):
    html = client.get("/questions/", {"topic": "metrics"}).content.decode()
    assert 'href="/questions/metrics-single/?topic=metrics"' in html


def test_after_answering_next_follows_the_filtered_list(loaded, client):
    response = client.post("/questions/metrics-numeric/?difficulty=hard", {"answer": "0.75"})
    html = response.content.decode()
    # After metrics-numeric among the hard questions comes dicom-open, not dicom-truefalse.
    assert 'href="/questions/dicom-open/?difficulty=hard" rel="next"' in html
    assert "Next question: " in html
    assert 'href="/questions/?difficulty=hard">Back to the filtered list' in html


def test_without_a_filter_next_is_the_next_question_of_the_bank(loaded, client):
    html = client.post("/questions/metrics-numeric/", {"answer": "0.1"}).content.decode()
    assert 'href="/questions/dicom-truefalse/" rel="next"' in html


def test_the_last_question_of_a_list_says_so(loaded, client):
    html = client.post(
        "/questions/dicom-open/?difficulty=hard", {"self_assessment": "fully"}
    ).content.decode()
    assert "That was the last question in this list." in html
    assert 'rel="next"' not in html


def test_no_next_question_before_answering(loaded, client):
    html = client.get("/questions/metrics-numeric/?difficulty=hard").content.decode()
    assert "Next question" not in html


# --- the list as a quiz ----------------------------------------------------------------


def test_a_filtered_list_starts_a_timed_quiz_of_its_questions(loaded, client):
    html = client.get("/questions/", {"topic": "metrics"}).content.decode()
    assert "Practise these 3 as a quiz" in html
    assert "Timed: 4 minutes." in html  # 60 + 90 + 120 s, by type, as a topic quiz
    response = client.post("/quizzes/filtered/", {"topic": "metrics"})
    attempt = Attempt.objects.get()
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    assert attempt.kind == Attempt.Kind.FILTERED
    assert attempt.title == "Practice: Evaluation metrics"
    assert attempt.time_limit_seconds == 60 + 90 + 120
    assert {item.question.topic.slug for item in attempt.items.all()} == {"metrics"}
    assert attempt.items.count() == 3


def test_open_questions_are_left_out_and_the_list_says_so(loaded, client):
    html = client.get("/questions/", {"topic": "dicom"}).content.decode()
    assert "Practise these 2 as a quiz" in html
    assert "1 open question left out" in html
    client.post("/quizzes/filtered/", {"topic": "dicom"})
    types = {item.question.type for item in Attempt.objects.get().items.all()}
    assert types == {"truefalse", "short"}


def test_a_list_of_open_questions_offers_no_quiz(loaded, client):
    html = client.get("/questions/", {"type": "open"}).content.decode()
    assert "as a quiz</button>" not in html
    assert "practised one by one" in html
    response = client.post("/quizzes/filtered/", {"type": "open"}, follow=True)
    assert not Attempt.objects.exists()
    assert response.redirect_chain[-1][0] == "/questions/?type=open"
    assert "No question in this list can be timed" in response.content.decode()


def test_a_long_list_is_capped_and_says_so(loaded, client, monkeypatch):
    monkeypatch.setattr(practice, "FILTERED_QUIZ_MAX", 2)
    html = client.get("/questions/", {"topic": "metrics"}).content.decode()
    assert "Practise 2 of these as a quiz" in html
    assert "2 drawn at random from the 3 in this list (a quiz takes at most 2)" in html
    client.post("/quizzes/filtered/", {"topic": "metrics"})
    assert Attempt.objects.get().items.count() == 2


def test_a_lower_site_quiz_maximum_caps_the_filtered_quiz(loaded, client, settings):
    """QUIZ_MAX_QUESTIONS below FILTERED_QUIZ_MAX: the list offers, and the quiz takes, no
    more than any quiz may (it used to ask for 15 and fail with 'Choose between 1 and 2')."""
    settings.QUIZ_MAX_QUESTIONS = 2
    html = client.get("/questions/", {"topic": "metrics"}).content.decode()
    assert "Practise 2 of these as a quiz" in html
    response = client.post("/quizzes/filtered/", {"topic": "metrics"})
    attempt = Attempt.objects.get()
    assert response["Location"] == attempt.get_absolute_url()
    assert attempt.items.count() == 2


def test_the_whole_bank_is_not_offered_as_one_quiz(loaded, client):
    assert "as a quiz" not in client.get("/questions/").content.decode()
    assert client.get("/quizzes/filtered/").status_code == 405
    # Nor started by a post without a filter (a hand-made form, an emptied one).
    for data in ({}, {"q": "", "topic": "", "type": "essay"}):
        response = client.post("/quizzes/filtered/", data, follow=True)
        assert response.redirect_chain[-1][0] == "/questions/"
        assert "a quiz is drawn from a filtered list" in response.content.decode()
    assert not Attempt.objects.exists()


def test_the_quiz_form_carries_every_filter(loaded, client):
    html = client.get(
        "/questions/", {"topic": "metrics", "difficulty": "easy", "tag": "screening", "q": "misses"}
    ).content.decode()
    form = html[
        html.index('action="/quizzes/filtered/"') : html.index(
            "</form>", html.index('action="/quizzes/filtered/"')
        )
    ]
    for name, value in [
        ("topic", "metrics"),
        ("difficulty", "easy"),
        ("tag", "screening"),
        ("q", "misses"),
    ]:
        assert f'name="{name}" value="{value}"' in form


# --- standing per visitor ---------------------------------------------------------------


@pytest.fixture
def alice(loaded, client) -> Client:
    client.force_login(User.objects.create_user("alice"))
    return client


def test_the_list_shows_solved_attempted_and_new(alice):
    alice.post("/questions/metrics-numeric/", {"answer": "0.1"})
    alice.post("/questions/metrics-numeric/", {"answer": "0.75"})
    alice.post("/questions/dicom-truefalse/", {"answer": "false"})
    html = alice.get("/questions/").content.decode()
    numeric = row(html, "metrics-numeric")
    assert "Solved" in numeric and "last answer right" in numeric
    truefalse = row(html, "dicom-truefalse")
    assert "Attempted" in truefalse and "last answer wrong" in truefalse
    assert "New" in row(html, "metrics-single") and "last answer" not in row(html, "metrics-single")


def test_a_solved_question_answered_wrong_since_stays_solved_and_says_so(alice):
    alice.post("/questions/metrics-numeric/", {"answer": "0.75"})
    alice.post("/questions/metrics-numeric/", {"answer": "0.1"})
    numeric = row(alice.get("/questions/").content.decode(), "metrics-numeric")
    assert "Solved" in numeric and "last answer wrong" in numeric


def test_another_visitor_sees_only_their_own_standing(alice):
    alice.post("/questions/metrics-numeric/", {"answer": "0.75"})
    charlie = Client()
    charlie.force_login(User.objects.create_user("charlie"))
    assert "Solved" not in row(charlie.get("/questions/").content.decode(), "metrics-numeric")


def test_an_anonymous_visitor_sees_their_standing_through_the_page_cache(loaded, settings):
    settings.PAGE_CACHE_SECONDS = 600
    Client().get("/questions/")  # cached for anonymous visitors
    visitor = Client()
    visitor.post("/questions/metrics-numeric/", {"answer": "0.75"})
    assert "Solved" in row(visitor.get("/questions/").content.decode(), "metrics-numeric")
    assert "Solved" not in row(Client().get("/questions/").content.decode(), "metrics-numeric")


def test_standing_costs_no_query_per_row(alice, django_assert_num_queries):
    for question_id, answer in [
        ("metrics-numeric", "0.75"),
        ("dicom-truefalse", "true"),
        ("dicom-short", "no idea"),
    ]:
        assert alice.post(f"/questions/{question_id}/", {"answer": answer}).status_code == 200
    with django_assert_num_queries(7):  # session, user + role, count, rows, tags, topics, tag list
        alice.get("/questions/")
    event = ProgressEvent.objects.first()
    assert event is not None
    for days in range(1, 30):  # a long history changes nothing
        event.pk = None
        event.created_at -= timedelta(days=days)
        event.save()
    with django_assert_num_queries(7):
        html = alice.get("/questions/").content.decode()
    assert html.count("standing solved") + html.count("standing attempted") == 3


# --- the tag filter ----------------------------------------------------------------------


def test_the_tag_filter_is_a_searchable_input_not_a_dropdown(loaded, client):
    html = client.get("/questions/").content.decode()
    assert '<input id="f-tag" name="tag" list="f-tag-list"' in html
    assert '<datalist id="f-tag-list"><option value="screening"></datalist>' in html
    assert '<select id="f-tag"' not in html


def test_a_mistyped_tag_suggests_the_nearest_one_keeping_the_other_filters(loaded, client):
    html = client.get("/questions/", {"tag": "screenin", "topic": "metrics"}).content.decode()
    assert "No question has the tag “screenin”." in html
    assert 'Did you mean <a href="?topic=metrics&amp;tag=screening">screening</a>?' in html
    far = client.get("/questions/", {"tag": "zzz"}).content.decode()
    assert "No question has the tag “zzz”." in far and "Did you mean" not in far
