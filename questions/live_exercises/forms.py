"""The DICOM inspector's forms: the upload, and how to show the image."""

from __future__ import annotations

from django import forms

from ..exercises.dicom_view import PRESET_LABELS

# pydicom's own test files, addressed by name so that trying them needs no upload.
SAMPLES = {
    "CT_small": ("CT_small.dcm", "CT slice (pydicom's CT_small.dcm, 128 × 128)"),
    "MR_small": ("MR_small.dcm", "MR slice (pydicom's MR_small.dcm, 64 × 64)"),
}


class DicomUploadForm(forms.Form):
    file = forms.FileField(
        label="DICOM file",
        help_text="A .dcm file up to 1 MB, such as one downloaded from a DICOM exercise. "
        "It is read in memory and not kept; patient fields are never shown.",
    )


class DicomViewForm(forms.Form):
    """The window and the pixel to read. Every field is optional: the file's own window
    (or the full range) and no pixel when nothing is given."""

    window = forms.ChoiceField(choices=list(PRESET_LABELS.items()), required=False, initial="file")
    centre = forms.FloatField(required=False, min_value=-100_000, max_value=100_000)
    width = forms.FloatField(required=False, min_value=1, max_value=200_000)
    row = forms.IntegerField(required=False, min_value=0, max_value=100_000)
    column = forms.IntegerField(required=False, min_value=0, max_value=100_000)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("window") == "custom" and (data.get("centre") is None or not data.get("width")):
            raise forms.ValidationError("A custom window needs a centre and a width (at least 1).")
        if (data.get("row") is None) != (data.get("column") is None):
            raise forms.ValidationError("Give both a row and a column to read a pixel.")
        return data
