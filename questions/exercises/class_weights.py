"""Balanced class weights, and what random under- and oversampling do to the class counts.

Binary for the easy level; three to five skin-lesion classes, heavily imbalanced, above it.
"""

from __future__ import annotations

import numpy as np

from .base import Exercise, Field, count_field, fmt, rng_for

KIND = "class_weights"
TITLE = "Class weights and resampling"
DESCRIPTION = (
    "Compute balanced class weights n/(k·n_c), each class's weighted share of the loss, and "
    "the class counts after random under- and oversampling."
)

# (key, label) in order of typical frequency, the majority first.
_BINARY = [("no_lesion", "no lesion"), ("lesion", "lesion")]
_SKIN = [
    ("nevus", "nevus"),
    ("melanoma", "melanoma"),
    ("bcc", "basal cell carcinoma"),
    ("keratosis", "actinic keratosis"),
    ("dermatofibroma", "dermatofibroma"),
]
# (classes low, classes high), (low, high) of: the lesion share for the binary easy level;
# above it a decay, class i getting weight decay**i before noise (small decay, steep imbalance).
_SHAPE = {
    "easy": ((2, 2), (0.02, 0.20)),
    "medium": ((3, 4), (0.15, 0.35)),
    "hard": ((4, 5), (0.08, 0.25)),
}
_TOTAL = {"easy": (200, 1200), "medium": (500, 3000), "hard": (1000, 6000)}


def balanced_weights(counts: list[int]) -> list[float]:
    """w_c = n / (k · n_c): scikit-learn's "balanced" heuristic."""
    n, k = sum(counts), len(counts)
    return [n / (k * c) for c in counts]


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    (k_low, k_high), (d_low, d_high) = _SHAPE[level]
    k = int(rng.integers(k_low, k_high + 1))
    classes = _BINARY if level == "easy" else _SKIN[:k]
    total = int(rng.integers(_TOTAL[level][0], _TOTAL[level][1] + 1))
    if level == "easy":
        share_positive = rng.uniform(d_low, d_high)
        counts = [
            total - max(1, round(total * share_positive)),
            max(1, round(total * share_positive)),
        ]
    else:
        decay = rng.uniform(d_low, d_high)
        shares = decay ** np.arange(k) * rng.uniform(0.7, 1.3, k)
        shares[0] = max(shares[0], shares[1:].max() * 1.5)  # the majority stays the majority
        # A floor of 5 images: a rarer class is not learnable, weights or not.
        counts = [max(5, round(total * s / shares.sum())) for s in shares]

    weights = balanced_weights(counts)
    n = sum(counts)
    expected: dict[str, float | None] = {}
    fields: list[Field] = []
    for (key, label), w in zip(classes, weights, strict=True):
        fields.append(Field(f"weight_{key}", f"Weight of {label}", 0.005, 3, "to 3 decimals"))
        expected[f"weight_{key}"] = w
    for (key, label), w, c in zip(classes, weights, counts, strict=True):
        # Absolute 0.05: the product w·n_c is n/k exactly; a weight rounded to 3 decimals
        # times a large count drifts, and the help text asks for the unrounded weight.
        fields.append(
            Field(
                f"loss_{key}",
                f"Weighted loss share of {label} (w × count)",
                0.05,
                1,
                "to 1 decimal, using the unrounded weight",
            )
        )
        expected[f"loss_{key}"] = w * c
    smallest, largest = min(counts), max(counts)
    fields += [
        count_field("under_per_class", "Images per class after random undersampling"),
        count_field("under_total", "Total images after random undersampling"),
        count_field("over_per_class", "Images per class after random oversampling"),
        count_field("over_total", "Total images after random oversampling"),
    ]
    expected |= {
        "under_per_class": float(smallest),
        "under_total": float(smallest * k),
        "over_per_class": float(largest),
        "over_total": float(largest * k),
    }
    data = {
        "classes": [
            {"key": key, "label": label, "count": c}
            for (key, label), c in zip(classes, counts, strict=True)
        ],
        "n": n,
    }
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=(
            f"A training set of {n} dermoscopy images has the class counts shown. Compute the "
            "balanced weight of each class, the total weight each class puts into the loss, "
            "and the class sizes after random undersampling and after random oversampling "
            "to equal class sizes."
        ),
        data=data,
        fields=fields,
        expected=expected,
        solution=_solution(classes, counts, weights),
    )


def _solution(classes: list[tuple[str, str]], counts: list[int], weights: list[float]) -> list[str]:
    n, k = sum(counts), len(counts)
    steps = [
        f"There are $n = {' + '.join(map(str, counts))} = {n}$ images in $k = {k}$ classes. "
        "The balanced weight of class $c$ is $w_c = \\frac{n}{k \\cdot n_c}$: a class half as "
        "frequent as average gets weight 2."
    ]
    for (_, label), c, w in zip(classes, counts, weights, strict=True):
        steps.append(f"$w_{{\\text{{{label}}}}} = \\frac{{{n}}}{{{k} \\times {c}}} = {fmt(w)}$")
    steps.append(
        f"Each class's weighted share of the loss is $w_c \\cdot n_c = \\frac{{n}}{{k \\cdot n_c}} "
        f"\\cdot n_c = \\frac{{n}}{{k}} = \\frac{{{n}}}{{{k}}} = {fmt(n / k, 1)}$, the same for "
        "every class: balanced weights make each class count equally in the loss, however "
        "few images it has."
    )
    smallest, largest = min(counts), max(counts)
    steps.append(
        f"Random undersampling keeps {smallest} images of every class (the smallest count), "
        f"so ${k} \\times {smallest} = {k * smallest}$ images remain and "
        f"{n - k * smallest} are discarded, most of them from the majority class."
    )
    steps.append(
        f"Random oversampling repeats images of the smaller classes until each has {largest} "
        f"(the largest count): ${k} \\times {largest} = {k * largest}$ images, of which "
        f"{k * largest - n} are duplicates; a model can memorise those, so watch for "
        "overfitting on the rare classes."
    )
    return steps
