from collections import Counter

import pytest

from questions.exercises import LEVELS
from questions.exercises.leakage import generate, leaked_patients, reassign

SEEDS = range(200)


def count_leak(rows) -> tuple[int, int]:
    """Straight from the definition, with sets."""
    train = {r["patient"] for r in rows if r["split"] == "train"}
    test = {r["patient"] for r in rows if r["split"] == "test"}
    both = train & test
    return len(both), sum(1 for r in rows if r["split"] == "test" and r["patient"] in both)


@pytest.mark.parametrize("level", LEVELS)
def test_it_counts_leaked_patients_and_test_images_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        rows = exercise.data["images"]
        patients, images = count_leak(rows)
        assert exercise.expected["leaked_patients"] == patients
        assert exercise.expected["leaked_test_images"] == images
        assert len({r["image"] for r in rows}) == len(rows)
        assert {r["split"] for r in rows} == {"train", "test"}


@pytest.mark.parametrize("level", LEVELS)
def test_the_reassignment_is_leak_free_and_follows_the_majority(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        rows = exercise.data["images"]
        assignment = exercise.data["reassignment"]
        assert assignment == reassign(rows)
        moved = [{**r, "split": assignment[r["patient"]]} for r in rows]
        assert leaked_patients(moved) == []
        assert count_leak(moved) == (0, 0)
        for patient, split in assignment.items():
            tally = Counter(r["split"] for r in rows if r["patient"] == patient)
            majority = "test" if tally["test"] > tally["train"] else "train"
            assert split == majority
        after = Counter(r["split"] for r in moved)
        assert exercise.data["after_reassignment"] == {
            "train": after["train"],
            "test": after["test"],
        }


def test_a_tie_goes_to_train_and_a_clean_patient_stays_put():
    rows = [
        {"image": "a", "patient": "P1", "split": "train"},
        {"image": "b", "patient": "P1", "split": "test"},
        {"image": "c", "patient": "P2", "split": "test"},
        {"image": "d", "patient": "P2", "split": "test"},
        {"image": "e", "patient": "P2", "split": "train"},
        {"image": "f", "patient": "P3", "split": "test"},
    ]

    assert reassign(rows) == {"P1": "train", "P2": "test", "P3": "test"}
    assert leaked_patients(rows) == ["P1", "P2"]


def test_easy_and_medium_always_leak_and_hard_sometimes_does_not():
    for level in ("easy", "medium"):
        assert all(generate(seed, level).expected["leaked_patients"] >= 1 for seed in SEEDS)
    hard = [generate(seed, "hard").expected["leaked_patients"] for seed in SEEDS]
    assert 0 in hard and max(hard) >= 4


def test_the_solution_names_the_leaked_patients_and_where_they_go():
    exercise = generate(2, "medium")
    rows = exercise.data["images"]
    text = "\n".join(exercise.solution)

    for patient in leaked_patients(rows):
        assert patient in text
        assert f"{patient} → {exercise.data['reassignment'][patient]}" in text
