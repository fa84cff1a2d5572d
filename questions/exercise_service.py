"""Live exercises for the site: parse a request, check answers, cache figures and files.

The numbers come from questions.exercises (pure numpy); this module adds what needs Django:
owners, stored results, the cache.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.cache import cache

from .content.rendering import render_markdown
from .exercises import KINDS, LEVELS, Exercise, FieldResult, check, generate
from .models import ExerciseResult
from .owners import Owner
from .progress import exercise_checked

MAX_SEED = 2**31 - 1
FIGURE_CACHE_SECONDS = 7 * 24 * 3600


class ExerciseInputError(ValueError):
    """Bad kind, seed or level: the message says what to send instead."""


def parse_seed(raw: Any) -> int:
    try:
        seed = int(str(raw))
    except (TypeError, ValueError):
        raise ExerciseInputError(
            f"The seed must be a whole number from 0 to {MAX_SEED}, got {str(raw)[:30]!r}."
        ) from None
    if not 0 <= seed <= MAX_SEED:
        raise ExerciseInputError(f"The seed must be from 0 to {MAX_SEED}, got {seed}.")
    return seed


def parse_level(raw: Any) -> str:
    level = (raw or "medium") if isinstance(raw, str | None) else raw
    if level not in LEVELS:
        raise ExerciseInputError(f"The level must be one of {', '.join(LEVELS)}, got {raw!r}.")
    return level


@lru_cache(maxsize=512)
def exercise_for(kind: str, seed: int, level: str) -> Exercise:
    """The exercise for these three values (generated once per process, then remembered)."""
    if kind not in KINDS:
        raise ExerciseInputError(
            f"Unknown exercise kind {kind!r}: choose one of {', '.join(KINDS)}."
        )
    return generate(kind, seed, level)


def exercise_from_request(kind: str, seed: Any, level: Any) -> Exercise:
    return exercise_for(kind, parse_seed(seed), parse_level(level))


@lru_cache(maxsize=512)
def solution_html(kind: str, seed: int, level: str) -> tuple[str, ...]:
    return tuple(render_markdown(step) for step in exercise_for(kind, seed, level).solution)


@lru_cache(maxsize=512)
def prompt_html(kind: str, seed: int, level: str) -> str:
    return render_markdown(exercise_for(kind, seed, level).prompt)


def exercise_check(
    *, owner: Owner, exercise: Exercise, answers: dict[str, Any], seconds: int | None = None
) -> tuple[dict[str, FieldResult], ExerciseResult]:
    """Mark the answers and record the result for the candidate's progress."""
    results = check(exercise, answers)
    right = sum(result.correct for result in results.values())
    record = ExerciseResult.objects.create(
        **owner.fields(),
        kind=exercise.kind,
        seed=exercise.seed,
        level=exercise.level,
        answers={name: answers.get(name) for name in results},
        correct_fields=right,
        total_fields=len(results),
        score=right / len(results) if results else 0,
    )
    exercise_checked(owner=owner, kind=exercise.kind, score=record.score, seconds=seconds)
    return results, record


def figure_for(exercise: Exercise, fmt: str = "svg"):
    """The worked-solution figure, rendered once per kind+seed+level and cached."""
    key = f"exercise-figure:v1:{exercise.kind}:{exercise.seed}:{exercise.level}:{fmt}"
    cached = cache.get(key)
    if cached is None:
        from .exercises.figures import render_figure  # matplotlib loads only here

        figure = render_figure(exercise, fmt=fmt)
        cached = (figure.content, figure.content_type, figure.alt)
        cache.set(key, cached, FIGURE_CACHE_SECONDS)
    return cached


def dicom_bytes(exercise: Exercise) -> bytes:
    key = f"exercise-dicom:v1:{exercise.seed}:{exercise.level}"
    cached = cache.get(key)
    if cached is None:
        from .exercises.dicom_file import build_dicom  # pydicom loads only here

        cached = build_dicom(exercise)
        cache.set(key, cached, FIGURE_CACHE_SECONDS)
    return cached
