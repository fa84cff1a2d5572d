"""DICOM patient geometry: where a pixel is, how far apart slices are, in which order they go.

DICOM PS3.3 C.7.6.2 (Image Plane Module) places every pixel in the patient coordinate
system, LPS+ (+x towards the patient's left, +y posterior, +z towards the head):

- Image Orientation (Patient) (0020,0037) holds two unit vectors: X, the direction cosines of
  the first row (the way along a row, as the column index grows), then Y, those of the first
  column (the way down a column, as the row index grows).
- Image Position (Patient) (0020,0032) is S, the centre of the first transmitted pixel, the
  top-left one.
- Pixel Spacing (0028,0030) is "row spacing \\ column spacing": first Δr, the distance between
  the centres of adjacent rows (vertical), then Δc, between adjacent columns (horizontal).

So (C.7.6.2.1.1) the pixel at row r, column c is at P = S + c·Δc·X + r·Δr·Y: the column
index goes with the column spacing along X. Slices are ordered by their position along the
normal n = X × Y, and their spacing is the step of P·n from one slice to the next; Slice
Thickness (0018,0050) is the thickness of the reconstructed slab, which need not equal the
spacing (gaps, or overlapping reconstructions).
"""

from __future__ import annotations

import string

import numpy as np

from .base import Exercise, Field, fmt, random_rotation, rng_for, text_field

KIND = "dicom_geometry"
TITLE = "DICOM geometry: pixel positions, slice spacing and order"
DESCRIPTION = (
    "From Image Orientation, Image Position and Pixel Spacing: a pixel's patient coordinates "
    "in mm, the slice spacing, the order of a shuffled series and where rows and columns point."
)

# Image Orientation (Patient) of the standard planes: the usual one of each first (patient
# head first supine), then ones where rows or columns run the other way (other patient
# positions, flipped reconstructions).
PLANES: tuple[tuple[str, tuple[float, ...]], ...] = (
    ("axial", (1, 0, 0, 0, 1, 0)),
    ("coronal", (1, 0, 0, 0, 0, -1)),
    ("sagittal", (0, 1, 0, 0, 0, -1)),
    ("axial", (-1, 0, 0, 0, -1, 0)),
    ("axial", (-1, 0, 0, 0, 1, 0)),
    ("axial", (1, 0, 0, 0, -1, 0)),
    ("coronal", (-1, 0, 0, 0, 0, -1)),
    ("sagittal", (0, -1, 0, 0, 0, -1)),
)
# The letter for a direction along +axis and -axis of LPS+ (PS3.3 C.7.6.1.1.1 letters).
_LETTERS = (("L", "R"), ("P", "A"), ("H", "F"))
DIRECTION_NAMES = {
    "L": "towards the patient's left",
    "R": "towards the patient's right",
    "P": "posterior",
    "A": "anterior",
    "H": "towards the head",
    "F": "towards the feet",
}
_SLICES = {"easy": 4, "medium": 5, "hard": 6}
_SIZES = ((256, 256), (192, 256), (256, 192))
_SPACINGS = {
    "easy": ((0.7, 0.7), (0.8, 0.8), (0.9765625, 0.9765625)),
    "medium": ((0.9, 0.7), (0.6, 0.8), (1.2, 0.9), (0.75, 0.5)),
    "hard": ((0.9, 0.7), (0.6, 0.8), (1.2, 0.9), (0.75, 0.5), (0.55, 0.65)),
}
_SLICE_STEPS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 5.0)
_COSINE_DECIMALS = 6
_POSITION_DECIMALS = 3


def direction_letter(vector: np.ndarray) -> str:
    """The anatomical direction a vector points most along: L/R, P/A or H/F."""
    v = np.asarray(vector, dtype=float)
    axis = int(np.argmax(np.abs(v)))
    return _LETTERS[axis][0 if v[axis] > 0 else 1]


def pixel_position(
    position: np.ndarray,
    orientation: np.ndarray,
    spacing: tuple[float, float],
    row: int,
    column: int,
) -> np.ndarray:
    """P = S + c·Δc·X + r·Δr·Y, with spacing = (Δr, Δc) as Pixel Spacing lists them."""
    s = np.asarray(position, dtype=float)
    o = np.asarray(orientation, dtype=float)
    row_spacing, column_spacing = spacing
    return s + column * column_spacing * o[:3] + row * row_spacing * o[3:]


def normal(orientation: np.ndarray) -> np.ndarray:
    o = np.asarray(orientation, dtype=float)
    return np.cross(o[:3], o[3:])


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    count = _SLICES[level]
    choices = 1 if level == "easy" else len(PLANES)
    plane, cosines = PLANES[int(rng.integers(choices))]
    base = np.array(cosines, dtype=float)
    row_cosines, column_cosines = base[:3], base[3:]
    if level == "hard":
        # 10-30°: oblique enough that the arithmetic needs all terms, while every direction
        # keeps one clearly largest component (cos 30° ≈ 0.87 against sin 30° = 0.5).
        rotation = random_rotation(rng, float(rng.uniform(10, 30)))
        row_cosines, column_cosines = rotation @ row_cosines, rotation @ column_cosines
    # + 0.0 turns -0.0 into 0.0, which the page and the file would show as "-0".
    orientation = np.round(np.concatenate([row_cosines, column_cosines]), _COSINE_DECIMALS) + 0.0
    rows, columns = _SIZES[0] if level == "easy" else _SIZES[int(rng.integers(len(_SIZES)))]
    spacing = _SPACINGS[level][int(rng.integers(len(_SPACINGS[level])))]
    row_spacing, column_spacing = spacing
    step = float(rng.choice(_SLICE_STEPS))
    thickness = step
    if level == "hard" or (level == "medium" and rng.random() < 0.5):
        # Overlapping reconstructions (thicker than the step) or gaps (thinner).
        thickness = float(
            rng.choice([t for t in (0.625, 1.0, 1.25, 2.0, 2.5, 3.0, 5.0, 7.5) if t != step])
        )

    n = normal(orientation)
    # The image centred on the scanner's axis, the stack around a random table position.
    centre = np.array([0.0, float(rng.integers(-40, 41)), float(rng.integers(-400, -50))])
    corner = (
        centre
        - (columns - 1) / 2 * column_spacing * orientation[:3]
        - (rows - 1) / 2 * row_spacing * orientation[3:]
        - (count - 1) / 2 * step * n
    )
    positions = [np.round(corner + k * step * n, _POSITION_DECIMALS) + 0.0 for k in range(count)]
    labels = list(string.ascii_uppercase[:count])
    # labels[k] names the slice at stack position k (k = 0 lowest along the normal).
    if level == "medium" and rng.random() < 0.5:
        labels.reverse()
    elif level == "hard":
        rng.shuffle(labels)
    by_name = sorted(range(count), key=lambda k: labels[k])
    order = "".join(labels)  # from lowest to highest P·n

    query = int(rng.integers(count))
    row, column = int(rng.integers(rows)), int(rng.integers(columns))
    point = pixel_position(positions[query], orientation, spacing, row, column)
    along = [float(np.dot(p, n)) for p in positions]
    slice_spacing = (max(along) - min(along)) / (count - 1)

    data = {
        "rows": rows,
        "columns": columns,
        "pixel_spacing": [row_spacing, column_spacing],
        "orientation": [float(v) for v in orientation],
        "plane": plane,
        "oblique": level == "hard",
        "slice_thickness": thickness,
        "slices": [
            {
                "file": f"{labels[k]}.dcm",
                "label": labels[k],
                "position": [float(v) for v in positions[k]],
            }
            for k in by_name
        ],
        "pixel": {"file": f"{labels[query]}.dcm", "row": row, "column": column},
    }
    fields = [
        Field("x", "Pixel's x (mm)", 0.05, 2, "patient LPS+ mm, to 2 decimals"),
        Field("y", "Pixel's y (mm)", 0.05, 2, "patient LPS+ mm, to 2 decimals"),
        Field("z", "Pixel's z (mm)", 0.05, 2, "patient LPS+ mm, to 2 decimals"),
        Field("spacing", "Slice spacing (mm)", 0.01, 2, "mm, to 2 decimals"),
        text_field("order", "Files in order along the normal", "the letters, first to last"),
        text_field("row_direction", "Along a row, towards", "one letter: L, R, A, P, H or F"),
        text_field("column_direction", "Down a column, towards", "one letter: L, R, A, P, H or F"),
    ]
    expected: dict[str, float | None] = {
        "x": float(point[0]),
        "y": float(point[1]),
        "z": float(point[2]),
        "spacing": slice_spacing,
    }
    expected_text = {
        "order": order,
        "row_direction": direction_letter(orientation[:3]),
        "column_direction": direction_letter(orientation[3:]),
    }
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=(
            f"A series of {count} CT slices has the Image Plane attributes shown (DICOM PS3.3 "
            "C.7.6.2; patient coordinates are LPS+: +x towards the patient's left, +y "
            "posterior, +z towards the head). Give the patient coordinates of the listed "
            "pixel, the spacing between slices, the files in order of position along the "
            "slice normal $X \\times Y$ (lowest first), and the anatomical direction, as one "
            "letter, in which a row runs (column index growing) and a column runs (row index "
            "growing)."
        ),
        data=data,
        fields=fields,
        expected=expected,
        expected_text=expected_text,
        solution=_solution(data, point, n, along, labels, slice_spacing, expected_text),
    )


def _vector(values: np.ndarray | list[float], decimals: int = 3) -> str:
    return "(" + ", ".join(fmt(float(v), decimals) for v in values) + ")"


def _factor(value: float, decimals: int) -> str:
    """A number as a term of a product or difference: negative ones in parentheses."""
    text = fmt(float(value), decimals)
    return f"({text})" if text.startswith("-") else text


def _solution(
    data: dict,
    point: np.ndarray,
    n: np.ndarray,
    along: list[float],
    labels: list[str],
    slice_spacing: float,
    directions: dict[str, str],
) -> list[str]:
    o = data["orientation"]
    row_spacing, column_spacing = data["pixel_spacing"]
    pixel = data["pixel"]
    r, c = pixel["row"], pixel["column"]
    s = next(sl["position"] for sl in data["slices"] if sl["file"] == pixel["file"])
    x_cos, y_cos = _vector(o[:3], 6), _vector(o[3:], 6)
    steps = [
        f"Image Orientation (Patient) gives the row direction $X = {x_cos}$ and the column "
        f"direction $Y = {y_cos}$; Pixel Spacing is row spacing first, so "
        f"$\\Delta r = {fmt(row_spacing, 4)}$ mm between rows and "
        f"$\\Delta c = {fmt(column_spacing, 4)}$ mm between columns. PS3.3 C.7.6.2.1.1: "
        "$P = S + c \\, \\Delta c \\, X + r \\, \\Delta r \\, Y$, the column index with the "
        "column spacing along the row direction.",
    ]
    terms = []
    for axis in range(3):
        terms.append(
            f"${'xyz'[axis]} = {fmt(s[axis], 3)} + {c} \\times {fmt(column_spacing, 4)} "
            f"\\times {_factor(o[axis], 6)} + {r} \\times {fmt(row_spacing, 4)} \\times "
            f"{_factor(o[3 + axis], 6)} = {fmt(point[axis], 2)}$"
        )
    steps.append(
        f"For row {r}, column {c} of {pixel['file']}, whose Image Position (Patient) is "
        f"$S = {_vector(s)}$: " + "; ".join(terms) + "."
    )
    ranked = sorted(zip(along, labels, strict=True))
    projections = "; ".join(f"{label}: {fmt(value, 3)}" for value, label in ranked)
    steps.append(
        f"The slice normal is $n = X \\times Y = {_vector(n, 4)}$. Each slice's position along "
        f"it is $S \\cdot n$ (Image Position dotted with the normal): {projections}. Sorted "
        f"from lowest to highest the files are **{' '.join(labels)}**"
        + (
            ": the file names say nothing about the order, the positions do."
            if data["oblique"]
            else "."
        )
    )
    thickness = data["slice_thickness"]
    spacing_text = (
        f"The spacing is the step between neighbours along the normal: "
        f"$\\frac{{{fmt(ranked[-1][0], 3)} - {_factor(ranked[0][0], 3)}}}{{{len(labels) - 1}}} "
        f"= {fmt(slice_spacing, 2)}$ mm."
    )
    if abs(thickness - slice_spacing) > 0.005:
        relation = (
            "thicker than the spacing, so neighbouring slices overlap"
            if thickness > slice_spacing
            else "thinner than the spacing, so there are gaps between slices"
        )
        spacing_text += (
            f" Slice Thickness (0018,0050) says {fmt(thickness, 3)} mm: that is the slab each "
            f"slice was reconstructed from, {relation}; it is not the spacing."
        )
    else:
        spacing_text += (
            f" Here Slice Thickness ({fmt(thickness, 3)} mm) happens to agree; it need not, "
            "so the spacing is always taken from the positions."
        )
    steps.append(spacing_text)
    row_letter, column_letter = directions["row_direction"], directions["column_direction"]
    steps.append(
        "The largest component of each direction names it (LPS+: +x left, −x right, +y "
        f"posterior, −y anterior, +z head, −z feet): $X = {x_cos}$ runs "
        f"{DIRECTION_NAMES[row_letter]}, **{row_letter}**; $Y = {y_cos}$ runs "
        f"{DIRECTION_NAMES[column_letter]}, **{column_letter}**."
        + (" The plane is oblique, so each is the nearest of the six." if data["oblique"] else "")
    )
    return steps
