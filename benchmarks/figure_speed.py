"""Time the worked-solution figures: first render per kind and level, and a cached fetch.

    .venv/bin/python benchmarks/figure_speed.py [--seeds N]

The first figure of a process also pays matplotlib's import, reported on its own line.
"Cached" is what the site serves after the first render: a Django cache lookup.
Aim (issue #5): under 150 ms first render, cached after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from questions.exercises import KINDS, LEVELS, generate
    from questions.live_exercises.services import figure_for

    start = time.perf_counter()
    import matplotlib  # noqa: F401 - timed on purpose

    from questions.exercises.figures import render_figure

    render_figure(generate("roc", 0, "easy"))
    print(
        f"{'matplotlib import + first figure':<34} {1000 * (time.perf_counter() - start):7.0f} ms"
    )
    print(f"{'kind':<16}{'level':<8}{'first render (median)':>24}{'max':>8}{'cached':>10}")
    for kind in KINDS:
        for level in LEVELS:
            times, cached = [], []
            for seed in range(1000, 1000 + args.seeds):
                exercise = generate(kind, seed, level)
                t = time.perf_counter()
                figure_for(exercise)
                times.append(1000 * (time.perf_counter() - t))
                t = time.perf_counter()
                figure_for(exercise)
                cached.append(1000 * (time.perf_counter() - t))
            print(
                f"{kind:<16}{level:<8}{statistics.median(times):>21.0f} ms{max(times):>6.0f} ms"
                f"{statistics.median(cached):>7.2f} ms"
            )


if __name__ == "__main__":
    main()
