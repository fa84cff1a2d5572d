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


def test_one_week_of_history_sits_in_the_middle_of_the_axis():
    from questions.progress.chart import MIN_WEEKS_SHOWN, draw_history

    figure, _alt = draw_history(_weeks(1))
    low, high = figure.axes[0].get_xlim()
    assert high - low == MIN_WEEKS_SHOWN
    assert (low + high) / 2 == 0  # the one bar, at position 0, is centred


def test_a_full_history_fills_the_axis():
    from questions.progress.chart import draw_history

    figure, _alt = draw_history(_weeks(10))
    assert figure.axes[0].get_xlim() == (-0.5, 9.5)


def test_weeks_without_practice_keep_their_place_on_the_axis():
    from questions.progress.chart import consecutive_weeks

    weeks = _weeks(4)
    shown = consecutive_weeks([weeks[0], weeks[3]])
    assert [w["week"] for w in shown] == [w["week"] for w in weeks]
    assert [w["answers"] for w in shown] == [3, 0, 0, 6]
    assert shown[1]["accuracy"] is None


def test_the_chart_is_sized_by_its_view_box_and_transparent():
    svg, _alt = history_chart(_weeks(3))
    head = svg.decode()[:600]
    assert "viewBox" in head and 'width="' not in head.split("<svg", 1)[1].split(">", 1)[0]
    assert "prefers-color-scheme: dark" in svg.decode()
