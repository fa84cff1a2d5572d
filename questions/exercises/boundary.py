"""Boundary distances between two masks: Hausdorff, HD95 and ASSD, with voxel spacing.

Definitions, stated in the prompt and used by the tests:

- The surface of a mask is its voxels with at least one face neighbour (4-connected in 2D,
  6-connected in 3D) outside the mask; outside the array counts as outside.
- The directed distances from A to B are, for each surface voxel of A, the Euclidean distance
  in mm (voxel centres, index differences times the spacing) to the nearest surface voxel
  of B.
- HD is the largest directed distance either way; HD95 the larger of the two directed 95th
  percentiles (numpy's default linear interpolation); ASSD the mean of all directed
  distances of both directions pooled.
"""

from __future__ import annotations

import numpy as np

from .base import Exercise, Field, fmt, rng_for

KIND = "boundary"
TITLE = "Boundary distances: Hausdorff, HD95 and ASSD"
DESCRIPTION = (
    "Compare two segmentation outlines by their surface distances in mm, with anisotropic "
    "voxel spacing: Hausdorff distance, HD95 and average symmetric surface distance."
)

# shape, (spacing choices per axis)
_SHAPE: dict[str, tuple[tuple[int, ...], tuple[tuple[float, ...], ...]]] = {
    "easy": ((12, 12), ((1.0, 1.2, 1.5), (0.6, 0.75))),
    "medium": ((16, 16), ((0.6, 0.8, 1.2), (0.4, 0.5, 0.7))),
    "hard": ((7, 12, 12), ((2.5, 3.0, 5.0), (0.6, 0.8), (0.6, 0.8))),
}
_NAMES = ("hd", "hd95", "assd")


def surface(mask: np.ndarray) -> np.ndarray:
    """Mask voxels with a face neighbour outside the mask (or outside the array)."""
    mask = np.asarray(mask, dtype=bool)
    padded = np.zeros(tuple(n + 2 for n in mask.shape), dtype=bool)
    padded[tuple(slice(1, -1) for _ in range(mask.ndim))] = mask
    inner = np.ones_like(mask)
    centre = tuple(slice(1, -1) for _ in range(mask.ndim))
    for axis in range(mask.ndim):
        for step in (-1, 1):
            shifted = list(centre)
            shifted[axis] = slice(1 + step, padded.shape[axis] - 1 + step)
            inner &= padded[tuple(shifted)]
    return mask & ~inner


def directed_both(
    a: np.ndarray, b: np.ndarray, spacing: tuple[float, ...], *, surfaces: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The directed surface distances a → b and b → a, in the units of `spacing`
    (`surfaces=True`: a and b are surfaces already)."""
    scale = np.asarray(spacing, dtype=float)
    pa = np.argwhere(a if surfaces else surface(a)) * scale
    pb = np.argwhere(b if surfaces else surface(b)) * scale
    squared = ((pa[:, None, :] - pb[None, :, :]) ** 2).sum(axis=2)
    return np.sqrt(squared.min(axis=1)), np.sqrt(squared.min(axis=0))


def percentile(values: np.ndarray, q: float) -> float:
    """numpy's default ("linear") percentile, without its generality (and cost)."""
    ordered = np.sort(values)
    position = (ordered.size - 1) * q / 100
    low = int(position)
    high = min(low + 1, ordered.size - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def summarise(ab: np.ndarray, ba: np.ndarray) -> dict[str, float]:
    return {
        "hd": float(max(ab.max(), ba.max())),
        "hd95": max(percentile(ab, 95), percentile(ba, 95)),
        "assd": float((ab.sum() + ba.sum()) / (ab.size + ba.size)),
    }


def distances(a: np.ndarray, b: np.ndarray, spacing: tuple[float, ...]) -> dict[str, float]:
    """HD, HD95 and ASSD of two non-empty masks, in the units of `spacing`."""
    return summarise(*directed_both(a, b, spacing))


def _blob(shape: tuple[int, ...], centre: np.ndarray, radii: np.ndarray) -> np.ndarray:
    grids = np.indices(shape, dtype=float)
    total = sum(((g - c) / r) ** 2 for g, c, r in zip(grids, centre, radii, strict=True))
    return np.asarray(total <= 1.0)


def _masks(rng: np.random.Generator, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    dims = np.array(shape, dtype=float)
    while True:
        radii = rng.uniform(0.18, 0.32, len(shape)) * dims
        if len(shape) == 3:
            radii[0] = rng.uniform(1.8, 3.0)
        centre = (dims - 1) / 2 + rng.uniform(-0.1, 0.1, len(shape)) * dims
        truth = _blob(shape, centre, radii)
        shift = rng.uniform(-0.15, 0.15, len(shape)) * dims
        if len(shape) == 3:
            shift[0] = rng.choice([-1.0, 0.0, 0.0, 1.0])
        prediction = _blob(shape, centre + shift, radii * rng.uniform(0.75, 1.25, len(shape)))
        if rng.random() < 0.4:  # a stray blob: what HD punishes and ASSD barely notices
            corner = tuple(
                int(rng.integers(0, max(1, s - 2))) if s > 5 else int(rng.integers(0, s))
                for s in shape
            )
            prediction[tuple(slice(c, c + 2) for c in corner)] = True
        if truth.any() and prediction.any() and not np.array_equal(truth, prediction):
            return truth, prediction


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    shape, spacing_choices = _SHAPE[level]
    spacing = tuple(float(rng.choice(choices)) for choices in spacing_choices)
    truth, prediction = _masks(rng, shape)
    st, sp = surface(truth), surface(prediction)
    ab, ba = directed_both(st, sp, spacing, surfaces=True)
    in_mm = summarise(ab, ba)
    in_voxels = summarise(*directed_both(st, sp, tuple(1.0 for _ in shape), surfaces=True))
    fields = [
        Field(f"{name}_mm", f"{label} (mm)", 0.01, 2, "to 2 decimals")
        for name, label in zip(_NAMES, ("Hausdorff distance", "HD95", "ASSD"), strict=True)
    ] + [
        Field(
            f"{name}_vox",
            f"{label} ignoring spacing (voxels)",
            0.01,
            2,
            "to 2 decimals, every voxel 1 × 1" + (" × 1" if len(shape) == 3 else ""),
        )
        for name, label in zip(_NAMES, ("Hausdorff distance", "HD95", "ASSD"), strict=True)
    ]
    expected: dict[str, float | None] = {f"{n}_mm": in_mm[n] for n in _NAMES}
    expected |= {f"{n}_vox": in_voxels[n] for n in _NAMES}
    size = " × ".join(str(s) for s in shape)
    # Said as distances between neighbours: "1.2 × 0.6 (row, column)" was read "along a row".
    names = ("slices", "rows", "columns")[-len(shape) :]
    spaced = ", ".join(
        f"neighbouring {n} {s:g} mm apart" for n, s in zip(names, spacing, strict=True)
    )
    connectivity = "6" if len(shape) == 3 else "4"
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=(
            f"Two masks of a lesion on a {size} {'volume' if len(shape) == 3 else 'image'}, "
            f"{spaced}. The surface of a mask is its voxels with a "
            f"{connectivity}-connected neighbour outside the mask (or outside the array); "
            "distances run between voxel centres. For each surface voxel, take the distance to "
            "the nearest surface voxel of the other mask. Give the Hausdorff distance (the "
            "largest of these, both ways), HD95 (the larger of the two directed 95th "
            "percentiles, numpy's default linear interpolation) and the ASSD (the mean of all "
            "of them, both directions pooled), in mm; then the same three if the spacing were "
            "ignored (every voxel a unit cube)."
        ),
        data={
            "shape": list(shape),
            "spacing": list(spacing),
            "ground_truth": truth.astype(np.int64).tolist(),
            "prediction": prediction.astype(np.int64).tolist(),
        },
        fields=fields,
        expected=expected,
        solution=_solution(truth, prediction, (st, sp), spacing, (ab, ba), in_mm, in_voxels),
    )


def _solution(
    truth: np.ndarray,
    prediction: np.ndarray,
    surfaces: tuple[np.ndarray, np.ndarray],
    spacing: tuple[float, ...],
    directed: tuple[np.ndarray, np.ndarray],
    in_mm: dict[str, float],
    in_voxels: dict[str, float],
) -> list[str]:
    st, sp = surfaces
    ab, ba = directed
    # The voxel pair that sets the Hausdorff distance.
    if ab.max() >= ba.max():
        source, target, worst, name = st, sp, int(ab.argmax()), "ground truth"
    else:
        source, target, worst, name = sp, st, int(ba.argmax()), "prediction"
    scale = np.asarray(spacing)
    point = np.argwhere(source)[worst]
    others = np.argwhere(target)
    nearest = others[int((((others - point) * scale) ** 2).sum(axis=1).argmin())]
    delta = (nearest - point) * scale
    terms = " + ".join(f"{abs(d):g}^2" for d in delta)
    components = " + ".join(
        f"({abs(int(k))} \\times {s:g})^2" for k, s in zip(nearest - point, spacing, strict=True)
    )
    return [
        f"Surfaces: the ground truth has {int(truth.sum())} voxels, {int(st.sum())} on its "
        f"surface; the prediction {int(prediction.sum())}, {int(sp.sum())} on its surface. "
        "Interior voxels (all face neighbours inside) never set a surface distance.",
        f"Directed distances: {ab.size} from the ground truth to the prediction (largest "
        f"{fmt(float(ab.max()), 2)} mm, 95th percentile {fmt(float(percentile(ab, 95)), 2)} "
        f"mm) and {ba.size} back (largest {fmt(float(ba.max()), 2)} mm, 95th percentile "
        f"{fmt(float(percentile(ba, 95)), 2)} mm).",
        f"HD is set by the {name} surface voxel at {tuple(int(v) for v in point)}, whose "
        f"nearest surface voxel of the other mask is {tuple(int(v) for v in nearest)}: "
        f"$\\sqrt{{{components}}} = \\sqrt{{{terms}}} = {fmt(in_mm['hd'], 2)}$ mm.",
        f"HD95 = max of the two 95th percentiles = {fmt(in_mm['hd95'], 2)} mm: it ignores "
        "the worst 5 % of each surface, so one stray voxel moves it less than HD. "
        f"ASSD = $\\frac{{\\sum d_{{A \\to B}} + \\sum d_{{B \\to A}}}}{{{ab.size} + {ba.size}}} "
        f"= {fmt(in_mm['assd'], 2)}$ mm.",
        f"Ignoring the spacing (unit voxels): HD {fmt(in_voxels['hd'], 2)}, HD95 "
        f"{fmt(in_voxels['hd95'], 2)}, ASSD {fmt(in_voxels['assd'], 2)} voxels. With voxels of "
        f"{' × '.join(f'{s:g}' for s in spacing)} mm these are not mm: reporting them as mm "
        "misstates the error, and the nearest voxel can change when the axes are weighted "
        "differently.",
    ]
