"""Second pass over the numeric keys of the geometry, detection and calibration topics.

Each value is rebuilt from the numbers in the question by a different route from the
explanation (matrix products and solves, scikit-learn metrics, explicit loops).
"""

from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from sklearn.metrics import brier_score_loss

from questions.content.tree import read_tree

from .conftest import assert_within_key


def voxel_to_world(affine: list[list[float]], index: tuple[float, float, float]) -> np.ndarray:
    return (np.array(affine, dtype=float) @ np.array([*index, 1.0]))[:3]


def world_to_voxel(affine: list[list[float]], point: tuple[float, float, float]) -> np.ndarray:
    full = np.vstack([np.array(affine, dtype=float), [0, 0, 0, 1]])
    return np.linalg.solve(full, np.array([*point, 1.0]))[:3]


def slice_spacing(iop: list[float], ipp_a: list[float], ipp_b: list[float]) -> float:
    normal = np.cross(iop[:3], iop[3:])
    return float(abs(np.dot(normal, np.subtract(ipp_b, ipp_a))))


def binned_ece(p: list[float], y: list[int], bins: int) -> float:
    probs, labels = np.array(p), np.array(y)
    edges = np.linspace(0, 1, bins + 1)
    # Bins are [a, b) except the last, which is closed: digitize on the inner edges.
    which = np.digitize(probs, edges[1:-1], right=False)
    total = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            total += members.sum() * abs(labels[members].mean() - probs[members].mean())
    return total / len(probs)


def selective_risk(confidence: list[float], correct: list[bool], coverage: float) -> float:
    kept = round(len(confidence) * coverage)
    order = sorted(range(len(confidence)), key=lambda i: -confidence[i])[:kept]
    return sum(not correct[i] for i in order) / kept


def conformal_threshold(scores: list[float], alpha: float) -> float:
    n = len(scores)
    level = np.ceil((n + 1) * (1 - alpha)) / n
    # inverted_cdf returns the smallest score whose empirical CDF reaches the level,
    # i.e. the ceil((n+1)(1-alpha))-th order statistic.
    return float(np.quantile(scores, level, method="inverted_cdf"))


def box_iou_by_pixels(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    # Rasterise both boxes (x1, y1, x2, y2 corners) on a grid and count pixels.
    grid = np.zeros((2, 100, 100), dtype=bool)
    for layer, (x1, y1, x2, y2) in enumerate((a, b)):
        grid[layer, y1:y2, x1:x2] = True
    return float((grid[0] & grid[1]).sum() / (grid[0] | grid[1]).sum())


def sensitivity_at_fp_budget(
    outcomes: list[str], scores: list[float], lesions: int, scans: int, fp_per_scan: float
) -> float:
    best = 0.0
    for threshold in sorted(set(scores)):
        kept = [o for o, s in zip(outcomes, scores, strict=False) if s >= threshold]
        if kept.count("FP") / scans <= fp_per_scan:
            best = max(best, kept.count("TP") / lesions)
    return best


def detection_ap(outcomes: list[int], objects: int) -> float:
    # Area under the step PR curve via scikit-learn on the detections, then rescaled:
    # sklearn's recall is relative to the detected objects only.
    from sklearn.metrics import precision_recall_curve

    scores = np.linspace(1, 0, len(outcomes), endpoint=False)
    precision, recall, _ = precision_recall_curve(outcomes, scores)
    recall = recall * sum(outcomes) / objects
    return float(-np.sum(np.diff(recall) * precision[:-1]))


DETECTION_SCORES = [0.95, 0.90, 0.85, 0.80, 0.75, 0.70, 0.65, 0.60, 0.50, 0.40]
DETECTION_OUTCOMES = ["TP", "FP", "TP", "FP", "TP", "FP", "FP", "TP", "FP", "TP"]

CONFORMAL_SCORES = [
    0.02,
    0.05,
    0.07,
    0.10,
    0.12,
    0.15,
    0.18,
    0.22,
    0.25,
    0.30,
    0.33,
    0.38,
    0.41,
    0.47,
    0.52,
    0.58,
    0.66,
    0.74,
    0.91,
]

RECOMPUTED: dict[str, float] = {
    "geometry-voxel-to-world-diagonal": voxel_to_world(
        [[-0.7, 0, 0, 90], [0, 0.7, 0, -126], [0, 0, 2.0, -72], [0, 0, 0, 1]], (100, 200, 30)
    )[0],
    "geometry-voxel-to-world-swapped-axes": voxel_to_world(
        [[0, -0.9, 0, 110], [0.9, 0, 0, -95], [0, 0, 1.5, -60], [0, 0, 0, 1]], (40, 100, 12)
    )[1],
    "geometry-world-to-voxel-oblique": world_to_voxel(
        [[0.3, -0.4, 0, -50], [0.4, 0.3, 0, -80], [0, 0, 2, -30]], (-20, 0, 14)
    )[0],
    "geometry-slice-spacing-oblique": slice_spacing(
        [1, 0, 0, 0, 0.8, -0.6], [-120.0, -100.0, 50.0], [-120.0, -98.2, 52.4]
    ),
    "calibration-brier-score": brier_score_loss([1, 1, 0, 0, 0, 1], [0.9, 0.8, 0.3, 0.6, 0.1, 0.2]),
    "calibration-ece-equal-width": binned_ece(
        [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.62, 0.78, 0.85, 0.95],
        [0, 0, 1, 0, 0, 1, 1, 0, 1, 1],
        bins=5,
    ),
    "calibration-selective-risk": selective_risk(
        [0.80, 0.99, 0.55, 0.92, 0.65, 0.97, 0.72, 0.90, 0.85, 0.95],
        [False, True, False, False, False, True, True, True, True, True],
        coverage=0.6,
    ),
    "calibration-conformal-threshold": conformal_threshold(CONFORMAL_SCORES, alpha=0.1),
    "detection-cpm-score": np.mean([0.62, 0.70, 0.78, 0.84, 0.88, 0.91, 0.93]),
    "detection-sensitivity-at-one-fp": sensitivity_at_fp_budget(
        DETECTION_OUTCOMES, DETECTION_SCORES, lesions=5, scans=4, fp_per_scan=1.0
    ),
    "detection-box-iou": box_iou_by_pixels((20, 20, 60, 60), (10, 10, 50, 50)),
    "detection-average-precision": detection_ap([1, 0, 1, 0, 1], objects=4),
}


@pytest.mark.parametrize("question_id", sorted(RECOMPUTED))
def test_the_stored_key_matches_the_recomputed_value(keys, question_id):
    assert_within_key(keys[question_id], RECOMPUTED[question_id])


@pytest.fixture(scope="module")
def questions():
    tree = read_tree(Path(settings.CONTENT_DIR))
    return {q.id: q for q in tree.questions}


def correct_texts(question) -> set[str]:
    return {c.text for c in question.choices if c.correct}


def test_the_conformal_set_follows_from_the_threshold(questions):
    threshold = conformal_threshold(CONFORMAL_SCORES, alpha=0.1)
    softmax = {"melanoma": 0.55, "naevus": 0.30, "keratosis": 0.15}
    kept = [name for name, p in softmax.items() if 1 - p <= threshold]
    expected = "{" + ", ".join(kept) + "}"
    assert correct_texts(questions["calibration-conformal-prediction-set"]) == {expected}
