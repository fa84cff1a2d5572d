"""With Redis refusing connections or hanging, the site keeps serving: cache reads are
misses, writes are dropped, sessions come from the database, throttles keep counting."""

import logging
import signal
import time

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from questions.web.cache import CacheUnavailable, cache_is_failing, counters

PAGES = [
    "/",
    "/questions/",
    "/glossary/",
    "/glossary/precision/",
    "/exercises/",
    "/me/",
    "/api/exercises/",
    "/api/me/progress/",
]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.mark.parametrize("path", PAGES)
def test_pages_and_the_api_answer_while_redis_refuses_connections(
    loaded, use_redis, closed_port, path
):
    use_redis(closed_port)
    assert Client().get(path).status_code == 200


def test_a_hanging_redis_costs_one_short_timeout_not_five_seconds_a_call(
    loaded, use_redis, silent_redis
):
    use_redis(silent_redis)
    started = time.monotonic()
    for path in PAGES:
        assert Client().get(path).status_code == 200, path
    # One socket timeout (0.5 s), then the worker leaves Redis alone for the pause.
    assert time.monotonic() - started < 3


def test_the_production_settings_bound_every_redis_call(production_cache_settings):
    options = production_cache_settings["CACHES"]["default"]["OPTIONS"]
    assert options["socket_connect_timeout"] <= 0.5 and options["socket_timeout"] <= 0.5


def test_an_anonymous_visitors_session_lives_on_in_the_database(loaded, use_redis, closed_port):
    use_redis(closed_port)
    visitor = Client()
    assert visitor.post("/glossary/precision/hard/").status_code == 302
    assert "Precision" in visitor.get("/me/review/").content.decode()


def test_a_logged_in_member_stays_logged_in(loaded, use_redis, closed_port):
    use_redis(closed_port)
    member = Client()
    member.force_login(User.objects.create_user("dana", password="x"))
    assert "dana" in member.get("/me/").content.decode()


def test_api_throttles_keep_counting_while_redis_is_down(db, use_redis, closed_port, monkeypatch):
    use_redis(closed_port)
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
    codes = [Client().get("/api/exercises/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_a_failure_is_logged_once_per_pause_and_is_observable(use_redis, closed_port, caplog):
    use_redis(closed_port)
    with caplog.at_level(logging.WARNING, logger="questions.web.cache"):
        assert cache.get("anything", "missed") == "missed"
        cache.set("anything", 1)  # dropped, silently: the pause is on
        assert cache.get_many(["a", "b"]) == {}
    assert cache_is_failing()
    assert len(caplog.records) == 1 and "ConnectionError" in caplog.text
    # Counters must not mistake "unknown" for "zero": Django's incr raises ValueError for a
    # missing key, which callers answer by starting a fresh count.
    with pytest.raises(CacheUnavailable):
        cache.incr("anything")


def test_the_cache_is_used_again_once_redis_is_back(use_redis, own_redis):
    use_redis(own_redis.url, FAILURE_PAUSE_SECONDS=0)
    cache.set("figure", "stored")
    assert cache.get("figure") == "stored"
    own_redis.stop()
    assert cache.get("figure", "missed") == "missed"
    own_redis.start()
    cache.set("figure", "stored again")
    assert cache.get("figure") == "stored again" and not cache_is_failing()


def test_one_redis_client_serves_every_call(use_redis, own_redis):
    """Django made a redis.Redis per call; one per pool is kept, and it survives a restart."""
    use_redis(own_redis.url, FAILURE_PAUSE_SECONDS=0)
    cache.set("figure", "stored")
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client and cache.get("figure") == "stored"
    own_redis.stop()
    own_redis.start()
    cache.set("figure", "stored again")
    assert cache.get("figure") == "stored again" and cache._cache.get_client() is client


def test_a_value_written_while_redis_hung_is_not_read_stale_later(
    use_redis, own_redis, monkeypatch
):
    """cached_db saved the session to the database while Redis hung; the copy Redis still
    holds is older, and must not be read when Redis answers again."""
    use_redis(own_redis.url)
    cache.set("session", "before")
    own_redis.process.send_signal(signal.SIGSTOP)
    try:
        assert cache.get("session") is None  # a timeout: Redis is left alone for 5 s
        cache.set("session", "after")  # not even sent
    finally:
        own_redis.process.send_signal(signal.SIGCONT)
    later = time.monotonic() + 6  # time-machine does not move the monotonic clock
    monkeypatch.setattr("questions.web.cache.monotonic", lambda: later)
    assert cache.get("session") is None


def test_counters_keep_counting_in_memory_while_redis_is_down(use_redis, closed_port):
    """What throttles (the log-in throttle's too) count with: a count goes up, and is never
    read as zero, with Redis away."""
    use_redis(closed_port)
    counters.add("failures", 0, 60)
    assert [counters.incr("failures") for _ in range(3)] == [1, 2, 3]
    assert counters.decr("failures") == 2
    assert counters.get_many(["failures", "other"]) == {"failures": 2}
    assert counters.touch("failures", 60)
    counters.delete_many(["failures"])
    assert counters.get("failures") is None


def test_counters_are_shared_while_redis_answers(use_redis, own_redis):
    use_redis(own_redis.url)
    counters.add("failures", 0, 60)
    counters.incr("failures")
    assert cache.get("failures") == 1 and counters.local.get("failures") is None
    counters.delete("failures")
    assert cache.get("failures") is None


def test_the_dicom_inspectors_budget_holds_while_redis_is_down(db, use_redis, closed_port):
    use_redis(closed_port)
    upload = {"file": SimpleUploadedFile("slice.dcm", b"not dicom" * 20)}
    codes = [Client().post("/dicom/", dict(upload)).status_code for _ in range(21)]
    assert codes == [400] * 20 + [429]  # DICOM_INSPECT_THROTTLE: 20 a minute


def test_log_ins_are_still_limited_and_never_fail_while_redis_is_down(db, use_redis, closed_port):
    """Chosen behaviour: the password throttle counts in each worker's memory while Redis is
    down (a limit per worker, never unlimited guesses, never a lock-out of everyone), and a
    check never turns into a 500."""
    User.objects.create_user("alice", password="right-password-123")
    use_redis(closed_port)
    client = Client()
    answers = [
        client.post("/accounts/login/", {"username": "alice", "password": f"wrong-{n}"})
        for n in range(7)
    ]
    assert all(response.status_code in (200, 400, 429) for response in answers)
    assert "Too many failed log-ins" in answers[-1].content.decode()
    # Someone else, on another account, is not held up by Alice's guesser.
    User.objects.create_user("bob", password="bobs-password-123")
    other = Client().post("/accounts/login/", {"username": "bob", "password": "bobs-password-123"})
    assert other.status_code == 302


def test_a_readers_own_pages_are_computed_afresh_while_redis_refuses(
    loaded, use_redis, closed_port
):
    """The dashboard and a list's standings are kept per owner in the shared cache; without
    it each request computes them, and every answer shows at once."""
    use_redis(closed_port)
    alice = Client()
    alice.force_login(User.objects.create_user("alice"))
    for answers, (question, answer) in enumerate(
        [("metrics-numeric", "0.75"), ("dicom-truefalse", "true")], start=1
    ):
        alice.post(f"/questions/{question}/", {"answer": answer})
        html = alice.get("/me/").content.decode()
        assert f'<span class="stat-value">{answers}</span><span class="meta">answers' in html
        listed = alice.get("/questions/").content.decode()
        assert listed.count("standing solved") == answers


def test_an_answer_in_an_outage_shows_after_it_however_busy_the_outage(
    loaded, use_redis, own_redis, monkeypatch
):
    """The version bump of an answer given while Redis is away is a dropped write, deleted
    once Redis is back. The figures other readers computed meanwhile were kept under
    versions drawn for one request each: writing them is no use, and as dropped writes they
    crowded the bump out of the keys to delete (past DROPPED_KEYS_LIMIT), so the answer
    did not show on a dashboard Redis still held from before the outage."""
    from questions.web import cache as shared

    monkeypatch.setattr(shared, "DROPPED_KEYS_LIMIT", 30)
    use_redis(own_redis.url)
    clients = []
    for name in ("alice", "bob", "carol"):
        client = Client()
        client.force_login(User.objects.create_user(name))
        clients.append(client)
    alice, *others = clients

    def answers() -> str:
        html = alice.get("/me/").content.decode()
        return html.split('<span class="stat-value">', 1)[1].split("<", 1)[0]

    assert answers() == "0"  # kept in Redis under Alice's version
    own_redis.process.send_signal(signal.SIGSTOP)
    try:
        assert cache.get("probe") is None  # a timeout: Redis is left alone for 5 s
    finally:
        own_redis.process.send_signal(signal.SIGCONT)
    for _ in range(20):  # a busy site meanwhile
        for other in others:
            assert other.get("/me/").status_code == 200
            assert other.get("/questions/").status_code == 200
    alice.post("/questions/metrics-numeric/", {"answer": "0.75"})
    later = time.monotonic() + 6  # time-machine does not move the monotonic clock
    monkeypatch.setattr("questions.web.cache.monotonic", lambda: later)
    assert answers() == "1"


def test_a_log_out_in_a_long_outage_holds_once_redis_is_back(
    loaded, use_redis, own_redis, monkeypatch
):
    """cached_db deletes a session from the database at log-out, and from Redis only once
    Redis is back, if the delete is still among the dropped keys. Pages and figures kept
    under a content version a worker drew while Redis was away (every few seconds, per
    page) are never read again: writing them crowded the delete out, and the session
    logged out during the outage was logged in again from Redis's copy."""
    from django.conf import settings

    from questions.web import cache as shared
    from questions.web import page_cache

    monkeypatch.setattr(shared, "DROPPED_KEYS_LIMIT", 30)
    use_redis(own_redis.url)
    dana = Client()
    dana.force_login(User.objects.create_user("dana"))
    assert "dana" in dana.get("/me/").content.decode()
    copied = dana.cookies[settings.SESSION_COOKIE_NAME].value
    own_redis.process.send_signal(signal.SIGSTOP)
    try:
        assert cache.get("probe") is None  # a timeout: Redis is left alone for 5 s
    finally:
        own_redis.process.send_signal(signal.SIGCONT)
    for _ in range(20):  # a long outage, on a site with a few pages
        page_cache.forget_local()  # as LOCAL_SECONDS passing does
        for path in ("/", "/glossary/", "/glossary/precision/", "/questions/", "/exercises/"):
            assert Client().get(path).status_code == 200
    assert dana.post("/accounts/logout/").status_code == 302
    later = time.monotonic() + 6  # time-machine does not move the monotonic clock
    monkeypatch.setattr("questions.web.cache.monotonic", lambda: later)
    again = Client()
    again.cookies[settings.SESSION_COOKIE_NAME] = copied
    html = again.get("/me/").content.decode()
    assert "Log in" in html and "dana" not in html
