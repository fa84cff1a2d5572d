"""An exercise from the three values that name it, and its prompt and solution as HTML.

The Django-free half of the site's exercise service: models, pages and the API all come here,
so the model layer depends on the engine, never on a site service.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..markup import render_markdown
from . import KINDS, LEVELS, MAX_SEED, Exercise, generate


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
    return str(level)


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
