"""The progress history chart, drawn with the site's one matplotlib set-up (questions.plotting).
Pure Python: no Django."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from ..plotting import FIGURE_WIDTH_IN, figure_bytes, new_figure

# A few weeks of history should not stretch into slabs: the axis always has room for eight,
# and fewer weeks sit in its middle, not alone at the left edge.
MIN_WEEKS_SHOWN = 8
HEIGHT_IN = 3.9
ANSWERS_COLOUR = "#56B4E9"
ACCURACY_COLOUR = "#D55E00"


def history_chart(weeks: list[dict[str, Any]]) -> tuple[bytes, str]:
    """SVG of weekly answers (bars) and accuracy (line); returns (svg, alt text)."""
    figure, alt = draw_history(weeks)
    return figure_bytes(figure, "svg"), alt


def x_limits(count: int) -> tuple[float, float]:
    """The x range for `count` weekly slots at positions 0 … count-1: at least
    MIN_WEEKS_SHOWN slots wide, centred on the weeks there are."""
    slots = max(count, MIN_WEEKS_SHOWN)
    centre = (count - 1) / 2 if count else 0.0
    return centre - slots / 2, centre + slots / 2


def consecutive_weeks(weeks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The weeks from the first to the last, with the weeks between that saw no practice
    filled in (no answers, no accuracy), so that the axis is a true timeline."""
    if not weeks:
        return []
    by_week = {w["week"]: w for w in weeks}
    first, last = min(by_week), max(by_week)
    filled = []
    week: date = first
    while week <= last:
        filled.append(by_week.get(week, {"week": week, "answers": 0, "accuracy": None}))
        week += timedelta(weeks=1)
    return filled


def draw_history(weeks: list[dict[str, Any]]) -> tuple[Any, str]:
    """The chart as a matplotlib figure (tests read its axes) and its alt text."""
    shown = consecutive_weeks(weeks)
    figure = new_figure(FIGURE_WIDTH_IN, HEIGHT_IN, layout="constrained")
    volume = figure.add_subplot()
    # Numbers on the x axis, week names as tick labels: plotting the names themselves makes
    # matplotlib guess "categorical units" and log a warning per call.
    positions = list(range(len(shown)))
    labels = [_label(w["week"]) for w in shown]
    answers = [w["answers"] for w in shown]
    # A week without answers has no accuracy: a gap in the line, not a fall to 0 %.
    accuracy = [math.nan if w["accuracy"] is None else 100 * w["accuracy"] for w in shown]
    volume.bar(positions, answers, color=ANSWERS_COLOUR, label="answers", width=0.6)
    volume.set_xticks(positions, labels, rotation=45, ha="right", rotation_mode="anchor")
    volume.set_xlim(*x_limits(len(shown)))
    volume.set_ylabel("Answers per week")
    volume.yaxis.get_major_locator().set_params(integer=True)
    share = volume.twinx()
    share.plot(
        positions, accuracy, color=ACCURACY_COLOUR, marker="o", label="accuracy", linewidth=2
    )
    share.set_ylim(0, 100)
    share.set_ylabel("Accuracy (%)")
    volume.set_title("Answers and accuracy per week")
    figure.legend(
        handles=[*volume.get_legend_handles_labels()[0], *share.get_legend_handles_labels()[0]],
        loc="outside lower center",
        ncols=2,
        frameon=False,
    )
    if weeks:
        alt = "Weekly history: " + "; ".join(
            f"week of {_label(w['week'])}: {w['answers']} answers, "
            f"{round(100 * (w['accuracy'] or 0))}% right"
            for w in weeks
        )
    else:
        alt = "No practice recorded yet."
    return figure, alt


def _label(week: date) -> str:
    return week.strftime("%d %b")
