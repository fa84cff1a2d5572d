"""The DICOM inspector: upload a .dcm file, see its header and Hounsfield range."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import DicomUploadForm


def dicom_inspector(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = DicomUploadForm(request.POST, request.FILES) if posted else DicomUploadForm()
    inspection = problem = None
    if posted and form.is_valid():
        # Imported here: pydicom stays out of start-up (see the start-up benchmark).
        from .exercises.dicom_inspect import DicomProblem, inspect_dicom

        try:
            inspection = inspect_dicom(form.cleaned_data["file"].read())
        except DicomProblem as error:
            problem = str(error)
    status = 400 if problem or (posted and not form.is_valid()) else 200
    return render(
        request,
        "questions/dicom_inspector.html",
        {"form": form, "inspection": inspection, "problem": problem},
        status=status,
    )
