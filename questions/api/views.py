"""The quiz API. Thin: validate input, call the attempts service, serialize."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Attempt
from ..owners import request_owner
from ..quizzes import services as service
from ..quizzes.grading import InvalidAnswer
from ..quizzes.selectors import get_owned_attempt, owned_attempts
from .pagination import Pages, page_of
from .serializers import (
    AnswerSerializer,
    AttemptSerializer,
    AttemptSummarySerializer,
    ErrorSerializer,
    SavedAnswerSerializer,
    StartAttemptSerializer,
)


def _attempt_response(attempt: Attempt, code: int = status.HTTP_200_OK) -> Response:
    items = attempt.items.select_related("question__topic")
    return Response(AttemptSerializer(attempt, context={"items": items}).data, status=code)


@extend_schema(
    methods=["GET"],
    operation_id="attempts_list",
    responses=page_of(AttemptSummarySerializer, "Attempt"),
)
@extend_schema(
    methods=["POST"],
    request=StartAttemptSerializer,
    responses={201: AttemptSerializer, 400: ErrorSerializer},
)
@api_view(["GET", "POST"])
def attempt_collection(request: Request) -> Response:
    if request.method == "GET":
        for overdue in owned_attempts(request).overdue():
            service.attempt_refresh(overdue)
        paginator = Pages()
        page = paginator.paginate_queryset(owned_attempts(request), request)
        return paginator.get_paginated_response(AttemptSummarySerializer(page, many=True).data)
    serializer = StartAttemptSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        attempt = service.attempt_start(
            owner=request_owner(request),
            kind=data["kind"],
            question_set=data.get("set"),
            topic=data.get("topic"),
            difficulty=data.get("difficulty", ""),
            count=data["count"],
        )
    except service.QuizError as error:
        return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
    return _attempt_response(attempt, status.HTTP_201_CREATED)


@extend_schema(responses=AttemptSerializer)
@api_view(["GET"])
def attempt_detail(request: Request, attempt_id: UUID) -> Response:
    attempt = service.attempt_refresh(get_owned_attempt(request, attempt_id))
    return _attempt_response(attempt)


@extend_schema(
    request=AnswerSerializer,
    responses={
        200: SavedAnswerSerializer,
        400: ErrorSerializer,
        409: OpenApiResponse(
            ErrorSerializer, description="The attempt has finished, or has not started."
        ),
    },
)
@api_view(["PUT"])
def attempt_answer(request: Request, attempt_id: UUID, position: int) -> Response:
    try:
        data = request.data
    except (exceptions.ParseError, exceptions.UnsupportedMediaType):
        get_owned_attempt(request, attempt_id)  # someone else's attempt: 404 before 400/415
        raise
    serializer = AnswerSerializer(data=data)
    if not serializer.is_valid():
        get_owned_attempt(request, attempt_id)  # someone else's attempt: 404 before 400
        serializer.is_valid(raise_exception=True)
    try:
        # Ownership is checked by the query that locks the attempt: one query fewer.
        item = service.owned_attempt_answer(
            owner=request_owner(request, create=False),
            attempt_id=attempt_id,
            position=position,
            response=serializer.validated_data["answer"],
        )
    except Attempt.DoesNotExist:
        raise Http404("No such quiz attempt.") from None
    except service.AttemptClosed as error:
        return Response({"detail": str(error), "finished": True}, status=status.HTTP_409_CONFLICT)
    except service.NotStarted as error:
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    except (service.QuizError, InvalidAnswer) as error:
        return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
    return Response({"position": item.position, "answer": item.answer_for_client, "saved": True})


@extend_schema(request=None, responses=AttemptSerializer)
@api_view(["POST"])
def attempt_finish(request: Request, attempt_id: UUID) -> Response:
    try:
        attempt = service.attempt_finish(attempt=get_owned_attempt(request, attempt_id))
    except service.NotStarted as error:
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    return _attempt_response(attempt)
