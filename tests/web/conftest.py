"""Redis that is not there, Redis that never answers, and a Redis of the test's own.

The shared Redis on 6379 is never used: each test points the cache at a closed port, at a
socket that accepts and stays silent, or at a redis-server it starts on a unix socket.
"""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def production_cache_settings() -> dict:
    """CACHES and SESSION_ENGINE exactly as quizsite/settings.py builds them with REDIS_URL
    set (in a fresh process: settings are read once, at start-up)."""
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'CACHES': settings.CACHES, 'SESSION_ENGINE': settings.SESSION_ENGINE}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env = clean | {"DJANGO_SETTINGS_MODULE": "quizsite.settings", "REDIS_URL": "redis://x:1/0"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def use_redis(settings, production_cache_settings):
    """Point the production cache configuration at `location`; sessions become cached_db."""

    def point_at(location: str, **extra: object) -> None:
        default = dict(production_cache_settings["CACHES"]["default"], LOCATION=location)
        settings.CACHES = {"default": default | extra}
        settings.SESSION_ENGINE = production_cache_settings["SESSION_ENGINE"]

    from questions.web import cache

    cache.counters.local.clear()
    yield point_at
    cache.counters.local.clear()
    cache._failing_until.clear()


@pytest.fixture
def closed_port() -> str:
    """A Redis URL where nothing listens: every connection is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def silent_redis() -> Iterator[str]:
    """A Redis URL that accepts connections (the kernel's backlog does) and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


class OwnRedis:
    """A redis-server of the test's own on a unix socket, to stop and start again."""

    def __init__(self, directory: Path) -> None:
        self.socket = directory / "redis.sock"
        self.url = f"unix://{self.socket}?db=0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        # No port, no snapshot, no log on stdout: a throwaway server on a private socket.
        command = ["redis-server", "--port", "0", "--unixsocket", str(self.socket)]
        command += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while not self.socket.exists():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.01)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(5)
            self.process = None
        self.socket.unlink(missing_ok=True)


@pytest.fixture
def own_redis(tmp_path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()
