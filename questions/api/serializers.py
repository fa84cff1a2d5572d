"""API shapes of attempts. Keys appear only in `FinishedItemSerializer`."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from ..exercises.downloads import DOWNLOADS
from ..models import Attempt, AttemptItem, Question, QuestionSet, Topic
from ..models.attempts import SELF_STARTED


class StartAttemptSerializer(serializers.Serializer):
    set = serializers.SlugRelatedField(
        slug_field="ext_id", queryset=QuestionSet.objects.active(), required=False
    )
    topic = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), required=False
    )
    kind = serializers.ChoiceField(choices=SELF_STARTED, required=False)
    count = serializers.IntegerField(min_value=1, required=False, default=10)
    difficulty = serializers.ChoiceField(
        choices=Question.Difficulty.choices, required=False, allow_blank=True, default=""
    )

    def validate_count(self, value: int) -> int:
        if value > settings.QUIZ_MAX_QUESTIONS:
            raise serializers.ValidationError(
                f"Ask for at most {settings.QUIZ_MAX_QUESTIONS} questions."
            )
        return value

    def validate(self, data: dict) -> dict:
        kind = data.get("kind")
        if kind is None:
            if "set" in data:
                kind = Attempt.Kind.SET
            elif "topic" in data:
                kind = Attempt.Kind.TOPIC
            else:
                raise serializers.ValidationError(
                    "Give a set id ('set'), a topic slug ('topic', with 'count' and "
                    "'difficulty'), or 'kind': 'glossary' or 'quick'."
                )
        if kind == Attempt.Kind.SET and "set" not in data:
            raise serializers.ValidationError({"set": "A set quiz needs a set id."})
        if kind == Attempt.Kind.TOPIC and "topic" not in data:
            raise serializers.ValidationError({"topic": "A topic quiz needs a topic slug."})
        data["kind"] = kind
        return data


class ErrorSerializer(serializers.Serializer):
    """The body of every API error."""

    detail = serializers.CharField()
    # A field, though Serializer has an attribute of that name: DRF's metaclass moves declared
    # fields out of the class body, which the stubs cannot express.
    errors = serializers.DictField(  # type: ignore[assignment]
        required=False, help_text="Field name → message(s)."
    )


class FieldSerializer(serializers.Serializer):
    """One field of a live exercise to fill in (read from `exercises.Field`)."""

    name = serializers.CharField()
    # A field, though Serializer has an attribute of that name: DRF's metaclass moves declared
    # fields out of the class body, which the stubs cannot express.
    label = serializers.CharField()  # type: ignore[assignment]
    tolerance = serializers.FloatField()
    decimals = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["number", "yesno", "text"])
    help = serializers.CharField()


class SavedAnswerSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    answer = serializers.JSONField()
    saved = serializers.BooleanField()


class AnswerSerializer(serializers.Serializer):
    # Shapes by type: single -> a choice's id (as listed in `choices`); multiple -> a list of
    # ids; truefalse -> boolean; numeric -> number or text; short and open -> text; exercise ->
    # {field: value}. Checked by the service.
    answer = serializers.JSONField()


class RunningItemSerializer(serializers.ModelSerializer):
    type = serializers.CharField()
    title = serializers.CharField()
    prompt_html = serializers.CharField()
    choices = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()
    answered = serializers.BooleanField(source="is_answered")
    exercise = serializers.SerializerMethodField()

    class Meta:
        model = AttemptItem
        fields = [
            "position",
            "type",
            "title",
            "prompt_html",
            "choices",
            "exercise",
            "answer",
            "answered",
        ]

    def get_choices(self, item: AttemptItem) -> list[dict]:
        # Opaque ids drawn for this attempt, in the order shown: never the file's index.
        return [{"id": cid, "text_html": c["text_html"]} for cid, c, _ in item.choice_inputs]

    def get_answer(self, item: AttemptItem) -> Any:
        return item.answer_for_client

    def get_exercise(self, item: AttemptItem) -> dict | None:
        """The data and the fields to fill; never the seed, which would unlock the answers."""
        if not item.is_exercise:
            return None
        exercise = item.exercise
        return {
            "kind": exercise.kind,
            "level": exercise.level,
            "data": exercise.data,
            "fields": FieldSerializer(exercise.fields, many=True).data,
            # The attempt's own copy of the file, when the exercise has one (never by seed).
            "file_url": reverse(
                "questions:attempt_exercise_file"
                if exercise.kind == "dicom"
                else "questions:attempt_file",
                args=[item.attempt_id, item.position],
            )
            if exercise.kind in DOWNLOADS
            else None,
        }


class FinishedItemSerializer(RunningItemSerializer):
    key = serializers.SerializerMethodField()
    explanation_html = serializers.CharField()
    topic = serializers.CharField(source="topic_title")

    class Meta(RunningItemSerializer.Meta):
        fields = [
            *RunningItemSerializer.Meta.fields,
            "score",
            "correct",
            "self_assessed",
            "key",
            "explanation_html",
            "topic",
        ]

    def get_choices(self, item: AttemptItem) -> list[dict]:
        return [{"id": item.choice_id(i), **c} for i, c in item.ordered_choices]

    def get_exercise(self, item: AttemptItem) -> dict | None:
        running = super().get_exercise(item)
        if running is None:
            return None
        from ..exercises import check
        from ..exercises.lookup import solution_html

        results = check(item.exercise, item.answer or {})
        return {
            **running,
            "seed": item.exercise_seed,
            "results": {
                name: {"correct": r.correct, "expected": r.expected, "message": r.message}
                for name, r in results.items()
            },
            "solution_html": list(
                solution_html(item.exercise_kind, item.exercise_seed, item.exercise_level)
            ),
        }

    def get_key(self, item: AttemptItem) -> dict:
        if item.is_exercise:
            return {}
        if item.type in ("single", "multiple"):
            return {"correct": [item.choice_id(i) for i, c in item.ordered_choices if c["correct"]]}
        if item.type == "open":
            assert item.question is not None  # open items are bank questions
            return {"model_answer_html": item.question.model_answer_html}
        return item.key


class AttemptSerializer(serializers.ModelSerializer):
    # None until the attempt is finished and its answers may be shown.
    score = serializers.FloatField(read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()
    remaining_seconds = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "started_at",
            "deadline",
            "remaining_seconds",
            "finished_at",
            "ended_by",
            "score",
            "max_score",
            "items",
        ]

    def get_status(self, attempt: Attempt) -> str:
        return status_of(attempt)

    def get_remaining_seconds(self, attempt: Attempt) -> int:
        return attempt.remaining_seconds()

    def get_items(self, attempt: Attempt) -> list[dict]:
        if not attempt.is_started:
            return []  # nothing of the questions before the candidate presses Start
        items = self.context["items"]
        reveal = attempt.is_finished and attempt.reveal_answers
        serializer = (FinishedItemSerializer if reveal else RunningItemSerializer)(items, many=True)
        # many=True makes a ListSerializer, whose data is a list; the stubs see one item.
        return cast("list[dict]", serializer.data)

    def to_representation(self, attempt: Attempt) -> dict:
        return _hide_score(attempt, super().to_representation(attempt))


def status_of(attempt: Attempt) -> str:
    """ready (waiting at its start page: no clock, no questions shown), running or finished."""
    if attempt.is_finished:
        return "finished"
    return "running" if attempt.is_started else "ready"


def _hide_score(attempt: Attempt, data: dict) -> dict:
    # Scored only at the end; and an interviewer may keep the result from the candidate.
    if not attempt.is_finished or not attempt.reveal_answers:
        data["score"] = None
    return data


class AttemptSummarySerializer(serializers.ModelSerializer):
    score = serializers.FloatField(read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "started_at",
            "deadline",
            "finished_at",
            "score",
            "max_score",
        ]

    def get_status(self, attempt: Attempt) -> str:
        return status_of(attempt)

    def to_representation(self, attempt: Attempt) -> dict:
        return _hide_score(attempt, super().to_representation(attempt))
