import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from questions.models import Attempt, AttemptItem, Question
from tests.quiz_flow import press_start


def finished_attempt(
    scores: dict, *, token: str = "", finished: bool = True, kind: str = "topic"
) -> Attempt:
    """A finished attempt with these marks: {Question or exercise kind: score or None}."""
    now = timezone.now()
    attempt = Attempt.objects.create(
        anon_token=token or uuid.uuid4().hex,
        kind=kind,
        title="Test quiz",
        started_at=now - timedelta(minutes=5),
        deadline=now + timedelta(minutes=5),
        finished_at=now if finished else None,
        score=sum(score or 0 for score in scores.values()),
        max_score=len(scores),
    )
    AttemptItem.objects.bulk_create(
        AttemptItem(
            attempt=attempt,
            position=n,
            question=source if isinstance(source, Question) else None,
            exercise_kind="" if isinstance(source, Question) else source,
            exercise_seed=None if isinstance(source, Question) else 1,
            exercise_level="" if isinstance(source, Question) else "easy",
            score=score,
            correct=None if score is None else score == 1,
        )
        for n, (source, score) in enumerate(scores.items(), start=1)
    )
    return attempt


@pytest.fixture
def bank(loaded):
    return {q.ext_id: q for q in Question.objects.all()}


@pytest.fixture
def staff(db):
    """Sam, who edits the bank (staff, not a superuser)."""
    return User.objects.create_user("sam", "sam@example.org", "pw-sam-123", is_staff=True)


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def bob(db):
    """Bob, a candidate with an account and no staff rights."""
    return User.objects.create_user("bob", "bob@example.org", "pw-bob-123")


@pytest.fixture
def alice(loaded):
    """A browser that started the 'starter' set (three bank questions) through the site."""
    client = Client()
    response = client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    assert response.status_code == 302, response.content
    press_start(client, response["Location"])
    return client
