"""Overlap metrics for a small lesion mask: Dice, IoU, and why pixel accuracy misleads.

Masks are small (16×16 to 32×32) so they can be counted on screen. The lesion is an ellipse
with a ragged edge; the prediction is a shifted, resized ellipse, sometimes with a stray
false-positive speck. At the hard level the lesion can be missed entirely, or absent.
"""

from __future__ import annotations

import numpy as np

from .base import Exercise, fmt, ratio_field, rng_for

KIND = "segmentation"
TITLE = "Segmentation overlap: Dice, IoU and pixel accuracy"
DESCRIPTION = (
    "Compare a predicted lesion mask with the ground truth: Dice, IoU and pixel accuracy, "
    "and why pixel accuracy flatters small lesions."
)

_SIZE = {"easy": 16, "medium": 24, "hard": 32}
_RADIUS = {"easy": (2.0, 3.5), "medium": (2.0, 4.0), "hard": (1.5, 3.5)}


def overlap(truth: np.ndarray, prediction: np.ndarray) -> dict[str, float]:
    """Dice, IoU and pixel accuracy of two binary masks.

    Dice and IoU of two empty masks are 0/0; we define both as 1.0 (nothing to find, nothing
    found: the prediction is perfect), the usual convention and scikit-learn's with
    zero_division=1.0.
    """
    t = np.asarray(truth, dtype=bool)
    p = np.asarray(prediction, dtype=bool)
    inter = int(np.sum(t & p))
    union = int(np.sum(t | p))
    sizes = int(t.sum()) + int(p.sum())
    return {
        "dice": 1.0 if sizes == 0 else 2 * inter / sizes,
        "iou": 1.0 if union == 0 else inter / union,
        "pixel_accuracy": float(np.mean(t == p)),
    }


def _ellipse(size: int, cy: float, cx: float, ry: float, rx: float, angle: float) -> np.ndarray:
    yy, xx = np.mgrid[0:size, 0:size]
    dy, dx = yy - cy, xx - cx
    cos, sin = np.cos(angle), np.sin(angle)
    u = (dx * cos + dy * sin) / rx
    v = (-dx * sin + dy * cos) / ry
    return u * u + v * v <= 1.0


def _edge(mask: np.ndarray) -> np.ndarray:
    """Pixels on either side of the mask's border (4-neighbourhood)."""
    padded = np.pad(mask, 1)
    neighbours = [padded[:-2, 1:-1], padded[2:, 1:-1], padded[1:-1, :-2], padded[1:-1, 2:]]
    grown = mask | np.logical_or.reduce(neighbours)
    shrunk = mask & np.logical_and.reduce(neighbours)
    return grown & ~shrunk


def _ragged(mask: np.ndarray, rng: np.random.Generator, p: float) -> np.ndarray:
    """Flip a random share of edge pixels: hand-drawn outlines are never clean ellipses."""
    return mask ^ (_edge(mask) & (rng.random(mask.shape) < p))


def _masks(rng: np.random.Generator, level: str) -> tuple[np.ndarray, np.ndarray]:
    size = _SIZE[level]
    r_low, r_high = _RADIUS[level]
    ry, rx = rng.uniform(r_low, r_high, 2)
    margin = r_high + 2
    cy, cx = rng.uniform(margin, size - 1 - margin, 2)
    angle = rng.uniform(0, np.pi)
    truth = _ragged(_ellipse(size, cy, cx, ry, rx, angle), rng, 0.25)
    shift = rng.uniform(-1.5, 1.5, 2)
    scale = rng.uniform(0.7, 1.3, 2)
    prediction = _ellipse(
        size, cy + shift[0], cx + shift[1], ry * scale[0], rx * scale[1], angle + rng.normal(0, 0.3)
    )
    prediction = _ragged(prediction, rng, 0.25)
    if level != "easy" and rng.random() < 0.5:
        # A stray speck far from the lesion: costs Dice, barely moves pixel accuracy.
        y, x = rng.integers(1, size - 2, 2)
        prediction[y : y + 2, x : x + int(rng.integers(1, 3))] = True
    if level == "hard":
        edge_case = rng.random()
        if edge_case < 0.08:
            prediction[:] = False  # the model missed the lesion
        elif edge_case < 0.16:
            truth[:] = False  # a slice without lesion; the model may still find a speck
            if rng.random() < 0.5:
                prediction[:] = False
    return truth, prediction


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    truth, prediction = _masks(rng, level)
    values = overlap(truth, prediction)
    size = truth.shape[0]
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=(
            f"A model segmented a lesion on a {size}×{size} image patch. Compare its mask "
            "with the ground truth (1 = lesion pixel): compute Dice, IoU (Jaccard) and pixel "
            "accuracy. If both masks are empty, take Dice and IoU as 1: there was nothing to "
            "find and nothing was found."
        ),
        data={
            "shape": [size, size],
            "ground_truth": truth.astype(np.int64).tolist(),
            "prediction": prediction.astype(np.int64).tolist(),
        },
        fields=[
            ratio_field("dice", "Dice coefficient"),
            ratio_field("iou", "IoU (Jaccard index)"),
            ratio_field("pixel_accuracy", "Pixel accuracy"),
        ],
        expected=dict(values),
        solution=_solution(truth, prediction, values),
    )


def _solution(truth: np.ndarray, prediction: np.ndarray, v: dict[str, float]) -> list[str]:
    a, b = int(truth.sum()), int(prediction.sum())
    inter = int(np.sum(truth & prediction))
    union = int(np.sum(truth | prediction))
    total = truth.size
    matching = int(np.sum(truth == prediction))
    steps = [
        f"Count pixels: ground truth $|A| = {a}$, prediction $|B| = {b}$, overlap "
        f"$|A \\cap B| = {inter}$, union $|A \\cup B| = {union}$, and {total} pixels in all.",
    ]
    if a + b == 0:
        steps.append(
            "Both masks are empty, so Dice and IoU are 0/0. By convention both are 1.0: there "
            "was nothing to find and nothing was found (scikit-learn: `zero_division=1.0`)."
        )
    else:
        steps.append(
            f"$\\text{{Dice}} = \\frac{{2 |A \\cap B|}}{{|A| + |B|}} = "
            f"\\frac{{2 \\times {inter}}}{{{a} + {b}}} = {fmt(v['dice'])}$"
        )
        steps.append(
            f"$\\text{{IoU}} = \\frac{{|A \\cap B|}}{{|A \\cup B|}} = \\frac{{{inter}}}{{{union}}} "
            f"= {fmt(v['iou'])}$; IoU is never above Dice, and "
            "$\\text{IoU} = \\frac{\\text{Dice}}{2 - \\text{Dice}}$."
        )
        if a == 0 or b == 0:
            steps.append(
                "One mask is empty and the other is not: there is no overlap, so Dice and IoU "
                "are 0."
            )
    steps.append(
        f"$\\text{{pixel accuracy}} = \\frac{{\\text{{matching pixels}}}}{{\\text{{all pixels}}}} "
        f"= \\frac{{{matching}}}{{{total}}} = {fmt(v['pixel_accuracy'])}$"
    )
    background = (total - a) / total
    steps.append(
        f"A model that predicts no lesion at all would reach pixel accuracy "
        f"$\\frac{{{total - a}}}{{{total}}} = {fmt(background)}$"
        + (
            ", with Dice 0. The lesion covers so few pixels that background dominates: "
            "pixel accuracy says little about small lesions, Dice and IoU do."
            if a
            else ", here a perfect score since there is no lesion to find."
        )
    )
    return steps
