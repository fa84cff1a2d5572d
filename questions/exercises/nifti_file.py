"""A real NIfTI-1 file for a NIfTI exercise, written with nibabel. No Django here.

`build_nifti(exercise)` writes a gzipped .nii whose sform and qform are the exercise's affine
(both with code 1, scanner coordinates), holding a small phantom: a bright ellipsoid, a
marker block at the high-i, low-j, low-k corner so flips are visible in a viewer, and the
exercise's voxel set to 1000. The bytes depend on the exercise alone (gzip without a time
stamp), so the same exercise always downloads the same file. Nothing in the header names
the seed.
"""

from __future__ import annotations

import gzip

import numpy as np

from .base import Exercise
from .nifti import KIND

_VOXEL_VALUE = 1000


def build_nifti(exercise: Exercise) -> bytes:
    """The exercise's volume as .nii.gz bytes. Raises ValueError for other kinds."""
    if exercise.kind != KIND:
        raise ValueError(f"only {KIND!r} exercises become NIfTI files, not {exercise.kind!r}")
    import nibabel  # here, not at import: nibabel is only needed for the download

    affine = np.array(exercise.data["affine"], dtype=np.float64)
    image = nibabel.Nifti1Image(volume(exercise), affine)
    image.set_sform(affine, code=1)
    image.set_qform(affine, code=1)
    image.header.set_xyzt_units("mm")
    image.header["descrip"] = b"quizsite NIfTI orientation exercise"
    return gzip.compress(image.to_bytes(), compresslevel=6, mtime=0)


def volume(exercise: Exercise) -> np.ndarray:
    """The voxel values (int16, shape i × j × k) that `build_nifti` writes."""
    shape = tuple(int(n) for n in exercise.data["shape"])
    grid = np.meshgrid(*(np.linspace(-1, 1, n) for n in shape), indexing="ij")
    inside = sum(g**2 for g in grid) <= 0.6
    data = np.where(inside, 100, 0).astype(np.int16)
    data[shape[0] - 4 :, :4, :4] = 500  # a corner block: shows which way i, j and k run
    i, j, k = exercise.data["voxel"]
    data[i, j, k] = _VOXEL_VALUE
    return data
