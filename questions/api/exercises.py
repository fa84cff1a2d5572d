"""The exercise API: list kinds, fetch generated data, check answers. Bad input is a 400."""

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


class FieldResultSerializer(serializers.Serializer):
    correct = serializers.BooleanField()
    # Numbers, except for text fields (an axis code such as "LPS"): the expected text and
    # the answer as compared (upper case, no spaces, commas or semicolons).
    expected = serializers.JSONField(allow_null=True)
    given = serializers.JSONField(allow_null=True)
    tolerance = serializers.FloatField()
    message = serializers.CharField(allow_blank=True)


class CheckResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    seed = serializers.IntegerField()
    level = serializers.CharField()
    score = serializers.FloatField()
    results = serializers.DictField(child=FieldResultSerializer())
    solution_html = serializers.ListField(child=serializers.CharField())
    solution_markdown = serializers.CharField()
    urls = serializers.DictField(child=serializers.URLField())


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
    results, record = services.exercise_check(
        owner=request_owner(request), exercise=exercise, answers=answers
    )
    key = (exercise.kind, exercise.seed, exercise.level)
    return Response(
        {
            "kind": exercise.kind,
            "seed": exercise.seed,
            "level": exercise.level,
            "score": record.score,
            "results": {
                name: {
                    "correct": r.correct,
                    "expected": r.expected,
                    "given": r.given,
                    "tolerance": r.tolerance,
                    "message": r.message,
                }
                for name, r in results.items()
            },
            "solution_html": list(lookup.solution_html(*key)),
            "solution_markdown": exercise.solution,
            "urls": _urls(request, exercise),
        }
    )
