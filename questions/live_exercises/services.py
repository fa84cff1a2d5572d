"""Live exercises for the site: check answers, record results, cache figures and files.

The numbers come from questions.exercises (pure numpy, with exercises.lookup to name one);
this module adds what needs Django: owners, stored results, the cache.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from ..exercises import Exercise, FieldResult, check
from ..models import ExerciseResult
from ..owners import Owner
from ..progress.services import exercise_checked

FIGURE_CACHE_SECONDS = 7 * 24 * 3600


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


def figure_for(exercise: Exercise, fmt: str = "svg") -> tuple[bytes, str, str]:
    """The worked-solution figure, rendered once per kind+seed+level and cached."""
    key = f"exercise-figure:v1:{exercise.kind}:{exercise.seed}:{exercise.level}:{fmt}"
    cached = cache.get(key)
    if cached is None:
        from ..exercises.figures import render_figure  # matplotlib loads only here

        figure = render_figure(exercise, fmt=fmt)
        cached = (figure.content, figure.content_type, figure.alt)
        cache.set(key, cached, FIGURE_CACHE_SECONDS)
    return cached


def dicom_bytes(exercise: Exercise) -> bytes:
    key = f"exercise-dicom:v1:{exercise.seed}:{exercise.level}"
    cached = cache.get(key)
    if cached is None:
        from ..exercises.dicom_file import build_dicom  # pydicom loads only here

        cached = build_dicom(exercise)
        cache.set(key, cached, FIGURE_CACHE_SECONDS)
    return cached
