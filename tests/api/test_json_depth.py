"""A JSON body nested deeper than any request needs is a 400 with one sentence, on every API
endpoint, before json recurses into it: 100,000 '[' (200 KB) were a RecursionError 500."""

import pytest

from questions.api.parsers import MAX_JSON_DEPTH, json_depth_exceeds

CHECK = "/api/exercises/classification/7/check/"
REFUSAL = (
    "The JSON body nests arrays or objects more than 32 levels deep; "
    "no request to this API needs more than a few: flatten it."
)


def _post(client, url, body: str):
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a": ' * 100_000 + "1" + "}" * 100_000,
        '{"level": "easy", "answers": ' + "[" * 100_000,  # never closed: refused all the same
    ],
)
def test_a_100000_deep_body_is_a_400_with_a_sentence(db, client, body):
    response = _post(client, CHECK, body)
    assert response.status_code == 400
    assert response.json() == {"detail": REFUSAL}


def test_the_limit_is_counted_exactly(db, client):
    at_limit = '{"level": "easy", "answers": ' + "[" * 31 + "]" * 31 + "}"
    over = '{"level": "easy", "answers": ' + "[" * 32 + "]" * 32 + "}"
    assert _post(client, CHECK, at_limit).json()["detail"] != REFUSAL  # a field error instead
    assert _post(client, CHECK, over).json() == {"detail": REFUSAL}


def test_brackets_inside_strings_do_not_count():
    text = '{"answer": "' + "[{" * 500 + '\\"' + "[" * 500 + '"}'
    assert not json_depth_exceeds(text.encode(), MAX_JSON_DEPTH)
    assert json_depth_exceeds(b"[" * 33, MAX_JSON_DEPTH)


def test_an_authenticated_endpoint_refuses_it_too(loaded, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("alice"))
    response = _post(client, "/api/attempts/", '{"set": ' + "[" * 50_000)
    assert response.status_code == 400 and response.json() == {"detail": REFUSAL}


def test_a_number_of_five_thousand_digits_gets_a_plain_sentence(db, client):
    response = client.post(
        "/api/attempts/", '{"count": ' + "9" * 5000 + "}", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("A number in the JSON body has thousands")
