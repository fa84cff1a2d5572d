"""Finishing a quiz runs a fixed number of queries, however many items it has: grading,
progress events and review cards are written in bulk, not one item at a time."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questions.models import (
    AttemptItem,
    ProgressEvent,
    Question,
    QuestionSet,
    ReviewCard,
    SetEntry,
)
from questions.owners import Owner
from questions.quizzes.services import attempt_answer, attempt_finish, attempt_start

# Pinned: a change is a decision, say why in the commit. Inside the test's transaction each
# atomic block is a SAVEPOINT and its RELEASE (2 of these); then the locked attempt (with
# its owner), the items (with questions), one UPDATE of the items' scores, the attempt's
# UPDATE, the exercise topics, one INSERT of the progress events, the owner's existing
# cards, and one INSERT of new cards (a first finish) or one UPDATE of old ones (a second
# finish with the same misses); a finish with both new and old cards runs both, 11.
FINISH_QUERIES = 10


def _set_of(size: int) -> QuestionSet:
    """A curated set of `size` entries: the fixture bank's questions, copied as often as
    needed, and a classification exercise last."""
    bank = list(Question.objects.order_by("ext_id"))
    questions = []
    for n in range(size - 1):
        question = Question.objects.get(pk=bank[n % len(bank)].pk)
        if n >= len(bank):
            question.pk, question.id = None, None
            question.ext_id = f"{question.ext_id}-copy-{n}"
            question.save()
        questions.append(question)
    question_set = QuestionSet.objects.create(
        ext_id=f"set-of-{size}", title=f"{size} items", time_limit_minutes=60
    )
    SetEntry.objects.bulk_create(
        [
            SetEntry(question_set=question_set, question=question, position=n)
            for n, question in enumerate(questions, start=1)
        ]
        + [
            SetEntry(
                question_set=question_set,
                exercise_kind="classification",
                exercise_level="easy",
                position=size,
            )
        ]
    )
    return question_set


def _answer(item: AttemptItem) -> object:
    """Every item answered, the choices wrong on purpose (index 0 is not always the key), so
    the finish writes both events and review cards."""
    return {
        "exercise": lambda: {field.name: "0.5" for field in item.exercise.fields},
        "single": lambda: item.choice_id(0),
        "multiple": lambda: [item.choice_id(0)],
        "truefalse": lambda: False,
        "numeric": lambda: "0.1",
        "short": lambda: "not it",
        "open": lambda: "An answer waiting for its rating.",
    }[item.type]()


def _answered_attempt(question_set: QuestionSet, owner: Owner):
    attempt = attempt_start(owner=owner, kind="set", question_set=question_set)
    for item in attempt.items.select_related("question"):
        attempt_answer(attempt=attempt, position=item.position, response=_answer(item))
    return attempt


def _finish_queries(attempt) -> int:
    with CaptureQueriesContext(connection) as queries:
        attempt_finish(attempt=attempt, now=attempt.started_at + timedelta(minutes=5))
    return len(queries.captured_queries)


@pytest.mark.parametrize("size", [3, 14])
def test_finishing_runs_the_same_queries_for_3_or_14_items(loaded, size):
    owner = Owner(user=None, anon_token=f"token-{size}")
    question_set = _set_of(size)
    first = _answered_attempt(question_set, owner)
    assert _finish_queries(first) == FINISH_QUERIES
    # The same owner again: now the misses' cards exist and are rescheduled in one update.
    second = _answered_attempt(question_set, owner)
    assert _finish_queries(second) == FINISH_QUERIES
    # Every answered item was recorded, and every miss has a card: made by the first miss
    # (not a review of it) and reviewed once by the second.
    answered = AttemptItem.objects.filter(attempt=second).exclude(score=None).count()
    assert ProgressEvent.objects.filter(anon_token=owner.anon_token).count() == 2 * answered
    cards = ReviewCard.objects.filter(anon_token=owner.anon_token)
    assert cards.exists() and {card.reviews for card in cards} == {1}


def test_a_finish_writes_what_one_answer_at_a_time_would(loaded):
    """The bulk writes keep the rules of question_answered: each answered item's event at
    its answer time with the time spent since the previous answer; a card for each miss,
    due by FSRS; no card for a right answer never missed; nothing for an open answer
    before it is rated; the exercise counted under its topic."""
    owner = Owner(user=None, anon_token="token-alice")
    question_set = _set_of(7)
    attempt = attempt_start(owner=owner, kind="set", question_set=question_set)
    started = attempt.started_at
    items = {item.position: item for item in attempt.items.select_related("question")}
    single = next(i for i in items.values() if i.type == "single")
    right = next(n for n, choice in enumerate(single.choices) if choice["correct"])
    attempt_answer(
        attempt=attempt,
        position=single.position,
        response=single.choice_id(right),
        now=started + timedelta(seconds=30),
    )
    for offset, item in enumerate(items.values(), start=2):
        if item.position != single.position:
            attempt_answer(
                attempt=attempt,
                position=item.position,
                response=_answer(item),
                now=started + timedelta(seconds=30 * offset),
            )
    attempt_finish(attempt=attempt, now=started + timedelta(minutes=10))
    events = {e.question_id or e.exercise_kind: e for e in ProgressEvent.objects.all()}
    scored = AttemptItem.objects.filter(attempt=attempt).exclude(score=None)
    assert len(events) == scored.count()
    assert events[single.question_id].correct is True
    assert events[single.question_id].time_spent_seconds == 30
    assert events[single.question_id].created_at == started + timedelta(seconds=30)
    assert events["classification"].topic.slug == "metrics"
    assert events["classification"].source == "exercise"
    cards = {card.question_id: card for card in ReviewCard.objects.all()}
    assert single.question_id not in cards
    missed = {i.question_id for i in scored if i.question_id and not i.correct}
    assert set(cards) == missed
    for card in cards.values():
        event = events[card.question_id]
        answered = event.created_at
        assert card.reviews == 0  # the answer that made the card is not a review of it
        assert card.last_rating == (2 if event.score > 0 else 1)  # Hard for part marks, Again
        assert answered < card.due <= answered + timedelta(days=1)
    open_item = next(i for i in items.values() if i.type == "open")
    assert open_item.question_id not in events  # waits for its rating
    assert timezone.now() > started  # the clock was not frozen: answers used their own times
