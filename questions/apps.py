from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Question bank"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .owners import anon_token
        from .quality.services import flags_claim
        from .quizzes.services import attempts_claim

        # The navigation's late values are registered where the context processor that marks
        # them lives, which Django imports only at a worker's first template render: a worker
        # whose first request is a cached page must have them already.
        from .web import context_processors  # noqa: F401

        def claim_anonymous_attempts(
            sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
        ) -> None:
            if request is not None and hasattr(request, "session"):
                attempts_claim(user=user, anon_token=anon_token(request))
                flags_claim(user=user, anon_token=anon_token(request))

        user_logged_in.connect(claim_anonymous_attempts, dispatch_uid="claim_attempts")


class SiteAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site's own default site: log-ins there are throttled."""

    # Named in INSTALLED_APPS; not a candidate for the "questions" app's own config.
    default = False
    default_site = "questions.accounts.admin_site.SiteAdmin"
