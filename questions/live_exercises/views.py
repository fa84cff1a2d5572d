"""Pages of the live exercises (list, exercise with its data, check, figure, DICOM file) and
the DICOM inspector."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ..clients import client_address
from ..exercises import KINDS, LEVELS, MAX_SEED, Exercise, lookup
from ..exercises.dicom import deidentification_rows
from ..exercises.dicom_view import PRESET_LABELS
from ..exercises.downloads import download_for
from ..owners import request_owner
from ..progress.services import shown_token, time_spent
from ..web.page_cache import shared_page_cache
from . import services
from .forms import SAMPLES, DicomUploadForm, DicomViewForm
from .throttle import dicom_inspect_refusal


def _exercise_or_404(kind: str, seed: str, level: str | None) -> Exercise:
    try:
        return lookup.exercise_from_request(kind, seed, level)
    except lookup.ExerciseInputError as error:
        raise Http404(str(error)) from None


def exercise_url(kind: str, seed: int, level: str) -> str:
    return reverse("questions:exercise", args=[kind, seed]) + f"?level={level}"


@require_GET
@shared_page_cache
def exercise_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "questions/exercise_list.html", {"kinds": KINDS.values(), "levels": LEVELS}
    )


@require_GET
def exercise_new(request: HttpRequest, kind: str) -> HttpResponse:
    """A fresh seed: the shareable URL of a new exercise."""
    if kind not in KINDS:
        raise Http404("No such exercise.")
    level = request.GET.get("level", "medium")
    level = level if level in LEVELS else "medium"
    return redirect(exercise_url(kind, secrets.randbelow(MAX_SEED), level))


@require_http_methods(["GET", "POST"])
def exercise_detail(request: HttpRequest, kind: str, seed: str) -> HttpResponse:
    """The exercise; a POST marks the answers, field by field, without the expected values.
    The worked solution and the figure come only with services.exercise_submit's consent."""
    exercise = _exercise_or_404(kind, seed, request.GET.get("level"))
    key = (exercise.kind, exercise.seed, exercise.level)
    submission = None
    answer_refusal = ""
    if request.method == "POST":
        answers = {field.name: request.POST.get(field.name, "") for field in exercise.fields}
        try:
            submission = services.exercise_submit(
                owner=request_owner(request),
                exercise=exercise,
                answers=answers,
                reveal="reveal" in request.POST,
                seconds=time_spent(request.POST.get("shown")),
            )
        except services.AnswerRefused as error:
            answer_refusal = str(error)
    results = submission.results if submission else None
    show_solution = bool(submission and submission.show_solution)
    # Typed values come back as kept: cut to the stored length, without the NULs refused.
    given = {
        field.name: request.POST.get(field.name, "")[: services.MAX_ANSWER].replace("\x00", "")
        for field in exercise.fields
    }
    rows = [
        (field, given[field.name], results[field.name] if results else None)
        for field in exercise.fields
    ]
    deid = []
    if exercise.kind == "dicom":
        # The de-identification answers sit in a table beside each attribute, not in the grid.
        marks = {field.name: (field, given, result) for field, given, result in rows}
        deid = [(row, *marks.pop(row["field"])) for row in deidentification_rows(exercise.data)]
        rows = list(marks.values())
    context = {
        "deid": deid,
        "answer_refusal": answer_refusal,
        "exercise": exercise,
        "kind": KINDS[exercise.kind],
        "prompt_html": lookup.prompt_html(*key),
        "rows": rows,
        "results": results,
        "right": sum(r.correct for r in results.values()) if results else 0,
        "show_solution": show_solution,
        "recorded": submission.recorded if submission else True,
        "after_solution": bool(submission and submission.after_solution),
        "solution": lookup.solution_html(*key) if show_solution else (),
        "levels": LEVELS,
        "shown": shown_token(),
        "figure_url": reverse("questions:exercise_figure", args=[exercise.kind, exercise.seed])
        + f"?level={exercise.level}&v={services.FIGURE_VERSION}",
    }
    if show_solution:
        try:
            context["figure_alt"] = services.figure_for(exercise, client=client_address(request))[2]
        except services.RenderRefused as refused:
            # The figure's own request will be refused too; its alt text says why.
            context["figure_alt"] = f"The figure is not drawn: {refused}"
    return render(
        request, "questions/exercise_detail.html", context, status=400 if answer_refusal else 200
    )


def _refused(refused: services.RenderRefused) -> HttpResponse:
    response = HttpResponse(str(refused), content_type="text/plain; charset=utf-8", status=429)
    response["Retry-After"] = str(refused.wait_seconds)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def exercise_figure(request: HttpRequest, kind: str, seed: str) -> HttpResponse:
    exercise = _exercise_or_404(kind, seed, request.GET.get("level"))
    fmt = "png" if request.GET.get("format") == "png" else "svg"
    try:
        content, content_type, _alt = services.figure_for(
            exercise, fmt, client=client_address(request)
        )
    except services.RenderRefused as refused:
        return _refused(refused)
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "public, max-age=604800, immutable"
    return response


@require_GET
def exercise_dicom(request: HttpRequest, seed: str) -> HttpResponse:
    exercise = _exercise_or_404("dicom", seed, request.GET.get("level"))
    try:
        content = services.dicom_bytes(exercise, client=client_address(request))
    except services.RenderRefused as refused:
        return _refused(refused)
    except ValueError as error:  # an exercise no valid file can carry; say so, no traceback
        return HttpResponse(f"No DICOM file for this exercise: {error}", status=400)
    response = HttpResponse(content, content_type="application/dicom")
    name = f"exercise-{exercise.seed}-{exercise.level}.dcm"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def exercise_file(request: HttpRequest, kind: str, seed: str) -> HttpResponse:
    """The file of an exercise that has one (a NIfTI volume, a zipped DICOM series)."""
    download = download_for(kind)
    if download is None:
        raise Http404("This exercise has no file.")
    exercise = _exercise_or_404(kind, seed, request.GET.get("level"))
    try:
        content = services.exercise_file_bytes(exercise, client=client_address(request))
    except services.RenderRefused as refused:
        return _refused(refused)
    response = HttpResponse(content, content_type=download.content_type)
    name = f"{kind}-{exercise.seed}-{exercise.level}{download.suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def dicom_inspector(request: HttpRequest) -> HttpResponse:
    """Upload a file (POST) or open a sample by name (GET ?sample=CT_small): its header,
    pixel range and image under the chosen window, with the value of a chosen pixel.

    An upload is re-posted to re-window it (dicom_inspector.js resubmits the form with the
    file still chosen, and swaps in the result), so nothing is stored between requests;
    the samples ship with pydicom, so they are addressed by name and need no upload.
    """
    posted = request.method == "POST"
    # Uploads and sample views both draw an image: both count against the address's budget.
    drawing = posted or "sample" in request.GET
    refusal = dicom_inspect_refusal(request) if drawing else None
    if refusal is not None:  # before the file is parsed: refusing costs next to nothing
        context = {"form": DicomUploadForm(), "refusal": refusal.message, "samples": SAMPLES}
        response = render(request, "questions/dicom_inspector.html", context, status=429)
        response["Retry-After"] = str(refusal.wait_seconds)
        return response
    form = DicomUploadForm(request.POST, request.FILES) if posted else DicomUploadForm()
    sample = None if posted else request.GET.get("sample")
    view_form = DicomViewForm(request.POST if posted else request.GET or None)
    raw, name = None, ""
    if sample in SAMPLES:
        from pydicom.data import get_testdata_file

        name = SAMPLES[sample][0]
        raw = Path(str(get_testdata_file(name))).read_bytes()
    elif sample is not None:
        raise Http404("No such sample file.")
    elif posted and form.is_valid():
        upload = form.cleaned_data["file"]
        raw, name = upload.read(), str(upload.name)[:120]
    inspection = problem = image = None
    if raw is not None:
        # Imported here: pydicom stays out of start-up (see the start-up benchmark).
        from ..exercises.dicom_inspect import DicomProblem, inspect_dicom

        try:
            inspection = inspect_dicom(raw)
        except DicomProblem as error:
            problem = str(error)
        else:
            choice = view_form.cleaned_data if view_form.is_valid() else {}
            image = services.dicom_view(inspection, choice)
    invalid = problem or (posted and not form.is_valid()) or (raw and view_form.errors)
    context = {
        "form": form,
        "view_form": view_form,
        "inspection": inspection,
        "problem": problem,
        "image": image,
        "name": name,
        "sample": sample,
        "samples": SAMPLES,
        "presets": PRESET_LABELS,
    }
    return render(
        request, "questions/dicom_inspector.html", context, status=400 if invalid else 200
    )
