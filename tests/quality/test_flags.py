"""Candidates flag questions from practice and from a finished quiz's review; one open flag
per owner and question; bounded; nothing about the key in any response."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from questions.models import Attempt, Question, QuestionFlag
from questions.owners import SESSION_KEY

FLAG_URL = "/questions/metrics-single/flag/"


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_an_anonymous_visitor_flags_a_practice_question_as_their_session(loaded, client):
    response = client.post(FLAG_URL, {"reason": "wrong_key", "comment": "B is right, not A."})

    assert response.status_code == 302
    assert response["Location"] == "/questions/metrics-single/"
    flag = QuestionFlag.objects.get()
    assert flag.question.ext_id == "metrics-single"
    assert (flag.reason, flag.comment, flag.status) == ("wrong_key", "B is right, not A.", "open")
    assert flag.user is None and flag.anon_token == client.session[SESSION_KEY]
    page = client.get(response["Location"])
    assert "Thank you: your flag was sent to the editors." in page.content.decode()


def test_flagging_again_updates_the_open_flag_instead_of_adding_one(loaded, client):
    client.post(FLAG_URL, {"reason": "typo", "comment": "teh"})
    response = client.post(FLAG_URL, {"reason": "unclear", "comment": "Which class is positive?"})

    flag = QuestionFlag.objects.get()
    assert (flag.reason, flag.comment) == ("unclear", "Which class is positive?")
    assert "Your open flag on this question was updated." in _messages(client.get(response.url))


def test_each_owner_has_their_own_flag_and_a_resolved_one_allows_a_new_one(loaded, client):
    client.post(FLAG_URL, {"reason": "typo"})
    Client().post(FLAG_URL, {"reason": "typo"})  # another anonymous visitor
    bob = User.objects.create_user("bob", "bob@example.org", "pw-bob-123")
    logged_in = Client()
    logged_in.force_login(bob)
    logged_in.post(FLAG_URL, {"reason": "other", "comment": "The title gives it away."})
    assert QuestionFlag.objects.count() == 3
    assert QuestionFlag.objects.get(user=bob).anon_token == ""

    QuestionFlag.objects.filter(user=bob).update(status="resolved")
    logged_in.post(FLAG_URL, {"reason": "typo"})
    assert QuestionFlag.objects.filter(user=bob).count() == 2
    assert QuestionFlag.objects.open().filter(user=bob).get().reason == "typo"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"comment": "no reason"}, "Choose what is wrong with the question."),
        ({"reason": "<b>key</b>" * 500}, "Choose one of the listed reasons."),
        ({"reason": "other"}, "With “Other”, say in the comment what is wrong."),
        ({"reason": "typo", "comment": "x" * 1001}, "Keep the comment to 1,000 characters"),
    ],
)
def test_a_bad_flag_stores_nothing_and_says_why(loaded, client, data, problem):
    response = client.post(FLAG_URL, data, follow=True)
    assert response.status_code == 200
    assert problem in _messages(response)
    assert "Your flag was not sent." in _messages(response)
    assert "<b>key</b>" not in _messages(response)  # the posted value is never echoed
    assert not QuestionFlag.objects.exists()


def test_a_comment_of_exactly_the_limit_is_kept_whole(loaded, client):
    client.post(FLAG_URL, {"reason": "typo", "comment": "y" * 1000})
    assert len(QuestionFlag.objects.get().comment) == 1000


def test_retired_or_unknown_questions_cannot_be_flagged_from_practice(loaded, client):
    Question.objects.filter(ext_id="metrics-single").update(retired_at=timezone.now())
    assert client.post(FLAG_URL, {"reason": "typo"}).status_code == 404
    assert client.post("/questions/nope/flag/", {"reason": "typo"}).status_code == 404
    assert client.get("/questions/metrics-numeric/flag/").status_code == 405
    assert not QuestionFlag.objects.exists()


def test_an_address_that_flags_too_often_is_refused(loaded, settings):
    settings.FLAG_LIMIT = 2
    for _ in range(2):
        Client().post(FLAG_URL, {"reason": "typo"})  # a fresh session each time
    response = Client().post(FLAG_URL, {"reason": "typo"}, follow=True)
    assert "Too many flags from your address: try again in" in _messages(response)
    assert QuestionFlag.objects.count() == 2


def test_the_practice_page_offers_the_form(loaded, client):
    html = client.get("/questions/metrics-single/").content.decode()
    assert 'action="/questions/metrics-single/flag/"' in html
    assert "The key looks wrong" in html and 'maxlength="1000"' in html


def test_logging_in_hands_the_sessions_flags_to_the_account(loaded, client):
    bob = User.objects.create_user("bob", "bob@example.org", "pw-bob-123")
    client.post(FLAG_URL, {"reason": "typo", "comment": "session"})
    client.post("/questions/metrics-numeric/flag/", {"reason": "typo"})
    QuestionFlag.objects.create(
        question=Question.objects.get(ext_id="metrics-numeric"), reason="unclear", user=bob
    )
    client.post("/accounts/login/", {"username": "bob", "password": "pw-bob-123"})

    assert set(QuestionFlag.objects.values_list("user__username", "reason")) == {
        ("bob", "typo"),
        ("bob", "unclear"),  # the account's own flag on metrics-numeric stays
    }
    assert not QuestionFlag.objects.filter(user=None).exists()


# From a quiz ---------------------------------------------------------------------------


def _item_url(attempt: Attempt, position: int) -> str:
    return f"/attempts/{attempt.pk}/flag/{position}/"


def test_a_running_quiz_cannot_flag_and_the_answer_says_nothing_of_the_item(alice):
    attempt = Attempt.objects.get()
    response = alice.post(_item_url(attempt, 1), {"reason": "wrong_key"})

    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    assert response.content == b""
    assert not QuestionFlag.objects.exists()
    running = alice.get(attempt.get_absolute_url()).content.decode()
    assert "Flag questions from the review, once the quiz has ended." in running
    assert "/flag/" not in running  # no flag form while the clock runs


def test_the_review_offers_a_flag_per_bank_question_and_records_it(alice):
    attempt = Attempt.objects.get()
    alice.post(f"/attempts/{attempt.pk}/finish/")
    review = alice.get(attempt.get_absolute_url()).content.decode()
    for position in (1, 2, 3):
        assert f'action="{_item_url(attempt, position)}"' in review
        assert f'id="flag-q{position}-comment"' in review

    response = alice.post(_item_url(attempt, 2), {"reason": "wrong_key", "comment": "0.75?"})

    assert response["Location"] == attempt.get_absolute_url()
    page = alice.get(response["Location"]).content.decode()
    assert "Thank you: your flag on question 2 was sent to the editors." in page
    flag = QuestionFlag.objects.get()
    assert flag.question == attempt.items.get(position=2).question
    assert flag.anon_token == attempt.anon_token


def test_a_finished_quiz_can_flag_a_question_retired_since(alice):
    attempt = Attempt.objects.get()
    alice.post(f"/attempts/{attempt.pk}/finish/")
    Question.objects.filter(pk=attempt.items.get(position=1).question_id).update(
        retired_at=timezone.now()
    )
    alice.post(_item_url(attempt, 1), {"reason": "typo"})
    assert QuestionFlag.objects.count() == 1


def test_someone_elses_attempt_or_a_missing_item_is_not_found(alice, loaded):
    attempt = Attempt.objects.get()
    alice.post(f"/attempts/{attempt.pk}/finish/")
    assert Client().post(_item_url(attempt, 1), {"reason": "typo"}).status_code == 404
    assert alice.post(_item_url(attempt, 99), {"reason": "typo"}).status_code == 404
    assert not QuestionFlag.objects.exists()
