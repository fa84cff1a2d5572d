"""Scale-out and failure drill: two app hosts behind HAProxy, one PostgreSQL, one Redis.

    .venv/bin/python benchmarks/drill.py [--candidates 100] [--phase-seconds 15]

Prerequisites: `apt-get install -y haproxy redis-server` and the machine's PostgreSQL on
127.0.0.1:5432 (trust auth). The drill starts everything else itself and removes it after:
its own database (`quizsite_drill`, dropped at the end; never the shared `test` database), its
own Redis on a free port, two gunicorn hosts (the `make serve` configuration: DEBUG off,
persistent database connections with health checks, cache and sessions in Redis) on two
ports, and HAProxy in front of them (round robin, /healthz checked every 0.5 s).

Simulated candidates (logged in, session cookie and CSRF token, as the browser sends them)
take the "Class imbalance and metrics" set again and again through the load balancer: read
a glossary page, start the set, answer every item, finish, read the review. A request that
fails (connection error or a 5xx) is retried after 0.2, 0.4 and 0.8 s. While they work:

1. host A is killed with SIGKILL (master and workers): every answer that got a 2xx must be
   in the database at the end, and no request may fail more than once;
2. host B's gunicorn master gets SIGHUP (a graceful reload of its workers): no request may
   fail at all;
3. the drill's Redis is stopped: pages and quizzes must keep working (the cache misses,
   sessions come from the database; the log-in throttle counts in worker memory);
4. PostgreSQL terminates every connection of the app (`pg_terminate_backend`): the requests
   in flight may fail once, and the retries and every later request must succeed.

Each step's figures (requests, first-try failures, failures after retries, answers
acknowledged vs stored, recovery time) are printed as a Markdown table for the README and
written to benchmarks/out/drill.json. The exit status is 0 when every step passed.
The verdict logic (`judge`) is plain Python, tested in tests/production/test_drill.py.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
SET_ID = "class-imbalance-and-metrics"
TERM = "/glossary/hounsfield-unit/"
DATABASE = "quizsite_drill"
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
RETRY_DELAYS = (0.2, 0.4, 0.8)
WORKERS = 3  # per host: the two hosts share this machine's two cores


# --- What the candidates saw, and the verdict (pure: tested without any server) -----------


@dataclass(frozen=True)
class Outcome:
    """One logical request: how many tries it took and how it ended."""

    name: str
    started: float  # time.monotonic() of the first try
    ended: float
    tries: int
    status: int  # of the last try; 0 for a connection error or a timeout
    ok: bool  # the last try got the answer the candidate needed (2xx)


@dataclass(frozen=True)
class Step:
    name: str
    event: str  # what the drill did
    at: float  # monotonic time of the event
    until: float  # end of the step's window
    may_fail_once: bool  # requests in flight at the event may fail once (then must succeed)


@dataclass
class Verdict:
    step: str
    event: str
    requests: int
    first_try_failures: int
    failed_after_retries: int
    most_tries: int
    answers_acknowledged: int
    answers_stored: int
    recovery_seconds: float  # event → the end of the last request that failed a try
    passed: bool
    reasons: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # the first few, for the log


def judge(
    step: Step,
    outcomes: Iterable[Outcome],
    *,
    acknowledged: int,
    stored: int,
) -> Verdict:
    """The step's figures from the requests that ended in its window, and pass or fail.

    A request belongs to the step in which it ended: one in flight when the step's event hit
    it fails then, and its retries land in that step too. A step passes when every
    acknowledged answer is stored, no request failed for good, and requests failed on their
    first try only where the step allows it (at most once each)."""
    mine = [o for o in outcomes if step.at <= o.ended < step.until]
    first_failures = [o for o in mine if o.tries > 1 or not o.ok]
    failed = [o for o in mine if not o.ok]
    most_tries = max((o.tries for o in mine), default=0)
    recovery = max((o.ended - step.at for o in first_failures), default=0.0)
    reasons = []
    if not mine:
        reasons.append("no request was made in the step's window")
    if stored < acknowledged:
        reasons.append(f"{acknowledged - stored} acknowledged answers are not in the database")
    if failed:
        reasons.append(f"{len(failed)} requests failed even after their retries")
    if step.may_fail_once and most_tries > 2:
        reasons.append(f"a request needed {most_tries} tries (at most 2 allowed)")
    if not step.may_fail_once and first_failures:
        reasons.append(f"{len(first_failures)} requests failed (none allowed)")
    return Verdict(
        step=step.name,
        event=step.event,
        requests=len(mine),
        first_try_failures=len(first_failures),
        failed_after_retries=len(failed),
        most_tries=most_tries,
        answers_acknowledged=acknowledged,
        answers_stored=stored,
        recovery_seconds=round(recovery, 2),
        passed=not reasons,
        reasons=reasons,
        failures=[
            f"{o.name}: {o.tries} tries, last status {o.status or 'no answer'}"
            for o in first_failures[:5]
        ],
    )


def markdown(verdicts: list[Verdict]) -> str:
    lines = [
        "| step | requests | failed first try | failed after retries | answers acknowledged / "
        "stored | recovery | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for v in verdicts:
        result = "pass" if v.passed else "FAIL: " + "; ".join(v.reasons)
        lines.append(
            f"| {v.event} | {v.requests:,} | {v.first_try_failures} | {v.failed_after_retries} "
            f"| {v.answers_acknowledged:,} / {v.answers_stored:,} | {v.recovery_seconds:g} s "
            f"| {result} |"
        )
    return "\n".join(lines)


# --- The candidates -----------------------------------------------------------------------


class Ledger:
    """Every logical request, and every answer the site acknowledged (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.outcomes: list[Outcome] = []
        # (attempt id, position) → the answer sent, for each PUT that got a 2xx.
        self.answers: dict[tuple[str, int], object] = {}
        self.answer_times: dict[tuple[str, int], float] = {}

    def record(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def acknowledge(self, attempt: str, position: int, answer: object, at: float) -> None:
        with self.lock:
            self.answers[(attempt, position)] = answer
            self.answer_times[(attempt, position)] = at


def _answer_for(item: dict) -> object:
    if item.get("exercise"):
        return {f["name"]: 0.5 for f in item["exercise"]["fields"]}
    kind = item["type"]
    choices = [c["id"] for c in item.get("choices") or []]
    if kind == "single":
        return random.choice(choices)
    if kind == "multiple":
        return choices[:1]
    if kind == "truefalse":
        return random.random() < 0.5
    if kind == "numeric":
        return round(random.uniform(0, 1), 3)
    return "Class weights rescale each class's loss by its inverse frequency."


class Candidate(threading.Thread):
    def __init__(
        self, port: int, session: str, ledger: Ledger, stop: threading.Event, think: float
    ) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF token
        self.cookie = f"sessionid={session}; csrftoken={self.csrf}"
        self.ledger = ledger
        self.stop = stop
        self.think = think

    def request(self, name: str, method: str, path: str, body: object = None) -> dict | None:
        headers = {"Cookie": self.cookie, "Accept": "application/json"}
        payload = None
        if body is not None or method != "GET":
            headers |= {"Content-Type": "application/json", "X-CSRFToken": self.csrf}
            payload = json.dumps(body if body is not None else {}).encode()
        started = time.monotonic()
        tries, status, data = 0, 0, b""
        for delay in (*RETRY_DELAYS, None):
            tries += 1
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                status, data = response.status, response.read()
                connection.close()
            except (OSError, http.client.HTTPException):
                status = 0
            if 200 <= status < 300 or (status and status < 500):
                break
            if delay is None:
                break
            time.sleep(delay)
        ok = 200 <= status < 300
        self.ledger.record(Outcome(name, started, time.monotonic(), tries, status, ok))
        if not ok:
            return None
        return json.loads(data) if data and path.startswith("/api/") else {}

    def pause(self) -> None:
        time.sleep(random.uniform(0.5, 1.5) * self.think)

    def run(self) -> None:
        while not self.stop.is_set():
            self.request("glossary term page", "GET", TERM)
            self.pause()
            attempt = self.request("start a set", "POST", "/api/attempts/", {"set": SET_ID})
            if attempt is None:
                continue
            base = f"/api/attempts/{attempt['id']}/"
            for item in attempt["items"]:
                if self.stop.is_set():
                    return
                self.pause()
                answer = _answer_for(item)
                path = f"{base}answers/{item['position']}/"
                if self.request("answer", "PUT", path, {"answer": answer}) is not None:
                    self.ledger.acknowledge(
                        attempt["id"], item["position"], answer, time.monotonic()
                    )
            self.pause()
            self.request("finish", "POST", f"{base}finish/")
            self.request("review", "GET", base)
            self.pause()


# --- The processes ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, path: str = "/healthz", seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"nothing answered {path} on port {port} within {seconds:g} s")


def _env(database_url: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "drill-only-secret-key-not-for-production-0123456789abcdef",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": redis_url,
        # HAProxy appends the client's address; the app trusts that one hop.
        "TRUSTED_PROXY_HOPS": "1",
        "API_THROTTLE_ANON": "1000000/minute",
        "API_THROTTLE_USER": "1000000/minute",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_ACCESS_LOG": "",
    }


def _manage(env: dict[str, str], *command: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _sql(statement: str, *params: object, database: str = "postgres") -> list[tuple]:
    import psycopg

    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + database
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(statement, params or None)
        return cursor.fetchall() if cursor.description else []


SESSIONS_SCRIPT = """
import json, sys
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
keys = []
for n in range(int(sys.argv[1])):
    user = User.objects.create_user(f"drill{n}", password=None)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(json.dumps(keys))
"""

VERIFY_SCRIPT = """
import json, sys
import django
django.setup()
from questions.models import AttemptItem
from questions.quizzes.services import normalize_response
stored = []
for attempt, position, answer in json.load(sys.stdin):
    item = AttemptItem.objects.filter(attempt_id=attempt, position=position).first()
    stored.append(bool(item is not None and item.answered_at
                       and item.answer == normalize_response(item, answer)))
print(json.dumps(stored))
"""


class Cluster:
    """Redis, two gunicorn hosts and HAProxy, each in its own process group."""

    def __init__(self, env: dict[str, str], redis_port: int, tmp: Path) -> None:
        self.env, self.redis_port, self.tmp = env, redis_port, tmp
        self.ports = {"a": _free_port(), "b": _free_port()}
        self.balancer_port = _free_port()
        self.workers = WORKERS
        self.hosts: dict[str, subprocess.Popen] = {}
        self.redis: subprocess.Popen | None = None
        self.haproxy: subprocess.Popen | None = None

    def _spawn(
        self, name: str, command: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        log = open(OUT / f"drill-{name}.log", "a")  # noqa: SIM115 - closed with the process
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_redis(self) -> None:
        self.redis = self._spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        for _ in range(50):
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        sys.exit("the drill's Redis did not start")

    def stop_redis(self) -> None:
        assert self.redis is not None
        self.redis.send_signal(signal.SIGKILL)
        self.redis.wait()

    def start_host(self, name: str) -> None:
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.ports[name]}"}
        gunicorn = str(Path(PY).parent / "gunicorn")
        self.hosts[name] = self._spawn(
            f"host-{name}",
            # One control socket each: by default both masters would claim the same path.
            [
                gunicorn,
                "-c",
                "quizsite/gunicorn_conf.py",
                "--control-socket",
                str(self.tmp / f"{name}.ctl"),
                "quizsite.wsgi",
            ],
            env,
        )
        _wait_for(self.ports[name])

    def kill_host(self, name: str) -> None:
        host = self.hosts[name]
        os.killpg(host.pid, signal.SIGKILL)  # the master and its workers, as a host dies
        host.wait()

    def reload_host(self, name: str) -> None:
        self.hosts[name].send_signal(signal.SIGHUP)

    def start_haproxy(self) -> None:
        config = self.tmp / "haproxy.cfg"
        config.write_text(
            f"""global
    maxconn 2000
defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    option http-server-close
    option forwardfor
    # A connection refused (a dead host) is tried again on the other host; a request that
    # reached a host is never re-sent by HAProxy: the client decides (it knows what is safe).
    retries 2
    option redispatch 1
frontend web
    bind 127.0.0.1:{self.balancer_port}
    default_backend hosts
backend hosts
    balance roundrobin
    # Sync workers take one request each: HAProxy holds the rest in its own queue instead
    # of piling them into a host's backlog, where the health check would wait behind them
    # and a busy host would look dead.
    timeout queue 30s
    timeout check 3s
    option httpchk GET /healthz
    http-check expect status 200
    # A refused connection marks a host down at once; the checks bring it back.
    default-server inter 1s fall 3 rise 2 maxconn {self.workers}
    default-server observe layer4 error-limit 1 on-error mark-down
    server a 127.0.0.1:{self.ports["a"]} check
    server b 127.0.0.1:{self.ports["b"]} check
"""
        )
        self.haproxy = self._spawn("haproxy", ["haproxy", "-db", "-f", str(config)])
        _wait_for(self.balancer_port)

    def stop(self) -> None:
        for process in [*self.hosts.values(), self.haproxy, self.redis]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=25)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def _terminate_app_connections() -> int:
    rows = _sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        DATABASE,
    )
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--phase-seconds", type=float, default=15)
    parser.add_argument(
        "--think", type=float, default=2.0, help="mean pause between requests, s (1–3 s)"
    )
    args = parser.parse_args(argv)
    for tool in ("haproxy", "redis-server"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed: apt-get install -y haproxy redis-server")
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("drill-*.log"):
        old.unlink()

    print(f"Preparing database {DATABASE} and a Redis of the drill's own …", flush=True)
    _sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    _sql(f'CREATE DATABASE "{DATABASE}"')
    redis_port = _free_port()
    env = _env(ADMIN_URL.rsplit("/", 1)[0] + "/" + DATABASE, f"redis://127.0.0.1:{redis_port}/0")
    tmp = Path(tempfile.mkdtemp(prefix="drill-"))
    cluster = Cluster(env, redis_port, tmp)
    stop = threading.Event()
    ledger = Ledger()
    verdicts: list[Verdict] = []
    try:
        cluster.start_redis()
        _manage(env, "migrate", "--noinput")
        _manage(env, "load_content")
        _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        made = subprocess.run(
            [PY, "-c", SESSIONS_SCRIPT, str(args.candidates)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        sessions = json.loads(made.stdout)
        cluster.start_host("a")
        cluster.start_host("b")
        cluster.start_haproxy()
        print(
            f"Hosts on :{cluster.ports['a']} and :{cluster.ports['b']}, HAProxy on "
            f":{cluster.balancer_port}; {args.candidates} candidates arriving …",
            flush=True,
        )
        candidates = [
            Candidate(cluster.balancer_port, key, ledger, stop, args.think) for key in sessions
        ]
        run_started = time.monotonic()
        for candidate in candidates:
            candidate.start()
            # Ten arrive a second, as in the load test, so that they do not move in step.
            time.sleep(0.1)
        phase = args.phase_seconds
        time.sleep(phase)

        steps: list[Step] = []

        def step(name: str, event: str, action, may_fail_once: bool, after=None) -> None:
            at = time.monotonic()
            print(f"  {event}", flush=True)
            action()
            time.sleep(phase)
            if after:
                after()
            steps.append(Step(name, event, at, time.monotonic(), may_fail_once))

        step(
            "kill",
            "host A killed (SIGKILL), candidates go on on B",
            lambda: cluster.kill_host("a"),
            True,
            after=lambda: cluster.start_host("a"),
        )
        time.sleep(2)  # HAProxy sees A again ("rise 2" at 0.5 s)
        step(
            "reload",
            "host B reloaded (SIGHUP to its gunicorn master)",
            lambda: cluster.reload_host("b"),
            False,
        )
        step("redis", "Redis stopped", cluster.stop_redis, False, after=cluster.start_redis)
        step(
            "postgres",
            "PostgreSQL connections terminated",
            lambda: print(f"    {_terminate_app_connections()} connections terminated"),
            True,
        )
        stop.set()
        for candidate in candidates:
            candidate.join(timeout=40)

        # One look at the database for every acknowledged answer (one Django start-up),
        # then counted per step by when the answer was acknowledged.
        keys = list(ledger.answers)
        checked = subprocess.run(
            [PY, "-c", VERIFY_SCRIPT],
            cwd=ROOT,
            env=env,
            input=json.dumps([[a, p, ledger.answers[(a, p)]] for a, p in keys]),
            capture_output=True,
            text=True,
            check=True,
        )
        stored = dict(zip(keys, json.loads(checked.stdout), strict=True))
        for s in steps:
            in_window = [k for k in keys if s.at <= ledger.answer_times[k] < s.until]
            verdicts.append(
                judge(
                    s,
                    ledger.outcomes,
                    acknowledged=len(in_window),
                    stored=sum(stored[k] for k in in_window),
                )
            )
        whole = Step("whole run", "the whole run", run_started, float("inf"), True)
        verdicts.append(
            judge(whole, ledger.outcomes, acknowledged=len(keys), stored=sum(stored.values()))
        )
    finally:
        stop.set()
        cluster.stop()
        _sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)

    (OUT / "drill.json").write_text(json.dumps([asdict(v) for v in verdicts], indent=2))
    print()
    print(markdown(verdicts))
    return 0 if all(v.passed for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
