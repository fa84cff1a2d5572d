"""The admin shows content read-only: the files under content/ own it."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import GlossaryTerm, InterviewSet, Invite, Question, QuestionSet, Topic


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
