"""Mastery and streak, as documented on the dashboard."""

from datetime import date

from questions.progress.mastery import mastery, streak


def test_one_right_answer_is_not_full_mastery():
    one = mastery(weighted_score=1, weight=1, answers=1)
    assert one.percent == 67 and one.confidence == "low"


def test_mastery_moves_towards_the_accuracy_with_evidence():
    many = mastery(weighted_score=18, weight=20, answers=20)
    assert many.percent == 86 and many.confidence == "high"
    assert mastery(weighted_score=0, weight=10, answers=10).percent == 8


def test_streak_counts_consecutive_days_ending_today_or_yesterday():
    today = date(2026, 11, 23)
    days = [date(2026, 11, 23), date(2026, 11, 22), date(2026, 11, 21), date(2026, 11, 19)]
    assert streak(days, today) == 3
    assert streak(days[1:], today) == 2  # nothing yet today: the streak is not broken
    assert streak([date(2026, 11, 20)], today) == 0
    assert streak([], today) == 0


def test_the_low_end_ranks_thin_evidence_as_uncertain_not_strong():
    from questions.progress.mastery import mastery

    strong = mastery(4.15, 5, 5)  # 5 answers, ~83 % right
    weak = mastery(5.0, 14, 14)  # 14 answers, ~36 % right
    thin = mastery(1.16, 2, 2)  # 2 answers, ~58 % right
    assert max(weak.lower, thin.lower) < strong.lower  # both come before the strong topic
    assert 0 <= weak.lower < weak.value
    assert thin.value - thin.lower > weak.value - weak.lower  # less evidence, wider
