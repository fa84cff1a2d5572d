"""How a day's session is made up: pure rules, no database."""

from questions.today.plan import KindRecord, Slots, pick_exercise, slots, spread


def test_reviews_come_first_but_leave_room_for_new_questions():
    assert slots(10, due=30) == Slots(reviews=7, new=2, exercise=1)
    assert slots(10, due=3) == Slots(reviews=3, new=6, exercise=1)
    assert slots(10, due=0) == Slots(reviews=0, new=9, exercise=1)
    assert slots(3, due=5) == Slots(reviews=1, new=1, exercise=1)


def test_new_questions_are_taken_in_turn_from_the_weakest_topics():
    weakest, second, third, fourth = ["a1", "a2", "a3"], ["b1"], ["c1", "c2"], ["d1"]
    assert spread([weakest, second, third, fourth], 6) == ["a1", "b1", "c1", "a2", "c2", "d1"]
    assert spread([[], ["b1"]], 3) == ["b1"]  # a short bank gives what it has


def test_the_exercise_is_a_kind_not_mastered_from_the_weakest_topic():
    kinds = [
        KindRecord("roc", topic_rank=0, perfect=2, tried=True),  # mastered
        KindRecord("classification", topic_rank=0, perfect=1, tried=True),
        KindRecord("dicom", topic_rank=1, perfect=0, tried=False),
    ]
    assert pick_exercise(kinds).name == "classification"
    every_one_mastered = [KindRecord("roc", 0, 5, True), KindRecord("dicom", 1, 2, True)]
    assert pick_exercise(every_one_mastered).name == "dicom"  # the fewest perfect results
