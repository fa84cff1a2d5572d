"""Time generating and checking live exercises, per kind.

    .venv/bin/python benchmarks/exercises_speed.py [--count N]

For every kind, generates N exercises (seeds 0..N-1, levels in turn), checks a set of
typed answers against each (the expected values as text, rounded as the page asks), and
prints the mean time per exercise. Aim: under 5 ms per exercise on 2 cores, so a page can
build one inside a request.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questions.exercises import KINDS, LEVELS, Exercise, check  # noqa: E402

AIM_MS = 5.0


def typed_answers(exercise: Exercise) -> dict[str, str]:
    answers = {}
    for spec in exercise.fields:
        if spec.kind == "text":
            answers[spec.name] = exercise.expected_text[spec.name]
            continue
        value = exercise.expected[spec.name]
        if value is None:
            answers[spec.name] = ""
        elif spec.kind == "yesno":
            answers[spec.name] = "yes" if value else "no"
        else:
            answers[spec.name] = f"{value:.{spec.decimals}f}"
    return answers


def time_kind(name: str, count: int) -> tuple[float, float, int]:
    """(ms to generate, ms to check, answers marked wrong) per exercise."""
    generate = KINDS[name].generate
    generating = checking = 0.0
    wrong = 0
    for seed in range(count):
        start = time.perf_counter()
        exercise = generate(seed, LEVELS[seed % len(LEVELS)])
        middle = time.perf_counter()
        results = check(exercise, typed_answers(exercise))
        end = time.perf_counter()
        generating += middle - start
        checking += end - middle
        wrong += sum(not r.correct for r in results.values())
    return generating * 1000 / count, checking * 1000 / count, wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="exercises per kind")
    args = parser.parse_args(argv)

    print(f"{'kind':<16}{'generate ms':>12}{'check ms':>10}{'total ms':>10}  verdict")
    slowest = 0.0
    failures = 0
    for name in KINDS:
        gen_ms, check_ms, wrong = time_kind(name, args.count)
        total = gen_ms + check_ms
        slowest = max(slowest, total)
        failures += wrong
        verdict = "ok" if total < AIM_MS else f"over the {AIM_MS:g} ms aim"
        if wrong:
            verdict += f", {wrong} expected answers marked wrong"
        print(f"{name:<16}{gen_ms:>12.3f}{check_ms:>10.3f}{total:>10.3f}  {verdict}")
    print(f"{args.count} exercises per kind; slowest kind {slowest:.3f} ms per exercise")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
