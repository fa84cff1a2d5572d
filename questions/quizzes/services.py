"""Quiz attempts: start, answer, finish, self-assess, claim. The server's clock decides.

Rules the pages and the API share:
- An answer is accepted until the deadline plus QUIZ_GRACE_SECONDS (network delay). Later it
  is refused with a message, and the attempt is finished with what was saved.
- An attempt past its deadline (plus grace) is finished the next time anyone looks at it,
  so no background worker is needed.
- Finishing is idempotent: the attempt row is locked (select_for_update on PostgreSQL; on
  SQLite every transaction is IMMEDIATE, so writers queue) and a finished attempt is left as
  it is. Two finishes score once; two answers to one question keep exactly one.
- Locks are taken in one order: the attempt row first, then (if at all) its items. An answer
  and a finish at the same moment queue on the attempt instead of deadlocking. An answer
  usually takes no transaction of its own: its UPDATE share-locks the attempt and checks it
  is still open in the same statement (`_answer_directly`).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import IntegrityError, OperationalError, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ..exercises import check as exercise_check
from ..exercises.base import parse_answer
from ..exercises.downloads import DOWNLOADS
from ..markup import UNSTORABLE, storable
from ..models import (
    Attempt,
    AttemptItem,
    DailyGoal,
    EntryFields,
    ExerciseResult,
    GlossaryTerm,
    InterviewSet,
    Invite,
    ProgressEvent,
    Question,
    QuestionSet,
    ReviewCard,
    TodaySession,
    Topic,
    choice_ids,
)
from ..models.bulk import update_rows
from ..models.rows import Columns, per_connection
from ..owners import Owner
from ..progress import services as progress
from ..web.owner_cache import owner_changed
from .draw import TermInfo, glossary_item, shuffled
from .grading import (
    SELF_ASSESSMENT,
    InvalidAnswer,
    grade,
    parse_bool,
    parse_number,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

MAX_TEXT = 5000
# Time a topic or quick quiz gives each question, by type: reading four options is quicker
# than working out a number, and an open design question needs minutes, not 90 seconds.
# /quizzes/ states this rule (quiz_start.html).
SECONDS_BY_TYPE = {
    "truefalse": 45,
    "single": 60,
    "multiple": 90,
    "short": 90,
    "numeric": 120,
    "open": 300,
}
SECONDS_PER_GLOSSARY_ITEM = 40
QUICK_COUNT = 10


_T = TypeVar("_T")

# What an attempt draws for one item: a bank question, or an exercise's (kind, seed, level).
Drawn = Question | tuple[str, int, str]


_P = ParamSpec("_P")
_R = TypeVar("_R")


def retry_on_deadlock(write: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a write once more if the database chose it as a deadlock victim.

    Every quiz write locks the attempt before its items, so a deadlock should not happen;
    this is the belt to those braces (and covers locks taken by code outside this module).
    The write is a whole transaction, so running it again is safe.
    """

    @functools.wraps(write)
    def retried(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return write(*args, **kwargs)
        except OperationalError as error:
            if not _is_deadlock(error) or transaction.get_connection().in_atomic_block:
                raise
            return write(*args, **kwargs)

    return retried


def _is_deadlock(error: OperationalError) -> bool:
    code = getattr(error.__cause__, "sqlstate", None) or getattr(error.__cause__, "pgcode", None)
    return code in ("40P01", "40001")  # deadlock_detected, serialization_failure


class QuizError(Exception):
    """A request the quiz cannot honour; the message is for the candidate."""


class AttemptClosed(QuizError):
    """The attempt has ended (finished, or time ran out just now)."""


class NotStarted(QuizError):
    """The attempt waits at its start page: its clock has not started."""


NOT_STARTED = "This quiz has not started: press Start on its page first."


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def attempt_start(
    *,
    owner: Owner,
    kind: str,
    question_set: QuestionSet | None = None,
    topic: Topic | None = None,
    difficulty: str = "",
    count: int = 10,
    interview_set: InterviewSet | None = None,
    invite: Invite | None = None,
    candidate_name: str = "",
    pool: Sequence[Question] = (),
    title: str = "",
    rng: random.Random | None = None,
    now: datetime | None = None,
    begin: bool = True,
) -> Attempt:
    """Draw the questions and their choice order once, and store them with the clock.

    A FILTERED quiz draws `count` of `pool` (the question list's filter, chosen by the
    caller) and is called `title`.

    With `begin=False` the clock waits: the attempt is "ready" at its start page, which says
    how many questions and how long, and starts the clock with attempt_begin. The API starts
    at once (a script has no page to read first)."""
    rng = rng or random.SystemRandom()
    now = _now(now)
    if not 1 <= count <= settings.QUIZ_MAX_QUESTIONS:
        raise QuizError(f"Choose between 1 and {settings.QUIZ_MAX_QUESTIONS} questions.")
    if kind == Attempt.Kind.FILTERED:
        title, seconds, questions, generated, terms = _draw_filtered(pool, title, count, rng)
    else:
        title, seconds, questions, generated, terms = _draw(
            kind, question_set or interview_set, topic, difficulty, count, rng
        )
    with transaction.atomic():
        attempt = Attempt.objects.create(
            **owner.fields(),
            kind=kind,
            title=title,
            question_set=question_set,
            topic=topic,
            difficulty=difficulty,
            interview_set=interview_set,
            invite=invite,
            candidate_name=candidate_name,
            reveal_answers=interview_set.show_answers if interview_set else True,
            started_at=now,
            deadline=now + timedelta(seconds=seconds) if begin else None,
            limit_seconds=seconds,
            max_score=len(questions) + len(generated),
        )
        items = [_item(attempt, n, entry, rng) for n, entry in enumerate(questions, start=1)] + [
            AttemptItem(
                attempt=attempt,
                position=n,
                generated=item,
                term=term,
                choice_order=shuffled(rng, len(item["choices"])),
            )
            for n, (item, term) in enumerate(zip(generated, terms, strict=True), start=1)
        ]
        AttemptItem.objects.bulk_create(items)
    return attempt


@retry_on_deadlock
def attempt_begin(
    *, attempt: Attempt, one_at_a_time: bool = False, now: datetime | None = None
) -> Attempt:
    """Start the clock of a ready attempt. Pressing Start again (a second tab, a reload of
    the POST) changes nothing: the clock starts once, and never starts again."""
    now = _now(now)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.is_finished:
            raise AttemptClosed("This attempt has ended: it cannot start again.")
        if locked.is_started:
            return locked
        if locked.invite_id is not None:
            # Drawn through an invite that was withdrawn or expired before Start: the
            # interviewer's word holds (its use was counted when it was drawn, hence 0).
            invite = Invite.objects.get(pk=locked.invite_id)
            refusal = invite.refusal(0, now)
            if refusal:
                raise QuizError(refusal)
        locked.started_at = now
        locked.deadline = now + timedelta(seconds=locked.time_limit_seconds)
        locked.one_at_a_time = one_at_a_time
        locked.save(update_fields=["started_at", "deadline", "one_at_a_time"])
    return locked


def attempt_set_layout(*, attempt: Attempt, one_at_a_time: bool) -> Attempt:
    """Show the attempt one question at a time, or all on one page (switchable while it runs;
    the clock is not touched)."""
    if attempt.is_finished:
        raise AttemptClosed("This attempt has ended.")
    Attempt.objects.filter(pk=attempt.pk).update(one_at_a_time=one_at_a_time)
    attempt.one_at_a_time = one_at_a_time
    return attempt


def retry_seconds(attempt: Attempt, missed: int, total: int) -> int:
    """A retry's time limit: the original limit's share for the questions taken again, at
    least a minute. The same pace as the first time, whatever the kind of quiz."""
    return max(60, -(-attempt.time_limit_seconds * missed // max(total, 1)))


def attempt_retry(*, attempt: Attempt, rng: random.Random | None = None) -> Attempt:
    """A new quiz of the questions this finished attempt missed (wrong, partly right or not
    answered), ready at its start page. The same questions with a freshly shuffled choice
    order, scored by the same rules; an exercise draws a new seed, because the review has
    shown the worked solution of the old data and retrying it would test memory, not method.

    It belongs to the candidate alone: never to an interviewer's set or invite. While a
    retry of this attempt is still open (ready or running), pressing Retry again (a second
    tab, a double click) returns that retry instead of drawing another."""
    rng = rng or random.SystemRandom()
    if not attempt.is_finished or not attempt.reveal_answers:
        raise QuizError("Only a finished quiz whose answers you have seen can be retried.")
    items = list(attempt.items.select_related("question"))
    missed = [item for item in items if item.is_missed]
    if not missed:
        raise QuizError("Nothing to retry: every question earned full marks.")
    with transaction.atomic():
        # The source's lock makes two presses at once look for the open retry in turn.
        Attempt.objects.select_for_update().filter(pk=attempt.pk).first()
        open_retry = attempt.retries.filter(finished_at=None).order_by("-started_at").first()
        if open_retry is not None:
            return open_retry
        retry = Attempt.objects.create(
            retry_of=attempt,
            **Owner(attempt.user, attempt.anon_token).fields(),
            kind=Attempt.Kind.RETRY,
            title=f"Retry: {attempt.title}"[:300],
            topic=attempt.topic,
            difficulty=attempt.difficulty,
            started_at=timezone.now(),
            deadline=None,
            limit_seconds=retry_seconds(attempt, len(missed), len(items)),
            max_score=len(missed),
        )
        AttemptItem.objects.bulk_create(
            [_retry_item(retry, n, item, rng) for n, item in enumerate(missed, start=1)]
        )
    return retry


def _retry_item(
    retry: Attempt, position: int, item: AttemptItem, rng: random.Random
) -> AttemptItem:
    if item.is_exercise:
        return AttemptItem(
            attempt=retry,
            position=position,
            exercise_kind=item.exercise_kind,
            exercise_seed=rng.randrange(PRIVATE_SEEDS),
            exercise_level=item.exercise_level,
        )
    if item.question is not None:
        return _item(retry, position, item.question, rng)
    generated = item.generated or {}
    return AttemptItem(
        attempt=retry,
        position=position,
        generated=generated,
        term=item.term,
        choice_order=shuffled(rng, len(generated.get("choices", []))),
    )


def quiz_seconds(questions: Iterable[Question]) -> int:
    """The time limit of a drawn topic or quick quiz: each question's share by its type."""
    return sum(SECONDS_BY_TYPE[question.type] for question in questions)


def topic_pool(topic: Topic, difficulty: str = "") -> list[Question]:
    """The active questions a topic quiz draws from."""
    pool = Question.objects.active().filter(topic=topic)
    return list(pool.filter(difficulty=difficulty) if difficulty else pool)


def _draw_filtered(
    pool: Sequence[Question], title: str, count: int, rng: random.Random
) -> tuple[str, int, Sequence[Drawn], list[dict[str, Any]], list[GlossaryTerm]]:
    questions = _sample(rng, [q for q in pool if q.type != Question.Type.OPEN], count)
    if not questions:
        raise QuizError(
            "No question in this list can be timed (open questions are rated against a "
            "model answer): widen the filter, or practise them one by one."
        )
    return title[:300] or "Filtered questions", quiz_seconds(questions), questions, [], []


def _draw(
    kind: str,
    question_set: QuestionSet | InterviewSet | None,
    topic: Topic | None,
    difficulty: str,
    count: int,
    rng: random.Random,
) -> tuple[str, int, Sequence[Drawn], list[dict[str, Any]], list[GlossaryTerm]]:
    active = Question.objects.active().select_related("topic")
    if kind in (Attempt.Kind.SET, Attempt.Kind.INTERVIEW):
        if question_set is None:
            raise QuizError("Choose a question set.")
        # A curated set drops questions retired from the bank; an interviewer's set keeps
        # them, because the interviewer chose them and compares candidates on them.
        entries = draw_entries(
            question_set.entries.select_related("question__topic", "random_topic"),
            rng,
            keep_retired=kind == Attempt.Kind.INTERVIEW,
        )
        if not entries:
            raise QuizError("This set has no questions yet.")
        return question_set.title, question_set.time_limit_minutes * 60, entries, [], []
    if kind == Attempt.Kind.TOPIC:
        if topic is None:
            raise QuizError("Choose a topic.")
        pool = active.filter(topic=topic)
        if difficulty:
            pool = pool.filter(difficulty=difficulty)
        questions = _sample(rng, list(pool), count)
        if not questions:
            raise QuizError(
                f"No {difficulty + ' ' if difficulty else ''}questions on {topic.title} yet: "
                "choose another difficulty or topic."
            )
        label = f"{topic.title}{f' ({difficulty})' if difficulty else ''}"
        return label, quiz_seconds(questions), questions, [], []
    if kind == Attempt.Kind.QUICK:
        questions = _sample(rng, list(active.auto_graded()), QUICK_COUNT)
        if not questions:
            raise QuizError("The question bank is empty.")
        return "Quick mixed quiz", quiz_seconds(questions), questions, [], []
    if kind == Attempt.Kind.GLOSSARY:
        terms = list(
            GlossaryTerm.objects.active().select_related("topic").prefetch_related("see_also")
        )
        if len(terms) < 4:
            raise QuizError("The glossary needs at least four terms for a quiz.")
        infos = {
            term.pk: TermInfo(
                term.ext_id,
                term.term,
                term.definition,
                term.topic.slug,
                term.topic.title,
                tuple(other.ext_id for other in term.see_also.all()),
            )
            for term in terms
        }
        term_pool = [t for t in terms if topic is None or t.topic_id == topic.pk]
        chosen = _sample(rng, term_pool, count)
        if not chosen:
            raise QuizError("No glossary terms on this topic yet.")
        everyone = list(infos.values())
        generated = [glossary_item(rng, infos[t.pk], everyone) for t in chosen]
        title = f"Glossary: {topic.title}" if topic else "Glossary quiz"
        seconds = max(120, len(chosen) * SECONDS_PER_GLOSSARY_ITEM)
        return title, seconds, [], generated, chosen
    raise QuizError(f"Unknown kind of quiz {kind!r}.")


# Seeds drawn inside quizzes come from a space far larger than the public pages accept
# (MAX_SEED): whatever the page shows is a function of the seed, and 2^31 candidates can be
# tried offline in hours, 2^52 cannot; and a seed that leaked anyway does not open the public
# checker. 2^52 stays exact in a JavaScript number.
PRIVATE_SEEDS = 2**52


def private_seed(kind: str, seed: int, level: str, *, owner: str = "") -> int:
    """The seed a set's fixed-seed exercise really uses: the same for every candidate of that
    set, but neither the public exercise at /exercises/<kind>/<seed>/, whose checker would
    give the answers away to anyone who tried the few small seeds interviewers tend to pick,
    nor the same entry in another set (`owner` names the set), whose review might show it."""
    digest = salted_hmac("questions.private-seed", f"{owner}:{kind}:{seed}:{level}").digest()
    return int.from_bytes(digest[:8], "big") % PRIVATE_SEEDS


def _set_key(entry: EntryFields) -> str:
    """Which set an entry belongs to, for its private seed."""
    interview_set_id = getattr(entry, "interview_set_id", None)
    if interview_set_id is not None:
        return f"interview-set:{interview_set_id}"
    return f"question-set:{getattr(entry, 'question_set_id', '')}"


def draw_entries(
    entries: Iterable[EntryFields], rng: random.Random, *, keep_retired: bool
) -> list[Drawn]:
    """A set's entries, in order, as questions and (kind, seed, level) exercises.

    Questions keep their set position; an exercise gets a fresh seed per attempt unless the
    entry fixes one; a random entry draws from its topic's active questions, never one the
    set lists itself or another random entry already drew.
    """
    entries = list(entries)
    taken = {entry.question_id for entry in entries if entry.question_id}
    drawn: list[Drawn] = []
    for entry in entries:
        if entry.question is not None:
            if keep_retired or entry.question.retired_at is None:
                drawn.append(entry.question)
        elif entry.exercise_kind:
            seed = entry.exercise_seed
            drawn.append(
                (
                    entry.exercise_kind,
                    rng.randrange(PRIVATE_SEEDS)
                    if seed is None
                    else private_seed(
                        entry.exercise_kind, seed, entry.exercise_level, owner=_set_key(entry)
                    ),
                    entry.exercise_level,
                )
            )
        else:
            pool = Question.objects.active().filter(topic=entry.random_topic).exclude(pk__in=taken)
            if entry.random_difficulty:
                pool = pool.filter(difficulty=entry.random_difficulty)
            picked = _sample(rng, list(pool.select_related("topic")), entry.random_count)
            taken.update(question.pk for question in picked)
            drawn.extend(picked)
    return drawn


def _item(attempt: Attempt, position: int, entry: Drawn, rng: random.Random) -> AttemptItem:
    if isinstance(entry, tuple):
        kind, seed, level = entry
        return AttemptItem(
            attempt=attempt,
            position=position,
            exercise_kind=kind,
            exercise_seed=seed,
            exercise_level=level,
        )
    return AttemptItem(
        attempt=attempt,
        position=position,
        question=entry,
        # An author's ordered scale keeps its order (`shuffle: false`); ids stay opaque.
        choice_order=(
            shuffled(rng, len(entry.choices)) if entry.shuffle else list(range(len(entry.choices)))
        ),
    )


def _sample(rng: random.Random, pool: list[_T], count: int) -> list[_T]:
    return rng.sample(pool, min(count, len(pool)))


def exercise_file(item: AttemptItem) -> bytes:
    """The file of an attempt's exercise (a .dcm, a .nii.gz, a zipped series), named for the
    item (not the seed). KeyError for a kind without a file."""
    return DOWNLOADS[item.exercise_kind].build(item.exercise, item.file_identity)


def attempt_refresh(attempt: Attempt, *, now: datetime | None = None) -> Attempt:
    """Finish an attempt whose time is up; called on every read of an attempt."""
    if attempt.is_finished or not _overdue(attempt, _now(now)):
        return attempt
    return attempt_finish(attempt=attempt, ended_by=Attempt.End.EXPIRED, now=now)


def _overdue(attempt: Attempt, now: datetime) -> bool:
    if attempt.deadline is None:  # waiting at its start page: no clock runs
        return False
    return now > attempt.deadline + timedelta(seconds=settings.QUIZ_GRACE_SECONDS)


_QUESTION_TEXT = (
    "prompt_html",
    "explanation_html",
    "model_answer_html",
    "interviewer_notes_html",
    "search_text",
    "sources_html",
    "rubric",
)


@retry_on_deadlock
def attempt_answer(
    *, attempt: Attempt, position: int, response: Any, now: datetime | None = None
) -> AttemptItem:
    """Save (or replace) the answer to one item. Raises AttemptClosed or InvalidAnswer."""
    now = _now(now)
    saved = _answer_directly(attempt.pk, _ANYONE, position, response, now)
    if saved is not None:
        return saved
    return _answer({"attempt_id": attempt.pk}, attempt.pk, position, response, now)


@retry_on_deadlock
def owned_attempt_answer(
    *, owner: Owner, attempt_id: Any, position: int, response: Any, now: datetime | None = None
) -> AttemptItem:
    """`attempt_answer` to an attempt named by id, if `owner` owns it; Attempt.DoesNotExist
    if not (the API's 404). The ownership check is part of the queries that read and write
    the item, not a query of its own: this is the API's busiest write."""
    # The rule of OwnedQuerySet.owned_by, on the item's attempt.
    if owner.user is not None and owner.user.is_authenticated:
        mine: dict[str, Any] = {"attempt__user": owner.user}
        whose: _Whose = ("user", owner.user.pk)
    elif owner.anon_token:
        mine = {"attempt__user__isnull": True, "attempt__anon_token": owner.anon_token}
        whose = ("anon", owner.anon_token)
    else:
        raise Attempt.DoesNotExist  # owns nothing yet
    now = _now(now)
    saved = _answer_directly(attempt_id, whose, position, response, now)
    if saved is not None:
        return saved
    return _answer({"attempt_id": attempt_id, **mine}, attempt_id, position, response, now)


# What saving an answer reads: the attempt's state, the item's content and answer, and the
# question's type, choices and key (a numeric key's unit). Not the ~60 other columns, whose
# compiling and fetching was a third of the answer's CPU; a finish on expiry reads the
# attempt again, whole (attempt_finish).
_ATTEMPT_STATE = ("id", "finished_at", "deadline")
_ANSWER_COLUMNS = (
    *(f"attempt__{name}" for name in _ATTEMPT_STATE),
    *("question__id", "question__type", "question__choices", "question__answer"),
    "attempt",
    "question",
    "position",
    "generated",
    "exercise_kind",
    "exercise_seed",
    "exercise_level",
    "choice_order",
    "answer",
    "answer_text",
    "answered_at",
)


def _answer(
    lookup: dict[str, Any], attempt_id: Any, position: int, response: Any, now: datetime
) -> AttemptItem:
    with transaction.atomic():
        # Lock order, everywhere: the attempt row, and only then its items. Every write to an
        # item (answer, finish, rating, grading) holds the attempt's lock, so the item itself
        # needs none. One query reads both; the question's rendered HTML is not needed here.
        found = (
            AttemptItem.objects.select_for_update(of=("attempt",))
            .select_related("attempt", "question")
            .only(*_ANSWER_COLUMNS)
            .filter(position=position, **lookup)
        )
        # (attempt, position) is unique: no ORDER BY and LIMIT, which .first() would add.
        item = next(iter(found), None)
        if item is None:  # no such question, or no such attempt (of this owner)
            owned = {name.removeprefix("attempt__"): v for name, v in lookup.items()}
            owned["pk"] = owned.pop("attempt_id")
            locked = Attempt.objects.select_for_update().only(*_ATTEMPT_STATE).get(**owned)
        else:
            locked = item.attempt
        if locked.is_finished:
            raise AttemptClosed("This attempt has ended: answers can no longer change.")
        if not locked.is_started:
            raise NotStarted(NOT_STARTED)
        if _overdue(locked, now):
            expired = True
        else:
            expired = False
            if item is None:
                raise QuizError(f"This quiz has no question {position}.")
            item.answer = normalize_response(item, response)
            item.answer_text = _typed_text(item, response)
            item.answered_at = now
            item.save(update_fields=["answer", "answer_text", "answered_at"])
    if expired:
        attempt_finish(attempt=locked, ended_by=Attempt.End.EXPIRED, now=now)
        raise AttemptClosed(
            "Time is up: this answer arrived after the deadline and was not saved. "
            "Your quiz was finished with the answers saved before then."
        )
    assert item is not None  # not expired: the item was found (QuizError otherwise) and saved
    return item


# Whose attempt an answer may go to: ("user", id), ("anon", token), or _ANYONE when the
# caller has checked already (the pages, which read the attempt first).
_Whose = tuple[str, Any]
_ANYONE: _Whose = ("any", None)


@dataclass(frozen=True)
class _AnswerStatements:
    """What `_answer_directly` sends, written once per database connection."""

    item: Columns[AttemptItem]
    attempt: Columns[Attempt]
    question: Columns[Question]
    read: dict[str, str]  # by owner kind
    write: dict[str, str]


@per_connection
def _answer_statements(connection: BaseDatabaseWrapper) -> _AnswerStatements | None:
    """The item's read and its conditional UPDATE; None on databases other than SQLite and
    PostgreSQL (the locked path serves them)."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    q = connection.ops.quote_name
    item_cols = [name for name in _ANSWER_COLUMNS if "__" not in name]
    item = Columns.of(AttemptItem, item_cols, "i", connection)
    attempt = Columns.of(Attempt, _ATTEMPT_STATE, "a", connection)
    question = Columns.of(Question, ("type", "choices", "answer"), "q", connection)
    items, attempts = q(AttemptItem._meta.db_table), q(Attempt._meta.db_table)
    owners = {
        "user": f" AND a.{q('user_id')} = %s",
        "anon": f" AND a.{q('user_id')} IS NULL AND a.{q('anon_token')} = %s",
        "any": "",
    }
    read = (
        f"SELECT {item.sql}, {attempt.sql}, {question.sql} FROM {items} i"
        f" INNER JOIN {attempts} a ON a.{q('id')} = i.{q('attempt_id')}"
        f" LEFT OUTER JOIN {q(Question._meta.db_table)} q ON q.{q('id')} = i.{q('question_id')}"
        f" WHERE i.{q('attempt_id')} = %s AND i.{q('position')} = %s"
    )
    # PostgreSQL: the attempt's row is share-locked (as the statement's first step, before
    # the item's row is locked by its update) until the statement commits. A finish holds
    # the attempt's row exclusively while it scores the items, so the two queue, in the
    # order attempt then item that every quiz write keeps, and the condition is checked
    # again against the attempt as the finish left it. Two answers share the lock and queue
    # on the item only. SQLite writes one statement at a time: no lock to take.
    share = " FOR SHARE" if connection.vendor == "postgresql" else ""
    write = (
        f"UPDATE {items} SET {q('answer')} = %s, {q('answer_text')} = %s,"
        f" {q('answered_at')} = %s WHERE {q('id')} = %s AND {q('attempt_id')} = ("
        f"SELECT a.{q('id')} FROM {attempts} a WHERE a.{q('id')} = %s{{owner}}"
        f" AND a.{q('finished_at')} IS NULL AND a.{q('deadline')} >= %s{share})"
    )
    return _AnswerStatements(
        item=item,
        attempt=attempt,
        question=question,
        read={kind: read + owner for kind, owner in owners.items()},
        write={kind: write.format(owner=owner) for kind, owner in owners.items()},
    )


def _answer_directly(
    attempt_id: Any, whose: _Whose, position: int, response: Any, now: datetime
) -> AttemptItem | None:
    """Save an answer in two statements and no transaction: the item read (no lock), then
    an UPDATE that writes only while the attempt is this owner's, started, not finished and
    not past its deadline (plus grace), checked in the same statement. None when the item
    or its attempt is not in that state, or changed between the two: the locked path
    (`_answer`) then decides, with its answers (404, 409, finishing an expired attempt, no
    such question). An invalid answer to an open attempt raises InvalidAnswer here.

    It replaces BEGIN, SELECT … FOR UPDATE, UPDATE, COMMIT, which cost twice the CPU, for
    the same outcome: the write's own condition is what the locked path checked under its
    lock, and it cannot see a finished attempt as open (see `_answer_statements`)."""
    connection = connections[router.db_for_write(AttemptItem)]
    statements = _answer_statements(connection)
    if statements is None:
        return None
    kind, owner_id = whose
    owner = [] if owner_id is None else [owner_id]
    low, high = connection.ops.integer_field_range("PositiveIntegerField")
    if not low <= position <= high:
        return None  # no such question; the ORM's lookup knows, SQLite's driver would fail
    attempt_pk = _ATTEMPT_ID.get_db_prep_value(attempt_id, connection)
    with connection.cursor() as cursor:  # one cursor for both statements: a tenth cheaper
        cursor.execute(statements.read[kind], [attempt_pk, position, *owner])
        row = cursor.fetchone()
        if row is None:  # no such question, or no such attempt of this owner
            return None
        item = _read_item(statements, row, connection)
        attempt = item.attempt
        if attempt.is_finished or not attempt.is_started or _overdue(attempt, now):
            return None
        item.answer = normalize_response(item, response)
        item.answer_text = _typed_text(item, response)
        item.answered_at = now
        values = [f.get_db_prep_save(getattr(item, f.attname), connection) for f in _SAVED]
        latest = _DEADLINE.get_db_prep_value(
            now - timedelta(seconds=settings.QUIZ_GRACE_SECONDS), connection
        )
        cursor.execute(statements.write[kind], [*values, item.pk, attempt_pk, *owner, latest])
        if cursor.rowcount != 1:  # finished (or handed to another owner) since the read
            return None
    return item


def _read_item(
    statements: _AnswerStatements, row: Sequence[Any], connection: BaseDatabaseWrapper
) -> AttemptItem:
    """The item with its attempt and question, as select_related would have set them."""
    item = statements.item.instance(row[: statements.item.width], connection)
    rest = row[statements.item.width :]
    attempt = statements.attempt.instance(rest[: statements.attempt.width], connection)
    question = statements.question.instance(rest[statements.attempt.width :], connection)
    _ITEM_ATTEMPT.set_cached_value(item, attempt)
    _ITEM_QUESTION.set_cached_value(item, question if question.pk is not None else None)
    return item


_F = TypeVar("_F", bound="models.Field[Any, Any]")


def _field(model: type[models.Model], name: str, kind: type[_F]) -> _F:
    field = model._meta.get_field(name)
    assert isinstance(field, kind)
    return field


_ITEM_ATTEMPT = _field(AttemptItem, "attempt", models.ForeignKey)
_ITEM_QUESTION = _field(AttemptItem, "question", models.ForeignKey)
_SAVED = tuple(
    _field(AttemptItem, name, models.Field) for name in ("answer", "answer_text", "answered_at")
)
_ATTEMPT_ID = _field(Attempt, "id", models.Field)
_DEADLINE = _field(Attempt, "deadline", models.Field)


def _typed_text(item: AttemptItem, response: Any) -> str:
    """A numeric answer as the candidate typed it, to show it back unchanged."""
    if item.type != "numeric" or isinstance(response, bool):
        return ""
    return str(response).strip()[:100]


def normalize_response(item: AttemptItem, response: Any) -> Any:
    """Check an answer's shape without grading it. Choices arrive as the opaque ids the page
    showed and are stored as original indexes; nothing else names a choice."""
    qtype = item.type
    if qtype == "exercise":
        return _exercise_answers(item, response)
    if qtype == "single":
        index = item.choice_index(response)
        if index is None:
            raise InvalidAnswer("Choose one of the options.")
        return index
    if qtype == "multiple":
        given = response if isinstance(response, list) else [response]
        if not given or given == [""]:
            raise InvalidAnswer("Select at least one option.")
        if len(given) > len(item.choices) or not all(isinstance(v, str) for v in given):
            raise InvalidAnswer("Choose among the options shown.")
        ids = choice_ids.ids_of(item.choice_scope, len(item.choices))  # once, for every id
        if any(value not in ids for value in given):
            raise InvalidAnswer("Choose among the options shown.")
        return sorted({ids[value] for value in given})
    if qtype == "truefalse":
        return parse_bool(response)
    if qtype == "numeric":
        return parse_number(response, percent_points=item.key.get("unit") == "%")
    if qtype in ("short", "open"):
        text = str(response if response is not None else "").strip()
        if not text:
            raise InvalidAnswer("Type an answer first.")
        if not storable(text):
            raise InvalidAnswer(
                "The answer holds a character that cannot be saved (a NUL byte or half of an "
                "emoji pair): remove it and save again."
            )
        if len(text) > MAX_TEXT:
            raise InvalidAnswer(f"Keep the answer under {MAX_TEXT} characters.")
        return text
    raise InvalidAnswer(f"Unknown question type {qtype!r}.")


def _exercise_answers(item: AttemptItem, response: Any) -> dict[str, Any]:
    """Keep what was typed per field; refuse only what can never be a number."""
    if not isinstance(response, dict):
        raise InvalidAnswer("Send the exercise's answers as {field: value}.")
    answers = {}
    for field in item.exercise.fields:
        value = response.get(field.name)
        if isinstance(value, str):
            value = value.strip()[:40]
            if not storable(value):
                raise InvalidAnswer(f"{field.label}: the answer {UNSTORABLE}")
        if field.kind == "number" and value not in (None, ""):
            parsed = parse_answer(value)
            if parsed.error:
                raise InvalidAnswer(f"{field.label}: {parsed.error}")
        answers[field.name] = value
    if all(value in (None, "") for value in answers.values()):
        raise InvalidAnswer("Fill in at least one field.")
    return answers


@retry_on_deadlock
def attempt_finish(
    *, attempt: Attempt, ended_by: str = Attempt.End.SUBMITTED, now: datetime | None = None
) -> Attempt:
    """Score the attempt once. A second call, even a concurrent one, changes nothing."""
    now = _now(now)
    with transaction.atomic():
        # The owner comes along (progress is recorded for them); only the attempt is locked.
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=attempt.pk)
        )
        if locked.is_finished:
            return locked
        if not locked.is_started:
            # Nothing was shown, so nothing can be scored; the start page still waits.
            raise NotStarted(NOT_STARTED)
        # Then its items (lock order: attempt, items), read once for scoring and recording;
        # the questions' rendered HTML is needed by neither.
        items = list(
            locked.items.select_related("question", "term").defer(
                *(f"question__{name}" for name in _QUESTION_TEXT)
            )
        )
        for item in items:
            _score(item)
        update_rows(items, ["score", "correct", "self_assessed"])
        locked.score = sum(item.score or 0 for item in items)
        locked.max_score = len(items)
        locked.finished_at = now
        locked.ended_by = ended_by
        locked.save(update_fields=["score", "max_score", "finished_at", "ended_by"])
        progress.attempt_recorded(locked, items)
        owner_changed(Owner(locked.user, locked.anon_token))  # the dashboard's recent quizzes
    return locked


def _score(item: AttemptItem) -> None:
    if item.is_exercise and item.answer is not None:
        results = exercise_check(item.exercise, item.answer)
        right = sum(result.correct for result in results.values())
        item.score, item.correct = round(right / len(results), 4), right == len(results)
        return
    if item.answer is None:
        item.score, item.correct = 0.0, False  # nothing given, open questions included
        return
    if item.type == "open":
        # An answered open question waits for its rating: the candidate's on the review
        # page, or the interviewer's.
        item.score, item.correct = None, None
        return
    try:
        result = grade(item.type, item.key, item.choices, item.answer)
    except InvalidAnswer:  # a saved choice the bank has since removed
        item.score, item.correct = 0.0, False
        return
    item.score, item.correct, item.self_assessed = result.score, result.correct, False


def attempt_self_assess(*, attempt: Attempt, position: int, rating: str) -> Attempt:
    """Record the candidate's rating of an open answer against the model answer."""
    if rating not in SELF_ASSESSMENT:
        raise InvalidAnswer("Rate your answer: did not know, partly or fully.")
    with transaction.atomic():
        locked, item = lock_open_item(
            attempt,
            position,
            unfinished="Finish the quiz first: the model answers are shown in the review.",
        )
        if locked.is_interview:
            raise QuizError("The interviewer grades the open answers of this set.")
        result = grade("open", {}, [], rating)
        already_rated = item.self_assessed  # a change of rating is not a new answer
        item.answer = item.answer or ""
        item.score, item.correct, item.self_assessed = result.score, result.correct, True
        item.save(update_fields=["answer", "score", "correct", "self_assessed"])
        if not already_rated and item.question is not None:
            progress.question_answered(
                owner=Owner(locked.user, locked.anon_token),
                question=item.question,
                source="quiz",
                correct=result.correct,
                score=result.score,
                self_assessment=rating,
            )
        rescore(locked)
    return locked


def lock_open_item(
    attempt: Attempt, position: int, *, unfinished: str
) -> tuple[Attempt, AttemptItem]:
    """Lock a finished attempt (inside a transaction) and return it with its open item at
    `position`, for rating or grading by hand."""
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not locked.is_finished:
        raise QuizError(unfinished)
    try:
        item = locked.items.select_related("question").get(position=position)
    except AttemptItem.DoesNotExist:
        raise QuizError(f"This quiz has no question {position}.") from None
    if item.type != "open":
        raise QuizError("Only open answers are rated or graded by hand; the rest are scored.")
    return locked, item


def rescore(locked: Attempt) -> None:
    """The attempt's score after an item's score changed by hand."""
    scores = locked.items.exclude(score=None).values_list("score", flat=True)
    locked.score = sum(score for score in scores if score is not None)
    locked.save(update_fields=["score"])
    owner_changed(Owner(locked.user, locked.anon_token))  # the dashboard's recent quizzes


def attempts_lock_for_delete(*, user: User) -> None:
    """Lock the user's attempts before the user is deleted, in the one lock order of every
    quiz write (the attempts, then their items). Django's delete removes the items before
    the attempts, so an answer holding its attempt while it waits for its item would
    otherwise deadlock with the delete (and PostgreSQL may cancel the delete). Locked first,
    an answer waits for the delete and then finds no attempt. Called on every user delete
    (apps.py: pre_delete, which Django sends inside the delete's transaction, before any
    row goes): by its owner, by staff in the admin, in a shell."""
    list(Attempt.objects.filter(user=user).select_for_update().values_list("pk"))


def attempts_claim(*, user: User | AnonymousUser | None, anon_token: str) -> int:
    """Hand a visitor's anonymous attempts and exercise results to the account they logged
    in to. Rows move, so nothing is duplicated and nothing is lost."""
    if not anon_token or user is None or not user.is_authenticated:
        return 0
    # The account may gain, between this claim's look at what it already has and the move,
    # a card or a Today session for the same item or day: rated on another device, or moved
    # by a log-in of another session of the same account. The move then meets the account's
    # unique constraint (after that row committed); once more, the claim sees it and its own
    # copy goes, as for any row the account had before.
    for tries_left in reversed(range(3)):
        try:
            with transaction.atomic():
                return _claim(user=user, anon_token=anon_token)
        except IntegrityError:
            if not tries_left:
                raise
    raise AssertionError("unreachable")


def _claim(*, user: User, anon_token: str) -> int:
    moved = 0
    # The session's attempts first, in the one lock order of every quiz write (attempts,
    # then their items, then progress): a finish in another tab holds its attempt and
    # then locks the session's review cards, which this deletes or moves below.
    sessions = Attempt.objects.filter(user__isnull=True, anon_token=anon_token)
    list(sessions.select_for_update().order_by("pk").values_list("pk"))
    # Then the Today rows, before the review cards: a Today answer or rating in another
    # tab holds its Today item and then locks the session's card, which this deletes.
    _claim_today(user=user, anon_token=anon_token)
    # A card the account already has for the same item wins; the session's copy goes.
    cards = ReviewCard.objects.filter(user__isnull=True, anon_token=anon_token)
    mine = ReviewCard.objects.filter(user=user)
    cards.filter(question__in=mine.exclude(question=None).values("question")).delete()
    cards.filter(term__in=mine.exclude(term=None).values("term")).delete()
    for model in (Attempt, ExerciseResult, ProgressEvent, ReviewCard, TodaySession, DailyGoal):
        moved += model.objects.filter(user__isnull=True, anon_token=anon_token).update(
            user=user, anon_token=""
        )
    owner_changed(Owner(user), Owner(None, anon_token))
    return moved


def _claim_today(*, user: User, anon_token: str) -> None:
    """Make room for the session's Today rows: a goal the account already set stands; of two
    sessions on the same day, the one further along stays, and the other goes."""
    if DailyGoal.objects.filter(user=user).exists():
        DailyGoal.objects.filter(user__isnull=True, anon_token=anon_token).delete()
    theirs = TodaySession.objects.filter(user__isnull=True, anon_token=anon_token)
    answered = Count("items", filter=Q(items__answered_at__isnull=False))
    mine = {s.day: s for s in TodaySession.objects.filter(user=user).annotate(answered=answered)}
    for session in theirs.filter(day__in=list(mine)).annotate(answered=answered):
        kept = mine[session.day]
        if session.answered > kept.answered:  # both annotated above
            kept.delete()
        else:
            session.delete()
