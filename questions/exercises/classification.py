"""Confusion matrix and the metrics built on it, for a rare-lesion detector.

Prevalence is kept realistic (2-20 % of cases have a lesion) because that is where the
metrics disagree: accuracy looks excellent while recall or precision is poor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import Exercise, count_field, fmt, ratio, ratio_field, rng_for

KIND = "classification"
TITLE = "Confusion matrix and classification metrics"
DESCRIPTION = (
    "Count TP, FP, FN and TN for a lesion detector, then derive precision, recall, "
    "specificity, F1, accuracy and balanced accuracy."
)

# (fewest cases, most cases), (lowest prevalence, highest prevalence)
_SIZE = {"easy": (20, 30), "medium": (40, 80), "hard": (30, 50)}
_PREVALENCE = {"easy": (0.10, 0.20), "medium": (0.05, 0.12), "hard": (0.02, 0.20)}

METRICS = ("precision", "recall", "specificity", "f1", "accuracy", "balanced_accuracy")


@dataclass(frozen=True)
class Counts:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


def confusion(labels: np.ndarray, predictions: np.ndarray) -> Counts:
    """Cells of the binary confusion matrix; 1 means 'lesion present'."""
    labels = np.asarray(labels, dtype=bool)
    predictions = np.asarray(predictions, dtype=bool)
    return Counts(
        tp=int(np.sum(labels & predictions)),
        fp=int(np.sum(~labels & predictions)),
        fn=int(np.sum(labels & ~predictions)),
        tn=int(np.sum(~labels & ~predictions)),
    )


def metrics(c: Counts) -> dict[str, float | None]:
    """Each metric, or None where its denominator is 0.

    F1 is 2TP / (2TP + FP + FN): it stays defined (and is 0) when precision alone is
    undefined, as scikit-learn computes it.
    """
    recall = ratio(c.tp, c.tp + c.fn)
    specificity = ratio(c.tn, c.tn + c.fp)
    balanced = None if recall is None or specificity is None else (recall + specificity) / 2
    return {
        "precision": ratio(c.tp, c.tp + c.fp),
        "recall": recall,
        "specificity": specificity,
        "f1": ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
        "accuracy": ratio(c.tp + c.tn, c.n),
        "balanced_accuracy": balanced,
    }


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    n = int(rng.integers(_SIZE[level][0], _SIZE[level][1] + 1))
    prevalence = rng.uniform(*_PREVALENCE[level])
    # An exact count, not a binomial draw, keeps small sets inside the intended 2-20 %;
    # at least one lesion, or recall would be undefined.
    positives = int(np.clip(round(n * prevalence), max(1, np.ceil(0.02 * n)), 0.2 * n))
    labels = np.zeros(n, dtype=np.int64)
    labels[rng.choice(n, size=positives, replace=False)] = 1

    data: dict = {"n": n, "positive_label": "lesion present", "labels": labels.tolist()}
    if level == "hard":
        scores_h, threshold_h = _scores(rng, labels)
        predictions = (scores_h >= threshold_h).astype(np.int64)
        # Hundredths are kept as integers and divided once, so every float shown is the
        # nearest double to its 2-decimal text and `score >= threshold` agrees with the page.
        scores = (scores_h / 100).tolist()
        data |= {
            "scores": scores,
            "threshold": threshold_h / 100,
            "cases": [
                {"case": i + 1, "score": s, "label": int(y)}
                for i, (s, y) in enumerate(zip(scores, labels, strict=True))
            ],
        }
    else:
        sensitivity = rng.uniform(0.55, 0.95)
        false_alarm = rng.uniform(0.02, 0.15)
        draw = rng.random(n)
        predictions = np.where(labels == 1, draw < sensitivity, draw < false_alarm)
        predictions = predictions.astype(np.int64)
        data["predictions"] = predictions.tolist()

    counts = confusion(labels, predictions)
    values = metrics(counts)
    expected: dict[str, float | None] = {
        "tp": float(counts.tp),
        "fp": float(counts.fp),
        "fn": float(counts.fn),
        "tn": float(counts.tn),
        **values,
    }
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=_prompt(level, n),
        data=data,
        fields=list(_FIELDS),
        expected=expected,
        solution=_solution(data, predictions, counts, values),
    )


def _scores(rng: np.random.Generator, labels: np.ndarray) -> tuple[np.ndarray, int]:
    """Scores in hundredths (lesions tend to score higher) and a threshold in hundredths."""
    raw = np.where(labels == 1, rng.beta(4.0, 2.0, labels.size), rng.beta(2.0, 4.5, labels.size))
    scores_h = np.clip(np.rint(raw * 100), 1, 99).astype(np.int64)
    middle = scores_h[(scores_h >= 30) & (scores_h <= 75)]
    pick = rng.random()
    if pick < 0.06 and scores_h.max() < 99:
        # Now and then the model flags nothing: precision is undefined, F1 is 0.
        threshold_h = int(rng.integers(scores_h.max() + 1, 100))
    elif middle.size and pick < 0.5:
        # A threshold equal to one of the scores tests the '>=' rule.
        threshold_h = int(rng.choice(middle))
    else:
        threshold_h = int(rng.integers(30, 76))
    return scores_h, threshold_h


def _prompt(level: str, n: int) -> str:
    if level == "hard":
        return (
            f"A lesion detector scored {n} images. An image is predicted positive when its "
            "score is at or above the threshold (score ≥ threshold). Build the confusion "
            "matrix, then compute the metrics. Leave a metric blank if it is undefined (0/0)."
        )
    return (
        f"A lesion detector was run on {n} images; the table gives the true label and the "
        "prediction (1 = lesion present). Build the confusion matrix, then compute the "
        "metrics. Leave a metric blank if it is undefined (0/0)."
    )


_FIELDS = [
    count_field("tp", "TP (lesion present, predicted present)"),
    count_field("fp", "FP (no lesion, predicted present)"),
    count_field("fn", "FN (lesion present, predicted absent)"),
    count_field("tn", "TN (no lesion, predicted absent)"),
    ratio_field("precision", "Precision (positive predictive value)"),
    ratio_field("recall", "Recall (sensitivity)"),
    ratio_field("specificity", "Specificity"),
    ratio_field("f1", "F1 score"),
    ratio_field("accuracy", "Accuracy"),
    ratio_field("balanced_accuracy", "Balanced accuracy"),
]


def _step(
    name: str, formula: str, filled: str, value: float | None, why_undefined: str, note: str = ""
) -> str:
    if value is None:
        return f"$\\text{{{name}}} = {formula} = {filled}$ is undefined (0/0): {why_undefined}"
    step = f"$\\text{{{name}}} = {formula} = {filled} = {fmt(value)}$"
    return f"{step}. {note}" if note else step


def _solution(
    data: dict, predictions: np.ndarray, c: Counts, v: dict[str, float | None]
) -> list[str]:
    steps: list[str] = []
    if "threshold" in data:
        flagged = [
            f"#{row['case']} ({row['score']:.2f})"
            for row, p in zip(data["cases"], predictions, strict=True)
            if p
        ]
        listed = ", ".join(flagged) if flagged else "none"
        steps.append(
            f"Apply the threshold: a case is predicted positive when its score ≥ "
            f"{data['threshold']:.2f} (a score equal to the threshold counts as positive). "
            f"Predicted positive: {listed}."
        )
    steps.append(
        f"Count the four cells: TP = {c.tp}, FP = {c.fp}, FN = {c.fn}, TN = {c.tn}; "
        f"they add up to the {c.n} cases, of which {c.tp + c.fn} have a lesion."
    )
    steps.append(
        _step(
            "precision",
            "\\frac{TP}{TP+FP}",
            f"\\frac{{{c.tp}}}{{{c.tp}+{c.fp}}}",
            v["precision"],
            "the model flagged no case, so there is no flagged case to be right about. "
            "Leave it blank (scikit-learn returns its `zero_division` value instead).",
        )
    )
    steps.append(
        _step(
            "recall",
            "\\frac{TP}{TP+FN}",
            f"\\frac{{{c.tp}}}{{{c.tp}+{c.fn}}}",
            v["recall"],
            "there is no lesion to find.",
        )
    )
    steps.append(
        _step(
            "specificity",
            "\\frac{TN}{TN+FP}",
            f"\\frac{{{c.tn}}}{{{c.tn}+{c.fp}}}",
            v["specificity"],
            "there is no lesion-free case.",
        )
    )
    steps.append(
        _step(
            "F1",
            "\\frac{2\\,TP}{2\\,TP+FP+FN}",
            f"\\frac{{2 \\times {c.tp}}}{{2 \\times {c.tp}+{c.fp}+{c.fn}}}",
            v["f1"],
            "no case is positive in either the labels or the predictions.",
            "It is the harmonic mean of precision and recall, and stays defined (it is 0) "
            "when precision alone is undefined because lesions were missed.",
        )
    )
    steps.append(
        _step(
            "accuracy",
            "\\frac{TP+TN}{n}",
            f"\\frac{{{c.tp}+{c.tn}}}{{{c.n}}}",
            v["accuracy"],
            "there are no cases.",
            f"A model that calls every image negative would score "
            f"${c.tn + c.fp}/{c.n} = {fmt((c.tn + c.fp) / c.n)}$ here: with rare lesions, "
            "accuracy mostly measures the negatives.",
        )
    )
    if v["balanced_accuracy"] is None:
        steps.append(
            "Balanced accuracy $= \\frac{\\text{recall} + \\text{specificity}}{2}$ is undefined "
            "because one of its two terms is."
        )
    else:
        steps.append(
            f"$\\text{{balanced accuracy}} = \\frac{{\\text{{recall}} + "
            f"\\text{{specificity}}}}{{2}} = \\frac{{{fmt(v['recall'])} + "
            f"{fmt(v['specificity'])}}}{{2}} = {fmt(v['balanced_accuracy'])}$: each class "
            "counts equally, whatever its size."
        )
    return steps
