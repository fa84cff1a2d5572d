import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", password="pw-alice-123")


@pytest.fixture
def alice_client(alice):
    client = Client()
    client.force_login(alice)
    return client
