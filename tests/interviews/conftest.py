import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from questions.interviews import sets
from questions.models import Question, Topic
from questions.models.interviews import INTERVIEWER_GROUP

PASSWORD = "correct horse battery staple"


def _user(name: str, interviewer: bool) -> User:
    user = User.objects.create_user(name, f"{name}@example.com", PASSWORD)
    if interviewer:
        user.groups.add(Group.objects.get_or_create(name=INTERVIEWER_GROUP)[0])
    return user


@pytest.fixture
def alice(db):
    """Alice interviews for an imaging team."""
    return _user("alice", interviewer=True)


@pytest.fixture
def charlie(db):
    """Charlie, another interviewer, who must never see Alice's sets."""
    return _user("charlie", interviewer=True)


@pytest.fixture
def bob(db):
    """Bob, a candidate with an account but no interviewer role."""
    return _user("bob", interviewer=False)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    return client_for(alice)


@pytest.fixture
def screening(loaded, alice):
    """Alice's set: a single-choice, an open question, a fixed-seed exercise, a random draw."""
    interview_set = sets.set_create(
        owner=alice,
        title="Imaging ML screen",
        description="For the *junior* role.",
        time_limit_minutes=20,
        show_answers=False,
    )
    sets.entry_add(
        interview_set=interview_set, question=Question.objects.get(ext_id="metrics-single")
    )
    sets.entry_add(interview_set=interview_set, question=Question.objects.get(ext_id="dicom-open"))
    sets.entry_add(
        interview_set=interview_set,
        exercise_kind="class_weights",
        exercise_level="easy",
        exercise_seed=1234,
    )
    sets.entry_add(
        interview_set=interview_set, random_count=1, random_topic=Topic.objects.get(slug="metrics")
    )
    return interview_set
