"""Everything the site keeps about one user, as JSON-ready data ("Your data", GDPR art. 15/20)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models as db_models
from django.db.models import Prefetch
from django.utils import timezone

from .. import models as app_models
from ..models import (
    Attempt,
    AttemptItem,
    DailyGoal,
    ExerciseResult,
    QuestionFlag,
    TodayItem,
    TodaySession,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Progress models are exported when they exist; every concrete field is, so new ones follow.
OPTIONAL_EXPORTS: list[tuple[str, type[db_models.Model]]] = [
    (key, model)
    for key, model in (
        ("progress_events", getattr(app_models, "ProgressEvent", None)),
        ("review_cards", getattr(app_models, "ReviewCard", None)),
    )
    if model is not None
]


_encoder = DjangoJSONEncoder()


def _plain(value: Any) -> Any:
    """A value JSON can hold: datetimes as ISO 8601, UUIDs and decimals as strings."""
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    try:
        return _encoder.default(value)
    except TypeError:
        return str(value)


def _row(obj: db_models.Model) -> dict[str, Any]:
    """Every concrete field, foreign keys as their primary key (like model_to_dict)."""
    return {field.name: _plain(field.value_from_object(obj)) for field in obj._meta.concrete_fields}


KEPT_BACK = (
    "The score, each item's score and correctness, and the exercise seeds are kept back by "
    "the interviewer, as on the site; they appear here once the interviewer shows them."
)


RUNNING = (
    "This attempt is still running: its score, marks and exercise seeds are added once it ends."
)


NOT_STARTED = "This quiz waits at its start page: its questions are listed once you start it."


def _item(item: AttemptItem, *, reveal: bool) -> dict[str, Any]:
    exercise: dict[str, Any] | None = None
    if item.exercise_kind:
        exercise = {"kind": item.exercise_kind, "level": item.exercise_level}
        if reveal:
            # The seed redraws the data, and the public exercise page then shows its solution.
            exercise["seed"] = item.exercise_seed
    row = {
        "position": item.position,
        "question": item.question.ext_id if item.question is not None else None,
        "term": item.term.ext_id if item.term is not None else None,
        "generated_title": item.generated.get("title") if item.generated else None,
        "exercise": exercise,
        # As the candidate gave it: choice ids (never the file's index, which would give the
        # key away while the attempt runs), or the text typed.
        "answer": item.answer_for_client,
        "self_assessed": item.self_assessed,
        "answered_at": _plain(item.answered_at),
    }
    if reveal:
        row["score"], row["correct"] = item.score, item.correct
    return row


def _attempt(attempt: Attempt) -> dict[str, Any]:
    # The same rule as the site's review page and the API: nothing that unlocks a key before
    # the attempt ends, and an interviewer who keeps the answers back keeps the score, the
    # marks and the seeds back too.
    reveal = attempt.is_finished and attempt.reveal_answers
    data = {
        "id": str(attempt.pk),
        "kind": attempt.kind,
        "title": attempt.title,
        "question_set": attempt.question_set.ext_id if attempt.question_set is not None else None,
        "topic": attempt.topic.slug if attempt.topic is not None else None,
        "difficulty": attempt.difficulty,
        "started_at": _plain(attempt.started_at),
        "deadline": _plain(attempt.deadline),
        "finished_at": _plain(attempt.finished_at),
        "ended_by": attempt.ended_by,
        "score": attempt.score if reveal else None,
        "max_score": attempt.max_score,
        # Before Start nothing of the questions: not even which were drawn.
        "items": [_item(item, reveal=reveal) for item in attempt.items.all()]
        if attempt.is_started
        else [],
    }
    if not attempt.is_started:
        data["kept_back"] = NOT_STARTED
    elif not attempt.is_finished:
        data["kept_back"] = RUNNING
    elif not reveal:
        data["kept_back"] = KEPT_BACK
    return data


def _result(result: ExerciseResult) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "seed": result.seed,
        "level": result.level,
        "answers": result.answers,
        "correct_fields": result.correct_fields,
        "total_fields": result.total_fields,
        "score": result.score,
        "created_at": _plain(result.created_at),
    }


def _flag(flag: QuestionFlag) -> dict[str, Any]:
    # The staff note is the staff's word about the flag, not the user's data.
    return {
        "question": flag.question.ext_id,
        "reason": flag.reason,
        "comment": flag.comment,
        "status": flag.status,
        "created_at": _plain(flag.created_at),
        "updated_at": _plain(flag.updated_at),
        "resolved_at": _plain(flag.resolved_at),
    }


def _today_item(item: TodayItem) -> dict[str, Any]:
    exercise: dict[str, Any] | None = None
    if item.exercise_kind:
        exercise = {"kind": item.exercise_kind, "level": item.exercise_level}
        if item.answered_at is not None:
            # As on Today's pages: the seed redraws the data whose solution the public
            # exercise page shows, so it comes only once the item is answered.
            exercise["seed"] = item.exercise_seed
    return {
        "position": item.position,
        "source": item.source,
        "question": item.question.ext_id if item.question is not None else None,
        "term": item.term.ext_id if item.term is not None else None,
        "exercise": exercise,
        "topic": item.topic.slug if item.topic is not None else None,
        "answer": item.answer,
        "correct": item.correct,
        "score": item.score,
        "rating": item.rating,
        "answered_at": _plain(item.answered_at),
    }


def _today_session(session: TodaySession) -> dict[str, Any]:
    return {
        "day": _plain(session.day),
        "goal": session.goal,
        "started_at": _plain(session.started_at),
        "finished_at": _plain(session.finished_at),
        "items": [_today_item(item) for item in session.items.all()],
    }


def user_data_export(user: User) -> dict[str, Any]:
    """Everything the site keeps about one user, ready for json.dumps. Never the API token."""
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("question_set", "topic")
        .prefetch_related(Prefetch("items", AttemptItem.objects.select_related("question", "term")))
        .order_by("started_at")
    )
    data: dict[str, Any] = {
        "exported_at": _plain(timezone.now()),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": _plain(user.date_joined),
            "last_login": _plain(user.last_login),
        },
        "attempts": [_attempt(attempt) for attempt in attempts],
        "exercise_results": [
            _result(result)
            for result in ExerciseResult.objects.filter(user=user).order_by("created_at")
        ],
    }
    goal = DailyGoal.objects.filter(user=user).first()
    data["daily_goal"] = (
        {"items": goal.items, "updated_at": _plain(goal.updated_at)} if goal is not None else None
    )
    sessions = (
        TodaySession.objects.filter(user=user)
        .prefetch_related(
            Prefetch("items", TodayItem.objects.select_related("question", "term", "topic"))
        )
        .order_by("started_at")
    )
    data["today_sessions"] = [_today_session(session) for session in sessions]
    flags = QuestionFlag.objects.filter(user=user).select_related("question").order_by("pk")
    data["question_flags"] = [_flag(flag) for flag in flags]
    for key, model in OPTIONAL_EXPORTS:
        rows = model._default_manager.filter(user=user).order_by("pk")
        data[key] = [_row(row) for row in rows]
    return data
