"""Live exercises: numbers generated from a seed, checked field by field. No Django here.

    from questions.exercises import KINDS, check, generate
    exercise = generate("classification", seed=42, level="hard")
    results = check(exercise, {"tp": "12", "precision": "70.6%"})

The same (kind, seed, level) always gives the same exercise, so the database only needs to
store those three values; `Exercise.to_dict()` is JSON-ready if a copy is wanted anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from . import (
    agreement,
    boundary,
    calibration,
    class_weights,
    classification,
    detection,
    dicom,
    dicom_geometry,
    intervals,
    leakage,
    nifti,
    roc,
    segmentation,
)
from .base import LEVELS, MAX_SEED, Exercise, Field, FieldResult, check

__all__ = [
    "KINDS",
    "LEVELS",
    "MAX_SEED",
    "Exercise",
    "Field",
    "FieldResult",
    "Kind",
    "check",
    "generate",
]


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    description: str  # one line, for the list of exercises
    generate: Callable[[int, str], Exercise]


def _kind(module: ModuleType) -> Kind:
    return Kind(module.KIND, module.TITLE, module.DESCRIPTION, module.generate)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in map(
        _kind,
        [
            classification,
            class_weights,
            agreement,
            segmentation,
            leakage,
            roc,
            dicom,
            nifti,
            dicom_geometry,
            intervals,
            calibration,
            detection,
            boundary,
        ],
    )
}


def generate(kind: str, seed: int, level: str) -> Exercise:
    """The exercise of `kind` for (seed, level); raises KeyError/ValueError on bad input."""
    if kind not in KINDS:
        raise KeyError(f"unknown exercise kind {kind!r}; known: {', '.join(KINDS)}")
    return KINDS[kind].generate(seed, level)
