"""The grading queue: Alice grades her candidates' open answers one after another."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from questions.interviews import invites, sets
from questions.models import Attempt, AttemptItem, Question
from questions.owners import Owner
from questions.quizzes import services as attempts
from tests.quiz_flow import press_start

from .conftest import client_for


@pytest.fixture
def two_opens(loaded, alice):
    """Alice's set with two open questions around a single-choice one; the second open
    question has no rubric, so it is marked as one overall point."""
    second = Question.objects.get(ext_id="dicom-open")
    second.pk = None
    second.ext_id = "dicom-open-overall"
    second.title = "Explain windowing to a radiographer"
    second.rubric = []
    second.save()
    interview_set = sets.set_create(
        owner=alice, title="Two opens", description="", time_limit_minutes=120, show_answers=True
    )
    sets.entry_add(interview_set=interview_set, question=Question.objects.get(ext_id="dicom-open"))
    sets.entry_add(
        interview_set=interview_set, question=Question.objects.get(ext_id="metrics-single")
    )
    sets.entry_add(interview_set=interview_set, question=second)
    return interview_set


def _candidate(interview_set, name: str, *, minutes: int, answers=None, finish=True) -> Attempt:
    """A candidate who starts now, answers the open questions, and finishes `minutes` later
    (so candidates finish in a known order)."""
    invite = invites.invite_create(interview_set=interview_set)
    start = timezone.now() - timedelta(hours=1)
    with time_machine.travel(start, tick=False):
        attempt = invites.invite_start(
            invite=invite, owner=Owner(None, f"token-{name}"), candidate_name=name
        )
        attempt = attempts.attempt_begin(attempt=attempt)  # Start on its page
    given = {1: f"{name} sorts by position", 3: f"{name} windows"} if answers is None else answers
    for position, text in given.items():
        attempts.attempt_answer(
            attempt=attempt, position=position, response=text, now=start + timedelta(minutes=1)
        )
    if finish:
        attempts.attempt_finish(attempt=attempt, now=start + timedelta(minutes=minutes))
    attempt.refresh_from_db()
    return attempt


def _queue_url(interview_set, after=None) -> str:
    url = reverse("interviews:grading", args=[interview_set.pk])
    return f"{url}?after={after}" if after else url


def _shown(client, url) -> AttemptItem | None:
    response = client.get(url)
    assert response.status_code == 200
    return response.context.get("item")


def _grade(client, interview_set, item, marks, comment="", version=""):
    data = {f"mark_{n}": str(mark) for n, mark in enumerate(marks)}
    data.update(comment=comment, version=version)
    return client.post(reverse("interviews:grading_save", args=[interview_set.pk, item.pk]), data)


def _full_marks(item) -> list[float]:
    return [1.0] * (len(item.question.rubric) or 1)


def test_it_walks_one_question_across_candidates_before_the_next(two_opens, alice_client):
    ben = _candidate(two_opens, "Ben", minutes=9)
    ana = _candidate(two_opens, "Ana", minutes=5)  # started later, finished first
    cy = _candidate(two_opens, "Cy", minutes=12, answers={1: "Cy's answer"})  # 3 left blank
    _candidate(two_opens, "Dee", minutes=3, finish=False)  # still answering: not queued
    seen = []
    url = _queue_url(two_opens)
    while (item := _shown(alice_client, url)) is not None:
        seen.append((item.attempt.candidate_name, item.position))
        response = _grade(alice_client, two_opens, item, _full_marks(item))
        assert response.status_code == 302
        url = response["Location"]
    assert seen == [("Ana", 1), ("Ben", 1), ("Cy", 1), ("Ana", 3), ("Ben", 3)]
    for attempt in (ana, ben, cy):
        attempt.refresh_from_db()
    # Two open answers right (2) + the unanswered single choice (0); Cy's blank one is 0.
    assert (ana.score, ben.score, cy.score) == (2.0, 2.0, 1.0)


def test_it_shows_the_answer_beside_the_rubric_with_progress(two_opens, alice_client):
    _candidate(two_opens, "Ana", minutes=5)
    _candidate(two_opens, "Ben", minutes=9)
    page = alice_client.get(_queue_url(two_opens))
    html = page.content.decode()
    question = Question.objects.get(ext_id="dicom-open")
    assert "0 of 4 graded" in html and "answer 1 of 2 to this question" in html
    assert "Ana sorts by position" in html and "Ana’s answer" in html
    assert question.model_answer_html in html and question.rubric[0] in html
    assert html.count('type="radio"') == 3 * len(question.rubric)  # 0, ½, 1 per point
    assert 'name="version" value=""' in html and "csrfmiddlewaretoken" in html
    assert "grading_queue.js" in html and "Save and next" in html
    assert "Ben sorts" not in html  # one answer at a time


def test_saving_moves_on_and_the_score_changes(two_opens, alice_client):
    ana = _candidate(two_opens, "Ana", minutes=5)
    item = _shown(alice_client, _queue_url(two_opens))
    before = ana.score
    response = _grade(alice_client, two_opens, item, [1.0, 0.5, 0.0], comment="Misses windowing")
    assert response["Location"] == _queue_url(two_opens, after=item.pk)
    item.refresh_from_db()
    ana.refresh_from_db()
    assert item.rubric_marks == [1.0, 0.5, 0.0] and item.score == 0.5
    assert item.grader_comment == "Misses windowing" and item.graded_at is not None
    assert ana.score == before + 0.5
    page = alice_client.get(response["Location"]).content.decode()
    assert "Saved: Ana" in page and "1 of 2 graded" in page
    assert "Explain windowing to a radiographer" in page  # the next one: Ana's second answer
    assert "Overall answer" in page  # no rubric: one mark for the whole answer


def test_skipping_moves_on_and_skipped_answers_come_back_at_the_end(two_opens, alice_client):
    _candidate(two_opens, "Ana", minutes=5)
    _candidate(two_opens, "Ben", minutes=9)
    first = _shown(alice_client, _queue_url(two_opens))
    page = alice_client.get(_queue_url(two_opens)).content.decode()
    assert f'href="{_queue_url(two_opens, after=first.pk)}"' in page.replace("&amp;", "&")
    second = _shown(alice_client, _queue_url(two_opens, after=first.pk))
    assert (second.attempt.candidate_name, second.position) == ("Ben", 1)
    for item in AttemptItem.objects.filter(position=3):
        _grade(alice_client, two_opens, item, [1.0])
    # Past the last answer the walk goes back to the one skipped, and says so.
    response = alice_client.get(_queue_url(two_opens, after=second.pk))
    assert response.context["item"].pk == first.pk
    assert "these are the answers you skipped" in response.content.decode()
    # A cursor that is not an answer of this set starts from the top.
    assert _shown(alice_client, _queue_url(two_opens, after=999999)).pk == first.pk
    assert _shown(alice_client, _queue_url(two_opens) + "?after=x1").pk == first.pk


def test_when_everything_is_graded_it_says_so_and_links_back(two_opens, alice_client):
    empty = alice_client.get(_queue_url(two_opens)).content.decode()
    assert "Nothing to grade yet" in empty
    _candidate(two_opens, "Ana", minutes=5)
    for item in AttemptItem.objects.filter(attempt__interview_set=two_opens, position__in=[1, 3]):
        _grade(alice_client, two_opens, item, _full_marks(item))
    page = alice_client.get(_queue_url(two_opens)).content.decode()
    assert "Everything is graded" in page and "2 of 2 graded" in page
    assert f'href="{reverse("interviews:results", args=[two_opens.pk])}"' in page


def test_a_second_submit_of_an_answer_graded_meanwhile_is_not_saved(two_opens, alice_client):
    """Two tabs show the same ungraded answer. The first save wins; the second, with other
    marks, is refused with a message and overwrites nothing; the same marks sent twice (a
    double click) are simply the grade already saved."""
    _candidate(two_opens, "Ana", minutes=5)
    item = _shown(alice_client, _queue_url(two_opens))
    assert _shown(alice_client, _queue_url(two_opens)).pk == item.pk  # the second tab
    _grade(alice_client, two_opens, item, [1.0, 1.0, 1.0], comment="first tab")
    item.refresh_from_db()
    saved_at = item.graded_at
    late = _grade(alice_client, two_opens, item, [0.0, 0.0, 0.0], comment="second tab")
    assert late.status_code == 302 and late["Location"] == _queue_url(two_opens, after=item.pk)
    item.refresh_from_db()
    assert item.rubric_marks == [1.0, 1.0, 1.0] and item.grader_comment == "first tab"
    assert item.graded_at == saved_at
    text = alice_client.get(late["Location"]).content.decode()
    assert "was already graded" in text and "(100%)" in text and "not saved" in text
    again = _grade(alice_client, two_opens, item, [1.0, 1.0, 1.0], comment="first tab")
    item.refresh_from_db()
    assert again.status_code == 302 and item.graded_at == saved_at
    assert "Saved: Ana" in alice_client.get(again["Location"]).content.decode()


def test_the_results_page_form_refuses_a_grade_changed_since_it_was_drawn(two_opens, alice_client):
    ana = _candidate(two_opens, "Ana", minutes=5)
    item = ana.items.get(position=1)
    url = reverse("interviews:result_grade", args=[two_opens.pk, ana.pk, 1])
    alice_client.post(url, {"mark_0": "1.0", "mark_1": "1.0", "mark_2": "1.0", "version": ""})
    item.refresh_from_db()
    first = item.graded_at
    stale = alice_client.post(
        url, {"mark_0": "0.0", "mark_1": "0.0", "mark_2": "0.0", "version": ""}, follow=True
    )
    assert "your marks were not saved" in stale.content.decode()
    item.refresh_from_db()
    assert item.rubric_marks == [1.0, 1.0, 1.0]
    current = first.isoformat()
    assert f'name="version" value="{current}"' in stale.content.decode()
    alice_client.post(
        url, {"mark_0": "0.0", "mark_1": "0.5", "mark_2": "0.0", "version": current}
    )  # drawn over the grade that stands: a deliberate change
    item.refresh_from_db()
    assert item.rubric_marks == [0.0, 0.5, 0.0]


def test_a_save_without_every_mark_shows_the_answer_again_with_what_was_given(
    two_opens, alice_client
):
    _candidate(two_opens, "Ana", minutes=5)
    item = _shown(alice_client, _queue_url(two_opens))
    response = alice_client.post(
        reverse("interviews:grading_save", args=[two_opens.pk, item.pk]),
        {"mark_0": "0.5", "comment": "keep me", "version": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give every rubric point a mark" in html and "keep me" in html
    assert 'id="mark_0-1" value="0.5" required checked' in html
    item.refresh_from_db()
    assert item.graded_at is None
    bad = alice_client.post(
        reverse("interviews:grading_save", args=[two_opens.pk, item.pk]),
        {"mark_0": "2", "mark_1": "1.0", "mark_2": "1.0"},
    )
    assert bad.status_code == 400


def test_only_the_sets_owner_grades(two_opens, alice, charlie, bob, alice_client):
    _candidate(two_opens, "Ana", minutes=5)
    item = AttemptItem.objects.get(position=1)
    queue = _queue_url(two_opens)
    save = reverse("interviews:grading_save", args=[two_opens.pk, item.pk])
    marks = {"mark_0": "1.0", "mark_1": "1.0", "mark_2": "1.0", "version": ""}
    charlie_client = client_for(charlie)
    assert charlie_client.get(queue).status_code == 404
    assert charlie_client.post(save, marks).status_code == 404
    assert client_for(bob).get(queue).status_code == 403  # not an interviewer
    assert Client().get(queue).status_code == 302  # to the log-in page
    # Alice's own other set cannot reach this set's answers either.
    other = sets.set_create(owner=alice, title="Other", description="", time_limit_minutes=5)
    elsewhere = reverse("interviews:grading_save", args=[other.pk, item.pk])
    assert alice_client.post(elsewhere, marks).status_code == 404
    # Nor the queue grade a question that is not an open one.
    single = AttemptItem.objects.get(position=2)
    closed = reverse("interviews:grading_save", args=[two_opens.pk, single.pk])
    assert alice_client.post(closed, {"mark_0": "1.0"}).status_code == 404
    assert not AttemptItem.objects.filter(graded_at__isnull=False).exists()


def test_a_grade_needs_the_csrf_token(two_opens, alice):
    _candidate(two_opens, "Ana", minutes=5)
    item = AttemptItem.objects.get(position=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        reverse("interviews:grading_save", args=[two_opens.pk, item.pk]),
        {"mark_0": "1.0", "mark_1": "1.0", "mark_2": "1.0"},
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.graded_at is None


def test_the_queue_page_costs_the_same_queries_for_more_candidates(two_opens, alice_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(_queue_url(two_opens)).status_code == 200
        return len(queries.captured_queries)

    for n in range(2):
        _candidate(two_opens, f"Few {n}", minutes=5 + n)
    few = count()
    for n in range(8):
        _candidate(two_opens, f"Many {n}", minutes=20 + n)
    assert count() == few <= 10


def test_the_results_show_provisional_then_final_scores(two_opens, alice_client):
    """Ana: open 1 waits, the single choice unanswered (0), open 3 graded 1 → 1 of 2 graded
    marks so far (50 %), provisional; then open 1 graded ½ → 1.5 of 3 (50 %), final."""
    ana = _candidate(two_opens, "Ana", minutes=5)
    open_one = ana.items.get(position=1)
    open_three = ana.items.get(position=3)
    _grade(alice_client, two_opens, open_three, [1.0])
    results_url = reverse("interviews:results", args=[two_opens.pk])
    html = alice_client.get(results_url).content.decode()
    assert "<strong>50%</strong> so far" in html and "1/2 graded; provisional" in html
    assert "1 open answer awaiting grading" in html and "Grade the next answer" in html
    csv_text = alice_client.get(reverse("interviews:results_csv", args=[two_opens.pk]))
    header, row = [line.split(",") for line in csv_text.content.decode().splitlines()][:2]
    values = dict(zip(header, row, strict=False))
    assert (values["score"], values["max_score"], values["percent"]) == ("1.0", "3.0", "50")
    assert (values["score_status"], values["graded_max_score"]) == ("provisional", "2")
    assert values["open_answers_to_grade"] == "1"

    _grade(alice_client, two_opens, open_one, [0.5, 0.5, 0.5])
    html = alice_client.get(results_url).content.decode()
    assert "provisional" not in html and "<strong>50%</strong> <span" in html
    assert "1.50/3" in html and "Grade the next answer" not in html
    csv_text = alice_client.get(reverse("interviews:results_csv", args=[two_opens.pk]))
    header, row = [line.split(",") for line in csv_text.content.decode().splitlines()][:2]
    values = dict(zip(header, row, strict=False))
    assert (values["score"], values["percent"], values["score_status"]) == ("1.5", "50", "final")
    assert (values["graded_max_score"], values["open_answers_to_grade"]) == ("3", "0")


def test_the_candidates_review_shows_the_provisional_then_final_score(two_opens, alice_client):
    invite = invites.invite_create(interview_set=two_opens)
    candidate = Client()
    candidate.post(invite.get_absolute_url(), {"name": "Ana"})
    attempt = Attempt.objects.get(candidate_name="Ana")
    press_start(candidate, attempt)
    single = attempt.items.get(position=2)
    right = next(i for i, c in enumerate(single.choices) if c["correct"])
    candidate.post(
        reverse("questions:attempt_answer", args=[attempt.pk, 2]),
        {"choice": single.choice_id(right)},
    )
    for position in (1, 3):
        candidate.post(
            reverse("questions:attempt_answer", args=[attempt.pk, position]), {"answer": "x"}
        )
    candidate.post(reverse("questions:attempt_finish", args=[attempt.pk]))
    review = candidate.get(attempt.get_absolute_url()).content.decode()
    assert "<strong>1</strong> / 1 graded" in review and "(100% so far)" in review
    assert "2 open answers awaiting grading by the interviewer" in review
    for item in attempt.items.filter(position__in=[1, 3]).order_by("position"):
        _grade(alice_client, two_opens, item, [0.0] * (len(item.question.rubric) or 1))
    review = candidate.get(attempt.get_absolute_url()).content.decode()
    assert "<strong>1</strong> / 3" in review and "(33%)" in review
    assert "awaiting grading" not in review


def test_a_form_naming_a_grade_the_answer_never_had_saves_nothing(two_opens, alice_client):
    _candidate(two_opens, "Ana", minutes=5)
    item = _shown(alice_client, _queue_url(two_opens))
    response = _grade(alice_client, two_opens, item, [1.0, 1.0, 1.0], version="2001-01-01")
    assert response["Location"] == _queue_url(two_opens)
    assert "out of date" in alice_client.get(response["Location"]).content.decode()
    item.refresh_from_db()
    assert item.graded_at is None


def test_a_blank_open_answer_cannot_be_graded_from_the_queue(two_opens, alice_client):
    """A blank answer scored 0 at the finish and is not in the queue; a form naming it (a
    stale page, a crafted post), valid or not, is a 404 rather than a 500."""
    cy = _candidate(two_opens, "Cy", minutes=5, answers={1: "only the first"})
    blank = cy.items.get(position=3)
    assert blank.answer is None
    save = reverse("interviews:grading_save", args=[two_opens.pk, blank.pk])
    assert alice_client.post(save, {"version": ""}).status_code == 404
    assert alice_client.post(save, {"mark_0": "1.0", "version": ""}).status_code == 404
    blank.refresh_from_db()
    assert blank.graded_at is None


@pytest.mark.parametrize("after", ["%C2%B2", "%D9%A3", "-1", "1e3", "9" * 30])
def test_a_cursor_that_is_not_an_ascii_number_starts_from_the_front(two_opens, alice_client, after):
    """'²' and Arabic-Indic digits pass str.isdigit() but not int()."""
    _candidate(two_opens, "Ana", minutes=5)
    response = alice_client.get(_queue_url(two_opens) + f"?after={after}")
    assert response.status_code == 200
    assert "Ana sorts by position" in response.content.decode()
