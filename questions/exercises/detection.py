"""Lesion detection scored by FROC: hits and false positives, sensitivity per FP rate, CPM.

Coordinates and radii are whole millimetres and scores distinct hundredths, so whether a
detection's centre lies inside a lesion (dx² + dy² ≤ r²) and which detection is kept at a
threshold are decided exactly. Lesions on one image never overlap, so a detection can hit at
most one lesion.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from .base import Exercise, Field, count_field, fmt, ratio_field, rng_for

KIND = "detection"
TITLE = "Detection: FROC and the CPM"
DESCRIPTION = (
    "Match candidate detections to lesions, count hits and false positives at a threshold, "
    "read sensitivity at 1/8 to 8 false positives per image off the FROC curve, and the CPM."
)

# False positives per image at which sensitivity is read (the LUNA16 points), in eighths so
# that comparisons stay in integers; the CPM is the mean sensitivity over them.
RATES: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64)
_SIZE = 100  # mm, the side of an image
# images, (lesions per image low, high), (false candidates per image low, high), duplicates
_SHAPE = {
    "easy": (3, (0, 2), (0, 2), False),
    "medium": (4, (0, 3), (1, 4), True),
    "hard": (5, (0, 3), (0, 4), True),
}


def rate_name(eighths: int) -> str:
    return str(Fraction(eighths, 8))  # "1/8", "1", "8"


def rate_key(eighths: int) -> str:
    rate = Fraction(eighths, 8)
    return f"sens_{rate.numerator}_{rate.denominator}" if rate < 1 else f"sens_{rate.numerator}"


def classify(images: list[dict[str, Any]]) -> list[tuple[int, int, bool]]:
    """(image, score in hundredths, is a hit) for every detection, highest score first.

    A detection is a hit when its centre lies within a lesion's radius and no higher-scoring
    detection already hit that lesion: one detection per lesion, a second one on the same
    lesion is a false positive. The label does not depend on the threshold, since the best
    detection of a lesion is kept whenever any of them is.
    """
    rows = []
    for i, image in enumerate(images):
        taken: set[int] = set()
        detections = sorted(image["detections"], key=lambda d: -d["score_h"])
        for d in detections:
            hit = next(
                (
                    j
                    for j, lesion in enumerate(image["lesions"])
                    if (d["x"] - lesion["x"]) ** 2 + (d["y"] - lesion["y"]) ** 2 <= lesion["r"] ** 2
                ),
                None,
            )
            first = hit is not None and hit not in taken
            if first:
                assert hit is not None
                taken.add(hit)
            rows.append((i, int(d["score_h"]), first))
    rows.sort(key=lambda row: -row[1])
    return rows


def froc(rows: list[tuple[int, int, bool]]) -> list[tuple[int, int, int]]:
    """(threshold in hundredths, false positives, true positives) at every distinct score,
    highest first, after the point (101, 0, 0) where nothing is kept."""
    points = [(101, 0, 0)]
    tp = fp = 0
    for _, score, hit in rows:
        tp += hit
        fp += not hit
        points.append((score, fp, tp))
    return points


def hits_at(points: list[tuple[int, int, int]], eighths: int, images: int) -> int:
    """The most true positives reached with at most eighths/8 false positives per image."""
    return max(tp for _, fp, tp in points if 8 * fp <= eighths * images)


def _images(rng: np.random.Generator, level: str) -> list[dict[str, Any]]:
    count, (l_low, l_high), (f_low, f_high), duplicates = _SHAPE[level]
    images: list[dict[str, Any]] = []
    for _ in range(count):
        lesions: list[dict[str, int]] = []
        for _ in range(int(rng.integers(l_low, l_high + 1))):
            for _ in range(50):  # rejection sampling: lesions never overlap
                r = int(rng.integers(4, 11))
                x, y = (int(v) for v in rng.integers(r + 2, _SIZE - r - 2, 2))
                if all(
                    (x - o["x"]) ** 2 + (y - o["y"]) ** 2 > (r + o["r"] + 2) ** 2 for o in lesions
                ):
                    lesions.append({"x": x, "y": y, "r": r})
                    break
        detections: list[dict[str, int]] = []
        for lesion in lesions:
            found = int(rng.random() < 0.8) + int(duplicates and rng.random() < 0.2)
            for _ in range(found):
                angle, reach = rng.uniform(0, 2 * np.pi), rng.uniform(0, 0.9) * lesion["r"]
                detections.append(
                    {
                        "x": round(lesion["x"] + reach * np.cos(angle)),
                        "y": round(lesion["y"] + reach * np.sin(angle)),
                        "kind": 1,
                    }
                )
            if rng.random() < 0.15:  # a near miss, just outside the lesion
                angle = rng.uniform(0, 2 * np.pi)
                reach = lesion["r"] + 2
                detections.append(
                    {
                        "x": round(lesion["x"] + reach * np.cos(angle)),
                        "y": round(lesion["y"] + reach * np.sin(angle)),
                        "kind": 0,
                    }
                )
        for _ in range(int(rng.integers(f_low, f_high + 1))):
            x, y = (int(v) for v in rng.integers(2, _SIZE - 2, 2))
            detections.append({"x": x, "y": y, "kind": 0})
        for d in detections:
            d["x"] = min(max(d["x"], 0), _SIZE - 1)
            d["y"] = min(max(d["y"], 0), _SIZE - 1)
        images.append({"lesions": lesions, "detections": detections})
    return images


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    images = _images(rng, level)
    while sum(len(i["lesions"]) for i in images) < 2:
        images = _images(rng, level)
    # Distinct scores: lesions tend to score higher than false candidates.
    flat = [d for image in images for d in image["detections"]]
    raw = np.array([rng.beta(4, 2) if d["kind"] else rng.beta(2, 3) for d in flat])
    order = np.argsort(-raw, kind="stable")
    values = np.sort(rng.choice(np.arange(5, 100), size=len(flat), replace=False))[::-1]
    for rank, index in enumerate(order):
        flat[int(index)]["score_h"] = int(values[rank])
    for d in flat:
        del d["kind"]
    n_images = len(images)
    lesions = sum(len(i["lesions"]) for i in images)
    rows = classify(images)
    points = froc(rows)
    scores = sorted({s for _, s, _ in rows})
    threshold_h = int(scores[int(rng.integers(len(scores) // 4, 3 * len(scores) // 4 + 1))])
    kept = [hit for _, s, hit in rows if s >= threshold_h]
    tp, fp = sum(kept), len(kept) - sum(kept)
    at = {rate: hits_at(points, rate, n_images) for rate in RATES}
    cpm = sum(at.values()) / (len(RATES) * lesions)

    fields: list[Field] = [
        count_field("tp", f"True positives at threshold {threshold_h / 100:.2f}"),
        count_field("fp", f"False positives at threshold {threshold_h / 100:.2f}"),
    ]
    fields += [
        ratio_field(rate_key(rate), f"Sensitivity at {rate_name(rate)} FP per image")
        for rate in RATES
    ]
    fields.append(ratio_field("cpm", "CPM (mean of the seven sensitivities)"))
    expected: dict[str, float | None] = {"tp": tp, "fp": fp}
    expected |= {rate_key(rate): hits / lesions for rate, hits in at.items()}
    expected["cpm"] = cpm
    shown = [
        {
            "lesions": image["lesions"],
            "detections": [
                {"x": d["x"], "y": d["y"], "score": d["score_h"] / 100}
                for d in sorted(image["detections"], key=lambda d: -d["score_h"])
            ],
        }
        for image in images
    ]
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=(
            f"A nodule detector marked candidates on {n_images} images ({lesions} lesions in all; "
            "coordinates and radii in mm). A detection is a hit when its centre lies within a "
            "lesion's radius ($d \\le r$); each lesion counts once, by its highest-scoring hit, "
            "and any other detection, a second one on the same lesion included, is a false "
            "positive. Detections with score ≥ threshold are kept. Give the true and false "
            f"positives at threshold {threshold_h / 100:.2f}; the sensitivity at 1/8, 1/4, 1/2, "
            "1, 2, 4 and 8 false positives per image, each read off the FROC curve as the "
            "highest sensitivity reached with at most that many false positives per image; and "
            "the CPM, their mean."
        ),
        data={"images": shown, "threshold": threshold_h / 100, "lesions": lesions},
        fields=fields,
        expected=expected,
        solution=_solution(rows, points, n_images, lesions, threshold_h, at, cpm),
    )


def _solution(
    rows: list[tuple[int, int, bool]],
    points: list[tuple[int, int, int]],
    images: int,
    lesions: int,
    threshold_h: int,
    at: dict[int, int],
    cpm: float,
) -> list[str]:
    listed = ", ".join(
        f"{s / 100:.2f} ({'hit' if hit else 'FP'}, image {i + 1})" for i, s, hit in rows
    )
    kept = [hit for _, s, hit in rows if s >= threshold_h]
    tp, fp = sum(kept), len(kept) - sum(kept)
    steps = [
        "Match each image's detections, highest score first: a detection whose centre is within "
        "$r$ of a lesion's centre ($\\Delta x^2 + \\Delta y^2 \\le r^2$) and whose lesion is "
        "not yet found is a hit; every other detection is a false positive. All detections, "
        f"highest score first: {listed}.",
        f"At threshold {threshold_h / 100:.2f} the {len(kept)} detections with score ≥ "
        f"{threshold_h / 100:.2f} are {tp} hits (TP = {tp}) and {fp} false positives "
        f"(FP = {fp}): sensitivity {tp}/{lesions} = {fmt(tp / lesions)} at "
        f"{fp}/{images} = {fmt(fp / images, 2)} FP per image.",
    ]
    # The corners of the FROC staircase: the most hits before each further false positive;
    # only those where the hits went up matter for reading sensitivity off the curve.
    corners = [
        (t, f, h)
        for k, (t, f, h) in enumerate(points)
        if k + 1 == len(points) or points[k + 1][1] > f
    ]
    steps_up = [c for k, c in enumerate(corners) if k == 0 or c[2] > corners[k - 1][2]]
    curve = "; ".join(
        f"{h} hit{'' if h == 1 else 's'} with {f} FP ({fmt(f / images, 2)} per image), down to "
        f"threshold {t / 100:.2f}"
        if t <= 100
        else "nothing kept: 0 hits, 0 FP"
        for t, f, h in steps_up
    )
    steps.append(
        "Lowering the threshold through every score traces the FROC curve. Where it climbs, "
        f"with {images} images and {lesions} lesions: {curve}. Beyond the last of these only "
        f"false positives are added, up to {corners[-1][1]} in all."
    )
    readings = "; ".join(
        f"{rate_name(rate)} FP/image allows {rate * images // 8} FP: "
        f"{hits}/{lesions} = {fmt(hits / lesions)}"
        for rate, hits in at.items()
    )
    steps.append(
        "At each rate, take the highest sensitivity among the points with at most that many "
        f"false positives per image (at most rate × {images} false positives in all): "
        f"{readings}."
    )
    values = " + ".join(fmt(hits / lesions) for hits in at.values())
    steps.append(
        f"$\\text{{CPM}} = \\frac{{1}}{{7}}({values}) = {fmt(cpm)}$. The sensitivity at 8 FP "
        "per image is usually the most the detector reaches: a lesion it never marked is "
        "missed at every threshold."
    )
    return steps
