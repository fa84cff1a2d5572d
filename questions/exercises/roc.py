"""Operating points and the area under the ROC curve, from scores and labels.

Scores are kept in integer hundredths inside the module so every comparison is exact and
the floats in `data` are the nearest doubles to their 2-decimal text.
"""

from __future__ import annotations

import numpy as np

from .base import Exercise, Field, fmt, ratio, ratio_field, rng_for

KIND = "roc"
TITLE = "ROC: operating points and AUC"
DESCRIPTION = (
    "Read sensitivity and specificity at a threshold, find the highest threshold that "
    "reaches a target sensitivity, and compute the ROC AUC by counting pairs."
)

# (cases low, cases high), (prevalence low, prevalence high), score step in hundredths,
# target sensitivities in percent
_SHAPE = {
    "easy": ((10, 12), (0.35, 0.45), 1, (75, 80)),
    "medium": ((16, 24), (0.20, 0.35), 1, (80, 90)),
    "hard": ((30, 40), (0.10, 0.20), 5, (90, 95)),
}


def operating_point(
    scores: np.ndarray, labels: np.ndarray, threshold: float
) -> tuple[float | None, float | None]:
    """Sensitivity and specificity when 'score >= threshold' is called positive."""
    scores, labels = np.asarray(scores), np.asarray(labels, dtype=bool)
    called = scores >= threshold
    sensitivity = ratio(int(np.sum(called & labels)), int(labels.sum()))
    specificity = ratio(int(np.sum(~called & ~labels)), int((~labels).sum()))
    return sensitivity, specificity


def threshold_for_sensitivity(scores: np.ndarray, labels: np.ndarray, percent: int) -> float:
    """The highest score value t with sensitivity(t) >= percent/100.

    It is the m-th highest positive score, m = ceil(percent * P / 100): any higher value
    leaves fewer than m positives at or above it. Integer ceil avoids 0.9 * 10 = 9.000…02.
    """
    positives = np.sort(np.asarray(scores)[np.asarray(labels, dtype=bool)])[::-1]
    if positives.size == 0:
        raise ValueError("no positive case: every threshold reaches any sensitivity")
    needed = max(1, -(-percent * positives.size // 100))
    return positives[needed - 1].item()


def pair_counts(scores: np.ndarray, labels: np.ndarray) -> tuple[int, int, int]:
    """(positive-negative pairs where the positive scores higher, tied pairs, all pairs)."""
    scores, labels = np.asarray(scores), np.asarray(labels, dtype=bool)
    pos, neg = scores[labels], scores[~labels]
    wins = int(np.sum(pos[:, None] > neg[None, :]))
    ties = int(np.sum(pos[:, None] == neg[None, :]))
    return wins, ties, pos.size * neg.size


def auc(scores: np.ndarray, labels: np.ndarray) -> float | None:
    """ROC AUC as the Mann-Whitney probability P(score+ > score-), ties counting 1/2."""
    wins, ties, pairs = pair_counts(scores, labels)
    return ratio(wins + ties / 2, pairs)


def _draw_scores(
    rng: np.random.Generator, labels: np.ndarray, step: int, distinct: bool
) -> np.ndarray:
    def draw(size_labels: np.ndarray) -> np.ndarray:
        raw = np.where(
            size_labels == 1,
            rng.beta(3.5, 2.0, size_labels.size),
            rng.beta(2.0, 3.5, size_labels.size),
        )
        return np.clip(np.rint(raw * 100 / step) * step, step, 100 - step).astype(np.int64)

    scores = draw(labels)
    # Easy exercises avoid ties; a few redraws suffice (≤ 12 scores among 99 values).
    while distinct and np.unique(scores).size < scores.size:
        _, first = np.unique(scores, return_index=True)
        repeat = np.setdiff1d(np.arange(scores.size), first)
        scores[repeat] = draw(labels[repeat])
    return scores


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    (n_low, n_high), prevalence, step, targets = _SHAPE[level]
    n = int(rng.integers(n_low, n_high + 1))
    positives = int(np.clip(round(n * rng.uniform(*prevalence)), 2, n - 2))
    labels = np.zeros(n, dtype=np.int64)
    labels[rng.choice(n, positives, replace=False)] = 1
    scores_h = _draw_scores(rng, labels, step, distinct=level == "easy")
    values = np.unique(scores_h)
    middle = values[int(0.3 * (values.size - 1)) : int(0.7 * (values.size - 1)) + 1]
    threshold_h = int(rng.choice(middle))
    target = int(rng.choice(targets))

    sensitivity, specificity = operating_point(scores_h, labels, threshold_h)
    best_h = threshold_for_sensitivity(scores_h, labels, target)
    area = auc(scores_h, labels)
    scores = (scores_h / 100).tolist()
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=(
            f"A classifier scored {n} cases (label 1 = lesion). Calling 'score ≥ threshold' "
            f"positive: give sensitivity and specificity at threshold {threshold_h / 100:.2f}; "
            f"the highest threshold, among the scores, with sensitivity at least {target} %; "
            "and the ROC AUC (ties count one half)."
        ),
        data={
            "scores": scores,
            "labels": labels.tolist(),
            "threshold": threshold_h / 100,
            "target_sensitivity": target / 100,
        },
        fields=[
            ratio_field("sensitivity", "Sensitivity at the threshold"),
            ratio_field("specificity", "Specificity at the threshold"),
            Field(
                "threshold_for_target",
                f"Highest threshold with sensitivity ≥ {target / 100:.2f}",
                0.0,
                2,
                "one of the scores, as shown",
            ),
            ratio_field("auc", "ROC AUC"),
        ],
        expected={
            "sensitivity": sensitivity,
            "specificity": specificity,
            "threshold_for_target": best_h / 100,
            "auc": area,
        },
        solution=_solution(scores_h, labels, threshold_h, target, best_h),
    )


def _solution(
    scores_h: np.ndarray, labels: np.ndarray, threshold_h: int, target: int, best_h: float
) -> list[str]:
    pos = np.sort(scores_h[labels == 1])[::-1]
    neg = np.sort(scores_h[labels == 0])[::-1]
    p, n = pos.size, neg.size
    tp = int(np.sum(pos >= threshold_h))
    tn = int(np.sum(neg < threshold_h))
    t = f"{threshold_h / 100:.2f}"
    needed = max(1, -(-target * p // 100))
    wins, ties, pairs = pair_counts(scores_h, labels)
    per_positive = "; ".join(
        f"{s / 100:.2f} beats {int(np.sum(s > neg))}"
        + (f", ties {int(np.sum(s == neg))}" if np.any(s == neg) else "")
        for s in pos
    )
    return [
        f"Positive scores, highest first: {', '.join(f'{s / 100:.2f}' for s in pos)} "
        f"(P = {p}). Negative scores: {', '.join(f'{s / 100:.2f}' for s in neg)} (N = {n}).",
        f"At threshold {t}, {tp} positives score ≥ {t} and {tn} negatives score below it: "
        f"$\\text{{sensitivity}} = \\frac{{TP}}{{P}} = \\frac{{{tp}}}{{{p}}} = {fmt(tp / p)}$, "
        f"$\\text{{specificity}} = \\frac{{TN}}{{N}} = \\frac{{{tn}}}{{{n}}} = {fmt(tn / n)}$. "
        "A score equal to the threshold counts as positive.",
        f"Sensitivity ≥ {target / 100:.2f} needs at least "
        f"$\\lceil {target / 100:.2f} \\times {p} \\rceil = {needed}$ positives at or above the "
        f"threshold. Lowering the threshold only adds positives, so the highest such threshold "
        f"is the {_ordinal(needed)} highest positive score: {best_h / 100:.2f}.",
        f"AUC is the probability that a random positive outscores a random negative. Over all "
        f"${p} \\times {n} = {pairs}$ pairs: {per_positive}. So $W = {wins}$ wins and "
        f"$T = {ties}$ ties: $\\text{{AUC}} = \\frac{{W + T/2}}{{P \\cdot N}} = "
        f"\\frac{{{wins} + {ties}/2}}{{{pairs}}} = {fmt((wins + ties / 2) / pairs)}$.",
    ]


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
