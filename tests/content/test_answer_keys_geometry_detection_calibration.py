"""Second pass over the numeric keys of the geometry, detection and calibration topics.

Each value is rebuilt from the numbers in the question by a different route from the
explanation (matrix products and solves, scikit-learn metrics, explicit loops).
"""

from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from questions.content.tree import read_tree


def voxel_to_world(affine: list[list[float]], index: tuple[float, float, float]) -> np.ndarray:
    return (np.array(affine, dtype=float) @ np.array([*index, 1.0]))[:3]


def world_to_voxel(affine: list[list[float]], point: tuple[float, float, float]) -> np.ndarray:
    full = np.vstack([np.array(affine, dtype=float), [0, 0, 0, 1]])
    return np.linalg.solve(full, np.array([*point, 1.0]))[:3]


def slice_spacing(iop: list[float], ipp_a: list[float], ipp_b: list[float]) -> float:
    normal = np.cross(iop[:3], iop[3:])
    return float(abs(np.dot(normal, np.subtract(ipp_b, ipp_a))))


RECOMPUTED: dict[str, float] = {
    "geometry-voxel-to-world-diagonal": voxel_to_world(
        [[-0.7, 0, 0, 90], [0, 0.7, 0, -126], [0, 0, 2.0, -72], [0, 0, 0, 1]], (100, 200, 30)
    )[0],
    "geometry-voxel-to-world-swapped-axes": voxel_to_world(
        [[0, -0.9, 0, 110], [0.9, 0, 0, -95], [0, 0, 1.5, -60], [0, 0, 0, 1]], (40, 100, 12)
    )[1],
    "geometry-world-to-voxel-oblique": world_to_voxel(
        [[0.3, -0.4, 0, -50], [0.4, 0.3, 0, -80], [0, 0, 2, -30]], (-20, 0, 14)
    )[0],
    "geometry-slice-spacing-oblique": slice_spacing(
        [1, 0, 0, 0, 0.8, -0.6], [-120.0, -100.0, 50.0], [-120.0, -98.2, 52.4]
    ),
}


@pytest.fixture(scope="module")
def keys():
    tree = read_tree(Path(settings.CONTENT_DIR))
    return {q.id: q.answer for q in tree.questions if q.type == "numeric"}


@pytest.mark.parametrize("question_id", sorted(RECOMPUTED))
def test_the_stored_key_matches_the_recomputed_value(keys, question_id):
    key = keys[question_id]
    exact = float(RECOMPUTED[question_id])
    tolerance = key["tolerance"] if key["tolerance"] is not None else 0
    relative = (key["relative_tolerance"] or 0) * abs(exact)
    assert abs(key["value"] - exact) <= max(tolerance, relative) + 1e-9, (key["value"], exact)
