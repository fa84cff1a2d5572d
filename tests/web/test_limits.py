"""Request bodies over the limit are refused with a clear message, before anything is read."""

import pytest


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024


def test_it_refuses_an_oversized_api_body_with_json(db, client, small_limit):
    body = '{"answers": {"x": "' + "9" * 20_000 + '"}}'
    response = client.post(
        "/api/exercises/classification/1/check/", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request body is 19 KB; the limit is 10 KB.")


def test_it_refuses_an_oversized_form_with_a_page(db, client, small_limit):
    response = client.post("/accounts/login/", {"username": "a", "password": "x" * 20_000})
    assert response.status_code == 413
    assert b"That was too large to accept" in response.content
    assert b"the limit is 10 KB" in response.content


def test_a_body_under_the_limit_is_served(db, client, small_limit):
    response = client.post(
        "/api/exercises/classification/1/check/", {"answers": {}}, content_type="application/json"
    )
    assert response.status_code == 400  # read and validated, not refused for size


def test_the_default_limit_is_one_megabyte(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
