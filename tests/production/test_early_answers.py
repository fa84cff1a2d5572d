"""Responses that middleware gives before any view runs (static files, a refused oversized
body) carry the same security headers as every page."""

import pytest
from django.test import Client


def assert_security_headers(response) -> None:
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/static/questions/site.css", "/static/questions/quiz.js"])
def test_static_files_carry_the_security_headers(settings, path):
    settings.WHITENOISE_USE_FINDERS = True  # serve from the app folders: no collectstatic here
    response = Client().get(path)
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_refused_oversized_body_carries_the_security_headers(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024
    response = Client().post("/accounts/login/", {"password": "x" * 20_000})
    assert response.status_code == 413
    assert_security_headers(response)
