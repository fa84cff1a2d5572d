"""Item statistics count each candidate's first finished attempt at a question, as Moodle's
item analysis does by default: a later attempt, and any retry, has seen the key."""

from questions.models import Question, QuestionSet
from questions.owners import Owner
from questions.quality.stats import site_item_stats
from questions.quizzes.services import (
    attempt_answer,
    attempt_begin,
    attempt_finish,
    attempt_retry,
    attempt_start,
)

from .conftest import finished_attempt


def test_a_retry_after_seeing_the_key_is_not_another_attempt_at_the_item(loaded):
    owner = Owner(None, "token-carol")
    starter = QuestionSet.objects.get(ext_id="starter")
    first = attempt_begin(attempt=attempt_start(owner=owner, kind="set", question_set=starter))
    single = first.items.get(question__ext_id="metrics-single")
    wrong = next(i for i, c in enumerate(single.choices) if not c["correct"])
    attempt_answer(attempt=first, position=single.position, response=single.choice_id(wrong))
    first = attempt_finish(attempt=first)
    # The review showed the key; now the same candidate retries exactly what they missed.
    retry = attempt_begin(attempt=attempt_retry(attempt=first))
    again = retry.items.get(question__ext_id="metrics-single")
    right = next(i for i, c in enumerate(again.choices) if c["correct"])
    attempt_answer(attempt=retry, position=again.position, response=again.choice_id(right))
    attempt_finish(attempt=retry)
    stats = site_item_stats(min_attempts=2)[Question.objects.get(ext_id="metrics-single").pk]
    # One candidate, one genuine attempt, facility 0 %; the retry made it 2 attempts at 50 %.
    assert (stats.attempts, stats.facility) == (1, 0.0), stats


def test_each_candidate_counts_once_per_question_in_their_first_attempt(bank):
    single, multiple, short = (
        bank[k] for k in ("metrics-single", "metrics-multiple", "dicom-short")
    )
    finished_attempt({single: 0.0, multiple: 1.0}, token="carol")
    finished_attempt({single: 1.0, short: 1.0}, token="carol")  # single again: key seen
    finished_attempt({single: 1.0, multiple: 1.0}, token="carol", kind="retry")
    finished_attempt({single: 1.0, multiple: 0.0}, token="dave")
    stats = site_item_stats(min_attempts=2)
    assert (stats[single.pk].attempts, stats[single.pk].facility) == (2, 0.5)
    assert (stats[multiple.pk].attempts, stats[multiple.pk].facility) == (2, 0.5)
    # Carol's second attempt still counts the question she met there for the first time.
    assert (stats[short.pk].attempts, stats[short.pk].facility) == (1, 1.0)
