"""The progress history chart. Pure Python with matplotlib, imported only when drawn."""

from __future__ import annotations

import io
from datetime import date


def history_chart(weeks: list[dict]) -> tuple[bytes, str]:
    """SVG of weekly answers (bars) and accuracy (line); returns (svg, alt text)."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "imagingprep"
    matplotlib.rcParams["svg.fonttype"] = "path"
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, 3.2), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    volume = figure.add_subplot()
    labels = [_label(w["week"]) for w in weeks]
    answers = [w["answers"] for w in weeks]
    accuracy = [100 * (w["accuracy"] or 0) for w in weeks]
    volume.bar(labels, answers, color="#56B4E9", label="answers", width=0.6)
    # A few weeks of history should not stretch into slabs: keep room for twelve.
    volume.set_xlim(-0.5, max(len(weeks), 12) - 0.5)
    volume.set_ylabel("Answers per week")
    volume.tick_params(axis="x", labelrotation=45)
    share = volume.twinx()
    share.plot(labels, accuracy, color="#D55E00", marker="o", label="accuracy")
    share.set_ylim(0, 100)
    share.set_ylabel("Accuracy (%)")
    volume.set_title("Answers and accuracy per week")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    if weeks:
        alt = "Weekly history: " + "; ".join(
            f"week of {_label(w['week'])}: {w['answers']} answers, "
            f"{round(100 * (w['accuracy'] or 0))}% right"
            for w in weeks
        )
    else:
        alt = "No practice recorded yet."
    return buffer.getvalue(), alt


def _label(week: date) -> str:
    return week.strftime("%d %b")
