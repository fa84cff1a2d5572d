"""Load test of `make serve`'s setup on PostgreSQL, on loopback.

    make bench-load            # or: .venv/bin/python benchmarks/load_test.py [--users 100]

Steps, all against one gunicorn (the `make serve` configuration: DEBUG off, WhiteNoise,
sync workers, sessions/cache in Redis when it answers, else in the database):

1. Throughput ceilings with wrk (--seconds each, the same connections and threads): the bare
   /healthz view (the framework's own ceiling here), a glossary term page, a question page,
   a topic's question list, the same three and the dashboard logged in (a reader with a
   little history, its session cookie sent by wrk), and the quiz-answer endpoint
   (PUT /api/attempts/{id}/answers/{n}/, a write in a transaction, 100 candidates' running
   attempts in turn). Ratios are against /healthz.
2. 100 simulated candidates (locust, headless) for --duration seconds, arriving 10 a second:
   each reads a term and a question, starts the "Class imbalance and metrics" set, answers
   every question, finishes, reads the review, then opens a classification exercise and
   checks answers, waiting 1-3 s between requests. Throughput and p50/p95/p99 per endpoint,
   and the error count.
3. Memory of each gunicorn worker after the load (RSS, and PSS: shared pages split).

Needs wrk (apt-get install wrk) and locust (pip install -r requirements-bench.txt; it may
live in a venv of its own: --locust /path/to/bin/locust). `--skip-journeys` runs step 1 only
(no locust needed); `--only TEXT` only the ceilings whose label holds TEXT, next to /healthz.
The database (--database-url; give it a name of your own on a shared server) is created
fresh and dropped at the end. Writes benchmarks/out/load.json and prints Markdown tables.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
SET_ID = "class-imbalance-and-metrics"
TERM = "/glossary/hounsfield-unit/"


def _env(args: argparse.Namespace) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "DATABASE_URL": args.database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_ACCESS_LOG": "",
        # The throttles stay on (their cache lookups are part of every API request) but
        # high enough that 100 candidates on one loopback address are not refused.
        "API_THROTTLE_ANON": "1000000/minute",
        "API_THROTTLE_USER": "1000000/minute",
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    return env


def _manage(env: dict[str, str], *command: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _ensure_database(url: str, *, create: bool = True) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone():
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def _redis_answers(url: str) -> bool:
    match = re.match(r"redis://([^:/]+):(\d+)", url)
    if not match:
        return False
    try:
        with socket.create_connection((match[1], int(match[2])), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


CANDIDATES_SCRIPT = """
import json, sys
import django
django.setup()
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from questions.owners import Owner
from questions.quizzes.services import attempt_start
from questions.models import QuestionSet
users = int(sys.argv[1])
question_set = QuestionSet.objects.get(ext_id=sys.argv[2])
combos, tokens = [], []
for n in range(users):
    user = User.objects.create_user(f"bench{n}", password=None)
    token = Token.objects.create(user=user).key
    tokens.append(token)
    attempt = attempt_start(owner=Owner(user=user, anon_token=""), kind="set",
                            question_set=question_set)
    item = attempt.items.filter(question__type="single").order_by("position").first()
    # A single-choice answer is a choice's opaque id, as the API lists it.
    combos.append({"token": token, "path": f"/api/attempts/{attempt.pk}/answers/{item.position}/",
                   "body": json.dumps({"answer": item.choice_id(0)})})
# A logged-in reader with some history (so the list shows standings and the dashboard has
# numbers), and the session cookie wrk sends for them.
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from importlib import import_module
from questions.models import Question
from questions.progress.services import question_answered
reader = User.objects.create_user("bench-reader", password=None)
owner = Owner(user=reader, anon_token="")
for n, question in enumerate(question_set.entries.select_related("question")[:6]):
    question_answered(owner=owner, question=question.question, source="practice",
                      correct=n % 2 == 0, score=float(n % 2 == 0), seconds=30)
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(reader.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
session.create()
cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
topic = question_set.entries.first().question.topic.slug
print(json.dumps({"combos": combos, "tokens": tokens, "reader_cookie": cookie, "topic": topic}))
"""


def _candidates(env: dict[str, str], users: int) -> dict:
    result = subprocess.run(
        [PY, "-c", CANDIDATES_SCRIPT, str(users * 2), SET_ID],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "quizsite.settings"},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"creating candidates failed:\n{result.stderr}")
    return json.loads(result.stdout)


def _start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "-c", "quizsite/gunicorn_conf.py", "quizsite.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit(f"gunicorn did not answer on port {port}; see {OUT / 'gunicorn.log'}")


WRK_ANSWER = """
local combos = {%s}
local i = 0
request = function()
  i = (i %% #combos) + 1
  local c = combos[i]
  return wrk.format("PUT", c[2], {["Authorization"] = "Token " .. c[1],
    ["Content-Type"] = "application/json"}, c[3])
end
"""
WRK_REPORT = """
done = function(summary, latency, requests)
  io.stderr:write(string.format("RESULT %d %d %d %d %d %d %d %d\\n", summary.requests,
    summary.duration, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.errors.status, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _wrk(url: str, seconds: int, connections: int, script: str = "") -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + WRK_REPORT)
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", lua.name, "--latency", url],
        capture_output=True,
        text=True,
    )
    os.unlink(lua.name)
    lines = [x for x in result.stderr.splitlines() if x.startswith("RESULT")]
    if not lines:
        sys.exit(f"wrk {url} printed no result:\n{result.stdout}{result.stderr}")
    line = lines[0]
    requests, micros, socket_errors, status_errors, p50, p95, p99, worst = map(
        int, line.split()[1:]
    )
    return {
        "requests_per_second": round(requests / (micros / 1e6), 1),
        "errors": socket_errors + status_errors,
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "p99_ms": p99 / 1000,
        "max_ms": worst / 1000,
    }


WRK_COOKIE = """
wrk.headers["Cookie"] = "%s"
"""


def _ceilings(base: str, args, made: dict) -> dict:
    combos = made["combos"][: args.users]
    answer = WRK_ANSWER % ", ".join(
        f"{{{json.dumps(c['token'])}, {json.dumps(c['path'])}, {json.dumps(c['body'])}}}"
        for c in combos
    )
    reader = WRK_COOKIE % made["reader_cookie"]
    topic_list = f"/questions/?topic={made['topic']}"
    runs = {
        "bare view /healthz": (f"{base}/healthz", ""),
        f"glossary term {TERM}": (f"{base}{TERM}", ""),
        "question page": (f"{base}{args.question_path}", ""),
        "topic question list": (f"{base}{topic_list}", ""),
        "glossary term, logged in": (f"{base}{TERM}", reader),
        "question page, logged in": (f"{base}{args.question_path}", reader),
        "topic question list, logged in": (f"{base}{topic_list}", reader),
        "dashboard /me/, logged in": (f"{base}/me/", reader),
        "quiz answer PUT (write)": (base, answer),
    }
    if args.only:
        runs = {k: v for k, v in runs.items() if k == "bare view /healthz" or args.only in k}
    results = {}
    for label, (url, script) in runs.items():
        results[label] = _wrk(url, args.seconds, args.connections, script)
        print(f"  wrk {label}: {results[label]['requests_per_second']} req/s", flush=True)
    bare = results["bare view /healthz"]["requests_per_second"]
    for result in results.values():
        result["ratio_to_bare"] = round(result["requests_per_second"] / bare, 3)
    return results


def _locust(base: str, args, tokens: list[str]) -> dict:
    if not shutil.which(args.locust):
        sys.exit(
            f"locust is not installed at {args.locust}: pip install -r requirements-bench.txt "
            "(into a venv of its own if you like, then pass --locust), or --skip-journeys"
        )
    prefix = OUT / "locust"
    env = {
        **os.environ,
        "BENCH_TOKENS": ",".join(tokens),
        "BENCH_TERM": TERM,
        "BENCH_QUESTION": args.question_path,
        "BENCH_SET": SET_ID,
    }
    subprocess.run(
        [
            args.locust,
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            f"{args.duration}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    rows = {}
    with open(f"{prefix}_stats.csv") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "requests_per_second": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
            }
    return rows


def _memory(server: subprocess.Popen) -> list[dict]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    workers = []
    for pid in children:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        kb = {m[1]: int(m[2]) for m in re.finditer(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
        workers.append(
            {
                "pid": int(pid),
                "rss_mb": round(kb["Rss"] / 1024, 1),
                "pss_mb": round(kb["Pss"] / 1024, 1),
            }
        )
    return workers


def _table(title: str, rows: dict, columns: list[str]) -> str:
    lines = [
        f"\n{title}\n",
        "| endpoint | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, row in rows.items():
        lines.append(f"| {name} | " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/quizsite_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--workers", type=int, default=0, help="default: gunicorn_conf's")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--spawn-rate", type=int, default=10, help="candidates arriving per s")
    parser.add_argument("--seconds", type=int, default=15, help="each wrk run")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument(
        "--skip-journeys",
        action="store_true",
        help="only the wrk ceilings (no locust run, no memory figures)",
    )
    parser.add_argument(
        "--only", default="", help="only the ceilings whose label holds this text (and /healthz)"
    )
    parser.add_argument(
        "--locust", default=str(Path(PY).parent / "locust"), help="default: this venv's"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    OUT.mkdir(exist_ok=True)
    if args.redis_url and not _redis_answers(args.redis_url):
        print(f"Redis does not answer at {args.redis_url}: cache in the database instead")
        args.redis_url = ""
    env = _env(args)
    print("Preparing a fresh PostgreSQL database …", flush=True)
    _ensure_database(args.database_url)
    _manage(env, "migrate", "--noinput")
    _manage(env, "createcachetable")
    _manage(env, "load_content")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    made = _candidates(env, args.users)
    locust_tokens = made["tokens"][args.users :]
    args.question_path = (
        "/questions/"
        + _manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from questions.models import QuestionSet as S; "
            f"print(S.objects.get(ext_id='{SET_ID}').entries.first().question.ext_id)",
        ).strip()
        + "/"
    )
    server = _start_server(env, args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        workers = len(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split())
        print(f"gunicorn: {workers} workers; wrk {args.seconds} s per endpoint …", flush=True)
        ceilings = _ceilings(base, args, made)
        journeys: dict = {}
        memory: list[dict] = []
        if not args.skip_journeys:
            print(f"locust: {args.users} candidates for {args.duration} s …", flush=True)
            journeys = _locust(base, args, locust_tokens)
            memory = _memory(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        _ensure_database(args.database_url, create=False)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "workers": workers,
            "cache": "redis" if args.redis_url else "database",
        },
        "ceilings": ceilings,
        "journeys": journeys,
        "memory": memory,
    }
    (OUT / "load.json").write_text(json.dumps(report, indent=2))
    print(
        _table(
            "Ceilings (wrk, one endpoint at a time)",
            ceilings,
            ["requests_per_second", "ratio_to_bare", "p50_ms", "p95_ms", "p99_ms", "errors"],
        )
    )
    if args.skip_journeys:
        return
    print(
        _table(
            f"{args.users} candidates (locust, {args.duration} s)",
            journeys,
            ["requests", "failures", "requests_per_second", "p50_ms", "p95_ms", "p99_ms"],
        )
    )
    rss = [w["rss_mb"] for w in memory]
    pss = [w["pss_mb"] for w in memory]
    print(
        f"\nWorkers after the load: RSS {min(rss)}–{max(rss)} MB "
        f"(PSS {min(pss)}–{max(pss)} MB, median {statistics.median(pss)})"
    )


if __name__ == "__main__":
    main()
