import pytest
from django.test import Client

from questions.models import QuestionSet
from questions.owners import Owner
from questions.quizzes.services import attempt_start
from tests.quiz_flow import press_start


@pytest.fixture
def owner():
    return Owner(user=None, anon_token="token-alice")


@pytest.fixture
def set_attempt(loaded, owner):
    return attempt_start(
        owner=owner, kind="set", question_set=QuestionSet.objects.get(ext_id="starter")
    )


@pytest.fixture
def alice(loaded):
    """A browser that started the 'starter' set through the site."""
    client = Client()
    response = client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    assert response.status_code == 302, response.content
    client.attempt_url = press_start(client, response["Location"])
    return client
