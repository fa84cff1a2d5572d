"""A second pass over the bank's numeric keys: recompute each from the question's numbers.

Each entry rebuilds the answer independently (scikit-learn where it has the metric) and
checks that the stored key, and the exact value, sit within the stored tolerance.
"""

import math

import numpy as np
import pytest
from sklearn.metrics import (
    balanced_accuracy_score,
    cohen_kappa_score,
    f1_score,
)
from sklearn.utils.class_weight import compute_class_weight

from .conftest import assert_within_key


def labels_from_counts(tp: int, fn: int, fp: int, tn: int):
    y_true = np.array([1] * (tp + fn) + [0] * (fp + tn))
    y_pred = np.array([1] * tp + [0] * fn + [1] * fp + [0] * tn)
    return y_true, y_pred


def kappa_from_table(table: list[list[int]]) -> float:
    rater_a, rater_b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            rater_a += [i] * count
            rater_b += [j] * count
    return cohen_kappa_score(rater_a, rater_b)


def fleiss_kappa(counts: np.ndarray) -> float:
    n = counts.sum(axis=1)[0]
    p_j = counts.sum(axis=0) / counts.sum()
    p_i = ((counts**2).sum(axis=1) - n) / (n * (n - 1))
    p_bar, p_e = p_i.mean(), (p_j**2).sum()
    return (p_bar - p_e) / (1 - p_e)


def receptive_field(layers: list[tuple[int, int]]) -> int:
    size, jump = 1, 1
    for kernel, stride in layers:
        size += (kernel - 1) * jump
        jump *= stride
    return size


def focal(p: float, gamma: float = 2) -> float:
    return -((1 - p) ** gamma) * math.log(p)


def ppv(sens: float, spec: float, prevalence: float) -> float:
    return sens * prevalence / (sens * prevalence + (1 - spec) * (1 - prevalence))


def window_scale(hu: float, level: float, width: float) -> float:
    low, high = level - width / 2, level + width / 2
    return (min(max(hu, low), high) - low) / (high - low)


leak_table = [(3, 0), (2, 1), (0, 2), (4, 2), (1, 0), (0, 3), (2, 2), (0, 1)]
# Background z-score: mixture of 30 % brain (mean 400, sd 100) and 70 % zeros.
mix_mean = 0.3 * 400
mix_sd = math.sqrt(0.3 * (100**2 + 400**2) - mix_mean**2)

RECOMPUTED = {
    "metrics-balanced-accuracy-from-counts": balanced_accuracy_score(
        *labels_from_counts(tp=30, fn=20, fp=50, tn=900)
    ),
    "metrics-f1-from-counts": f1_score(*labels_from_counts(tp=80, fn=40, fp=20, tn=860)),
    "metrics-ppv-from-prevalence": ppv(0.90, 0.95, 0.01),
    "segmentation-dice-from-iou": 2 * 0.6 / (1 + 0.6),
    "segmentation-iou-from-mask-counts": 800 / (1200 + 1000 - 800),
    "segmentation-pooled-vs-mean-dice": 2 * (9000 + 20) / (10000 + 10000 + 100 + 100),
    "class-imbalance-balanced-weights": compute_class_weight(
        "balanced", classes=np.array([0, 1]), y=np.array([0] * 900 + [1] * 100)
    )[0],
    "class-imbalance-cost-threshold": 1 / (1 + 9),
    "class-imbalance-focal-loss-ratio": focal(0.2) / focal(0.9),
    # 2000 lesions, 8 % malignant, stratified 80/20: 1600 train with 128 malignant.
    "class-imbalance-smote-count": (1600 - 128) - 128,
    "class-imbalance-undersample-count": 9500 - 500,
    "label-quality-cohens-kappa-2x2": kappa_from_table([[40, 10], [20, 130]]),
    "label-quality-kappa-prevalence-paradox": kappa_from_table([[2, 4], [4, 90]]),
    "label-quality-fleiss-kappa-table": fleiss_kappa(
        np.array([[4, 0, 0], [2, 2, 0], [0, 3, 1], [1, 1, 2], [0, 0, 4], [3, 1, 0]])
    ),
    "dicom-pixel-spacing-extent": 400 * 0.7,
    "dicom-rescale-to-hu": 2200 * 0.5 - 1024,
    "dicom-slice-bytes": 512 * 512 * 16 // 8,
    "dicom-window-lung-range": -600 - 1500 / 2,
    "cnn-transfer-conv-output-size": (224 - 7 + 2 * 3) // 2 + 1,
    "cnn-transfer-conv-parameters": (3 * 3 * 64 + 1) * 128,
    "cnn-transfer-receptive-field-pooling": receptive_field(
        [(3, 1), (3, 1), (2, 2), (3, 1), (3, 1)]
    ),
    "cnn-transfer-receptive-field-stack": receptive_field([(3, 1)] * 3),
    # Each test image leaks unless the patient's other three images are all in test too.
    "validation-expected-leak-random-split": 1000 * 4 * 0.2 * (1 - 0.2**3),
    "validation-leaked-test-images": sum(test for train, test in leak_table if train),
    "validation-patients-per-fold": 1500 * 4 // 5,
    "preprocessing-background-zscore": (400 - mix_mean) / mix_sd,
    "preprocessing-ct-window-scaling": window_scale(50, 40, 400),
    "preprocessing-resample-matrix-size": 512 * 0.7 / 1.0,
    "preprocessing-zscore-value": (190 - 250) / 40,
}


@pytest.mark.parametrize("question_id", sorted(RECOMPUTED))
def test_the_stored_key_matches_the_recomputed_value(keys, question_id):
    assert_within_key(keys[question_id], RECOMPUTED[question_id])
