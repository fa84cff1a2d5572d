"""Time `attempt_finish` alone: grading, progress events and review cards of a 14-item set.

    .venv/bin/python benchmarks/finish_speed.py [--attempts 200] [--profile]
    .venv/bin/python benchmarks/finish_speed.py \
        --database-url postgres://postgres@127.0.0.1:5432/quizsite_finish_bench

Builds its own database (a temporary SQLite file, or the PostgreSQL database named in
--database-url, created fresh and dropped at the end; its name must contain "bench", so the
shared `test` database is never touched), loads the content, and has candidates take the
"Class imbalance and metrics" set (13 questions and a class-weights exercise) twice each, so
half the finishes find review cards from the first try. Every item is answered, some right
and some wrong, before the clock starts; then each `attempt_finish` is timed on its own:
CPU time of this process (time.process_time: the database server's work is not in it, on
PostgreSQL) and wall time, median and p95, and the queries it ran.

--profile prints cProfile's top functions over all finishes. --dump FILE writes what the
finishes produced (scores, progress events, review cards and their due dates), with the
clock frozen, so two versions of the code can be compared byte for byte.
Aim: finish ≤ 25 ms of CPU (median) for this set.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SET_ID = "class-imbalance-and-metrics"
AIM_MS = 25.0
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _postgres(url: str, *, create: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if "bench" not in name:
        sys.exit(f"refusing database {name!r}: its name must contain 'bench' (it is dropped)")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def _answer(item: Any, n: int) -> Any:
    """A plausible answer; every third one deliberately off, so cards get made."""
    wrong = n % 3 == 0
    qtype = item.type
    if qtype == "exercise":
        return {field.name: "0.5" for field in item.exercise.fields}
    if qtype == "single":
        index = 0 if wrong else int(item.key.get("correct", 0))
        return item.choice_id(index)
    if qtype == "multiple":
        picked = [0] if wrong else list(item.key.get("correct", [0]))
        return [item.choice_id(index) for index in picked]
    if qtype == "truefalse":
        return not item.key.get("correct", True) if wrong else item.key.get("correct", True)
    if qtype == "numeric":
        return 1 if wrong else item.key.get("value", 1)
    if qtype == "short":
        accepted = item.key.get("accept") or ["dice"]
        return "nonsense" if wrong else accepted[0]
    return "Weight the loss by inverse class frequency."


def _prepare(candidates: int) -> list[Any]:
    """Candidates' answered, unfinished attempts, in the order they are finished."""
    from django.contrib.auth.models import User

    from questions.models import QuestionSet
    from questions.owners import Owner
    from questions.quizzes.services import attempt_answer, attempt_start

    question_set = QuestionSet.objects.get(ext_id=SET_ID)
    rng = random.Random(7)
    rounds: list[list[Any]] = [[], []]
    for n in range(candidates):
        user = User.objects.create_user(f"finish{n}", password=None)
        for round_ in range(2):
            now = START + timedelta(days=round_ * 3, minutes=n)
            attempt = attempt_start(
                owner=Owner(user=user, anon_token=""),
                kind="set",
                question_set=question_set,
                rng=rng,
                now=now,
            )
            for item in attempt.items.select_related("question").order_by("position"):
                attempt_answer(
                    attempt=attempt,
                    position=item.position,
                    response=_answer(item, item.position + n + round_),
                    now=now + timedelta(seconds=40 * item.position),
                )
            rounds[round_].append((attempt, now + timedelta(minutes=15)))
    return rounds[0] + rounds[1]


def _dump(path: Path) -> None:
    from questions.models import Attempt, AttemptItem, ProgressEvent, ReviewCard

    def user(row: Any) -> str:
        return row.user.username

    data = {
        "attempts": sorted(
            (user(a), str(a.started_at), a.score, a.max_score, a.ended_by, str(a.finished_at))
            for a in Attempt.objects.select_related("user")
        ),
        "items": sorted(
            (user(i.attempt), str(i.attempt.started_at), i.position, i.score, i.correct)
            for i in AttemptItem.objects.select_related("attempt__user")
        ),
        "events": sorted(
            (
                user(e),
                e.source,
                e.question.ext_id if e.question else "",
                e.exercise_kind,
                e.topic.slug if e.topic else "",
                e.correct,
                e.score,
                e.time_spent_seconds,
                str(e.created_at),
            )
            for e in ProgressEvent.objects.select_related("user", "question", "topic")
        ),
        "cards": sorted(
            (
                user(c),
                c.question.ext_id if c.question else "",
                json.dumps(c.card, sort_keys=True),
                str(c.due),
                c.reviews,
                c.last_rating,
                str(c.created_at),
            )
            for c in ReviewCard.objects.select_related("user", "question")
        ),
    }
    path.write_text(json.dumps(data, indent=1, default=str))
    print(f"wrote {path}: {sum(len(v) for v in data.values())} rows")


def _run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from questions.quizzes.services import attempt_finish

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_content", verbosity=0)
    freeze: Any = None
    if args.dump:
        import time_machine

        freeze = time_machine.travel(START + timedelta(days=10), tick=False)
        freeze.start()
    attempts = _prepare(max(1, args.attempts // 2))
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall, queries = [], [], []
    for attempt, now in attempts:
        connection.queries_log.clear()  # its 9,000-query limit would spoil the count
        with CaptureQueriesContext(connection) as captured:
            if profiler:
                profiler.enable()
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            attempt_finish(attempt=attempt, now=now)
            cpu.append(time.process_time() - cpu_start)
            wall.append(time.perf_counter() - wall_start)
            if profiler:
                profiler.disable()
        queries.append(len(captured.captured_queries))
    if freeze:
        freeze.stop()
        _dump(Path(args.dump))

    def ms(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    vendor = connection.vendor
    median = round(1000 * statistics.median(cpu), 2)
    print(f"attempt_finish on {vendor}, {len(attempts)} attempts of {SET_ID!r} (14 items):")
    print(f"  CPU  median {median} ms, p95 {ms(cpu, 0.95)} ms (aim ≤ {AIM_MS:g} ms)")
    print(f"  wall median {ms(wall, 0.5)} ms, p95 {ms(wall, 0.95)} ms")
    print(f"  queries: {min(queries)}–{max(queries)} per finish")
    if profiler:
        stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
        stats.print_stats(args.profile)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument(
        "--profile", type=int, nargs="?", const=30, default=0, help="print top N functions"
    )
    parser.add_argument("--dump", default="", help="write the finishes' results to this file")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
    # The benchmark's own store for cache and sessions: never the machine's shared Redis.
    os.environ.pop("REDIS_URL", None)
    postgres = args.database_url.startswith("postgres")
    with tempfile.TemporaryDirectory() as folder:
        if postgres:
            _postgres(args.database_url, create=True)
            os.environ["DATABASE_URL"] = args.database_url
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/finish.sqlite3"
        try:
            _run(args)
        finally:
            if postgres:
                from django.db import connections

                connections.close_all()
                _postgres(args.database_url, create=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
