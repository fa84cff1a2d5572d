"""Choice ids are salted HMACs of who is looking and the choice's place: the key derivation
is done once per process, the ids stay what they were (answers saved with them map back)."""

from django.utils.crypto import salted_hmac

from questions.models import choice_ids


def test_the_ids_and_order_are_salted_hmacs_of_scope_and_place():
    for scope in ("attempt-item:7", "practice:user:1:metrics-single", "practice:visitor:é:x"):
        for index in range(6):
            expected = salted_hmac("questions.choice-id", f"{scope}:{index}").hexdigest()
            assert choice_ids.choice_id(scope, index) == expected[: choice_ids.ID_LENGTH]
        order_keys = [
            salted_hmac("questions.choice-order", f"{scope}:{index}").hexdigest()
            for index in range(6)
        ]
        assert choice_ids.display_order(scope, 6) == sorted(range(6), key=order_keys.__getitem__)


def test_another_secret_key_gives_other_ids(settings):
    before = choice_ids.choice_id("attempt-item:7", 0)
    settings.SECRET_KEY = "another-key-for-this-test-only-0123456789abcdef"
    after = choice_ids.choice_id("attempt-item:7", 0)
    assert after != before
    assert after == salted_hmac("questions.choice-id", "attempt-item:7:0").hexdigest()[:12]
