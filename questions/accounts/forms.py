"""The account forms: log in, sign up, change the password, confirm deleting the account.

Every form that checks a password runs the check through the password throttle
(throttle.py): the site's log-in, the admin's log-in, the password change and the deletion
count against one limit per account and per client address."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm, AdminPasswordChangeForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm

from ..clients import client_address
from .throttle import (
    password_check_failed,
    password_check_passed,
    password_check_start,
    refusal_message,
)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import User
    from django.http import HttpRequest


def _check_start(request: HttpRequest | None, username: str, action: str) -> str:
    """Count a password check; refuse it with when to try again. Returns the client address."""
    address = client_address(request) if request is not None else ""
    refusal = password_check_start(username=username, address=address)
    if refusal:
        raise forms.ValidationError(refusal_message(refusal, action=action), code="throttled")
    return address


def _check_failed(username: str, action: str) -> None:
    """After a wrong password: if that started a wait, say so now rather than on the next try."""
    refusal = password_check_failed(username=username)
    if refusal:
        raise forms.ValidationError(refusal_message(refusal, action=action), code="throttled")


class _ThrottledLogIn(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        address = _check_start(self.request, username, "log-in")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if self.user_cache is None:  # a wrong password, or no such account
                _check_failed(username, "log-in")
            else:  # the right password for an inactive or (in the admin) non-staff account
                password_check_passed(username=username, address=address)
            raise
        password_check_passed(username=username, address=address)
        return cleaned


class ThrottledAuthenticationForm(_ThrottledLogIn):
    """Django's log-in form under the password throttle."""


class ThrottledAdminAuthenticationForm(_ThrottledLogIn, AdminAuthenticationForm):
    """The admin's log-in form under the same throttle: it checks the same passwords."""


class _ThrottledOldPassword(PasswordChangeForm):
    def __init__(
        self, user: AbstractBaseUser, *args: Any, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        # "Your old password was entered incorrectly" answers a guess like a log-in does.
        username = self.user.get_username()
        address = _check_start(self.request, username, "password")
        try:
            old_password = super().clean_old_password()
        except forms.ValidationError:
            _check_failed(username, "password")
            raise
        password_check_passed(username=username, address=address)
        return old_password


class ThrottledPasswordChangeForm(_ThrottledOldPassword):
    """Django's password change under the password throttle."""


class ThrottledAdminPasswordChangeForm(_ThrottledOldPassword, AdminPasswordChangeForm):
    """The admin's password change under the same throttle."""


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

    def __init__(
        self, user: User, *args: Any, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        username = self.user.get_username()
        address = _check_start(self.request, username, "password")
        if not self.user.check_password(password):
            _check_failed(username, "password")
            raise forms.ValidationError(
                "That is not your password: your account was not deleted.", code="wrong_password"
            )
        password_check_passed(username=username, address=address)
        return password
