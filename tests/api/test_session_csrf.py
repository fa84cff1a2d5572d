"""The API's writes need the CSRF token whenever they ride on a session cookie, anonymous
visitors' included: their session owns attempts, answers and progress too. Clients without
a cookie, and scripts with a token, need none."""

import json

from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token

START = "/api/attempts/"
QUICK = {"kind": "quick"}


def post(client: Client, path: str, body: dict, **headers: str):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def anonymous_with_a_session() -> Client:
    visitor = Client(enforce_csrf_checks=True)
    assert post(visitor, START, QUICK).status_code == 201  # no cookie yet: nothing to forge
    assert "sessionid" in visitor.cookies
    return visitor


def test_a_forged_write_on_an_anonymous_session_is_refused(loaded):
    """What another site's form can send with the visitor's cookie: no token."""
    visitor = anonymous_with_a_session()
    forged = post(visitor, START, QUICK)
    assert forged.status_code == 403
    assert forged.json()["detail"].startswith("CSRF Failed")


def test_the_sites_own_pages_send_the_token_and_are_served(loaded):
    visitor = anonymous_with_a_session()
    visitor.get("/accounts/login/")  # any page with a form sets the csrftoken cookie
    token = visitor.cookies["csrftoken"].value
    assert post(visitor, START, QUICK, HTTP_X_CSRFTOKEN=token).status_code == 201


def test_a_client_without_a_session_cookie_needs_no_token(loaded):
    checked = post(Client(enforce_csrf_checks=True), "/api/exercises/roc/3/check/", {"answers": {}})
    assert checked.status_code == 400  # validated, not refused


def test_scripts_with_a_token_need_no_csrf_token(loaded):
    script = anonymous_with_a_session()  # a stray session cookie changes nothing
    key = Token.objects.create(user=User.objects.create_user("dana", password="x")).key
    response = post(script, START, QUICK, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 201
    assert response.json()["id"] and User.objects.get(username="dana").attempts.count() == 1
