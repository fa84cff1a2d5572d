"""The dashboard and a list's standings are kept per owner (web/owner_cache.py), and never
shown stale: every write that changes them shows on the next load, figures that change with
time change when they should, and nobody sees another's."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from questions.catalog.practice import NEW, Standing, standing_html
from questions.models import Attempt, GlossaryTerm, ProgressEvent, Question, QuestionSet, ReviewCard
from questions.owners import Owner
from questions.progress.services import exercise_checked, question_answered, term_reviewed
from questions.quizzes.services import (
    attempt_answer,
    attempt_finish,
    attempt_self_assess,
    attempt_start,
)
from questions.web.owner_cache import owner_memo

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def alice(loaded) -> User:
    return User.objects.create_user("alice", password="alice-pw-1")


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stat(html: str, label: str) -> int:
    match = re.search(rf'<span class="stat-value">(\d+)</span><span class="meta">{label}', html)
    assert match, label
    return int(match[1])


def without_tokens(html: str) -> str:
    """The page without its CSRF tokens, which Django masks afresh for every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def as_read(html: str) -> str:
    return "\n".join(line for line in without_tokens(html).splitlines() if line.strip())


def dashboard(client: Client) -> str:
    response = client.get("/me/")
    assert response.status_code == 200
    return response.content.decode()


def standing_of(client: Client, question_id: str) -> str:
    html = client.get("/questions/", {"topic": question_id.split("-")[0]}).content.decode()
    match = re.search(
        rf'<li class="standing-([a-z]+)">\s*<a [^>]*href="/questions/{question_id}/.*?</li>',
        html,
        re.S,
    )
    assert match, f"{question_id} is not listed"
    return match[0]


def record(user: User, question_id: str, *, correct: bool, at: datetime | None = None) -> None:
    question_answered(
        owner=Owner(user),
        question=Question.objects.get(ext_id=question_id),
        source="practice",
        correct=correct,
        score=float(correct),
        now=at,
    )


# --- every write shows on the next load ---------------------------------------------------


def test_an_answer_shows_on_the_next_list_and_dashboard(alice):
    client = client_of(alice)
    assert "standing new" in standing_of(client, "metrics-numeric")
    assert stat(dashboard(client), "answers recorded") == 0
    assert without_tokens(dashboard(client)) == without_tokens(dashboard(client))
    client.post("/questions/metrics-numeric/", {"answer": "0.75"})
    assert "standing solved" in standing_of(client, "metrics-numeric")
    assert stat(dashboard(client), "answers recorded") == 1


def test_the_kept_pages_read_as_fresh_ones(alice, settings):
    client = client_of(alice)
    client.post("/questions/metrics-numeric/", {"answer": "0.1"})
    client.post("/questions/dicom-truefalse/", {"answer": "true"})
    exercise_checked(owner=Owner(alice), kind="classification", score=0.5)
    with time_machine.travel(NOW, tick=False):
        dashboard(client), client.get("/questions/")  # kept
        kept = [dashboard(client), client.get("/questions/").content.decode()]
        settings.PAGE_CACHE_SECONDS = 0
        fresh = [dashboard(client), client.get("/questions/").content.decode()]
    assert "standing attempted" in kept[1] and "Practise next" in kept[0]
    # As on every cached page, the navigation's role links (none here) leave no blank lines.
    assert [as_read(html) for html in kept] == [as_read(html) for html in fresh]


def test_a_wrong_answer_shows_as_attempted(alice):
    client = client_of(alice)
    assert "standing new" in standing_of(client, "metrics-numeric")
    client.post("/questions/metrics-numeric/", {"answer": "0.1"})
    assert "standing attempted" in standing_of(client, "metrics-numeric")
    assert stat(dashboard(client), "answers recorded") == 1


def test_a_checked_exercise_shows_on_the_dashboard(alice):
    client = client_of(alice)
    assert stat(dashboard(client), "answers recorded") == 0
    exercise_checked(owner=Owner(alice), kind="classification", score=1.0)
    assert stat(dashboard(client), "answers recorded") == 1


def test_a_term_marked_hard_shows_as_due(alice):
    client = client_of(alice)
    assert stat(dashboard(client), "due for review") == 0
    term_reviewed(owner=Owner(alice), term=GlossaryTerm.objects.first(), rating_name="again")
    assert stat(dashboard(client), "answers recorded") == 1


def test_a_finished_quiz_shows_among_recent_quizzes_even_if_it_records_nothing(alice):
    client = client_of(alice)
    attempt = attempt_start(
        owner=Owner(alice), kind="set", question_set=QuestionSet.objects.get(ext_id="starter")
    )
    # Kept back, as an interviewer may: the finish records no progress, only the attempt.
    Attempt.objects.filter(pk=attempt.pk).update(reveal_answers=False)
    assert "No finished quizzes yet." in dashboard(client)
    attempt_finish(attempt=attempt)
    html = dashboard(client)
    assert "Starter set</a>: submitted" in html and stat(html, "answers recorded") == 0


def test_a_changed_rating_of_an_open_answer_shows_in_the_quizs_percent(alice):
    client = client_of(alice)
    attempt = attempt_start(
        owner=Owner(alice), kind="set", question_set=QuestionSet.objects.get(ext_id="starter")
    )
    position = attempt.items.get(question__ext_id="dicom-open").position
    attempt_answer(attempt=attempt, position=position, response="a draft")
    attempt = attempt_finish(attempt=attempt)
    attempt_self_assess(attempt=attempt, position=position, rating="no")
    assert "Starter set</a>: 0%" in dashboard(client)
    # A change of rating records no new answer: only the attempt's score changes.
    attempt_self_assess(attempt=attempt, position=position, rating="fully")
    assert "Starter set</a>: 33%" in dashboard(client)


def test_logging_in_merges_the_anonymous_progress_into_both_pages(alice):
    account = client_of(alice)
    assert stat(dashboard(account), "answers recorded") == 0  # the account's pages, kept
    assert "standing new" in standing_of(account, "metrics-numeric")
    visitor = Client()
    visitor.post("/questions/metrics-numeric/", {"answer": "0.75"})
    assert stat(dashboard(visitor), "answers recorded") == 1  # the session's, kept too
    assert visitor.login(username="alice", password="alice-pw-1")
    assert stat(dashboard(visitor), "answers recorded") == 1
    assert stat(dashboard(account), "answers recorded") == 1
    assert "standing solved" in standing_of(account, "metrics-numeric")
    visitor.logout()
    assert stat(dashboard(visitor), "answers recorded") == 0  # a new, empty session


def test_nothing_kept_of_a_deleted_account_is_served_again(loaded):
    """Not even to an account that gets the same id (restored from a backup, or on a
    database that reuses ids)."""
    first = User.objects.create_user("first", password="first-pw-1")
    record(first, "metrics-numeric", correct=True)
    client = client_of(first)
    assert stat(dashboard(client), "answers recorded") == 1
    assert "standing solved" in standing_of(client, "metrics-numeric")
    same_id = Owner(User(pk=first.pk, username="first"))
    assert owner_memo(same_id, "dashboard", lambda: ("computed", None)) != "computed"
    client.post("/accounts/delete/", {"password": "first-pw-1"})
    assert not User.objects.filter(username="first").exists()
    assert owner_memo(same_id, "dashboard", lambda: ("computed", None)) == "computed"


def test_nothing_kept_of_an_account_deleted_in_the_admin_is_served_again(loaded):
    """An account deleted by staff in the admin (or in a shell) is forgotten too, not only
    one deleted by its owner: its id may come back on a database that reuses ids."""
    first = User.objects.create_user("first", password="first-pw-1")
    record(first, "metrics-numeric", correct=True)
    assert stat(dashboard(client_of(first)), "answers recorded") == 1
    same_id = Owner(User(pk=first.pk, username="first"))
    assert owner_memo(same_id, "dashboard", lambda: ("computed", None)) != "computed"
    staff = client_of(User.objects.create_superuser("root", password="root-pw-1"))
    deleted = staff.post(f"/admin/auth/user/{first.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not User.objects.filter(pk=first.pk).exists()
    assert owner_memo(same_id, "dashboard", lambda: ("computed", None)) == "computed"


def test_an_account_created_with_a_used_id_starts_with_nothing_kept(loaded):
    """A database restored from a backup (without a Redis flush) hands out again the ids of
    accounts made after the backup, whose rows went without any delete to forget them: the
    new account with such an id starts with nothing kept, not with the old one's pages."""
    first = User.objects.create_user("first", password="first-pw-1")
    record(first, "metrics-numeric", correct=True)
    assert stat(dashboard(client_of(first)), "answers recorded") == 1
    assert "standing-solved" in standing_of(client_of(first), "metrics-numeric")
    same_id = Owner(User(pk=first.pk, username="second"))
    assert owner_memo(same_id, "dashboard", lambda: ("computed", None)) != "computed"
    # The restore: the row and its progress gone, no signal sent, the cache untouched.
    ProgressEvent.objects.filter(user=first)._raw_delete(ProgressEvent.objects.db)
    User.objects.filter(pk=first.pk)._raw_delete(User.objects.db)

    second = User.objects.create_user("second", password="second-pw-1", id=first.pk)
    assert stat(dashboard(client_of(second)), "answers recorded") == 0
    assert "standing-new" in standing_of(client_of(second), "metrics-numeric")


# --- nobody sees another's ---------------------------------------------------------------


def test_another_visitor_never_sees_these_pages(alice):
    alice_client = client_of(alice)
    alice_client.post("/questions/metrics-numeric/", {"answer": "0.75"})
    assert stat(dashboard(alice_client), "answers recorded") == 1
    assert "standing solved" in standing_of(alice_client, "metrics-numeric")
    charlie = client_of(User.objects.create_user("charlie"))
    assert stat(dashboard(charlie), "answers recorded") == 0
    assert "standing new" in standing_of(charlie, "metrics-numeric")
    html = dashboard(charlie)
    assert "charlie" in html and "alice" not in html  # the navigation is the reader's
    stranger = Client()
    stranger.post("/questions/dicom-truefalse/", {"answer": "true"})
    assert stat(dashboard(stranger), "answers recorded") == 1
    assert "standing new" in standing_of(stranger, "metrics-numeric")
    assert 'name="csrfmiddlewaretoken"' in dashboard(alice_client)


# --- figures that change with time -------------------------------------------------------


def test_a_card_falling_due_shows_as_due(alice):
    client = client_of(alice)
    term = GlossaryTerm.objects.first()
    due = NOW + timedelta(hours=1)
    ReviewCard.objects.create(user=alice, term=term, card={}, due=due)
    with time_machine.travel(due - timedelta(minutes=2), tick=False):
        assert stat(dashboard(client), "due for review") == 0
        assert stat(dashboard(client), "due for review") == 0
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        assert stat(dashboard(client), "due for review") == 1


def test_the_streak_ends_at_midnight(alice):
    client = client_of(alice)
    record(alice, "metrics-numeric", correct=True, at=NOW)
    late_next_day = datetime(2026, 11, 24, 23, 55, tzinfo=UTC)  # the site's zone is UTC
    with time_machine.travel(late_next_day, tick=False):
        assert stat(dashboard(client), "day") == 1  # yesterday counts until today is over
    with time_machine.travel(late_next_day + timedelta(minutes=6), tick=False):
        assert stat(dashboard(client), "day") == 0


def test_mastery_changes_when_an_answer_turns_a_week_old(alice):
    client = client_of(alice)
    record(alice, "metrics-numeric", correct=True, at=NOW)
    week = NOW + timedelta(days=7)
    with time_machine.travel(week - timedelta(minutes=2), tick=False):
        assert "67%" in dashboard(client)  # weight 1: (1 + 1) / (1 + 2)
    with time_machine.travel(week + timedelta(minutes=1), tick=False):
        assert "60%" in dashboard(client)  # weight ½: (0.5 + 1) / (0.5 + 2)


def test_an_answer_leaves_the_history_after_twelve_weeks(alice):
    record(alice, "metrics-numeric", correct=True, at=NOW)
    twelve_weeks = NOW + timedelta(weeks=12)
    with time_machine.travel(twelve_weeks - timedelta(minutes=2), tick=False):
        client = client_of(alice)  # a session of then: one of NOW would have expired
        assert "Answers and accuracy per week" in dashboard(client)
    with time_machine.travel(twelve_weeks + timedelta(minutes=1), tick=False):
        assert "Answers and accuracy per week" not in dashboard(client)


def test_the_lists_relative_times_move_on_while_its_standings_are_kept(alice):
    client = client_of(alice)
    record(alice, "metrics-numeric", correct=False, at=NOW)
    with time_machine.travel(NOW + timedelta(seconds=10), tick=False):
        assert ">just now</time>" in standing_of(client, "metrics-numeric")
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        assert ">5\xa0minutes ago</time>" in standing_of(client, "metrics-numeric")
        assert ProgressEvent.objects.count() == 1


# --- the standing's HTML ------------------------------------------------------------------


def test_a_standing_reads_as_the_template_it_replaces_wrote_it():
    assert standing_html(NEW) == '<span class="standing new">New</span>\n'
    with time_machine.travel(NOW, tick=False):
        html = standing_html(Standing("attempted", 0.5, NOW - timedelta(days=3, hours=4)))
    assert html == (
        '<span class="standing attempted">Attempted</span> <span class="meta standing-last">'
        'last answer partly right, <time datetime="2026-11-20T08:00:00+00:00">'
        "3\xa0days, 4\xa0hours ago</time></span>\n"
    )
    solved = standing_html(Standing("solved", 1.0, NOW))
    assert solved.startswith('<span class="standing solved">Solved</span> ')
    assert "last answer right, " in solved
