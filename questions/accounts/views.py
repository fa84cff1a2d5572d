"""Accounts: sign up, log in (throttled, see throttle.py), log out, passwords, your data, API
token. Each view parses a form and calls one service."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from ..clients import client_address
from ..models import Attempt, ExerciseResult
from ..owners import AuthenticatedHttpRequest
from .export import OPTIONAL_EXPORTS, user_data_export
from .forms import (
    DeleteAccountForm,
    SignupForm,
    ThrottledAuthenticationForm,
    ThrottledPasswordChangeForm,
)
from .services import account_delete, token_rotate
from .throttle import password_reset_start, refusal_message

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # login() sends user_logged_in, which moves this session's quizzes to the account.
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
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


class ThrottledPasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, its old-password check counted by the password throttle."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        # The throttle counts per client address too.
        return {**super().get_form_kwargs(), "request": self.request}


password_change = ThrottledPasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)


class _RedirectThenRun(HttpResponseRedirect):
    """A redirect that runs a job once it has been sent: the server calls close() after
    writing the response (WSGI), and Django's test client does the same."""

    def __init__(self, url: str, job: Callable[[], object]) -> None:
        super().__init__(url)
        self._job = job

    def close(self) -> None:
        try:
            self._job()
        except Exception:
            logger.exception("A job after the response failed")
        finally:
            super().close()


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, throttled, with the same answer for every email address.

    Whether an account has the address is decided, and its mail sent, only after the
    response has gone: known and unknown addresses get the same redirect after the same
    work (the throttle's cache calls), so neither the answer nor its timing tells them apart.
    """

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        refusal = password_reset_start(
            email=form.cleaned_data["email"], address=client_address(self.request)
        )
        if refusal:
            form.add_error("email", refusal_message(refusal, action="reset"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        options = {
            "use_https": self.request.is_secure(),
            "token_generator": self.token_generator,
            "from_email": self.from_email,
            "email_template_name": self.email_template_name,
            "subject_template_name": self.subject_template_name,
            "request": self.request,
            "html_email_template_name": self.html_email_template_name,
            "extra_email_context": self.extra_email_context,
        }
        return _RedirectThenRun(self.get_success_url(), lambda: form.save(**options))


password_reset = ThrottledPasswordResetView.as_view(
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


def _data_page(
    request: AuthenticatedHttpRequest, delete_form: DeleteAccountForm, status: int = 200
) -> HttpResponse:
    user = request.user
    counts = {
        "attempts": Attempt.objects.filter(user=user).count(),
        "exercise_results": ExerciseResult.objects.filter(user=user).count(),
        **{
            key: model._default_manager.filter(user=user).count() for key, model in OPTIONAL_EXPORTS
        },
    }
    context = {
        "counts": counts,
        "delete_form": delete_form,
        "has_token": Token.objects.filter(user=user).exists(),
    }
    return render(request, "accounts/data.html", context, status=status)


@login_required
@require_GET
def data(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _data_page(request, DeleteAccountForm(request.user))


@never_cache
@login_required
@require_GET
def data_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    response = JsonResponse(user_data_export(user), json_dumps_params={"indent": 2})
    filename = f"imagingprep-data-{user.get_username()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST, request=request)
    if not form.is_valid():
        return _data_page(request, form, status=400)
    user = request.user
    logout(request)
    account_delete(user=user)
    messages.success(request, "Your account and all its data were deleted.")
    return redirect(resolve_url(settings.LOGOUT_REDIRECT_URL or "/"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token(request: AuthenticatedHttpRequest) -> HttpResponse:
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
