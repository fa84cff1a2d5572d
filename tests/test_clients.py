"""client_address: the client behind TRUSTED_PROXY_HOPS proxies, as DRF's throttles see it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from questions.clients import client_address

ROOT = Path(__file__).resolve().parent.parent
BALANCER = "10.0.0.2"


def request(forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=BALANCER, **headers)


def test_with_no_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_address(request("203.0.113.9")) == BALANCER
    assert client_address(request()) == BALANCER


def test_behind_one_proxy_the_client_is_the_entry_it_appended(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request("6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert client_address(request("203.0.113.9")) == "203.0.113.9"
    assert client_address(request()) == BALANCER


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_address(request("6.6.6.6, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"


@pytest.mark.parametrize("hops", [0, 1, 2, 3])
@pytest.mark.parametrize(
    # Not "": DRF would count an empty header as the address "", the helper as absent.
    "forwarded",
    [None, "203.0.113.9", "1.1.1.1,2.2.2.2", " 1.1.1.1 , 2.2.2.2 , 3.3.3.3 "],
)
def test_the_pages_and_the_api_see_the_same_client(settings, hops, forwarded):
    settings.TRUSTED_PROXY_HOPS = hops
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": hops}
    assert hops == api_settings.NUM_PROXIES
    django_request = request(forwarded)
    drf_ident = SimpleRateThrottle.get_ident(None, Request(django_request))  # type: ignore[arg-type]
    assert client_address(django_request) == drf_ident


def test_drf_counts_proxies_from_the_same_setting():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.TRUSTED_PROXY_HOPS, settings.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    for env, expected in (({}, "0 0"), ({"TRUSTED_PROXY_HOPS": "1"}, "1 1")):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**clean, "DJANGO_SETTINGS_MODULE": "quizsite.settings", **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.strip() == expected, result.stderr
