"""The candidate's own data: progress, history, review queue. Session or token auth; an
anonymous visitor sees their session's data. Anyone else's items are 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import GlossaryTerm, ProgressEvent, Question, ReviewCard, Topic
from ..owners import request_owner
from ..progress import services as progress
from ..progress import stats as progress_stats
from ..progress.review_queue import (
    RATINGS,
    NotRevealed,
    card_front,
    card_reveal,
    due_cards,
    outcomes,
)
from .pagination import Pages, page_of
from .serializers import ErrorSerializer


class TopicProgressSerializer(serializers.Serializer):
    topic = serializers.CharField()
    title = serializers.CharField()
    mastery = serializers.FloatField(allow_null=True, help_text="0–1; null before any answer.")
    confidence = serializers.CharField(allow_null=True)
    answers = serializers.IntegerField()
    questions_seen = serializers.IntegerField()
    questions_total = serializers.IntegerField()
    last_practised = serializers.DateTimeField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    streak_days = serializers.IntegerField()
    due_reviews = serializers.IntegerField()
    topics = TopicProgressSerializer(many=True)


@extend_schema(responses=ProgressSerializer)
@api_view(["GET"])
def my_progress(request: Request) -> Response:
    owner = request_owner(request, create=False)
    topics = progress_stats.topic_progress(owner)
    return Response(
        {
            "streak_days": progress_stats.practice_streak(owner),
            "due_reviews": progress_stats.due_count(owner),
            "topics": [
                {
                    "topic": t.slug,
                    "title": t.title,
                    "mastery": round(t.mastery.value, 4) if t.mastery else None,
                    "confidence": t.mastery.confidence if t.mastery else None,
                    "answers": t.answers,
                    "questions_seen": t.seen,
                    "questions_total": t.total,
                    "last_practised": t.last_practised,
                }
                for t in topics
            ],
        }
    )


class EventSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="label")
    topic: serializers.SlugRelatedField[Topic] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    question: serializers.SlugRelatedField[Question] = serializers.SlugRelatedField(
        slug_field="ext_id", read_only=True
    )
    term: serializers.SlugRelatedField[GlossaryTerm] = serializers.SlugRelatedField(
        slug_field="ext_id", read_only=True
    )

    class Meta:
        model = ProgressEvent
        fields = [
            "id",
            "created_at",
            "source",
            "topic",
            "item",
            "question",
            "term",
            "exercise_kind",
            "correct",
            "score",
            "time_spent_seconds",
        ]


@extend_schema(responses=page_of(EventSerializer, "HistoryEvent"))
@api_view(["GET"])
def my_history(request: Request) -> Response:
    owner = request_owner(request, create=False)
    events = ProgressEvent.objects.owned_by(owner.user, owner.anon_token).select_related(
        "question", "term", "topic"
    )
    paginator = Pages()
    page = paginator.paginate_queryset(events, request)
    return paginator.get_paginated_response(EventSerializer(page, many=True).data)


class CardSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="label")
    kind = serializers.SerializerMethodField()
    question: serializers.SlugRelatedField[Question] = serializers.SlugRelatedField(
        slug_field="ext_id", read_only=True
    )
    term: serializers.SlugRelatedField[GlossaryTerm] = serializers.SlugRelatedField(
        slug_field="ext_id", read_only=True
    )

    class Meta:
        model = ReviewCard
        fields = [
            "id",
            "kind",
            "item",
            "question",
            "term",
            "due",
            "reviews",
            "last_rating",
            "revealed",
        ]

    revealed = serializers.SerializerMethodField(
        help_text="Whether the answer was shown (reveal/) since the last rating; a rating needs it."
    )

    def get_revealed(self, card: ReviewCard) -> bool:
        return card.revealed_at is not None

    def get_kind(self, card: ReviewCard) -> str:
        return "question" if card.question_id else "term"


class GradeSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=list(RATINGS))


@extend_schema(responses=page_of(CardSerializer, "ReviewCard"))
@api_view(["GET"])
def my_review(request: Request) -> Response:
    cards = due_cards(request_owner(request, create=False))
    paginator = Pages()
    page = paginator.paginate_queryset(cards, request)
    return paginator.get_paginated_response(CardSerializer(page, many=True).data)


class OutcomeSerializer(serializers.Serializer):
    rating = serializers.CharField()
    due = serializers.DateTimeField()
    # A field, though Field has an attribute of that name (see ErrorSerializer.errors).
    label = serializers.CharField(  # type: ignore[assignment]
        help_text='The wait until then, as the buttons say it: "2 d".'
    )


class RevealedSerializer(CardSerializer):
    answer_html = serializers.SerializerMethodField()
    outcomes = serializers.SerializerMethodField()

    class Meta(CardSerializer.Meta):
        fields = [*CardSerializer.Meta.fields, "answer_html", "outcomes"]

    def get_answer_html(self, card: ReviewCard) -> str:
        context = {"question": card.question, "term": card.term, "front": self.context["front"]}
        return render_to_string("progress/_card_back.html", context)

    @extend_schema_field(OutcomeSerializer(many=True))
    def get_outcomes(self, card: ReviewCard) -> list[dict[str, object]]:
        return OutcomeSerializer(outcomes(card), many=True).data  # type: ignore[return-value]


@extend_schema(request=None, responses={200: RevealedSerializer})
@api_view(["POST"])
def my_review_reveal(request: Request, card_id: int) -> Response:
    """Show a due card's answer and what each rating would schedule; a rating needs this."""
    card = get_object_or_404(due_cards(request_owner(request)), pk=card_id)
    card_reveal(card=card)
    front = card_front(card.question, f"review:{card.pk}")
    return Response(RevealedSerializer(card, context={"front": front}).data)


@extend_schema(
    request=GradeSerializer,
    responses={200: CardSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
)
@api_view(["POST"])
def my_review_grade(request: Request, card_id: int) -> Response:
    owner = request_owner(request)
    card = get_object_or_404(due_cards(owner), pk=card_id)
    grade = GradeSerializer(data=request.data)
    grade.is_valid(raise_exception=True)
    try:
        progress.card_reviewed(owner=owner, card=card, rating_name=grade.validated_data["rating"])
    except NotRevealed as refused:
        return Response({"detail": str(refused)}, status=409)
    card.refresh_from_db()
    return Response(CardSerializer(card).data)
