"""The account forms: log in (throttled), sign up, and the confirmation to delete an account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from .throttle import (
    lockout_message,
    login_failure_record,
    login_failures_clear,
    login_locked_until,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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


class SignupForm(UserCreationForm):
    # django-stubs does not declare UserCreationForm.Meta (Django defines it).
    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        fields = ("username", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email"
        self.fields[
            "email"
        ].help_text = "Optional. Only used to send you a link if you forget your password."


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To confirm that it is you.",
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password: your account was not deleted.", code="wrong_password"
            )
        return password
