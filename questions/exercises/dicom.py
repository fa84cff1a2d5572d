"""DICOM pixel arithmetic and de-identification, as numbers and tables (no file is built).

- Modality LUT: HU = stored value × RescaleSlope + RescaleIntercept.
- VOI LUT, the 'LINEAR' function of PS3.3 C.11.2.1.2.1, onto 0-255 grey levels.
- Which attributes the Basic Application Level Confidentiality Profile (PS3.15 Annex E,
  Table E.1-1) removes or replaces.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt

from .base import Exercise, Field, fmt, rng_for, yesno_field

KIND = "dicom"
TITLE = "DICOM: Hounsfield units, windowing and de-identification"
DESCRIPTION = (
    "Turn stored pixel values into HU, map HU to grey levels through a window, and tell "
    "which attributes the Basic Confidentiality Profile removes or replaces."
)

# keyword -> (tag, action) for attributes listed in PS3.15 Table E.1-1, Basic Profile
# column, each checked against a machine-readable copy of the table (innolitics
# dicom-standard, confidentiality_profile_attributes.json). Attributes we could not verify
# are left out rather than guessed.
BASIC_PROFILE: dict[str, tuple[str, str]] = {
    "PatientName": ("(0010,0010)", "Z"),
    "PatientID": ("(0010,0020)", "Z"),
    "PatientBirthDate": ("(0010,0030)", "Z"),
    "PatientSex": ("(0010,0040)", "Z"),
    "PatientAge": ("(0010,1010)", "X"),
    "PatientAddress": ("(0010,1040)", "X"),
    "OtherPatientIDs": ("(0010,1000)", "X"),
    "AccessionNumber": ("(0008,0050)", "Z"),
    "StudyDate": ("(0008,0020)", "Z"),
    "StudyTime": ("(0008,0030)", "Z"),
    "StudyID": ("(0020,0010)", "Z"),
    "SeriesDate": ("(0008,0021)", "X/D"),
    "ContentDate": ("(0008,0023)", "Z/D"),
    "InstitutionName": ("(0008,0080)", "X/Z/D"),
    "InstitutionAddress": ("(0008,0081)", "X"),
    "ReferringPhysicianName": ("(0008,0090)", "Z"),
    "PerformingPhysicianName": ("(0008,1050)", "X"),
    "OperatorsName": ("(0008,1070)", "X/Z/D"),
    "StationName": ("(0008,1010)", "X/Z/D"),
    "StudyDescription": ("(0008,1030)", "X"),
    "StudyInstanceUID": ("(0020,000D)", "U"),
    "SeriesInstanceUID": ("(0020,000E)", "U"),
    "SOPInstanceUID": ("(0008,0018)", "U"),
    "FrameOfReferenceUID": ("(0020,0052)", "U"),
}
# Not listed in Table E.1-1, so the Basic Profile leaves them as they are. Burned In
# Annotation is kept but must be read: YES means text is burned into the pixels, which the
# attribute table cannot remove (the Clean Pixel Data Option, or withhold the image).
NOT_LISTED: dict[str, str] = {
    "Modality": "(0008,0060)",
    "Rows": "(0028,0010)",
    "Columns": "(0028,0011)",
    "PixelSpacing": "(0028,0030)",
    "BitsStored": "(0028,0101)",
    "PhotometricInterpretation": "(0028,0004)",
    "BurnedInAnnotation": "(0028,0301)",
}
ACTIONS = {
    "Z": "replace with an empty value (or a dummy)",
    "X": "remove",
    "D": "replace with a dummy value",
    "U": "replace with a new UID, consistent across the data set",
    "X/D": "remove, or a dummy where the IOD requires a value",
    "Z/D": "empty, or a dummy where the IOD requires a value",
    "X/Z/D": "remove, or empty/dummy where the IOD requires the attribute",
}
_EXAMPLE_VALUES = {
    "PatientName": "DOE^JANE",
    "PatientID": "MRN00412",
    "PatientBirthDate": "19680214",
    "PatientSex": "F",
    "PatientAge": "056Y",
    "PatientAddress": "12 High Street, Leeds",
    "OtherPatientIDs": "HOSP-77812",
    "AccessionNumber": "ACC2024117",
    "StudyDate": "20240312",
    "StudyTime": "101532",
    "StudyID": "4471",
    "SeriesDate": "20240312",
    "ContentDate": "20240312",
    "InstitutionName": "St Elsewhere Hospital",
    "InstitutionAddress": "1 Hospital Road",
    "ReferringPhysicianName": "SMITH^JOHN",
    "PerformingPhysicianName": "JONES^ANNA",
    "OperatorsName": "LEE^SAM",
    "StationName": "CT01",
    "StudyDescription": "CT CHEST W/O CONTRAST",
    "Modality": "CT",
    "Rows": "512",
    "Columns": "512",
    "PixelSpacing": "0.703125\\0.703125",
    # 16, not 12: with a slope of 0.5, dense bone needs stored values above 4095.
    "BitsStored": "16",
    "PhotometricInterpretation": "MONOCHROME2",
}
# UIDs are the exercise's own (exercise_uid), never shared examples: files of two exercises
# with one StudyInstanceUID are one study to a viewer or PACS, which merges their patients.
UID_KEYWORDS = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "FrameOfReferenceUID")
# pydicom's root (PS3.5 9.1), under which its generate_uid makes UIDs for its users.
UID_ROOT = "1.2.826.0.1.3680043.8.498."
# (name, centre, width): common CT presets.
_WINDOWS = [
    ("brain", 40, 80),
    ("soft tissue", 40, 400),
    ("mediastinum", 50, 350),
    ("liver", 60, 160),
    ("lung", -600, 1500),
    ("bone", 400, 1800),
]
# Typical HU of tissues, to choose realistic stored values.
_TISSUE_HU = [(-1000, -950), (-900, -600), (-120, -80), (-10, 10), (20, 60), (40, 70), (300, 1500)]
# pixels, grey-level values, attributes to judge
_SHAPE = {"easy": (3, 3, 5), "medium": (4, 4, 7), "hard": (5, 5, 9)}


def exercise_name(seed: int, level: str) -> str:
    """What a public exercise's UIDs are derived from (a quiz's copy uses a secret instead)."""
    return f"{KIND}|{seed}|{level}"


def exercise_uid(name: str, keyword: str) -> str:
    """The UID `keyword` of the file named `name`: stable for that name, distinct between
    names and keywords. It is pydicom's generate_uid(prefix=UID_ROOT, entropy_srcs=[...]),
    the root followed by a SHA-512 of the sources as a number, cut to 64 characters (a test
    checks they agree); written out so that making an exercise does not import pydicom."""
    digest = hashlib.sha512(f"{name}|{keyword}".encode()).hexdigest()
    return f"{UID_ROOT}{int(digest, 16)}"[:64]


def to_hu(stored: npt.ArrayLike, slope: float, intercept: float) -> np.ndarray:
    """The Modality LUT as a linear rescale: HU = stored × slope + intercept."""
    return np.asarray(stored, dtype=np.float64) * slope + intercept


def window(
    hu: np.ndarray, centre: float, width: float, y_min: float = 0, y_max: float = 255
) -> np.ndarray:
    """PS3.3 C.11.2.1.2.1, VOI LUT Function LINEAR, for width ≥ 1:

    x ≤ c − 0.5 − (w−1)/2           → y_min
    x > c − 0.5 + (w−1)/2           → y_max
    otherwise y = ((x − (c − 0.5)) / (w − 1) + 0.5) · (y_max − y_min) + y_min

    The −0.5 and −1 are there because inputs are integers: with them the ramp from y_min to
    y_max covers exactly w input values (c − w/2 to c + w/2 − 1 for an even w), where the
    naive ((x − c)/w + 0.5) would cover w + 1.
    """
    x = np.asarray(hu, dtype=np.float64)
    low = centre - 0.5 - (width - 1) / 2
    high = centre - 0.5 + (width - 1) / 2
    # With w = 1 no x falls inside the window; the guard only avoids a 0/0 warning.
    inside = ((x - (centre - 0.5)) / max(width - 1, 1e-12) + 0.5) * (y_max - y_min) + y_min
    return np.where(x <= low, y_min, np.where(x > high, y_max, inside))


def must_change(keyword: str) -> bool:
    """True when the Basic Profile removes or replaces the attribute (any action but keep)."""
    return keyword in BASIC_PROFILE and BASIC_PROFILE[keyword][1] != "K"


DEID_FIELD_PREFIX = "deid_"


def deidentification_rows(data: dict) -> list[dict[str, str]]:
    """The attributes of the exercise, each with its answer field, the action the Basic
    Profile expects ("Remove or replace" or "Keep") and why, for the page's table."""
    rows = []
    for attribute in data["attributes"]:
        keyword = attribute["keyword"]
        if keyword in BASIC_PROFILE:
            code = BASIC_PROFILE[keyword][1]
            expected, why = "Remove or replace", f"Table E.1-1 action {code}: {ACTIONS[code]}."
        elif keyword == "BurnedInAnnotation":
            expected = "Keep"
            why = (
                "Not in Table E.1-1, so kept; but its value says whether text is burned "
                "into the pixels, which no attribute action removes."
            )
        else:
            expected, why = "Keep", "Not in Table E.1-1: the Basic Profile keeps it."
        rows.append(
            {**attribute, "field": DEID_FIELD_PREFIX + keyword, "expected": expected, "why": why}
        )
    return rows


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    n_pixels, n_grey, n_attributes = _SHAPE[level]
    slope, intercept = 1.0, -1024.0  # the usual CT rescale
    if level == "medium":
        intercept = float(rng.choice([-1024.0, -1000.0]))
    elif level == "hard":
        slope = float(rng.choice([0.5, 1.0, 2.0]))
        intercept = float(rng.choice([-1024.0, -1000.0]))
    tissues = [_TISSUE_HU[i] for i in rng.choice(len(_TISSUE_HU), n_pixels)]
    wanted = [rng.integers(low, high, endpoint=True) for low, high in tissues]
    stored = np.maximum(np.rint((np.array(wanted) - intercept) / slope), 0).astype(np.int64)
    positions = [[int(r), int(c)] for r, c in rng.integers(0, 512, (n_pixels, 2))]
    hu = to_hu(stored, slope, intercept)

    name, centre, width = _WINDOWS[int(rng.integers(len(_WINDOWS)))]
    grey_hu = _grey_inputs(rng, centre, width, n_grey, edges=level == "hard")
    grey = window(grey_hu, centre, width)

    attributes = _attributes(
        rng, n_attributes, with_burned_in=level != "easy", name=exercise_name(seed, level)
    )

    fields: list[Field] = []
    expected: dict[str, float | None] = {}
    for i, value in enumerate(hu):
        fields.append(Field(f"hu_{i + 1}", f"HU at pixel {i + 1}", 0.05, 1, "to 1 decimal"))
        expected[f"hu_{i + 1}"] = float(value)
    for i, value in enumerate(grey):
        # ±0.5: any integer the exact level rounds to (either way at .5) is right.
        fields.append(
            Field(
                f"grey_{i + 1}",
                f"Grey level for HU {grey_hu[i]:g}",
                0.5,
                0,
                "0 to 255, nearest integer",
            )
        )
        expected[f"grey_{i + 1}"] = float(value)
    for attribute in attributes:
        keyword = attribute["keyword"]
        field_name = DEID_FIELD_PREFIX + keyword
        fields.append(yesno_field(field_name, f"Remove or replace {keyword}?"))
        expected[field_name] = 1.0 if must_change(keyword) else 0.0
    burned = next((a["value"] for a in attributes if a["keyword"] == "BurnedInAnnotation"), None)
    if burned is not None:
        fields.append(yesno_field("pixels_need_cleaning", "Do the pixels need cleaning?"))
        expected["pixels_need_cleaning"] = 1.0 if burned == "YES" else 0.0

    data = {
        "rescale_slope": slope,
        "rescale_intercept": intercept,
        "pixels": [
            {"row": r, "column": c, "stored": int(s)}
            for (r, c), s in zip(positions, stored, strict=True)
        ],
        "window": {"name": name, "centre": centre, "width": width},
        "grey_hu": [float(v) for v in grey_hu],
        "attributes": attributes,
    }
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=(
            "A CT slice has the rescale and window values shown. Convert the stored pixel "
            "values to Hounsfield units; give the displayed grey level (0-255) of the listed "
            "HU values under the window, using the LINEAR VOI LUT function of DICOM PS3.3 "
            "C.11.2.1.2.1; and say which attributes the Basic Application Level "
            "Confidentiality Profile removes or replaces."
        ),
        data=data,
        fields=fields,
        expected=expected,
        solution=_solution(data, hu, grey),
    )


def _example_value(keyword: str, name: str) -> str:
    return exercise_uid(name, keyword) if keyword in UID_KEYWORDS else _EXAMPLE_VALUES[keyword]


def _grey_inputs(
    rng: np.random.Generator, centre: int, width: int, count: int, edges: bool
) -> np.ndarray:
    """HU values to window: one below, one above, the rest inside.

    At the hard level the lower edge itself (still 0, as the rule says x ≤ edge) and the
    value just above it, where the c − 0.5 and w − 1 terms make the difference.
    """
    low = centre - 0.5 - (width - 1) / 2
    high = centre - 0.5 + (width - 1) / 2
    values = [
        float(rng.integers(int(low) - 300, int(low))),
        float(rng.integers(int(high) + 2, int(high) + 300)),
    ]
    if edges:
        values += [float(np.floor(low)), float(np.floor(low) + 1)]
    while len(values) < count:
        values.append(float(rng.integers(int(np.ceil(low)), int(np.floor(high)) + 1)))
    order = rng.permutation(len(values))
    return np.array(values)[order][:count]


def _attributes(
    rng: np.random.Generator, count: int, with_burned_in: bool, name: str
) -> list[dict[str, str]]:
    change = sorted(BASIC_PROFILE)
    keep = sorted(k for k in NOT_LISTED if k != "BurnedInAnnotation")
    n_keep = int(rng.integers(1, 3)) + int(count >= 7)
    chosen = [
        str(k) for k in rng.choice(change, count - n_keep - int(with_burned_in), replace=False)
    ]
    chosen += [str(k) for k in rng.choice(keep, n_keep, replace=False)]
    rng.shuffle(chosen)
    rows = [{"keyword": k, "tag": _tag(k), "value": _example_value(k, name)} for k in chosen]
    if with_burned_in:
        rows.append(
            {
                "keyword": "BurnedInAnnotation",
                "tag": NOT_LISTED["BurnedInAnnotation"],
                "value": "YES" if rng.random() < 0.5 else "NO",
            }
        )
    return rows


def _tag(keyword: str) -> str:
    return BASIC_PROFILE[keyword][0] if keyword in BASIC_PROFILE else NOT_LISTED[keyword]


def _solution(data: dict, hu: np.ndarray, grey: np.ndarray) -> list[str]:
    slope, intercept = data["rescale_slope"], data["rescale_intercept"]
    c, w = data["window"]["centre"], data["window"]["width"]
    low = c - 0.5 - (w - 1) / 2
    high = c - 0.5 + (w - 1) / 2
    sign = "-" if intercept < 0 else "+"
    conversions = "; ".join(
        f"pixel {i + 1}: ${p['stored']} \\times {slope:g} {sign} {abs(intercept):g} = {fmt(h, 1)}$"
        for i, (p, h) in enumerate(zip(data["pixels"], hu, strict=True))
    )
    steps = [
        "Stored values become Hounsfield units through the Modality LUT, here a linear "
        "rescale: $\\text{HU} = \\text{stored} \\times \\text{RescaleSlope} + "
        f"\\text{{RescaleIntercept}}$. {conversions}.",
        "The LINEAR VOI LUT function (PS3.3 C.11.2.1.2.1) maps HU $x$ to a grey level $y$ "
        "between 0 and 255 for window centre $c$ and width $w$: "
        "$y = 0$ if $x \\le c - 0.5 - \\frac{w-1}{2}$; $y = 255$ if "
        "$x > c - 0.5 + \\frac{w-1}{2}$; otherwise "
        "$y = \\left( \\frac{x - (c - 0.5)}{w - 1} + 0.5 \\right) \\times 255$. "
        f"For the {data['window']['name']} window ($c = {c}$, $w = {w}$) the edges are "
        f"{low:g} and {high:g}.",
    ]
    lines = []
    for x, y in zip(data["grey_hu"], grey, strict=True):
        if x <= low:
            lines.append(f"{x:g} ≤ {low:g} → 0")
        elif x > high:
            lines.append(f"{x:g} > {high:g} → 255")
        else:
            lines.append(
                f"$\\left( \\frac{{{x:g} - {c - 0.5:g}}}{{{w - 1}}} + 0.5 \\right) \\times 255 "
                f"= {fmt(y, 1)}$, shown as {round(y)}"
            )
    steps.append("Grey levels: " + "; ".join(lines) + ".")
    verdicts = []
    for a in data["attributes"]:
        keyword = a["keyword"]
        if keyword in BASIC_PROFILE:
            action = BASIC_PROFILE[keyword][1]
            verdicts.append(f"{keyword} {a['tag']}: {action}, {ACTIONS[action]}: yes")
        else:
            verdicts.append(f"{keyword} {a['tag']}: not in Table E.1-1, kept: no")
    steps.append(
        "Basic Application Level Confidentiality Profile, PS3.15 Table E.1-1: "
        + "; ".join(verdicts)
        + "."
    )
    burned = next((a for a in data["attributes"] if a["keyword"] == "BurnedInAnnotation"), None)
    if burned is not None:
        steps.append(
            f"BurnedInAnnotation is {burned['value']}. "
            + (
                "Text is burned into the pixel data, which no attribute action removes: the "
                "pixels must be cleaned (Clean Pixel Data Option) or the image left out."
                if burned["value"] == "YES"
                else "The pixels carry no burned-in text, so they can be kept as they are "
                "(still worth a look: the flag is only as good as the device that set it)."
            )
        )
    return steps
