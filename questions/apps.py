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
        from django.contrib.auth.models import User
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save, pre_delete

        from .interviews.sets import sets_lock_for_delete
        from .owners import Owner, anon_token
        from .quality.services import flags_claim
        from .quizzes.services import attempts_claim, attempts_lock_for_delete

        # The navigation's late values are registered where the context processor that marks
        # them lives, which Django imports only at a worker's first template render: a worker
        # whose first request is a cached page must have them already.
        from .web import context_processors  # noqa: F401
        from .web.owner_cache import owner_changed

        def claim_anonymous_attempts(
            sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
        ) -> None:
            if request is not None and hasattr(request, "session"):
                attempts_claim(user=user, anon_token=anon_token(request))
                flags_claim(user=user, anon_token=anon_token(request))

        user_logged_in.connect(claim_anonymous_attempts, dispatch_uid="claim_attempts")

        def forget_deleted_user(sender: type[User], instance: User, **kwargs: Any) -> None:
            """However an account is deleted (by its owner, by staff in the admin, in a
            shell), inside the delete's transaction and before any row goes: retire what is
            cached of it while it has its id (a database that reuses ids must not show a new
            account the old one's pages), and lock its attempts in the quiz writes' order,
            then its interview sets (before Django unlinks the candidates' attempts)."""
            owner_changed(Owner(instance))
            attempts_lock_for_delete(user=instance)
            sets_lock_for_delete(owner=instance)

        pre_delete.connect(forget_deleted_user, sender=User, dispatch_uid="forget_deleted_user")

        def start_afresh(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
            """A new account's id may be one the cache still holds pages of: a database
            restored from a backup hands out again the ids of accounts made since, whose
            rows went without a delete to forget them."""
            if created:
                owner_changed(Owner(instance))

        post_save.connect(start_afresh, sender=User, dispatch_uid="start_afresh")


class SiteAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site's own default site: log-ins there are throttled."""

    # Named in INSTALLED_APPS; not a candidate for the "questions" app's own config.
    default = False
    default_site = "questions.accounts.admin_site.SiteAdmin"
