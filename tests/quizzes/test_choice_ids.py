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


def test_ids_made_with_a_fallback_key_still_map_back_while_the_key_is_rotated(settings):
    """A candidate's page was drawn under the old key; the deploy that rotates it must not
    refuse the answer they then give. The ids shown from then on are the new key's."""
    scope, old_key = "attempt-item:7", settings.SECRET_KEY
    shown = {choice_ids.choice_id(scope, index): index for index in range(4)}
    settings.SECRET_KEY = "the-new-key-for-this-test-only-0123456789abcdef"
    assert all(choice_ids.index_of(scope, 4, given) is None for given in shown)  # no fallback
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert {given: choice_ids.index_of(scope, 4, given) for given in shown} == shown
    assert choice_ids.choice_id(scope, 0) not in shown  # new pages show the new key's ids
    assert choice_ids.index_of(scope, 4, choice_ids.choice_id(scope, 2)) == 2
    settings.SECRET_KEY_FALLBACKS = []  # rotation over: the old ids stop working
    assert all(choice_ids.index_of(scope, 4, given) is None for given in shown)
