"""The form that starts a quiz."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from ..models import Attempt, Question, QuestionSet, Topic
from ..models.attempts import SELF_STARTED


class StartQuizForm(forms.Form):
    kind = forms.ChoiceField(choices=SELF_STARTED)
    question_set = forms.ModelChoiceField(
        queryset=QuestionSet.objects.active(), to_field_name="ext_id", required=False
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), to_field_name="slug", required=False, empty_label="Any topic"
    )
    difficulty = forms.ChoiceField(
        choices=[("", "Any difficulty"), *Question.Difficulty.choices], required=False
    )
    count = forms.IntegerField(min_value=1, initial=10, required=False)

    def clean_count(self) -> int:
        count = self.cleaned_data.get("count") or 10
        if count > settings.QUIZ_MAX_QUESTIONS:
            raise forms.ValidationError(f"Choose at most {settings.QUIZ_MAX_QUESTIONS} questions.")
        return count

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == Attempt.Kind.SET and not data.get("question_set"):
            self.add_error("question_set", "Choose a question set.")
        if kind == Attempt.Kind.TOPIC and not data.get("topic"):
            self.add_error("topic", "Choose a topic.")
        return data
