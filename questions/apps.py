from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Question bank"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .owners import anon_token
        from .quizzes.services import attempts_claim

        def claim_anonymous_attempts(
            sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
        ) -> None:
            if request is not None and hasattr(request, "session"):
                attempts_claim(user=user, anon_token=anon_token(request))

        user_logged_in.connect(claim_anonymous_attempts, dispatch_uid="claim_attempts")
