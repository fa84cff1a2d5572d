"""Live exercises for the site: check answers, record results, cache figures and files.

The numbers come from questions.exercises (pure numpy, with exercises.lookup to name one);
this module adds what needs Django: owners, stored results, the cache.
"""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q

from ..exercises import Exercise, FieldResult, check
from ..exercises.downloads import DOWNLOADS
from ..markup import UNSTORABLE, storable
from ..models import ExerciseResult
from ..owners import Owner
from ..progress.services import exercise_checked
from ..web.cache import counters

FIGURE_CACHE_SECONDS = 7 * 24 * 3600
# Bumped when figures are drawn differently: the server cache key and the page's figure URL
# (served "immutable" for a week) both carry it. 2: phone-first, themed SVG (#16).
FIGURE_VERSION = 2


class RenderRefused(Exception):
    """Too many new figures or files drawn for one client address in the window."""

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(
            "Too many new exercise figures and files from your address. "
            f"Try again in {wait_seconds} second{'s' if wait_seconds != 1 else ''}."
        )
        self.wait_seconds = wait_seconds


def _render_counted(client: str | None) -> None:
    """Count one render (a cache miss) for the client's address, or raise RenderRefused.

    Seeds are free to choose and each new one costs about 140 ms of CPU and a cache entry, so
    renders, not requests, are what a client is limited in (EXERCISE_RENDER_LIMIT per
    EXERCISE_RENDER_WINDOW_SECONDS). None: a caller outside a visitor's request.
    """
    if client is None:
        return
    window = settings.EXERCISE_RENDER_WINDOW_SECONDS
    now = int(time.time())
    start = now - now % window
    address = hashlib.sha256(client.encode()).hexdigest()
    key = f"exercise-renders:{address}:{start}"
    counters.add(key, 0, timeout=window)
    try:
        renders = counters.incr(key)
    except ValueError:  # expired between add and incr
        counters.set(key, 1, timeout=window)
        renders = 1
    if renders > settings.EXERCISE_RENDER_LIMIT:
        raise RenderRefused(start + window - now)


class AnswerRefused(ValueError):
    """An answer that cannot be kept; the message names the field and what to do."""


# Longer than any number (numbers.MAX_LENGTH) or text answer an exercise expects; more is
# not kept, so a check never stores megabytes of typing.
MAX_ANSWER = 100


def answers_kept(exercise: Exercise, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers to `exercise`'s fields as they will be marked and stored: each a number,
    yes/no, null or text of at most MAX_ANSWER characters. AnswerRefused for text no database
    can keep (a NUL, a lone surrogate) or a value that is a list or an object."""
    kept: dict[str, Any] = {}
    for field in exercise.fields:
        value = answers.get(field.name)
        if isinstance(value, str):
            value = value[:MAX_ANSWER]
            if not storable(value):
                raise AnswerRefused(f"{field.label}: the answer {UNSTORABLE}")
        elif value is not None and not isinstance(value, int | float):  # bool is an int
            raise AnswerRefused(f"{field.label}: give a number, yes or no, or text.")
        kept[field.name] = value
    return kept


def exercise_check(
    *, owner: Owner, exercise: Exercise, answers: dict[str, Any], seconds: int | None = None
) -> tuple[dict[str, FieldResult], ExerciseResult]:
    """Mark the answers and record the result for the candidate's progress. AnswerRefused
    (nothing recorded) for answers that cannot be kept."""
    answers = answers_kept(exercise, answers)
    results = check(exercise, answers)
    return results, _record(owner, exercise, answers, results, seconds, solution_shown=False)


def _record(
    owner: Owner,
    exercise: Exercise,
    answers: dict[str, Any],
    results: dict[str, FieldResult],
    seconds: int | None,
    *,
    solution_shown: bool,
) -> ExerciseResult:
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
        solution_shown=solution_shown,
    )
    exercise_checked(owner=owner, kind=exercise.kind, score=record.score, seconds=seconds)
    return record


# The worked solution comes with the check that makes this many wrong ones on the same
# exercise (kind, seed and level): one retry on one's own, then the explanation.
WRONG_CHECKS_BEFORE_SOLUTION = 2


@dataclass(frozen=True)
class Submission:
    """What a check of an exercise (on its page or through the API) gives back: the marks
    and whether the worked solution (and the expected values, and the figure, which shows
    them) may be sent."""

    results: dict[str, FieldResult]
    show_solution: bool
    recorded: bool  # False: a "Show solution" after an earlier check, or a check after it
    # The solution had been shown before this check: it is marked, never counted (a right
    # answer copied from the solution is no success), so progress and mastery leave it out.
    after_solution: bool = False

    @property
    def score(self) -> float:
        right = sum(result.correct for result in self.results.values())
        return right / len(self.results) if self.results else 0


def exercise_submit(
    *,
    owner: Owner,
    exercise: Exercise,
    answers: dict[str, Any],
    reveal: bool = False,
    seconds: int | None = None,
) -> Submission:
    """Mark the answers of an exercise and decide whether to show the solution; the page
    and the API follow this one rule.

    The solution is shown when every field is right, when the candidate asks for it
    (`reveal`), or on the second wrong check of this exercise (kind, seed and level).
    Asking for it first records the answers as they stand (giving up counts), but a reveal
    after an earlier check records nothing more: the candidate has already been counted.
    Once it has been shown, checks are still marked but never recorded again.
    AnswerRefused (nothing marked or recorded) for answers that cannot be kept.
    """
    answers = answers_kept(exercise, answers)
    same = ExerciseResult.objects.owned_by(owner.user, owner.anon_token).filter(
        kind=exercise.kind, seed=exercise.seed, level=exercise.level
    )
    earlier = same.aggregate(
        checks=Count("id"),
        wrong=Count("id", filter=Q(score__lt=1)),
        # Flagged when shown; a right check, or the second wrong one, showed it too (this
        # also covers checks recorded before the flag existed).
        shown=Count("id", filter=Q(solution_shown=True) | Q(score__gte=1)),
    )
    if earlier["shown"] or earlier["wrong"] >= WRONG_CHECKS_BEFORE_SOLUTION:
        return Submission(
            check(exercise, answers), show_solution=True, recorded=False, after_solution=True
        )
    if reveal and earlier["checks"]:
        same.update(solution_shown=True)  # later checks know the answers: never counted
        return Submission(check(exercise, answers), show_solution=True, recorded=False)
    results = check(exercise, answers)
    all_right = all(result.correct for result in results.values())
    wrong = earlier["wrong"] + (not all_right)
    show = reveal or all_right or wrong >= WRONG_CHECKS_BEFORE_SOLUTION
    _record(owner, exercise, answers, results, seconds, solution_shown=show)
    return Submission(results, show_solution=show, recorded=True)


def figure_for(
    exercise: Exercise, fmt: str = "svg", *, client: str | None = None
) -> tuple[bytes, str, str]:
    """The worked-solution figure, rendered once per kind+seed+level and cached. A render
    counts against `client`'s address (RenderRefused over the limit); a cached one does not."""
    version = f"v{FIGURE_VERSION}"
    key = f"exercise-figure:{version}:{exercise.kind}:{exercise.seed}:{exercise.level}:{fmt}"
    cached = cache.get(key)
    if cached is None:
        _render_counted(client)
        from ..exercises.figures import render_figure  # matplotlib loads only here

        figure = render_figure(exercise, fmt=fmt)
        cached = (figure.content, figure.content_type, figure.alt)
        cache.set(key, cached, FIGURE_CACHE_SECONDS)
    return cached


def dicom_bytes(exercise: Exercise, *, client: str | None = None) -> bytes:
    """The exercise's .dcm file, built once per seed+level and cached; a build counts
    against `client` as a figure does."""
    key = f"exercise-dicom:v1:{exercise.seed}:{exercise.level}"
    cached = cache.get(key)
    if cached is None:
        _render_counted(client)
        from ..exercises.dicom_file import build_dicom  # pydicom loads only here

        cached = build_dicom(exercise)
        cache.set(key, cached, FIGURE_CACHE_SECONDS)
    return cached


def exercise_file_bytes(exercise: Exercise, *, client: str | None = None) -> bytes:
    """The exercise's download (exercises.downloads), built once per kind+seed+level and
    cached; a build counts against `client` as a figure does. KeyError for kinds without one."""
    download = DOWNLOADS[exercise.kind]
    key = f"exercise-file:v1:{exercise.kind}:{exercise.seed}:{exercise.level}"
    cached = cache.get(key)
    if cached is None:
        _render_counted(client)
        cached = download.build(exercise, "")
        cache.set(key, cached, FIGURE_CACHE_SECONDS)
    return cached


def dicom_view(inspection: Any, choice: dict[str, Any]) -> dict[str, Any] | None:
    """The inspector's image for `choice` (the DicomViewForm's cleaned data): the window
    used, the PNG as a data: URL (never stored) and the pixel read, or None when the file
    has no greyscale image to show."""
    from ..exercises import dicom_view as view  # matplotlib loads only here

    values = inspection.values
    if values is None:
        return None
    name = choice.get("window") or "file"
    if name == "custom":
        centre, width, label = choice["centre"], choice["width"], "Custom"
    elif name in view.PRESETS:
        centre, width = view.PRESETS[name]
        label = view.PRESET_LABELS[name]
    elif inspection.own_window is not None:
        name, (centre, width), label = "file", inspection.own_window, "The file's own"
    else:
        name, label = "file", "The full range (the file states no window)"
        centre, width = view.full_range(values)
    pixel = None
    if choice.get("row") is not None and choice.get("column") is not None:
        pixel = view.pixel_at(values, choice["row"], choice["column"])
    png = view.render_png(values, centre, width, inverted=inspection.inverted, mark=pixel)
    return {
        "name": name,
        "label": label,
        "centre": centre,
        "width": width,
        "png": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        "pixel": pixel,
        "outside": pixel is None and choice.get("row") is not None,
        "rows": values.shape[0],
        "columns": values.shape[1],
    }
