"""Settings come from the environment and refuse an unsafe production start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_check(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_it_starts_with_debug_off_and_a_real_key():
    result = run_check(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


def test_it_reads_the_database_from_database_url():
    from django.conf import settings

    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    )
    assert settings.DATABASES["default"]["ENGINE"].endswith(expected)


def test_start_up_does_not_import_matplotlib_or_pydicom():
    """Figures and DICOM files import them when first needed; every page load does not."""
    code = (
        "import django, sys; django.setup();"
        "from django.core.wsgi import get_wsgi_application; get_wsgi_application();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "print('matplotlib' in sys.modules, 'pydicom' in sys.modules)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "quizsite.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False False", result.stderr


def test_each_log_record_is_printed_once():
    """Django's "django" logger must not keep its own console handler and also propagate to
    the root logger's (pytest adds handlers of its own to the root, so those are not counted).
    """
    import logging

    def below_root(name: str) -> tuple[list[logging.Handler], bool]:
        logger: logging.Logger | None = logging.getLogger(name)
        handlers: list[logging.Handler] = []
        while logger is not None and logger is not logging.root:
            handlers += logger.handlers
            if not logger.propagate:
                return handlers, False
            logger = logger.parent
        return handlers, True

    assert below_root("django.request") == ([], True)
    assert below_root("questions.accounts.throttle") == ([], True)
    # runserver's request lines have a handler of their own and stop there.
    assert below_root("django.server")[1] is False


def test_kept_database_connections_are_checked_before_each_request():
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_database_dropped_a_kept_connection_succeeds(client):
    """pg_terminate_backend (a failover, an operator) on a kept connection: the next request
    reconnects instead of answering 500."""
    from django.db import close_old_connections, connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server to drop the connection")
    connection.close()
    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        assert client.get("/readyz").status_code == 200  # opens the kept connection
        pid = connection.connection.info.backend_pid
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        with psycopg.connect(**params, autocommit=True) as other:
            # Waits (up to 10 s) until the backend has exited: the connection is dropped, not
            # about to be. A request already starting while the server is still closing it
            # is a request in flight, which may fail once (the drill's step 4).
            other.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
        # What every request starts with (the test client leaves it out, so call it here).
        close_old_connections()

        assert client.get("/readyz").status_code == 200
        assert connection.connection.info.backend_pid != pid
    finally:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = saved
