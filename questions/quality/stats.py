"""Item statistics over every finished attempt on the site, per bank question, with the
candidates' open flags beside them: the staff page and `manage.py item_stats` read this.

What counts (the choice is documented here and in the README):

- an attempt counts once it is finished; an item counts once it is marked (an open answer
  waiting for its rating or grading has no score yet and is left out, not taken as 0);
- a question counts once per candidate (an account, or an anonymous visitor's token): in
  that candidate's first finished attempt that marked it, as Moodle's item analysis does by
  default. A later attempt has seen the key in the review, so it measures memory, not the
  question; its other, first-seen questions still count, and its later ones still make up
  the rest of its test. Retries ("Retry the ones I missed") never count: every question in
  them has been seen with its key;
- attempts draw different questions (topic quizzes, random entries), so each question's
  statistics are over the attempts that contain it, and "the rest of the test" is the mean
  score of that attempt's other marked items, exercises and glossary items included (see
  questions/quizzes/item_stats.py for why a mean and not a sum).

Three queries whatever the size: the marked items of finished attempts (streamed, in the
order they finished, accumulated as they come), the questions seen, and the open flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..models import Attempt, AttemptItem, Question, QuestionFlag, Topic
from ..quizzes.item_stats import MIN_ATTEMPTS, ItemAnalysis, ItemStats

LATEST_COMMENTS = 3
_CHUNK = 2000

# A bank question is its id; any other item (an exercise, a glossary item) only feeds the
# rest of its attempt's test, under a key of its own.
ItemKey = int | tuple[str, int]


@dataclass(frozen=True)
class FlagNote:
    reason: str
    comment: str


@dataclass
class QuestionRow:
    question: Question
    stats: ItemStats | None  # None: no finished attempt has marked it
    open_flags: int = 0
    latest: list[FlagNote] = field(default_factory=list)  # newest first

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.stats.warnings if self.stats else ()

    @property
    def attempts(self) -> int:
        return self.stats.attempts if self.stats else 0

    @property
    def needs_attention(self) -> bool:
        return bool(self.warnings or self.open_flags)

    def sort_key(self) -> tuple[int, int, float, float]:
        """Worst first: most problems (each warning, and open flags at all), then most open
        flags, then the lowest discrimination and the most extreme facility."""
        problems = len(self.warnings) + (1 if self.open_flags else 0)
        if self.stats is None:
            return (-problems, -self.open_flags, 2.0, 0.0)
        _, discrimination, extremity = self.stats.badness()
        return (-problems, -self.open_flags, discrimination, extremity)


Row = tuple[object, object, object, int | None, int, float | None]


def _attempt_scores(rows: Iterable[Row]) -> Iterator[tuple[object, dict[ItemKey, float]]]:
    """Group (attempt, user, token, question, position, score) rows, attempt after attempt,
    into (owner, scores) per attempt."""
    current: object = None
    owner: object = None
    scores: dict[ItemKey, float] = {}
    for attempt_id, user_id, token, question_id, position, score in rows:
        if attempt_id != current:
            if scores:
                yield owner, scores
            current, owner, scores = attempt_id, (user_id, token), {}
        if score is None:  # the query leaves unmarked items out; this says so to the types
            continue
        key: ItemKey = question_id if question_id is not None else ("item", position)
        scores.setdefault(key, score)
    if scores:
        yield owner, scores


def site_item_stats(*, min_attempts: int = MIN_ATTEMPTS) -> dict[int, ItemStats]:
    """Per question id, over each candidate's first finished attempt that marked it
    (retries left out; see the module's docstring)."""
    rows = (
        AttemptItem.objects.filter(attempt__finished_at__isnull=False, score__isnull=False)
        .exclude(attempt__kind=Attempt.Kind.RETRY)
        .order_by("attempt__finished_at", "attempt_id", "position")
        .values_list(
            "attempt_id",
            "attempt__user_id",
            "attempt__anon_token",
            "question_id",
            "position",
            "score",
        )
        .iterator(chunk_size=_CHUNK)
    )
    analysis: ItemAnalysis[ItemKey] = ItemAnalysis(min_attempts=min_attempts)
    seen: set[tuple[object, int]] = set()  # (owner, question) already counted
    for owner, scores in _attempt_scores(rows):
        first = {key for key in scores if not isinstance(key, int) or (owner, key) not in seen}
        seen.update((owner, key) for key in first if isinstance(key, int))
        analysis.add(scores, counted=first)
    return {key: stats for key, stats in analysis.result().items() if isinstance(key, int)}


def _open_flags() -> dict[int, tuple[int, list[FlagNote]]]:
    found: dict[int, tuple[int, list[FlagNote]]] = {}
    reasons = dict(QuestionFlag.Reason.choices)
    for question_id, reason, comment in (
        QuestionFlag.objects.open()
        .order_by("-updated_at", "-pk")
        .values_list("question_id", "reason", "comment")
    ):
        count, latest = found.get(question_id, (0, []))
        if len(latest) < LATEST_COMMENTS:
            latest.append(FlagNote(reasons.get(reason, reason), comment))
        found[question_id] = (count + 1, latest)
    return found


def question_rows(
    *, min_attempts: int = MIN_ATTEMPTS, topic: Topic | None = None, flagged_only: bool = False
) -> list[QuestionRow]:
    """Questions marked in at least `min_attempts` finished attempts, and every question with
    open flags however often it was asked; worst first."""
    stats = site_item_stats(min_attempts=min_attempts)
    flags = _open_flags()
    wanted = {pk for pk, item in stats.items() if item.attempts >= min_attempts} | set(flags)
    # The whole bank in one query (it is as big as content/, a few thousand at most), rather
    # than an IN list of ids that some databases would split into many.
    questions = Question.objects.select_related("topic").only(
        "ext_id", "title", "type", "retired_at", "topic__slug", "topic__title"
    )
    if topic is not None:
        questions = questions.filter(topic=topic)
    rows = []
    for question in questions:
        pk = question.pk
        if pk not in wanted:
            continue
        count, latest = flags.get(pk, (0, []))
        row = QuestionRow(question, stats.get(pk), count, latest)
        if flagged_only and not row.needs_attention:
            continue
        rows.append(row)
    rows.sort(key=lambda row: (row.sort_key(), row.question.ext_id))
    return rows
