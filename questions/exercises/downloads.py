"""The file a candidate can download with an exercise, per kind. No Django here.

Builders are imported when a file is built, so pydicom and nibabel stay out of start-up.
`identity` names whose copy a file is (inside a quiz, a secret of the attempt's item) so
that nothing in it leads back to the seed; see dicom_file.build_dicom.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .base import Exercise


@dataclass(frozen=True)
class Download:
    suffix: str  # the file name's ending, with its dot
    content_type: str
    label: str  # what the download link says
    build: Callable[[Exercise, str], bytes]  # (exercise, identity) -> bytes


def _dicom(exercise: Exercise, identity: str) -> bytes:
    from .dicom_file import build_dicom

    return build_dicom(exercise, identity=identity)


def _nifti(exercise: Exercise, identity: str) -> bytes:
    from .nifti_file import build_nifti

    return build_nifti(exercise)  # the file holds no identifier to hide


def _series(exercise: Exercise, identity: str) -> bytes:
    from .dicom_series import build_series

    return build_series(exercise, identity=identity)


DOWNLOADS: dict[str, Download] = {
    "dicom": Download(".dcm", "application/dicom", "the .dcm file", _dicom),
    "nifti": Download(".nii.gz", "application/gzip", "the .nii.gz file", _nifti),
    "dicom_geometry": Download(".zip", "application/zip", "the series (.zip)", _series),
}


def download_for(kind: str) -> Download | None:
    return DOWNLOADS.get(kind)
