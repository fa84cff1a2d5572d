"""Rotating the secret key (DJANGO_SECRET_KEY new, the old one in
DJANGO_SECRET_KEY_FALLBACKS) in the middle of a quiz: the choice the candidate picked on a
page drawn under the old key is saved as that choice."""

import json

from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from questions.models import QuestionSet
from questions.owners import Owner
from questions.quizzes.services import attempt_start


def test_a_choice_shown_before_the_key_was_rotated_is_saved(loaded, client, settings):
    alice = User.objects.create_user("alice", password=None)
    token = Token.objects.create(user=alice).key
    attempt = attempt_start(
        owner=Owner(alice, ""), kind="set", question_set=QuestionSet.objects.get(ext_id="starter")
    )
    item = attempt.items.get(position=1)
    assert item.type == "single"
    shown = item.choice_id(2)  # on the page before the deploy
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-rotated-key-for-this-test-only-0123456789abcdef"

    response = client.put(
        f"/api/attempts/{attempt.pk}/answers/1/",
        json.dumps({"answer": shown}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.answer == 2
    assert response.json()["answer"] == item.choice_id(2) != shown  # the new key's id now
