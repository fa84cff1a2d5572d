"""The flag form candidates post, and the filters of the staff's statistics page."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import QuestionFlag, Topic
from ..models.flags import COMMENT_MAX_LENGTH
from ..quizzes.item_stats import MIN_ATTEMPTS


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        choices=QuestionFlag.Reason.choices,
        # Never the posted value: it would be echoed into the message the page shows.
        error_messages={
            "required": "Choose what is wrong with the question.",
            "invalid_choice": "Choose one of the listed reasons.",
        },
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "max_length": f"Keep the comment to {COMMENT_MAX_LENGTH:,} characters "
            "(it has %(show_value)d)."
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == QuestionFlag.Reason.OTHER and not data.get("comment"):
            self.add_error("comment", "With “Other”, say in the comment what is wrong.")
        return data

    def problems(self) -> str:
        """Every error in one sentence, for a message on the page the flag came from."""
        return " ".join(str(error) for errors in self.errors.values() for error in errors)


class StatsFilterForm(forms.Form):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), to_field_name="slug", required=False, empty_label="All"
    )
    min_attempts = forms.IntegerField(
        label="Attempts at least", min_value=2, max_value=100_000, required=False
    )
    flagged = forms.BooleanField(
        label="Only questions with a warning or open flags", required=False
    )

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is ignored: the page still shows the rest)."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "topic": data.get("topic"),
            "min_attempts": data.get("min_attempts") or MIN_ATTEMPTS,
            "flagged_only": bool(data.get("flagged")),
        }
