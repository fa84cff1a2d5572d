"""Every form carries a CSRF token, and every URL refuses a POST without one."""

import re

from django.test import Client
from django.urls import reverse

from tests.interviews.conftest import client_for

from .conftest import url_kwargs, url_patterns

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)


def _urls(world):
    for name, pattern in url_patterns():
        params = list(pattern.pattern.converters)
        yield name, reverse(name, kwargs=url_kwargs(name, params, world))


def test_every_post_form_on_every_page_has_a_token(world):
    alice_client = client_for(world["alice"])
    forms = 0
    for viewer in (alice_client, Client()):
        for name, url in _urls(world):
            response = viewer.get(url)
            if response.streaming or "html" not in response.get("Content-Type", ""):
                continue
            for form in FORM.findall(response.content.decode()):
                if re.search(r'method="post"', form, re.I):
                    forms += 1
                    assert 'name="csrfmiddlewaretoken"' in form, (name, form[:200])
    assert forms >= 40, forms  # the walk really met the site's forms


def test_a_post_without_a_token_changes_nothing_anywhere(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["alice"])
    for name, url in _urls(world):
        if name == "api-docs":
            continue  # GET only; its script is served by the same URL
        response = browser.post(url, {})
        assert response.status_code in (403, 405), (name, url, response.status_code)
    world["set"].refresh_from_db()
    assert world["set"].entries.count() == 4
    assert (
        world["own_attempt"].__class__.objects.get(pk=world["own_attempt"].pk).finished_at is None
    )


def test_the_csrf_failure_page_says_what_to_do(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a"})
    assert response.status_code == 403
    assert b"This form has expired" in response.content
    assert b"reload the page, and submit it again" in response.content
