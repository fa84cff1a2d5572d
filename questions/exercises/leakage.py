"""Patient leakage in a train/test split made image by image.

Several images per patient, split at random per image: some patients end up in both
splits, and the test score then rewards recognising the patient. The exercise counts the
leak and carries a leak-free reassignment computed by `reassign`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import numpy as np

from .base import Exercise, count_field, rng_for

KIND = "leakage"
TITLE = "Patient leakage between train and test"
DESCRIPTION = (
    "Find the patients whose images sit in both train and test, count the leaked test "
    "images, and reassign patients so the split is leak-free."
)

# (patients low, patients high), (leaked low, leaked high), most images per patient
_SHAPE = {
    "easy": ((6, 8), (1, 2), 4),
    "medium": ((10, 14), (1, 3), 4),
    "hard": ((18, 26), (0, 5), 6),
}


def split_by_patient(rows: Iterable[Mapping[str, str]]) -> dict[str, Counter[str]]:
    """patient -> Counter of their images per split."""
    per_patient: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        per_patient[row["patient"]][row["split"]] += 1
    return dict(per_patient)


def leaked_patients(rows: Iterable[Mapping[str, str]]) -> list[str]:
    """Patients with at least one image in train and one in test, sorted."""
    return sorted(p for p, c in split_by_patient(rows).items() if c["train"] and c["test"])


def reassign(rows: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Put every patient wholly in the split that holds most of their images.

    A tie goes to train: a fixed rule keeps the result reproducible, and with this one a
    tied patient never brings images into the test set that it did not already hold.
    """
    return {
        patient: "test" if c["test"] > c["train"] else "train"
        for patient, c in sorted(split_by_patient(rows).items())
    }


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    (p_low, p_high), (l_low, l_high), most = _SHAPE[level]
    n_patients = int(rng.integers(p_low, p_high + 1))
    ids = [
        f"PT{n:03d}" for n in sorted(rng.choice(np.arange(100, 1000), n_patients, replace=False))
    ]
    images = rng.integers(1, most + 1, n_patients)
    multi = [i for i in range(n_patients) if images[i] >= 2]
    n_leaked = min(int(rng.integers(l_low, l_high + 1)), len(multi))
    if n_leaked == 0 and level != "hard":
        # Easy and medium always show a leak; only the hard level may have none.
        images[0], multi, n_leaked = max(2, images[0]), [0], 1
    leaking = set(rng.choice(multi, n_leaked, replace=False).tolist()) if n_leaked else set()
    home = np.where(rng.random(n_patients) < 0.3, "test", "train")
    home[0], home[-1] = "train", "test"  # both splits have a patient of their own

    rows: list[dict[str, str]] = []
    for i, patient in enumerate(ids):
        if i in leaking:
            splits = np.where(rng.random(images[i]) < 0.5, "test", "train")
            splits[0], splits[1] = "train", "test"  # a leaking patient is in both splits
        else:
            splits = np.full(images[i], home[i])
        rows += [{"patient": patient, "split": str(s)} for s in splits]
    order = rng.permutation(len(rows))  # an image-level split interleaves the patients
    table = [{"image": f"IMG-{k + 1:03d}", **rows[j]} for k, j in enumerate(order)]

    leaked = leaked_patients(table)
    leaked_set = set(leaked)
    leaked_test = [r["image"] for r in table if r["split"] == "test" and r["patient"] in leaked_set]
    assignment = reassign(table)
    after = Counter(assignment[r["patient"]] for r in table)
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=(
            f"{len(table)} chest X-rays from {n_patients} patients were split into train and "
            "test image by image. How many patients appear in both splits, and how many test "
            "images belong to such a patient?"
        ),
        data={
            "images": table,
            "reassignment": assignment,
            "after_reassignment": {"train": after["train"], "test": after["test"]},
        },
        fields=[
            count_field("leaked_patients", "Patients with images in both train and test"),
            count_field("leaked_test_images", "Test images whose patient is also in train"),
        ],
        expected={
            "leaked_patients": float(len(leaked)),
            "leaked_test_images": float(len(leaked_test)),
        },
        solution=_solution(table, leaked, leaked_test, assignment, after),
    )


def _solution(
    table: list[dict[str, str]],
    leaked: list[str],
    leaked_test: list[str],
    assignment: dict[str, str],
    after: Counter[str],
) -> list[str]:
    per_patient = split_by_patient(table)
    if not leaked:
        return [
            "Group the images by patient: every patient's images are all in train or all in "
            "test. No patient leaks, so both answers are 0: this split is already patient-wise."
        ]
    listing = "; ".join(
        f"{p} ({per_patient[p]['train']} train, {per_patient[p]['test']} test)" for p in leaked
    )
    moved = {p: per_patient[p]["test" if assignment[p] == "train" else "train"] for p in leaked}
    moves = "; ".join(f"{p} → {assignment[p]} (moves {moved[p]})" for p in leaked)
    return [
        f"Group the images by patient and look for patients in both splits: {listing}. "
        f"So {len(leaked)} patient(s) leak.",
        f"Their test images are {', '.join(leaked_test)}: {len(leaked_test)} test image(s) "
        "show a patient the model has already seen in training. Anatomy, implants, scanner "
        "and positioning repeat between a patient's images, so the model can score well on "
        "them by recognising the patient; the test score is optimistic.",
        f"Leak-free fix: move each leaked patient wholly to the split that holds most of their "
        f"images, ties to train: {moves}. Afterwards train has {after['train']} images and "
        f"test {after['test']}. Better still, split by patient from the start (for example "
        "scikit-learn's `GroupShuffleSplit` with the patient id as group).",
    ]
