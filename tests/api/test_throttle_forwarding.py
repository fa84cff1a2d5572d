"""A client cannot reset its anonymous API budget by writing X-Forwarded-For."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

BALANCER = "10.0.0.2"


@pytest.fixture(autouse=True)
def five_a_minute(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "5/minute", "user": None})


def statuses(client, headers: list[dict]) -> list[int]:
    return [client.get("/api/exercises/", **h).status_code for h in headers]


def test_with_no_trusted_proxy_rotating_the_header_does_not_help(db, client):
    rotating = [
        {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"} for n in range(20)
    ]
    assert statuses(client, rotating) == [200] * 5 + [429] * 15


def test_behind_one_proxy_rotating_the_clients_part_does_not_help(db, client, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The balancer appends the address it saw; everything before it is the client's writing.
    rotating = [
        {"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}, 198.51.100.7"}
        for n in range(20)
    ]
    assert statuses(client, rotating) == [200] * 5 + [429] * 15
    # Another client behind the same balancer has a budget of its own.
    other = {"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert statuses(client, [other]) == [200]
