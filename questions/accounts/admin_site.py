"""The admin site, with its log-in and password change under the password throttle.

Installed as the default admin site by questions.apps.SiteAdminConfig, so admin.site (and
every ModelAdmin registered on it) is this one."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from .forms import ThrottledAdminAuthenticationForm, ThrottledAdminPasswordChangeForm
from .views import ThrottledPasswordChangeView


class SiteAdmin(admin.AdminSite):
    login_form = ThrottledAdminAuthenticationForm

    def password_change(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        # AdminSite.password_change with the throttled form: Django's names its form in code.
        url = reverse("admin:password_change_done", current_app=self.name)
        defaults: dict[str, Any] = {
            "form_class": ThrottledAdminPasswordChangeForm,
            "success_url": url,
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        response = ThrottledPasswordChangeView.as_view(**defaults)(request)
        # A form page, or a redirect once changed: as in Django's, typed as its stubs say.
        return cast("TemplateResponse", response)
