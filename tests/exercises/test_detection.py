"""The FROC exercise against an independent brute force: every threshold, matched from scratch."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from questions.exercises import LEVELS, check
from questions.exercises.detection import RATES, generate, rate_key

SEEDS = range(200)
RATES_PER_IMAGE = [1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8]


def counts_at(images, threshold: float) -> tuple[int, int]:
    """(TP, FP) keeping detections with score >= threshold, matched greedily by score.

    Distances by scipy rather than squared integers; each lesion takes the first (highest
    scoring) kept detection whose centre is within its radius.
    """
    tp = fp = 0
    for image in images:
        kept = sorted(
            (d for d in image["detections"] if d["score"] >= threshold - 1e-9),
            key=lambda d: -d["score"],
        )
        found = set()
        if not kept:
            continue
        if not image["lesions"]:
            fp += len(kept)
            continue
        centres = np.array([[d["x"], d["y"]] for d in kept], dtype=float)
        lesions = np.array([[les["x"], les["y"]] for les in image["lesions"]], dtype=float)
        radii = np.array([les["r"] for les in image["lesions"]], dtype=float)
        inside = cdist(centres, lesions) <= radii[None, :] + 1e-9
        for row in inside:
            hits = [j for j in np.flatnonzero(row) if j not in found]
            if hits:
                found.add(hits[0])
                tp += 1
            else:
                fp += 1
    return tp, fp


def brute_force_froc(exercise) -> tuple[list[float], float]:
    images = exercise.data["images"]
    n_images, lesions = len(images), exercise.data["lesions"]
    thresholds = [*sorted({d["score"] for i in images for d in i["detections"]}), 2.0]
    curve = [counts_at(images, t) for t in thresholds]
    readings = [
        max(tp for tp, fp in curve if fp / n_images <= rate + 1e-12) / lesions
        for rate in RATES_PER_IMAGE
    ]
    return readings, sum(readings) / len(readings)


@pytest.mark.parametrize("level", LEVELS)
def test_it_matches_a_brute_force_froc_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        expected = exercise.expected
        tp, fp = counts_at(exercise.data["images"], exercise.data["threshold"])
        assert (expected["tp"], expected["fp"]) == (tp, fp), seed
        readings, cpm = brute_force_froc(exercise)
        ours = [expected[rate_key(rate)] for rate in RATES]
        assert ours == pytest.approx(readings, abs=1e-12), seed
        assert expected["cpm"] == pytest.approx(cpm, abs=1e-12), seed


def test_lesions_never_overlap_and_there_are_always_two():
    for level in LEVELS:
        for seed in SEEDS:
            data = generate(seed, level).data
            assert data["lesions"] >= 2
            for image in data["images"]:
                ls = image["lesions"]
                for i, a in enumerate(ls):
                    for b in ls[i + 1 :]:
                        assert np.hypot(a["x"] - b["x"], a["y"] - b["y"]) > a["r"] + b["r"]


def test_scores_are_distinct_and_the_threshold_is_one_of_them():
    for level in LEVELS:
        for seed in SEEDS:
            data = generate(seed, level).data
            scores = [d["score"] for i in data["images"] for d in i["detections"]]
            assert len(set(scores)) == len(scores)
            assert data["threshold"] in scores


def test_a_second_detection_of_a_lesion_is_a_false_positive():
    """Medium and hard data include duplicates; the brute force above counts them as FP,
    and so must the prompt."""
    duplicated = 0
    for seed in SEEDS:
        exercise = generate(seed, "hard")
        for image in exercise.data["images"]:
            for lesion in image["lesions"]:
                inside = [
                    d
                    for d in image["detections"]
                    if (d["x"] - lesion["x"]) ** 2 + (d["y"] - lesion["y"]) ** 2 <= lesion["r"] ** 2
                ]
                duplicated += len(inside) > 1
    assert duplicated > 10
    assert "a second one on the same lesion included, is a false positive" in exercise.prompt


def test_the_prompt_states_how_sensitivity_is_read_off_the_curve():
    exercise = generate(0, "easy")
    assert "highest sensitivity reached with at most that many false positives" in exercise.prompt
    results = check(exercise, {name: str(value) for name, value in exercise.expected.items()})
    assert all(r.correct for r in results.values())
