"""Calibration of predicted probabilities: Brier score, binned reliability, ECE and MCE.

Probabilities are kept in integer hundredths inside the module, so the bin of a prediction on
a bin edge is decided exactly (0.30 with 10 bins goes into (0.2, 0.3], as in scikit-learn's
`calibration_curve`), and the floats in `data` are the nearest doubles to their 2-decimal text.
"""

from __future__ import annotations

import numpy as np

from .base import Exercise, Field, fmt, ratio_field, rng_for

KIND = "calibration"
TITLE = "Calibration: Brier score, reliability and ECE"
DESCRIPTION = (
    "From predicted probabilities and outcomes, compute the Brier score, a bin's mean "
    "prediction and observed rate, and the expected (and maximum) calibration error."
)

# (predictions low, high), number of equal-width bins
_SHAPE = {"easy": ((16, 20), 5), "medium": ((30, 40), 10), "hard": ((50, 60), 10)}


def bin_index(hundredths: np.ndarray, bins: int) -> np.ndarray:
    """Bin of each prediction: bins are (a, b], the first [0, 1/bins], so an edge goes down.

    In hundredths h, the bin is ceil(h · bins / 100) - 1, exact in integers.
    """
    h = np.asarray(hundredths, dtype=np.int64)
    return np.maximum(0, -(-h * bins // 100) - 1)


def reliability(
    hundredths: np.ndarray, outcomes: np.ndarray, bins: int
) -> tuple[np.ndarray, list[float | None], list[float | None]]:
    """(count, mean prediction, observed rate) per bin; empty bins have None (0/0)."""
    index = bin_index(hundredths, bins)
    counts = np.bincount(index, minlength=bins)
    confidence: list[float | None] = []
    observed: list[float | None] = []
    for b in range(bins):
        chosen = index == b
        if counts[b]:
            confidence.append(float(np.sum(hundredths[chosen])) / 100 / int(counts[b]))
            observed.append(int(np.sum(outcomes[chosen])) / int(counts[b]))
        else:
            confidence.append(None)
            observed.append(None)
    return counts, confidence, observed


def calibration_errors(
    hundredths: np.ndarray, outcomes: np.ndarray, bins: int
) -> tuple[float, float]:
    """(ECE, MCE): the count-weighted mean and the maximum of |mean prediction − observed
    rate| over the non-empty bins."""
    counts, confidence, observed = reliability(hundredths, outcomes, bins)
    gaps = [
        (int(c), abs(p - o))
        for c, p, o in zip(counts, confidence, observed, strict=True)
        if p is not None and o is not None
    ]
    total = int(counts.sum())
    return sum(c * g for c, g in gaps) / total, max(g for _, g in gaps)


def brier(hundredths: np.ndarray, outcomes: np.ndarray) -> float:
    """Mean squared difference between probability and outcome, from integers."""
    squared = (np.asarray(hundredths, dtype=np.int64) - 100 * np.asarray(outcomes)) ** 2
    return int(squared.sum()) / 10000 / squared.size


def edges(bins: int) -> list[str]:
    """Each bin as text: [0.0, 0.1], (0.1, 0.2], …"""
    cut = [f"{b / bins:.1f}" for b in range(bins + 1)]
    return [f"{'[' if b == 0 else '('}{cut[b]}, {cut[b + 1]}]" for b in range(bins)]


def _draw(rng: np.random.Generator, level: str) -> tuple[np.ndarray, np.ndarray]:
    (n_low, n_high), bins = _SHAPE[level]
    n = int(rng.integers(n_low, n_high + 1))
    # A model that is over- or under-confident: the true risk is p ** gamma.
    gamma = rng.choice([rng.uniform(0.5, 0.8), rng.uniform(1.3, 2.0)])
    h = np.clip(np.rint(rng.beta(0.9, 1.1, n) * 100), 1, 99).astype(np.int64)
    # A few predictions exactly on a bin edge, where the binning rule matters.
    on_edge = rng.random(n) < 0.15
    h[on_edge] = rng.integers(1, bins, int(on_edge.sum())) * (100 // bins)
    outcomes = (rng.random(n) < (h / 100) ** gamma).astype(np.int64)
    return h, outcomes


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    bins = _SHAPE[level][1]
    h, outcomes = _draw(rng, level)
    counts, confidence, observed = reliability(h, outcomes, bins)
    ece, mce = calibration_errors(h, outcomes, bins)
    # The named bin holds at least two predictions where possible.
    candidates = np.flatnonzero(counts >= 2)
    if candidates.size == 0:
        candidates = np.flatnonzero(counts)
    named = int(rng.choice(candidates))
    span = edges(bins)[named]
    fields = [
        Field("brier", "Brier score", 0.0005, 4, "to 4 decimals"),
        ratio_field("bin_confidence", f"Mean predicted probability in bin {span}"),
        ratio_field("bin_observed", f"Observed rate of outcome 1 in bin {span}"),
        ratio_field("ece", "Expected calibration error (ECE)"),
    ]
    expected: dict[str, float | None] = {
        "brier": brier(h, outcomes),
        "bin_confidence": confidence[named],
        "bin_observed": observed[named],
        "ece": ece,
    }
    if level == "hard":
        fields.append(ratio_field("mce", "Maximum calibration error (MCE)"))
        expected["mce"] = mce
    width = f"{1 / bins:.1f}"
    prompt = (
        f"A model predicted the probability of malignancy for {h.size} lesions; the outcomes "
        f"are known (1 = malignant). Give the Brier score; with {bins} equal-width bins of "
        f"width {width} (a prediction exactly on an edge goes into the lower bin: bins are "
        f"(a, b], the first [0, {width}]), the mean predicted probability and the observed "
        f"rate in bin {span}; and the expected calibration error, "
        "$\\text{ECE} = \\sum_b \\frac{n_b}{N} |\\bar p_b - \\bar y_b|$ over the non-empty "
        "bins."
    )
    if level == "hard":
        prompt += " Also give the maximum calibration error, the largest $|\\bar p_b - \\bar y_b|$."
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=prompt,
        data={
            "probabilities": (h / 100).tolist(),
            "outcomes": outcomes.tolist(),
            "bins": bins,
            "named_bin": named,
            "named_bin_edges": span,
        },
        fields=fields,
        expected=expected,
        solution=_solution(h, outcomes, bins, named, level),
    )


def _solution(h: np.ndarray, outcomes: np.ndarray, bins: int, named: int, level: str) -> list[str]:
    n = h.size
    counts, confidence, observed = reliability(h, outcomes, bins)
    ece, mce = calibration_errors(h, outcomes, bins)
    spans = edges(bins)
    squared = int(((h - 100 * outcomes) ** 2).sum()) / 10000
    index = bin_index(h, bins)
    inside = h[index == named]
    hits = int(outcomes[index == named].sum())
    on_edge = sorted({int(v) for v in h if v % (100 // bins) == 0})
    rate = float(outcomes.mean())
    steps = [
        f"Brier score: $\\frac{{1}}{{N}} \\sum_i (p_i - y_i)^2 = "
        f"\\frac{{{fmt(squared, 4)}}}{{{n}}} = {fmt(brier(h, outcomes), 4)}$. 0 is perfect; "
        f"always predicting the base rate {fmt(rate, 2)} would give {fmt(rate * (1 - rate), 4)}.",
    ]
    if on_edge:
        shown = ", ".join(f"{v / 100:.2f}" for v in on_edge)
        steps.append(
            f"Predictions on a bin edge ({shown}) go into the bin they close: "
            f"{on_edge[0] / 100:.2f} is in {spans[on_edge[0] * bins // 100 - 1]}."
        )
    listed = ", ".join(f"{v / 100:.2f}" for v in sorted(inside))
    steps.append(
        f"Bin {spans[named]} holds {inside.size} predictions ({listed}), {hits} of them with "
        f"outcome 1: $\\bar p = {fmt(confidence[named])}$, $\\bar y = "
        f"\\frac{{{hits}}}{{{inside.size}}} = {fmt(observed[named])}$."
    )
    rows = []
    for b in range(bins):
        p, o = confidence[b], observed[b]
        if p is None or o is None:
            continue
        rows.append(
            f"{spans[b]}: $n = {int(counts[b])}$, $|{fmt(p)} - {fmt(o)}| = {fmt(abs(p - o))}$"
        )
    empty = bins - len(rows)
    steps.append(
        "Per non-empty bin: "
        + "; ".join(rows)
        + (
            f". {empty} empty bin{'s' if empty > 1 else ''} (mean and rate 0/0, undefined) "
            "weigh nothing."
            if empty
            else "."
        )
    )
    steps.append(
        f"$\\text{{ECE}} = \\sum_b \\frac{{n_b}}{{{n}}} |\\bar p_b - \\bar y_b| = {fmt(ece)}$: "
        "on average the predicted probability is this far from the observed rate."
    )
    if level == "hard":
        steps.append(
            f"$\\text{{MCE}} = \\max_b |\\bar p_b - \\bar y_b| = {fmt(mce)}$. With few "
            "predictions per bin both are noisy; a bin of one prediction can set the MCE."
        )
    return steps
