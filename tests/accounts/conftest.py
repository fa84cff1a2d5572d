from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def account_settings(settings):
    """Accounts URLs (the project's if it includes them), a plain redirect, an empty cache."""
    try:
        reverse("accounts:login")
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.accounts.urls"
    settings.LOGIN_REDIRECT_URL = "/"
    settings.LOGOUT_REDIRECT_URL = "/"
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", "alice@example.com", PASSWORD)


@pytest.fixture
def charlie(db):
    """Charlie, who must never see or touch Alice's things."""
    return User.objects.create_user("charlie", "charlie@example.com", PASSWORD)


def make_history(user) -> None:
    """A finished set quiz with answers, a glossary quiz, and a checked exercise."""
    from questions.models import Attempt, AttemptItem, ExerciseResult, GlossaryTerm, QuestionSet
    from questions.owners import Owner
    from questions.progress.services import exercise_checked
    from questions.quizzes.services import attempt_answer, attempt_finish, attempt_start

    owner = Owner(user)
    quiz = attempt_start(
        owner=owner, kind="set", question_set=QuestionSet.objects.get(ext_id="starter")
    )
    first = quiz.items.get(position=1)
    attempt_answer(attempt=quiz, position=1, response=first.choice_id(0))
    attempt_answer(attempt=quiz, position=2, response="12345")
    attempt_finish(attempt=quiz)
    # A glossary quiz's items are generated; the fixture has too few terms to draw one.
    now = timezone.now()
    glossary = Attempt.objects.create(
        **owner.fields(),
        kind="glossary",
        title="Glossary quiz",
        started_at=now,
        deadline=now + timedelta(minutes=2),
    )
    AttemptItem.objects.create(
        attempt=glossary,
        position=1,
        term=GlossaryTerm.objects.get(ext_id="precision"),
        generated={"type": "single", "title": "Which term is defined?", "choices": []},
        answer=0,
        answered_at=now,
    )
    ExerciseResult.objects.create(
        **owner.fields(),
        kind="roc",
        seed=7,
        level="easy",
        answers={"auc": "0.8"},
        correct_fields=1,
        total_fields=1,
        score=1.0,
    )
    exercise_checked(owner=owner, kind="roc", score=1.0)
