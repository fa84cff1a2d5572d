"""The admin shows content read-only: the files under content/ own it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .accounts.services import users_delete
from .interviews.sets import sets_delete
from .models import GlossaryTerm, InterviewSet, Invite, Question, QuestionFlag, QuestionSet, Topic
from .quality.services import flags_resolve


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug", "order"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ReadOnlyAdmin):
    list_display = ["term", "ext_id", "topic", "source_path", "retired_at"]
    list_filter = ["topic", ("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["term", "ext_id", "search_text"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["title", "ext_id", "topic", "type", "difficulty", "retired_at"]
    list_filter = ["topic", "type", "difficulty", ("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "ext_id", "search_text"]
    list_select_related = ["topic"]


@admin.register(QuestionSet)
class QuestionSetAdmin(ReadOnlyAdmin):
    list_display = ["title", "ext_id", "time_limit_minutes", "retired_at"]


class InviteInline(admin.TabularInline):
    model = Invite
    extra = 0
    fields = ["label", "token", "expires_at", "max_attempts", "revoked_at"]
    readonly_fields = ["token"]


@admin.register(InterviewSet)
class InterviewSetAdmin(admin.ModelAdmin):
    """Staff can look after interviewers' sets; building them happens on the site."""

    list_display = ["title", "owner", "time_limit_minutes", "show_answers", "updated_at"]
    list_filter = ["show_answers"]
    search_fields = ["title", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = ["description_html", "created_at", "updated_at"]
    inlines = [InviteInline]

    # Through the service, which locks each set before Django lists what to delete.
    def delete_model(self, request: HttpRequest, obj: InterviewSet) -> None:
        sets_delete([obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[InterviewSet]) -> None:
        sets_delete(queryset)


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Django's, deleting through the service that looks again when another tab of the
    user wrote a row of theirs during the deletion."""

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        users_delete(User.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users_delete(queryset)


class QuestionFlagForm(forms.ModelForm):
    class Meta:
        model = QuestionFlag
        fields = ["status", "staff_note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        flag = self.instance
        reopened = flag.status != QuestionFlag.Status.OPEN and (
            data.get("status") == QuestionFlag.Status.OPEN
        )
        if (
            reopened
            and QuestionFlag.objects.open()
            .owned_by(flag.user, flag.anon_token)
            .filter(question_id=flag.question_id)
            .exists()
        ):
            raise forms.ValidationError(
                "The same person has another open flag on this question (one is allowed): "
                "edit that one instead."
            )
        return data


@admin.register(QuestionFlag)
class QuestionFlagAdmin(admin.ModelAdmin):
    """Candidates' flags: triage here, fix the file by pull request (CONTRIBUTING.md)."""

    list_display = ["question", "reason", "short_comment", "status", "updated_at"]
    list_filter = ["status", "reason", "question__topic"]
    search_fields = ["comment", "staff_note", "question__ext_id", "question__title"]
    list_select_related = ["question"]
    date_hierarchy = "created_at"
    actions = ["mark_resolved"]
    form = QuestionFlagForm
    # What the candidate wrote is evidence: staff change the status and their note only.
    fields = [
        "question",
        "question_file",
        "reason",
        "comment",
        "owner",
        "status",
        "staff_note",
        "created_at",
        "updated_at",
        "resolved_at",
    ]
    readonly_fields = [
        "question",
        "question_file",
        "reason",
        "comment",
        "owner",
        "created_at",
        "updated_at",
        "resolved_at",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description="file")
    def question_file(self, flag: QuestionFlag) -> str:
        return flag.question.source_path

    @admin.display(description="comment")
    def short_comment(self, flag: QuestionFlag) -> str:
        return flag.comment if len(flag.comment) <= 80 else flag.comment[:79] + "…"

    @admin.display(description="flagged by")
    def owner(self, flag: QuestionFlag) -> str:
        if flag.user_id is None:
            return "an anonymous visitor"
        url = reverse("admin:auth_user_change", args=[flag.user_id])
        return format_html('<a href="{}">{}</a>', url, flag.user)

    @admin.action(description="Mark selected flags resolved")
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[QuestionFlag]) -> None:
        count = flags_resolve(flags=queryset)
        self.message_user(
            request, f"{count} flag{'s' if count != 1 else ''} marked resolved.", messages.SUCCESS
        )

    def save_model(
        self, request: HttpRequest, obj: QuestionFlag, form: forms.ModelForm, change: bool
    ) -> None:
        # Resolving by hand in the change form stamps the time as the action does.
        if obj.status == QuestionFlag.Status.RESOLVED and obj.resolved_at is None:
            obj.resolved_at = timezone.now()
        elif obj.status == QuestionFlag.Status.OPEN:
            obj.resolved_at = None
        super().save_model(request, obj, form, change)
