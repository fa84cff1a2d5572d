"""`counters.hit`, what the API throttles count with: one round trip to Redis per request,
and in memory while Redis is down."""

import pytest
from redis.client import Pipeline, Redis

from questions.web.cache import counters


@pytest.fixture
def round_trips(monkeypatch) -> list[str]:
    """The commands sent to Redis, a pipeline counting as one (a hit is one script now; a
    pipeline would show up here all the same)."""
    sent: list[str] = []
    command, execute = Redis.execute_command, Pipeline.execute

    def one_command(self, *args, **options):
        sent.append(str(args[0]))
        return command(self, *args, **options)

    def pipeline(self, *args, **options):
        sent.append("pipeline")
        return execute(self, *args, **options)

    monkeypatch.setattr(Redis, "execute_command", one_command)
    monkeypatch.setattr(Pipeline, "execute", pipeline)
    return sent


def test_a_hit_is_one_round_trip_and_counts_per_window(use_redis, own_redis, round_trips):
    use_redis(own_redis.url)
    assert counters.hit("client", 60, 120.0) == (1, 0)
    assert counters.hit("client", 60, 150.0) == (2, 0)
    assert round_trips == ["EVAL", "EVAL"]
    # The next minute: its own count, and the last minute's as the previous one.
    assert counters.hit("client", 60, 185.0) == (1, 2)
    assert counters.hit("other", 60, 185.0) == (1, 0)


def test_hits_are_counted_in_memory_while_redis_is_down(use_redis, closed_port):
    use_redis(closed_port)
    assert [counters.hit("client", 60, 120.0) for _ in range(3)] == [(1, 0), (2, 0), (3, 0)]
    assert counters.hit("client", 60, 190.0) == (1, 3)
