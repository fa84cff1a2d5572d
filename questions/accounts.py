"""Accounts: sign up, log in (throttled), log out, passwords, your data, API token.

Log-in throttling counts failed log-ins in Django's cache, per username (case-insensitive)
and per client address. Once either reaches LOGIN_FAILURE_LIMIT within
LOGIN_FAILURE_WINDOW_SECONDS, that account or address is refused for the window, even with
the right password, and the message says when to try again. A successful log-in clears the
account's counter only: clearing the address's too would let someone who owns one account
reset it between guesses at another.
"""

from __future__ import annotations

import hashlib
import logging
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models as db_models
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from . import models as app_models
from .models import Attempt, AttemptItem, ExerciseResult

logger = logging.getLogger(__name__)

# Progress models are exported when they exist; every concrete field is, so new ones follow.
OPTIONAL_EXPORTS: list[tuple[str, type[db_models.Model]]] = [
    (key, model)
    for key, model in (
        ("progress_events", getattr(app_models, "ProgressEvent", None)),
        ("review_cards", getattr(app_models, "ReviewCard", None)),
    )
    if model is not None
]


# Throttling ---------------------------------------------------------------------------------


def _throttle_keys(kind: str, value: str) -> tuple[str, str]:
    # Hashed so that any username or address is a valid key for every cache backend.
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"login-failures:{kind}:{digest}", f"login-locked:{kind}:{digest}"


def _subjects(username: str, address: str) -> list[tuple[str, str]]:
    subjects = [("account", username.strip().casefold())]
    if address:
        subjects.append(("address", address))
    return subjects


def login_locked_until(*, username: str, address: str) -> tuple[str, datetime] | None:
    """("account" or "address", until when) if either is locked out now, else None."""
    locks = {kind: _throttle_keys(kind, value)[1] for kind, value in _subjects(username, address)}
    found = cache.get_many(locks.values())
    now = timezone.now().timestamp()
    for kind, key in locks.items():
        until = found.get(key)
        if until is not None and until > now:
            return kind, datetime.fromtimestamp(until, tz=UTC)
    return None


def login_failure_record(*, username: str, address: str) -> None:
    """Count one failed log-in; lock the account or address at the limit."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    now = timezone.now().timestamp()
    for kind, value in _subjects(username, address):
        counter, lock = _throttle_keys(kind, value)
        # add + incr rather than get + set: parallel guesses must each count.
        cache.add(counter, 0, timeout=window)
        try:
            failures = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.set(counter, 1, timeout=window)
            failures = 1
        if failures >= settings.LOGIN_FAILURE_LIMIT:
            cache.set(lock, now + window, timeout=window)
            cache.delete(counter)
            # The key, not the username: people sometimes type their password there.
            logger.warning("Log-ins locked after %d failures: %s", failures, lock)


def login_failures_clear(*, username: str) -> None:
    counter, _lock = _throttle_keys("account", username.strip().casefold())
    cache.delete(counter)


def lockout_message(kind: str, until: datetime, now: datetime | None = None) -> str:
    now = now or timezone.now()
    # Round up: "after 14:32" must not be earlier than the lock really ends.
    shown = until if until.second == until.microsecond == 0 else until + timedelta(minutes=1)
    shown = timezone.localtime(shown.replace(second=0, microsecond=0))
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    who = "this account" if kind == "account" else "your address"
    return (
        f"Too many failed log-ins for {who}. Try again after {shown:%H:%M} {shown.tzname()} "
        f"(in {minutes} minute{'s' if minutes != 1 else ''})."
    )


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's log-in form, refusing accounts and addresses with too many failures."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        locked = login_locked_until(username=username, address=address)
        if locked:
            raise forms.ValidationError(lockout_message(*locked), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failure_record(username=username, address=address)
            locked = login_locked_until(username=username, address=address)
            if locked:
                raise forms.ValidationError(lockout_message(*locked), code="throttled") from None
            raise
        login_failures_clear(username=username)
        return cleaned


# Sign up, log in and out, passwords ---------------------------------------------------------


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email"
        self.fields[
            "email"
        ].help_text = "Optional. Only used to send you a link if you forget your password."


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # login() sends user_logged_in, which moves this session's quizzes to the account.
        login(request, user)
        messages.success(request, f"Welcome, {user.get_username()}: your account is ready.")
        return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))
    status = 400 if form.is_bound else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


login_view = auth_views.LoginView.as_view(
    form_class=ThrottledAuthenticationForm,
    template_name="accounts/login.html",
    redirect_authenticated_user=True,
)


class _LogoutView(auth_views.LogoutView):
    # Django's LogoutView accepts POST only: a link or an image cannot log anyone out.
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You are logged out.")
        return response


logout_view = _LogoutView.as_view()

password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


# Your data ----------------------------------------------------------------------------------

_encoder = DjangoJSONEncoder()


def _plain(value: Any) -> Any:
    """A value JSON can hold: datetimes as ISO 8601, UUIDs and decimals as strings."""
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    try:
        return _encoder.default(value)
    except TypeError:
        return str(value)


def _row(obj: db_models.Model) -> dict[str, Any]:
    """Every concrete field, foreign keys as their primary key (like model_to_dict)."""
    return {field.name: _plain(field.value_from_object(obj)) for field in obj._meta.concrete_fields}


def _item(item: AttemptItem) -> dict[str, Any]:
    return {
        "position": item.position,
        "question": item.question.ext_id if item.question_id else None,
        "term": item.term.ext_id if item.term_id else None,
        "generated_title": item.generated.get("title") if item.generated else None,
        "exercise": (
            {"kind": item.exercise_kind, "seed": item.exercise_seed, "level": item.exercise_level}
            if item.exercise_kind
            else None
        ),
        "answer": item.answer,
        "score": item.score,
        "correct": item.correct,
        "self_assessed": item.self_assessed,
        "answered_at": _plain(item.answered_at),
    }


def _attempt(attempt: Attempt) -> dict[str, Any]:
    return {
        "id": str(attempt.pk),
        "kind": attempt.kind,
        "title": attempt.title,
        "question_set": attempt.question_set.ext_id if attempt.question_set_id else None,
        "topic": attempt.topic.slug if attempt.topic_id else None,
        "difficulty": attempt.difficulty,
        "started_at": _plain(attempt.started_at),
        "deadline": _plain(attempt.deadline),
        "finished_at": _plain(attempt.finished_at),
        "ended_by": attempt.ended_by,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "items": [_item(item) for item in attempt.items.all()],
    }


def _result(result: ExerciseResult) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "seed": result.seed,
        "level": result.level,
        "answers": result.answers,
        "correct_fields": result.correct_fields,
        "total_fields": result.total_fields,
        "score": result.score,
        "created_at": _plain(result.created_at),
    }


def user_data_export(user) -> dict[str, Any]:
    """Everything the site keeps about one user, ready for json.dumps. Never the API token."""
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("question_set", "topic")
        .prefetch_related(Prefetch("items", AttemptItem.objects.select_related("question", "term")))
        .order_by("started_at")
    )
    data: dict[str, Any] = {
        "exported_at": _plain(timezone.now()),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": _plain(user.date_joined),
            "last_login": _plain(user.last_login),
        },
        "attempts": [_attempt(attempt) for attempt in attempts],
        "exercise_results": [
            _result(result)
            for result in ExerciseResult.objects.filter(user=user).order_by("created_at")
        ],
    }
    for key, model in OPTIONAL_EXPORTS:
        data[key] = [_row(row) for row in model.objects.filter(user=user).order_by("pk")]
    return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To confirm that it is you.",
    )

    def __init__(self, user, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password: your account was not deleted.", code="wrong_password"
            )
        return password


def _data_page(request: HttpRequest, delete_form: DeleteAccountForm, status: int = 200):
    user = request.user
    counts = {
        "attempts": Attempt.objects.filter(user=user).count(),
        "exercise_results": ExerciseResult.objects.filter(user=user).count(),
        **{key: model.objects.filter(user=user).count() for key, model in OPTIONAL_EXPORTS},
    }
    context = {
        "counts": counts,
        "delete_form": delete_form,
        "has_token": Token.objects.filter(user=user).exists(),
    }
    return render(request, "accounts/data.html", context, status=status)


@login_required
@require_GET
def data(request: HttpRequest) -> HttpResponse:
    return _data_page(request, DeleteAccountForm(request.user))


@never_cache
@login_required
@require_GET
def data_download(request: HttpRequest) -> HttpResponse:
    user = request.user
    response = JsonResponse(user_data_export(user), json_dumps_params={"indent": 2})
    filename = f"imagingprep-data-{user.get_username()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def account_delete(*, user) -> None:
    """Delete the user; attempts, results, progress and the API token cascade."""
    with transaction.atomic():
        user.delete()


@login_required
@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST)
    if not form.is_valid():
        return _data_page(request, form, status=400)
    user = request.user
    logout(request)
    account_delete(user=user)
    messages.success(request, "Your account and all its data were deleted.")
    return redirect(resolve_url(settings.LOGOUT_REDIRECT_URL or "/"))


# API token ----------------------------------------------------------------------------------


def token_rotate(*, user) -> Token:
    """A new API token for the user; the old one, if any, stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        had_token = Token.objects.filter(user=request.user).exists()
        token_rotate(user=request.user)
        messages.success(
            request,
            "New token created: the old one no longer works." if had_token else "Token created.",
        )
        return redirect("accounts:token")
    current = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/token.html", {"token": current})
