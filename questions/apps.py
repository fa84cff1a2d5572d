from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Question bank"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .owners import anon_token
        from .quizzes.services import attempts_claim

        def claim_anonymous_attempts(sender, request, user, **kwargs) -> None:
            if request is not None and hasattr(request, "session"):
                attempts_claim(user=user, anon_token=anon_token(request))

        user_logged_in.connect(claim_anonymous_attempts, dispatch_uid="claim_attempts")
