"""The exercise API: list kinds, fetch generated data, check answers. Bad input is a 400.

A check follows the exercise page's rule (live_exercises.services.exercise_submit): the
marks first; the expected values, the solution and the figure only when asked for
(`"reveal": true`), with every field right, or from the second wrong check on."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from ..exercises import KINDS, LEVELS, Exercise, lookup
from ..exercises.base import parse_answer
from ..exercises.downloads import DOWNLOADS
from ..live_exercises import services
from ..owners import request_owner
from .pagination import Pages, page_of
from .serializers import ErrorSerializer, FieldSerializer


class KindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())


class ExerciseSerializer(serializers.Serializer):
    kind = serializers.CharField()
    seed = serializers.IntegerField()
    level = serializers.CharField()
    prompt = serializers.CharField()
    # Fields, though Serializer has attributes of these names: DRF's metaclass moves declared
    # fields out of the class body, which the stubs cannot express.
    data = serializers.JSONField(  # type: ignore[assignment]
        help_text="The generated data; its shape depends on the kind."
    )
    fields = FieldSerializer(many=True)  # type: ignore[assignment]
    urls = serializers.DictField(child=serializers.URLField())


class CheckRequestSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=list(LEVELS), required=False)
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="Every field of the exercise: a number (or 'yes'/'no'), null if undefined.",
    )
    reveal = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: send the expected values and the worked solution with the marks "
        "(as the page's Show solution). Asked for before any check, the answers are recorded "
        "as given; once the solution is shown, later checks of this exercise are not recorded.",
    )


class FieldResultSerializer(serializers.Serializer):
    correct = serializers.BooleanField()
    close = serializers.BooleanField(
        help_text="Wrong, but within five tolerances (or 2 %) of the expected value."
    )
    # Numbers, except for text fields (an axis code such as "LPS"): the expected text and
    # the answer as compared (upper case, no spaces, commas or semicolons).
    expected = serializers.JSONField(
        allow_null=True,
        required=False,
        help_text="Only when solution_shown (null: the value is undefined here).",
    )
    given = serializers.JSONField(allow_null=True)
    tolerance = serializers.FloatField()
    message = serializers.CharField(
        allow_blank=True,
        help_text="Names the expected value only when solution_shown.",
    )


class CheckResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    seed = serializers.IntegerField()
    level = serializers.CharField()
    score = serializers.FloatField()
    solution_shown = serializers.BooleanField(
        help_text="Whether the expected values and the solution are sent: with reveal, every "
        "field right, the second wrong check of this exercise by you, or any check after that."
    )
    recorded = serializers.BooleanField(
        help_text="Whether this check counts in your progress (false after the solution "
        "was shown, or for a reveal after an earlier check)."
    )
    results = serializers.DictField(child=FieldResultSerializer())
    solution_html = serializers.ListField(
        child=serializers.CharField(), help_text="Empty unless solution_shown."
    )
    solution_markdown = serializers.CharField(
        allow_blank=True, help_text="Empty unless solution_shown."
    )
    urls = serializers.DictField(
        child=serializers.URLField(),
        help_text="The figure (it shows the answers) only with the solution.",
    )


def _bad(message: str, **extra: Any) -> Response:
    return Response({"detail": message, **extra}, status=status.HTTP_400_BAD_REQUEST)


def _urls(request: Request, exercise: Exercise) -> dict[str, str]:
    query = f"?level={exercise.level}"
    urls = {
        "page": request.build_absolute_uri(
            reverse("questions:exercise", args=[exercise.kind, exercise.seed]) + query
        ),
        "figure": request.build_absolute_uri(
            reverse("questions:exercise_figure", args=[exercise.kind, exercise.seed]) + query
        ),
    }
    if exercise.kind == "dicom":
        urls["dicom_file"] = request.build_absolute_uri(
            reverse("questions:exercise_dicom", args=[exercise.seed]) + query
        )
    elif exercise.kind in DOWNLOADS:
        urls["file"] = request.build_absolute_uri(
            reverse("questions:exercise_file", args=[exercise.kind, exercise.seed]) + query
        )
    return urls


@extend_schema(operation_id="exercises_list", responses=page_of(KindSerializer, "ExerciseKind"))
@api_view(["GET"])
def exercise_kinds(request: Request) -> Response:
    kinds = [
        {"kind": k.name, "title": k.title, "description": k.description, "levels": list(LEVELS)}
        for k in KINDS.values()
    ]
    paginator = Pages()
    return paginator.get_paginated_response(paginator.paginate_queryset(kinds, request))


@extend_schema(responses={200: ExerciseSerializer, 400: ErrorSerializer})
@api_view(["GET"])
def exercise_data(request: Request, kind: str, seed: str) -> Response:
    try:
        exercise = lookup.exercise_from_request(kind, seed, request.query_params.get("level"))
    except lookup.ExerciseInputError as error:
        return _bad(str(error))
    return Response(
        {
            "kind": exercise.kind,
            "seed": exercise.seed,
            "level": exercise.level,
            "prompt": exercise.prompt,
            "data": exercise.data,
            "fields": FieldSerializer(exercise.fields, many=True).data,
            "urls": _urls(request, exercise),
        }
    )


@extend_schema(
    request=CheckRequestSerializer, responses={200: CheckResultSerializer, 400: ErrorSerializer}
)
@api_view(["POST"])
def exercise_check(request: Request, kind: str, seed: str) -> Response:
    body = request.data if isinstance(request.data, dict) else {}
    try:
        exercise = lookup.exercise_from_request(kind, seed, body.get("level"))
    except lookup.ExerciseInputError as error:
        return _bad(str(error))
    answers = body.get("answers")
    if not isinstance(answers, dict):
        return _bad(
            "Send {'level': ..., 'answers': {field: number}}; "
            f"the fields are {', '.join(f.name for f in exercise.fields)}."
        )
    names = {f.name for f in exercise.fields}
    errors = {name: "unknown field" for name in answers if name not in names}
    errors |= {
        name: "missing: give a number, or null if undefined" for name in names - set(answers)
    }
    for field in exercise.fields:
        value = answers.get(field.name)
        if field.name in answers and field.kind == "number":
            parsed = parse_answer(value)
            if parsed.error:
                errors[field.name] = parsed.error
    if errors:
        return _bad("Some answers cannot be checked.", errors=errors)
    reveal = body.get("reveal", False)
    if not isinstance(reveal, bool):
        return _bad("'reveal' must be true or false.")
    try:
        submission = services.exercise_submit(
            owner=request_owner(request), exercise=exercise, answers=answers, reveal=reveal
        )
    except services.AnswerRefused as error:
        return _bad(str(error))
    shown = submission.show_solution
    key = (exercise.kind, exercise.seed, exercise.level)
    urls = _urls(request, exercise)
    if not shown:
        del urls["figure"]
    return Response(
        {
            "kind": exercise.kind,
            "seed": exercise.seed,
            "level": exercise.level,
            "score": submission.score,
            "solution_shown": shown,
            "recorded": submission.recorded,
            "results": {
                name: {
                    "correct": r.correct,
                    "close": r.close,
                    **({"expected": r.expected} if shown else {}),
                    "given": r.given,
                    "tolerance": r.tolerance,
                    # The message names the expected value; the hint never does.
                    "message": r.message if shown else r.hint,
                }
                for name, r in submission.results.items()
            },
            "solution_html": list(lookup.solution_html(*key)) if shown else [],
            "solution_markdown": exercise.solution if shown else "",
            "urls": urls,
        }
    )
