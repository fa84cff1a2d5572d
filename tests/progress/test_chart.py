import logging
from datetime import date, timedelta

from questions.exercises import generate
from questions.exercises.figures import render_figure
from questions.progress.chart import history_chart


def _weeks(count: int) -> list[dict]:
    start = date(2026, 9, 7)
    return [
        {"week": start + timedelta(weeks=n), "answers": 3 + n, "accuracy": 0.5}
        for n in range(count)
    ]


def test_drawing_the_progress_chart_does_not_change_exercise_figures():
    exercise = generate("roc", 11, "medium")
    before = render_figure(exercise, "svg").content
    history_chart(_weeks(3))
    assert render_figure(exercise, "svg").content == before


def test_the_chart_logs_no_warning(caplog):
    with caplog.at_level(logging.INFO, logger="matplotlib"):
        svg, alt = history_chart(_weeks(2))
    assert svg.startswith(b"<?xml") and "week of 07 Sep: 3 answers, 50% right" in alt
    assert [record.getMessage() for record in caplog.records] == []


def test_the_same_history_gives_the_same_bytes():
    assert history_chart(_weeks(4)) == history_chart(_weeks(4))
