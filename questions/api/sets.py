"""The interviewer's API: sets, their entries, invites and results under /api/sets/.

Only interviewers get in (403 for everyone else); a set that is not yours (unless you are
staff) is 404, as are its entries, invites and results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..content.schema import MAX_RANDOM, MAX_TIME_LIMIT
from ..exercises import KINDS, LEVELS, MAX_SEED
from ..interviews import invites as invites
from ..interviews import results as results
from ..interviews import sets as sets
from ..models import InterviewEntry, InterviewSet, Invite, Question, Topic
from ..models.interviews import InterviewSetQuerySet, is_interviewer
from .pagination import Pages

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class IsInterviewer(permissions.BasePermission):
    message = "Only accounts in the interviewer group can use question sets."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_interviewer(request.user)


def _interviewer(request: Request) -> User:
    """The user of a request that IsInterviewer let through."""
    user = request.user
    assert user.is_authenticated  # IsInterviewer refuses anonymous visitors
    return user


class EntrySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="entry_kind", read_only=True)
    # A field, though Serializer has an attribute of that name: DRF's metaclass moves declared
    # fields out of the class body, which the stubs cannot express.
    label = serializers.CharField(source="describe", read_only=True)  # type: ignore[assignment]
    question = serializers.SlugRelatedField(
        slug_field="ext_id",
        queryset=Question.objects.active(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No question with id '{value}' in the bank."},
    )
    retired = serializers.SerializerMethodField()
    exercise_kind = serializers.ChoiceField(choices=list(KINDS), required=False, allow_blank=True)
    exercise_level = serializers.ChoiceField(choices=list(LEVELS), required=False, allow_blank=True)
    exercise_seed = serializers.IntegerField(
        min_value=0, max_value=MAX_SEED, required=False, allow_null=True
    )
    random_count = serializers.IntegerField(min_value=0, max_value=MAX_RANDOM, required=False)
    random_topic = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Topic.objects.all(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": "No topic '{value}': use a topic slug such as "
            "'metrics' (the topic filter on /questions/ lists them)."
        },
    )
    random_difficulty = serializers.ChoiceField(
        choices=list(LEVELS), required=False, allow_blank=True
    )
    position = serializers.IntegerField(min_value=1, required=False)

    class Meta:
        model = InterviewEntry
        fields = [
            "id",
            "position",
            "kind",
            "label",
            "question",
            "retired",
            "exercise_kind",
            "exercise_level",
            "exercise_seed",
            "random_count",
            "random_topic",
            "random_difficulty",
        ]

    def get_retired(self, entry: InterviewEntry) -> bool:
        return bool(entry.question is not None and entry.question.retired_at)

    def validate(self, data: dict) -> dict:
        if self.instance is not None:
            if set(data) - {"position"}:
                raise serializers.ValidationError(
                    "Only 'position' can change; remove the entry and add a new one instead."
                )
            return data
        given = [
            bool(data.get("question")),
            bool(data.get("exercise_kind")),
            bool(data.get("random_count")),
        ]
        if sum(given) != 1:
            raise serializers.ValidationError(
                "Give exactly one of: 'question' (an id), 'exercise_kind' (with "
                "'exercise_level' and optional 'exercise_seed'), or 'random_count' with "
                "'random_topic' (and optional 'random_difficulty')."
            )
        if data.get("random_count") and not data.get("random_topic"):
            raise serializers.ValidationError({"random_topic": "A random draw needs a topic."})
        return data


class SetSerializer(serializers.ModelSerializer):
    time_limit_minutes = serializers.IntegerField(min_value=1, max_value=MAX_TIME_LIMIT)
    description = serializers.CharField(
        validators=[sets.validate_description],
        help_text="Markdown, up to 5,000 characters, with lists and quotes at most 16 deep.",
    )
    entries = serializers.SerializerMethodField()

    class Meta:
        model = InterviewSet
        fields = [
            "id",
            "title",
            "description",
            "time_limit_minutes",
            "show_answers",
            "created_at",
            "updated_at",
            "entries",
        ]

    def get_entries(self, interview_set: InterviewSet) -> list[dict]:
        # many=True makes a ListSerializer, whose data is a list; the stubs see one item.
        return cast("list[dict]", EntrySerializer(interview_set.entries.all(), many=True).data)

    def create(self, data: dict) -> InterviewSet:
        return sets.set_create(owner=self.context["request"].user, **data)

    def update(self, interview_set: InterviewSet, data: dict) -> InterviewSet:
        return sets.set_update(interview_set=interview_set, **data)


class InviteSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    attempts_used = serializers.SerializerMethodField()

    class Meta:
        model = Invite
        fields = [
            "id",
            "token",
            "url",
            "label",
            "expires_at",
            "max_attempts",
            "revoked_at",
            "created_at",
            "attempts_used",
        ]
        read_only_fields = ["token", "revoked_at", "created_at"]
        extra_kwargs = {"expires_at": {"validators": [invites.validate_invite_expiry]}}

    def get_url(self, invite: Invite) -> str:
        return self.context["request"].build_absolute_uri(invite.get_absolute_url())

    def get_attempts_used(self, invite: Invite) -> int:
        # Annotated by the list's query; a single new invite has none yet.
        return getattr(invite, "attempts_used", 0)

    def create(self, data: dict) -> Invite:
        return invites.invite_create(interview_set=self.context["interview_set"], **data)


def _with_entries(sets_query: InterviewSetQuerySet) -> InterviewSetQuerySet:
    # Entries of every set in one query, with their questions and topics.
    entries = InterviewEntry.objects.select_related("question", "random_topic")
    return sets_query.prefetch_related(Prefetch("entries", queryset=entries))


def _own_sets(request: Request) -> InterviewSetQuerySet:
    return InterviewSet.objects.visible_to(request.user)


class SetList(generics.ListCreateAPIView):
    permission_classes = [IsInterviewer]
    serializer_class = SetSerializer

    def get_queryset(self) -> InterviewSetQuerySet:
        # The list is yours only, even for staff; staff open others' sets by id.
        return _with_entries(InterviewSet.objects.filter(owner=_interviewer(self.request)))


class SetDetail(generics.RetrieveUpdateDestroyAPIView):
    permission_classes = [IsInterviewer]
    serializer_class = SetSerializer

    def get_queryset(self) -> InterviewSetQuerySet:
        return _with_entries(_own_sets(self.request))


class _InSet(APIView):
    """Views under /api/sets/{set_id}/: the set is looked up (404 if not yours) before
    anything else, so a stranger's request is 404 whatever its body."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self._set = get_object_or_404(_own_sets(request), pk=kwargs["set_id"])

    def interview_set(self) -> InterviewSet:
        return self._set


class EntryList(_InSet, generics.ListCreateAPIView):
    permission_classes = [IsInterviewer]
    serializer_class = EntrySerializer

    def get_queryset(self) -> QuerySet[InterviewEntry]:
        return self.interview_set().entries.select_related("question", "random_topic")

    def perform_create(self, serializer: serializers.BaseSerializer[InterviewEntry]) -> None:
        data = dict(serializer.validated_data)
        data.pop("position", None)
        data = {key: value for key, value in data.items() if value not in (None, "")}
        try:
            serializer.instance = sets.entry_add(interview_set=self.interview_set(), **data)
        except sets.SetError as error:
            raise serializers.ValidationError({"detail": str(error)}) from None


class EntryDetail(_InSet, generics.RetrieveUpdateDestroyAPIView):
    permission_classes = [IsInterviewer]
    serializer_class = EntrySerializer
    lookup_url_kwarg = "entry_id"

    def get_queryset(self) -> QuerySet[InterviewEntry]:
        return self.interview_set().entries.select_related("question", "random_topic")

    def perform_update(self, serializer: serializers.BaseSerializer[InterviewEntry]) -> None:
        assert serializer.instance is not None  # an update serializes the looked-up entry
        if "position" in serializer.validated_data:
            sets.entry_move(
                entry=serializer.instance, position=serializer.validated_data["position"]
            )
        serializer.instance.refresh_from_db()

    def perform_destroy(self, entry: InterviewEntry) -> None:
        sets.entry_remove(entry=entry)


class InviteList(_InSet, generics.ListCreateAPIView):
    permission_classes = [IsInterviewer]
    serializer_class = InviteSerializer

    def get_queryset(self) -> QuerySet[Invite]:
        invites = self.interview_set().invites.annotate(attempts_used=Count("attempts"))
        return invites.order_by("-created_at", "-pk")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.request.method == "POST":
            context["interview_set"] = self.interview_set()
        return context


class QuestionColumnSerializer(serializers.Serializer):
    column = serializers.IntegerField()
    title = serializers.CharField()
    topic = serializers.CharField(allow_blank=True)
    asked = serializers.IntegerField(help_text="Answers marked so far (open ones once graded).")
    marks = serializers.FloatField(help_text="Their marks summed: a partial mark counts its share.")
    share_right = serializers.IntegerField(
        allow_null=True, help_text="The mean mark in percent; null if nothing is marked yet."
    )


class CandidateAnswerSerializer(serializers.Serializer):
    column = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    type = serializers.CharField()
    answer = serializers.JSONField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    correct = serializers.BooleanField(allow_null=True)


class CandidateSerializer(serializers.Serializer):
    attempt = serializers.UUIDField()
    candidate_name = serializers.CharField(allow_blank=True)
    username = serializers.CharField(allow_null=True)
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    ended_by = serializers.CharField(allow_null=True)
    seconds_taken = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    max_score = serializers.FloatField()
    percent = serializers.IntegerField(
        allow_null=True,
        help_text="Percent of the marks of the graded items; provisional while open answers "
        "await grading (open_answers_to_grade > 0).",
    )
    provisional = serializers.BooleanField()
    open_answers_to_grade = serializers.IntegerField()
    topics = serializers.DictField(
        child=serializers.IntegerField(), help_text="Topic title → percent of its score earned."
    )
    answers = CandidateAnswerSerializer(many=True)


class ResultsSerializer(serializers.Serializer):
    set = serializers.IntegerField()
    questions = QuestionColumnSerializer(many=True)
    count = serializers.IntegerField(help_text="Candidates in all pages.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CandidateSerializer(many=True, help_text="One page of candidates.")


class SetResults(APIView):
    """The comparison across candidates: per-question columns, then a page of candidates."""

    permission_classes = [IsInterviewer]

    @extend_schema(responses=ResultsSerializer)
    def get(self, request: Request, set_id: int) -> Response:
        interview_set = get_object_or_404(_own_sets(request), pk=set_id)
        found = results.set_results(interview_set)
        paginator = Pages()
        rows = paginator.paginate_queryset(found.rows, request, view=self)
        assert rows is not None  # PAGE_SIZE is set, so there is always a page
        page = paginator.get_paginated_response([_candidate(row) for row in rows]).data
        return Response(
            {
                "set": interview_set.pk,
                "questions": [
                    {
                        "column": n,
                        "title": column.title,
                        "topic": column.topic,
                        "asked": column.asked,
                        "marks": column.marks,
                        "share_right": column.share_right,
                    }
                    for n, column in enumerate(found.columns, start=1)
                ],
                **page,
            },
            status=status.HTTP_200_OK,
        )


def _candidate(row: results.CandidateRow) -> dict:
    attempt = row.attempt
    return {
        "attempt": str(attempt.pk),
        "candidate_name": attempt.candidate_name,
        "username": attempt.user.get_username() if attempt.user else None,
        "started_at": attempt.started_at,
        "finished_at": attempt.finished_at,
        "ended_by": attempt.ended_by or None,
        "seconds_taken": attempt.time_taken_seconds,
        "score": attempt.score if attempt.is_finished else None,
        "max_score": attempt.max_score,
        "percent": row.standing.percent if row.standing else None,
        "provisional": bool(row.standing and row.standing.provisional),
        "open_answers_to_grade": row.to_grade,
        "topics": row.topics,
        "answers": [
            {
                "column": n,
                "position": item.position,
                "title": item.title,
                "type": item.type,
                "answer": item.answer,
                "score": item.score,
                "correct": item.correct,
            }
            for n, item in enumerate(row.line, start=1)
            if item is not None
        ],
    }
