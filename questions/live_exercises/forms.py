"""The DICOM inspector's upload form."""

from __future__ import annotations

from django import forms


class DicomUploadForm(forms.Form):
    file = forms.FileField(
        label="DICOM file",
        help_text="A .dcm file up to 1 MB, such as one downloaded from a DICOM exercise. "
        "It is read in memory and not kept; patient fields are never shown.",
    )
