"""The grading queue's order is stable: a candidate who finishes later adds answers to the
queue but never moves the ones already in it, so the grader's place (?after=) stays right."""

import uuid
from datetime import datetime, timedelta

from questions.interviews.grading import Entry, Queue, grading_order

T0 = datetime(2026, 3, 1, 10, 0)
ANA, BEN, CY = (uuid.UUID(int=n) for n in (3, 2, 1))  # ids sort against the finish order
P, Q, R = 100, 200, 300  # question ids, in the opposite order to the set's


def _ids(entries: list[Entry]) -> list[int]:
    return [entry.item_id for entry in entries]


def test_questions_follow_the_first_finished_candidates_order_then_candidates_by_finish():
    entries = [
        Entry(4, BEN, R, 1, T0 + timedelta(minutes=5), False),
        Entry(5, BEN, Q, 2, T0 + timedelta(minutes=5), False),
        Entry(1, ANA, R, 1, T0, False),
        Entry(2, ANA, Q, 2, T0, False),
        Entry(3, ANA, P, 3, T0, False),
    ]
    assert _ids(grading_order(entries)) == [1, 4, 2, 5, 3]


def test_a_later_random_draw_does_not_move_answers_already_queued():
    """Ben's random draw asks Q first. Had Q's place been the earliest position anyone was
    asked it, Q's run would jump ahead of P's: the grader, just past P(Ana), would miss
    Q(Ana), which would come back later as if skipped."""
    ana_p = Entry(1, ANA, P, 2, T0, True)  # just graded
    ana_q = Entry(2, ANA, Q, 3, T0, False)
    queued = grading_order([ana_p, ana_q])
    assert _ids(queued) == [1, 2]
    later = [
        ana_p,
        ana_q,
        Entry(3, BEN, Q, 1, T0 + timedelta(minutes=5), False),
        Entry(4, BEN, P, 2, T0 + timedelta(minutes=5), False),
    ]
    ordered = grading_order(later)
    assert [e for e in ordered if e.item_id in (1, 2)] == queued  # kept their order
    assert _ids(ordered) == [1, 4, 2, 3]  # Ben joins the end of each question's run
    queue = Queue(ordered)
    walk, after = [], 1
    while (step := queue.next_after(after))[0] is not None and step[0].item_id not in walk:
        entry, wrapped = step
        assert not wrapped  # nothing was skipped, so nothing comes round again
        walk.append(entry.item_id)
        after = entry.item_id
    assert walk == [4, 2, 3]


def test_a_question_first_answered_by_a_later_candidate_joins_after_the_queued_ones():
    first = [Entry(1, ANA, P, 1, T0, False), Entry(2, ANA, Q, 2, T0, False)]
    later = [
        *first,
        Entry(3, CY, R, 1, T0 + timedelta(minutes=9), False),  # Cy drew R at position 1
        Entry(4, CY, P, 2, T0 + timedelta(minutes=9), False),
    ]
    assert _ids(grading_order(later)) == [1, 4, 2, 3]


def test_candidates_who_finish_at_the_same_moment_keep_one_order():
    entries = [Entry(1, ANA, P, 1, T0, False), Entry(2, BEN, P, 1, T0, False)]
    assert _ids(grading_order(entries)) == _ids(grading_order(entries[::-1]))
