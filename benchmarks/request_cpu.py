"""CPU time of one request, in one process, next to the bare /healthz view.

    .venv/bin/python benchmarks/request_cpu.py --database-url postgres://…/quizsite_cpu_bench

On a busy shared machine wrk's requests per second swing by 3x between runs; the CPU time a
request costs the Django process swings far less. This prepares the data as load_test.py does
(a fresh PostgreSQL database, dropped at the end; Redis for cache and sessions when it
answers), then, in one process with `make serve`'s settings, sends each endpoint's request
--rounds times, each one right after a /healthz request, and prints the median CPU time of
each, its ratio to /healthz's and the queries it made (counted once, on the last round).
`--only TEXT` keeps the endpoints whose label holds TEXT.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_test  # the same preparation as the load test

ROOT = load_test.ROOT
PY = load_test.PY


def _measure(made: dict, rounds: int, only: str, profile: bool) -> None:
    """Runs in the child process, with the benchmark's environment."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    token_client = Client(
        HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {made['combos'][0]['token']}"
    )
    reader = Client(HTTP_HOST="127.0.0.1")
    name, value = made["reader_cookie"].split("=", 1)
    reader.cookies[name] = value
    anonymous = Client(HTTP_HOST="127.0.0.1")
    combo = made["combos"][0]
    topic_list = f"/questions/?topic={made['topic']}"

    def answer() -> object:
        return token_client.put(combo["path"], combo["body"], content_type="application/json")

    endpoints = {
        "quiz answer PUT (token)": answer,
        "glossary term, logged in": lambda: reader.get(load_test.TERM),
        "question page, logged in": lambda: reader.get(made["question_path"]),
        "topic question list, logged in": lambda: reader.get(topic_list),
        "dashboard /me/, logged in": lambda: reader.get("/me/"),
        "glossary term (anonymous)": lambda: anonymous.get(load_test.TERM),
        "question page (anonymous)": lambda: anonymous.get(made["question_path"]),
        "topic question list (anonymous)": lambda: anonymous.get(topic_list),
    }
    endpoints = {k: v for k, v in endpoints.items() if only in k}

    def healthz() -> object:
        return anonymous.get("/healthz")

    times: dict[str, list[float]] = {"/healthz": [], **{k: [] for k in endpoints}}
    for label, send in endpoints.items():
        response = send()  # warm: caches filled, connections open
        status = getattr(response, "status_code", 0)
        if status != 200:
            sys.exit(f"{label}: {status} {getattr(response, 'content', b'')[:300]!r}")
    for _ in range(rounds):
        for label, send in endpoints.items():
            start = time.process_time()
            healthz()
            times["/healthz"].append(time.process_time() - start)
            start = time.process_time()
            send()
            times[label].append(time.process_time() - start)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        for send in endpoints.values():
            profiler.enable()
            for _ in range(rounds):
                send()
            profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    queries = {}
    for label, send in endpoints.items():
        with CaptureQueriesContext(connection) as captured:
            send()
        queries[label] = len(captured)
        if profile:
            print(label, *(q["sql"][:150] for q in captured.captured_queries), sep="\n  ")
    bare = statistics.median(times["/healthz"])
    print("| request | CPU ms (median) | p90 | of /healthz | queries |")
    print("|---|---|---|---|---|")
    for label, values in times.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(
            f"| {label} | {median * 1000:.2f} | {p90 * 1000:.2f} | {bare / median:.0%} "
            f"| {queries.get(label, '')} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/quizsite_cpu_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--only", default="")
    parser.add_argument("--profile", action="store_true", help="cProfile the endpoints too")
    parser.add_argument("--inner", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        _measure(json.loads(Path(args.inner).read_text()), args.rounds, args.only, args.profile)
        return
    if args.redis_url and not load_test._redis_answers(args.redis_url):
        print(f"Redis does not answer at {args.redis_url}: cache in the database instead")
        args.redis_url = ""
    env = load_test._env(
        argparse.Namespace(
            database_url=args.database_url, redis_url=args.redis_url, port=0, workers=0
        )
    )
    env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
    load_test._ensure_database(args.database_url)
    try:
        load_test._manage(env, "migrate", "--noinput")
        load_test._manage(env, "createcachetable")
        load_test._manage(env, "load_content")
        load_test._manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        made = load_test._candidates(env, 1)
        made["question_path"] = (
            "/questions/"
            + load_test._manage(
                env,
                "shell",
                "--no-imports",
                "-c",
                "from questions.models import QuestionSet as S; "
                f"print(S.objects.get(ext_id='{load_test.SET_ID}').entries.first()"
                ".question.ext_id)",
            ).strip()
            + "/"
        )
        load_test.OUT.mkdir(exist_ok=True)
        data = load_test.OUT / "request_cpu.json"
        data.write_text(json.dumps(made))
        command = [PY, __file__, "--inner", str(data), "--rounds", str(args.rounds)]
        subprocess.run(
            [*command, "--only", args.only, *(["--profile"] if args.profile else [])],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "quizsite.settings"},
            check=True,
        )
    finally:
        load_test._ensure_database(args.database_url, create=False)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
