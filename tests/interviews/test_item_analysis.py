"""The set's results page adds an item analysis once five candidates have finished."""

import numpy as np
import pytest
from django.urls import reverse

from questions.interviews import invites
from questions.interviews.results import set_results
from questions.owners import Owner
from questions.quizzes.services import attempt_begin, attempt_finish


def _candidates(screening, count: int, *, finish: bool = True) -> list:
    invite = invites.invite_create(interview_set=screening)
    attempts = []
    for n in range(count):
        attempt = invites.invite_start(
            invite=invite,
            owner=Owner(user=None, anon_token=f"candidate-{screening.pk}-{n}-{finish}"),
            candidate_name=f"Candidate {n}",
        )
        attempt = attempt_begin(attempt=attempt)  # Start on its page
        attempts.append(attempt_finish(attempt=attempt) if finish else attempt)
    return attempts


def _mark(attempts, marks):
    """Give each attempt's items (positions 1..4) these scores; None leaves one ungraded."""
    for attempt, row in zip(attempts, marks, strict=True):
        for position, score in enumerate(row, start=1):
            attempt.items.filter(position=position).update(score=score)


def _page(alice_client, screening) -> str:
    return alice_client.get(reverse("interviews:results", args=[screening.pk])).content.decode()


def test_below_five_finished_candidates_it_says_how_many_more_are_needed(screening, alice_client):
    _candidates(screening, 3)
    _candidates(screening, 2, finish=False)  # still answering: not counted
    html = _page(alice_client, screening)
    assert "Item analysis" in html
    assert "3 have finished, so 2 more are needed." in html
    assert "Discrimination</th>" not in html

    _candidates(screening, 1)
    assert "4 have finished, so 1 more is needed." in _page(alice_client, screening)


def test_at_five_it_shows_facility_sd_and_discrimination_per_question(screening, alice_client):
    attempts = _candidates(screening, 6)
    # Columns: metrics-single, dicom-open (graded), the exercise, the random metrics draw.
    marks = np.array(
        [
            [1.0, 1.0, 0.75, 1.0],
            [0.0, 0.5, 0.25, 0.0],
            [1.0, 0.5, 1.0, 1.0],
            [0.0, 0.0, 0.5, 1.0],
            [1.0, 1.0, 0.0, 0.0],
            [1.0, 0.0, 0.5, 1.0],
        ]
    )
    _mark(attempts, marks.tolist())

    results = set_results(screening)

    by_title = {column.title: stats for _, column, stats in results.analysis}
    single = by_title["The metric that counts misses"]
    x = marks[:, 0]
    rest = (marks.sum(axis=1) - x) / 3
    assert single.attempts == 6
    assert single.facility == pytest.approx(x.mean())
    assert single.sd == pytest.approx(np.std(x, ddof=1))
    assert single.discrimination == pytest.approx(np.corrcoef(x, rest)[0, 1])
    html = _page(alice_client, screening)
    assert "Over the 6 finished candidates" in html
    assert f"{single.discrimination:.2f}" in html
    assert "67%" in html  # facility of metrics-single: 4 of 6


def test_an_open_answer_awaiting_grading_is_left_out_not_counted_as_zero(screening):
    attempts = _candidates(screening, 5)
    _mark(attempts, [[1.0, None, 1.0, 1.0]] + [[0.0, 1.0, 0.0, 0.0]] * 4)
    analysis = {
        column.key[0] + str(n): stats for n, column, stats in set_results(screening).analysis
    }
    assert analysis["question2"].attempts == 4
    assert analysis["question2"].facility == 1.0
    assert analysis["question2"].discrimination is None
    assert analysis["question2"].discrimination_note == (
        "needs 5 attempts with other marked questions (has 4 attempts)"
    )
