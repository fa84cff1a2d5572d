"""NIfTI orientation: what a voxel-to-world affine says. No Django here.

A NIfTI image maps voxel indices (i, j, k) to world millimetres through a 4×4 affine (the
sform, or the qform), and the world is RAS+: as nibabel's coordinate-system docs put it,
+x points to the subject's Right, +y Anterior, +z Superior. DICOM's patient
coordinates are LPS+ (+x Left, +y Posterior, +z Superior, PS3.3 C.7.6.2.1.1), so the same
point has its x and y negated between the two.

The axis codes name, for each voxel axis in turn, the world direction it mostly points to
(nibabel.orientations.aff2axcodes): "LPS" means i grows towards the left, j towards
posterior, k towards superior. At the hard level the affine is oblique, so each voxel axis
is a mix of world axes and the code names the largest component.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import Exercise, Field, fmt, random_rotation, rng_for, text_field

KIND = "nifti"
TITLE = "NIfTI orientation: affine, axis codes and RAS+"
DESCRIPTION = (
    "Read a NIfTI voxel-to-world affine: the RAS+ position of a voxel, the axis codes, the "
    "voxel sizes, and the change from DICOM's LPS+ to NIfTI's RAS+."
)

# The letter a voxel axis gets for pointing along -world or +world axis, as in nibabel.
_LETTERS = (("L", "R"), ("P", "A"), ("I", "S"))
_NAMES = {
    "R": "right",
    "L": "left",
    "A": "anterior",
    "P": "posterior",
    "S": "superior",
    "I": "inferior",
}
# Common orientations of real scans for the easy level: RAS (nibabel's canonical), LAS
# (radiological, FSL's MNI templates), LPS (the DICOM patient axes, ITK's default).
_EASY_CODES = ("RAS", "LAS", "LPS")
_ZOOMS = {
    "easy": ((1.0, 1.0, 1.0), (2.0, 2.0, 2.0), (0.9375, 0.9375, 3.0)),
    "medium": ((0.5, 0.5, 2.0), (0.8, 0.8, 1.2), (1.5, 1.5, 3.0), (0.9, 0.9, 4.0)),
    "hard": ((0.6, 0.7, 2.5), (0.75, 0.9, 1.5), (1.1, 0.45, 3.0), (0.8, 1.25, 2.0)),
}
_SHAPES = {"easy": (32, 32, 16), "medium": (40, 32, 20), "hard": (48, 40, 24)}
_DECIMALS = 4  # affine entries as shown and stored


def axis_codes(affine: np.ndarray) -> str:
    """For each voxel axis, the letter of the world direction it points most along."""
    letters = []
    for column in np.asarray(affine, dtype=float)[:3, :3].T:
        world = int(np.argmax(np.abs(column)))
        letters.append(_LETTERS[world][int(column[world] > 0)])
    return "".join(letters)


def voxel_to_world(affine: np.ndarray, voxel: Sequence[int]) -> np.ndarray:
    """The RAS+ millimetres of voxel (i, j, k): A · (i, j, k, 1)."""
    a = np.asarray(affine, dtype=float)
    return a[:3, :3] @ np.asarray(voxel, dtype=float) + a[:3, 3]


def lps_to_ras(point: np.ndarray) -> np.ndarray:
    """DICOM (LPS+) to NIfTI (RAS+): the same point with x and y negated."""
    return np.asarray(point, dtype=float) * np.array([-1.0, -1.0, 1.0])


def _direction(codes: str) -> np.ndarray:
    """The signed permutation matrix whose columns point as the codes say."""
    matrix = np.zeros((3, 3))
    for column, letter in enumerate(codes):
        for world, pair in enumerate(_LETTERS):
            if letter in pair:
                matrix[world, column] = 1.0 if letter == pair[1] else -1.0
    return matrix


def _random_codes(rng: np.random.Generator) -> str:
    order = rng.permutation(3)
    return "".join(_LETTERS[int(w)][int(rng.integers(2))] for w in order)


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    codes = str(rng.choice(_EASY_CODES)) if level == "easy" else _random_codes(rng)
    zooms = np.array(_ZOOMS[level][int(rng.integers(len(_ZOOMS[level])))])
    if level == "hard":
        zooms = zooms[rng.permutation(3)]
    direction = _direction(codes)
    if level == "hard":
        # At most 25°: every voxel axis keeps one clearly largest world component, so the
        # axis code is unambiguous (cos 25° ≈ 0.91 against sin 25° ≈ 0.42).
        direction = random_rotation(rng, float(rng.uniform(10, 25))) @ direction
    shape = _SHAPES[level]
    matrix = direction * zooms
    # The origin is chosen so the volume's centre lies near the world origin, as in scans.
    centre = (np.array(shape) - 1) / 2
    offset = -matrix @ centre + rng.integers(-20, 21, 3)
    affine = np.eye(4)
    affine[:3, :3] = np.round(matrix, _DECIMALS) + 0.0  # + 0.0: no -0.0 on the page
    affine[:3, 3] = np.round(offset, 1 if level == "easy" else 2)
    shown_codes = axis_codes(affine)  # from the shown affine: what a reader can compute

    voxel = tuple(int(rng.integers(0, n)) for n in shape)
    world = voxel_to_world(affine, voxel)
    sizes = np.linalg.norm(affine[:3, :3], axis=0)
    lps_point = np.round(rng.uniform(-120, 120, 3), 1)
    ras_point = lps_to_ras(lps_point)

    fields = [
        Field("world_x", "Voxel's x (RAS+, mm)", 0.05, 2, "mm, to 2 decimals"),
        Field("world_y", "Voxel's y (RAS+, mm)", 0.05, 2, "mm, to 2 decimals"),
        Field("world_z", "Voxel's z (RAS+, mm)", 0.05, 2, "mm, to 2 decimals"),
        text_field("axcodes", "Axis codes of i, j, k", "three letters from R/L, A/P, S/I"),
        Field("size_i", "Voxel size along i (mm)", 0.005, 3, "mm, to 3 decimals"),
        Field("size_j", "Voxel size along j (mm)", 0.005, 3, "mm, to 3 decimals"),
        Field("size_k", "Voxel size along k (mm)", 0.005, 3, "mm, to 3 decimals"),
        Field("ras_x", "DICOM point's x in RAS+ (mm)", 0.05, 1, "mm"),
        Field("ras_y", "DICOM point's y in RAS+ (mm)", 0.05, 1, "mm"),
        Field("ras_z", "DICOM point's z in RAS+ (mm)", 0.05, 1, "mm"),
    ]
    expected: dict[str, float | None] = {
        "world_x": float(world[0]),
        "world_y": float(world[1]),
        "world_z": float(world[2]),
        "size_i": float(sizes[0]),
        "size_j": float(sizes[1]),
        "size_k": float(sizes[2]),
        "ras_x": float(ras_point[0]),
        "ras_y": float(ras_point[1]),
        "ras_z": float(ras_point[2]),
    }
    data = {
        "affine": [[float(v) for v in row] for row in affine],
        "shape": list(shape),
        "voxel": list(voxel),
        "lps_point": [float(v) for v in lps_point],
        "oblique": level == "hard",
    }
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=(
            "A NIfTI image of the shape shown has the voxel-to-world affine (its sform) below; "
            "world coordinates are RAS+ (+x towards the patient's right, +y anterior, +z "
            "superior). Give the world position of the listed voxel $(i, j, k)$, the axis "
            "codes (for each of i, j, k the direction, R/L, A/P or S/I, it points most "
            "along, as `nibabel.aff2axcodes` gives them), the voxel sizes, and the RAS+ "
            "coordinates of a point given in DICOM patient coordinates, which are LPS+ "
            "(+x left, +y posterior, +z superior)."
        ),
        data=data,
        fields=fields,
        expected=expected,
        expected_text={"axcodes": shown_codes},
        solution=_solution(data, world, sizes, shown_codes, ras_point),
    )


def _vector(values: np.ndarray | list[float], decimals: int = 2) -> str:
    return "(" + ", ".join(fmt(float(v), decimals) for v in values) + ")"


def _solution(
    data: dict, world: np.ndarray, sizes: np.ndarray, codes: str, ras: np.ndarray
) -> list[str]:
    a = np.array(data["affine"])
    i, j, k = data["voxel"]
    rows = []
    for r, axis in enumerate("xyz"):
        m = a[r]
        rows.append(
            f"${axis} = {fmt(m[0], 4)} \\times {i} + {fmt(m[1], 4)} \\times {j} + "
            f"{fmt(m[2], 4)} \\times {k} + {fmt(m[3], 2)} = {fmt(world[r], 2)}$"
        )
    steps = [
        "The affine maps a voxel to millimetres: "
        "$(x, y, z, 1)^T = A \\, (i, j, k, 1)^T$, each world coordinate a row of $A$ times "
        f"the voxel ({i}, {j}, {k}) plus the translation in the last column: "
        + "; ".join(rows)
        + f". The voxel lies at {_vector(world)} mm, RAS+.",
    ]
    explained = []
    for column, letter in zip(a[:3, :3].T, codes, strict=True):
        world_axis = int(np.argmax(np.abs(column)))
        explained.append(
            f"{_vector(column, 4)}: largest along {'xyz'[world_axis]}, "
            f"{'positive' if column[world_axis] > 0 else 'negative'}, so {letter} "
            f"({_NAMES[letter]})"
        )
    steps.append(
        "Each of the first three columns of $A$ is the step in mm for one voxel along i, j "
        "and k. Its largest component names the world axis, its sign the direction (+x R, "
        "−x L, +y A, −y P, +z S, −z I): "
        + "; ".join(f"{axis}: {text}" for axis, text in zip("ijk", explained, strict=True))
        + f". The axis codes are **{codes}**"
        + (
            ": the affine is oblique, so each voxel axis is a mix of world axes and the "
            "code names the closest one."
            if data["oblique"]
            else "."
        )
    )
    sizes_text = "; ".join(
        f"{axis}: $\\sqrt{{{' + '.join(f'{fmt(v, 4)}^2' for v in column)}}} = {fmt(s, 3)}$"
        for axis, column, s in zip("ijk", a[:3, :3].T, sizes, strict=True)
    )
    steps.append(
        "A voxel size is the length of its column (a rotation does not change lengths, so "
        f"this holds for oblique affines too): {sizes_text} mm."
    )
    x, y, z = data["lps_point"]
    steps.append(
        "DICOM patient coordinates are LPS+ (+x towards the patient's left, +y posterior), "
        "NIfTI's world is RAS+ (+x right, +y anterior); +z is superior in both. So the same "
        "point has x and y negated: $(x, y, z)_{RAS} = (-x, -y, z)_{LPS}$, here "
        f"$(-({fmt(x, 1)}), -({fmt(y, 1)}), {fmt(z, 1)}) = {_vector(ras, 1)}$. In matrix form "
        "the change is $\\mathrm{diag}(-1, -1, 1)$, and an LPS affine (ITK, DICOM) becomes "
        "a RAS one by multiplying it on the left by $\\mathrm{diag}(-1, -1, 1, 1)$."
    )
    return steps
