"""The API throttles count per window (questions/api/throttles.py): a client over its rate
is refused until the estimate of its last minute's requests falls below the rate, is told
when that will be, and its refused requests do not push that moment further."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.throttling import SimpleRateThrottle

# A whole minute on the clock, so the windows' edges are known.
START = datetime.fromtimestamp(1_800_000_000, UTC)


@pytest.fixture(autouse=True)
def three_a_minute(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})


def get(client, at: timedelta):
    with time_machine.travel(START + at, tick=False):
        return client.get("/api/exercises/")


def test_a_refused_client_may_come_back_when_retry_after_says(db, client):
    assert [get(client, timedelta(seconds=1)).status_code for _ in range(3)] == [200] * 3
    refused = get(client, timedelta(seconds=1))
    assert refused.status_code == 429
    # The next minute starts 59 s later, and the last three must fade by a third of it.
    assert refused["Retry-After"] == "79"
    assert get(client, timedelta(seconds=79)).status_code == 429
    assert get(client, timedelta(seconds=80)).status_code == 200


def test_refused_requests_do_not_count_against_the_client(db, client):
    for _ in range(3):
        get(client, timedelta(seconds=1))
    hammering = [get(client, timedelta(seconds=s)).status_code for s in range(2, 60)]
    assert set(hammering) == {429}
    assert get(client, timedelta(seconds=80)).status_code == 200


def test_a_new_window_does_not_reset_the_budget(db, client):
    """The previous window still counts: three requests at 0:59 and three more at 1:01
    would be six in two seconds."""
    for _ in range(3):
        assert get(client, timedelta(seconds=59)).status_code == 200
    assert get(client, timedelta(seconds=61)).status_code == 429


def test_each_client_has_its_own_budget(db, client):
    for _ in range(4):
        get(client, timedelta(seconds=1))
    with time_machine.travel(START + timedelta(seconds=1), tick=False):
        other = client.get("/api/exercises/", REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 200
