"""Start-up time: `python manage.py check` (imports settings, apps, URLs, every view module).

    .venv/bin/python benchmarks/startup.py [--runs 7]

Aim (issue #8): under 1.5 s on this 2-core machine. matplotlib and pydicom must not be
imported at start-up; the script fails loudly if they are.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import sys, django; from django.core.management import call_command; django.setup(); "
    "call_command('check', verbosity=0); "
    "print(','.join(m for m in ('matplotlib', 'pydicom', 'numpy') if m in sys.modules))"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quizsite.settings"}
    loaded = (
        subprocess.run(
            [sys.executable, "-c", PROBE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    if "matplotlib" in loaded or "pydicom" in loaded:
        sys.exit(f"start-up imports {loaded}: import them where they are used")
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    print(
        f"manage.py check: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s over {args.runs} runs "
        f"(heavy modules at start-up: {loaded or 'none'})"
    )


if __name__ == "__main__":
    main()
