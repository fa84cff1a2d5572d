"""The progress history chart, drawn with the site's one matplotlib set-up (questions.plotting).
Pure Python: no Django."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..plotting import figure_bytes, new_figure

# A few weeks of history should not stretch into slabs: keep room for twelve.
MIN_WEEKS_SHOWN = 12


def history_chart(weeks: list[dict[str, Any]]) -> tuple[bytes, str]:
    """SVG of weekly answers (bars) and accuracy (line); returns (svg, alt text)."""
    figure = new_figure(7.2, 3.2, layout="constrained")
    volume = figure.add_subplot()
    # Numbers on the x axis, week names as tick labels: plotting the names themselves makes
    # matplotlib guess "categorical units" and log a warning per call.
    positions = list(range(len(weeks)))
    labels = [_label(w["week"]) for w in weeks]
    answers = [w["answers"] for w in weeks]
    accuracy = [100 * (w["accuracy"] or 0) for w in weeks]
    volume.bar(positions, answers, color="#56B4E9", label="answers", width=0.6)
    volume.set_xticks(positions, labels, rotation=45)
    volume.set_xlim(-0.5, max(len(weeks), MIN_WEEKS_SHOWN) - 0.5)
    volume.set_ylabel("Answers per week")
    share = volume.twinx()
    share.plot(positions, accuracy, color="#D55E00", marker="o", label="accuracy")
    share.set_ylim(0, 100)
    share.set_ylabel("Accuracy (%)")
    volume.set_title("Answers and accuracy per week")
    if weeks:
        alt = "Weekly history: " + "; ".join(
            f"week of {_label(w['week'])}: {w['answers']} answers, "
            f"{round(100 * (w['accuracy'] or 0))}% right"
            for w in weeks
        )
    else:
        alt = "No practice recorded yet."
    return figure_bytes(figure, "svg"), alt


def _label(week: date) -> str:
    return week.strftime("%d %b")
