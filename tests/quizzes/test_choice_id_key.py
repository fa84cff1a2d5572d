"""Choice ids are salted_hmac's, with the derived key kept per SECRET_KEY."""

from django.utils.crypto import salted_hmac

from questions.models import choice_ids


def test_ids_are_salted_hmacs_of_the_scope_and_index(settings):
    for scope in ("attempt:0b9e:1", "visitor:é:2", ""):
        for index in range(6):
            expected = salted_hmac("questions.choice-id", f"{scope}:{index}").hexdigest()
            assert choice_ids.choice_id(scope, index) == expected[: choice_ids.ID_LENGTH]


def test_a_new_secret_key_gives_new_ids(settings):
    before = choice_ids.choice_id("attempt:x:1", 0)
    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789abcdef"
    after = choice_ids.choice_id("attempt:x:1", 0)
    assert after != before
    assert after == salted_hmac("questions.choice-id", "attempt:x:1:0").hexdigest()[:12]
