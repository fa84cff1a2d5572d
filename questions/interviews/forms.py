"""Forms of the interviewer area: a set's settings, its entries, invites, grading."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from ..content.interchange import MAX_IMPORT_BYTES
from ..content.schema import MAX_DESCRIPTION, MAX_RANDOM, MAX_TIME_LIMIT
from ..exercises import KINDS, LEVELS, MAX_SEED
from ..models import InterviewSet, Question, Topic
from .invites import validate_invite_expiry
from .results import RUBRIC_MARKS
from .sets import validate_description

LEVEL_CHOICES = [(level, level.capitalize()) for level in LEVELS]


class SetForm(forms.ModelForm):
    # Declared here so the browser offers exactly what the server accepts (the model field
    # alone would offer 0).
    time_limit_minutes = forms.IntegerField(
        label="Time limit (minutes)",
        min_value=1,
        max_value=MAX_TIME_LIMIT,
        error_messages={
            "min_value": f"Choose from 1 to {MAX_TIME_LIMIT} minutes.",
            "max_value": f"Choose from 1 to {MAX_TIME_LIMIT} minutes.",
        },
    )

    class Meta:
        model = InterviewSet
        fields = ["title", "description", "time_limit_minutes", "show_answers"]
        labels = {
            "time_limit_minutes": "Time limit (minutes)",
            "show_answers": "Show candidates the answers and explanations when they finish",
        }
        help_texts = {
            "description": "Markdown. Candidates read this before they start.",
            "show_answers": "",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_DESCRIPTION}),
        }

    def clean_time_limit_minutes(self) -> int:
        minutes = self.cleaned_data["time_limit_minutes"]
        if not 1 <= minutes <= MAX_TIME_LIMIT:
            raise forms.ValidationError(f"Choose from 1 to {MAX_TIME_LIMIT} minutes.")
        return minutes

    def clean_description(self) -> str:
        text: str = self.cleaned_data["description"].strip()
        validate_description(text)
        return text


class QuestionEntryForm(forms.Form):
    question = forms.ModelChoiceField(
        queryset=Question.objects.active(),
        to_field_name="ext_id",
        error_messages={"invalid_choice": "That question is not in the bank (or was retired)."},
    )


class ExerciseEntryForm(forms.Form):
    exercise_kind = forms.ChoiceField(
        label="Exercise", choices=[(kind, spec.title) for kind, spec in KINDS.items()]
    )
    exercise_level = forms.ChoiceField(label="Level", choices=LEVEL_CHOICES, initial="medium")
    exercise_seed = forms.IntegerField(
        label="Fixed seed",
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        help_text="Leave empty to give every candidate fresh data; "
        "set a number to give all of them the same data.",
    )


class RandomEntryForm(forms.Form):
    random_count = forms.IntegerField(
        label="How many", min_value=1, max_value=MAX_RANDOM, initial=3
    )
    random_topic = forms.ModelChoiceField(
        label="From topic",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label="Choose a topic",
    )
    random_difficulty = forms.ChoiceField(
        label="Difficulty", choices=[("", "Any difficulty"), *LEVEL_CHOICES], required=False
    )


class MoveForm(forms.Form):
    position = forms.IntegerField(min_value=1)


class InviteForm(forms.Form):
    MAX_AT_ONCE = 100

    labels = forms.CharField(
        label="Candidates",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One invite per line, each with its own link: paste names or e-mails (for "
        "you only). Leave empty for one invite without a label.",
    )
    expires_at = forms.DateTimeField(
        label="Expires",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In the site's time zone (UTC).",
        validators=[validate_invite_expiry],
    )
    max_attempts = forms.IntegerField(
        label="Attempt limit", required=False, min_value=1, max_value=10000
    )
    # One-time key of this copy of the form (see invites.invites_create): sending it twice
    # makes one batch. A form without one (an old page, a script) still works, unguarded.
    key = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{16,64}$",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "This form is damaged: reload the page and try again."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": secrets.token_urlsafe(18)})
        super().__init__(*args, **kwargs)

    def clean_labels(self) -> list[str]:
        # Lines as the textarea sends them (CRLF or LF): str.splitlines would also split on
        # U+2028 and other separators pasted inside a name.
        text = self.cleaned_data["labels"].replace("\r\n", "\n").replace("\r", "\n")
        lines = [line.strip() for line in text.split("\n")]
        labels = [line for line in lines if line]
        if len(labels) > self.MAX_AT_ONCE:
            raise forms.ValidationError(
                f"{len(labels)} lines: create at most {self.MAX_AT_ONCE} invites at once."
            )
        if any(len(label) > 200 for label in labels):
            raise forms.ValidationError("Keep each line to 200 characters.")
        return labels or [""]


class CandidateForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=100,
        help_text="The interviewer sees it beside your answers.",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Set file (.md or .json)",
        help_text="A file exported from a set, or a content/sets/ file.",
    )

    MAX_BYTES = 256 * 1024

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KB; a set file is at most 256 KB."
            )
        return upload


class QuestionFileForm(forms.Form):
    """A Moodle XML or GIFT file whose questions join a set (interchange.set_import_questions)."""

    file = forms.FileField(
        label="Question file",
        help_text="Moodle XML (.xml) or GIFT (.gift, .txt), up to 1,000 KB and 500 questions.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.gift,.txt"}),
    )
    topic = forms.ModelChoiceField(
        label="Topic of the questions",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label="Choose a topic",
    )
    difficulty = forms.ChoiceField(label="Difficulty", choices=LEVEL_CHOICES, initial="medium")

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024:,} KB; a question file is at most "
                f"{MAX_IMPORT_BYTES // 1024:,} KB: split it."
            )
        return upload


def grade_form(
    rubric: list[str],
    data: Mapping[str, Any] | None = None,
    initial_marks: list[float] | None = None,
    comment: str = "",
) -> forms.Form:
    """A form with one 0/½/1 choice per rubric point, and a comment."""
    choices = [
        (str(mark), label) for mark, label in zip(RUBRIC_MARKS, ("0", "½", "1"), strict=True)
    ]
    fields: dict[str, forms.Field] = {}
    points = rubric or ["Overall answer"]
    for n, point in enumerate(points):
        fields[f"mark_{n}"] = forms.TypedChoiceField(
            label=point,
            choices=choices,
            coerce=float,
            widget=forms.RadioSelect,
            initial=str(initial_marks[n]) if initial_marks and n < len(initial_marks) else None,
        )
    fields["comment"] = forms.CharField(
        required=False,
        max_length=2000,
        initial=comment,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    form_class = type("GradeForm", (forms.Form,), fields)
    return form_class(data)
