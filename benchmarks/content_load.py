"""Time check_content and load_content on a generated tree of 10,000 valid questions.

    .venv/bin/python benchmarks/content_load.py [--questions N]

Runs against a throw-away SQLite database (or DATABASE_URL if set) and prints one line per
step. Aims (issue #2): first load under 10 s, unchanged re-load under 2 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOPICS = ["metrics", "dicom", "segmentation", "privacy", "validation"]
TYPES = ["single", "multiple", "truefalse", "numeric", "short", "open"]


def question(n: int, topic: str) -> str:
    qtype = TYPES[n % len(TYPES)]
    head = [
        "---",
        f"id: {topic}-generated-{n}",
        f"title: Generated question {n}",
        f"type: {qtype}",
        f"difficulty: {['easy', 'medium', 'hard'][n % 3]}",
        f"tags: [generated, t{n % 50}]",
        f"related: [term-{n % 200}, term-{(n + 7) % 200}]",
    ]
    if qtype in ("single", "multiple"):
        head.append("choices:")
        for c in range(4):
            right = c == 0 or (qtype == "multiple" and c == 1)
            head += [
                f"  - text: Option {c} with *emphasis* and $x_{c}$",
                f"    correct: {'true' if right else 'false'}",
                f"    feedback: Because option {c} {'is' if right else 'is not'} the key.",
            ]
    elif qtype == "truefalse":
        head.append("answer: true")
    elif qtype == "numeric":
        head += [f"answer: {n / 7:.3f}", "tolerance: 0.005"]
    elif qtype == "short":
        head.append("accepted: [Hounsfield unit, HU]")
    head.append("---")
    body = [
        "## Question",
        "",
        f"Question {n}: given $TP = {n % 90}$ and $FP = {n % 13}$, compute **precision**.",
        "A second paragraph with a [link](https://example.org) and `code`.",
        "",
    ]
    if qtype == "open":
        body += ["## Model answer", "", "A model answer with a list:", "", "- one", "- two", ""]
        body += ["## Rubric", "", "- first point", "- second point", ""]
    else:
        body += ["## Explanation", "", "$$\\frac{TP}{TP + FP}$$", "", "Worked example.", ""]
    body += ["## Interviewer notes", "", "Ask a follow-up.", ""]
    return "\n".join(head + body)


def generate(root: Path, count: int) -> None:
    (root / "glossary").mkdir(parents=True)
    (root / "topics.yaml").write_text(
        "".join(f"- slug: {t}\n  title: {t.title()}\n  description: d\n" for t in TOPICS)
    )
    for n in range(200):
        (root / "glossary" / f"term-{n}.md").write_text(
            f"---\nid: term-{n}\nterm: Term {n}\naliases: [T{n}]\ntopic: {TOPICS[n % 5]}\n"
            f"definition: Definition of term {n}.\nsee_also: [term-{(n + 1) % 200}]\n---\n"
            f"Body of term {n} with $a^2 + b^2$.\n"
        )
    for topic in TOPICS:
        (root / "questions" / topic).mkdir(parents=True)
    for n in range(count):
        topic = TOPICS[n % len(TOPICS)]
        (root / "questions" / topic / f"{topic}-generated-{n}.md").write_text(question(n, topic))


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:<34} {time.perf_counter() - start:6.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'bench.sqlite3'}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from questions.catalog.sync import content_sync
        from questions.content.tree import read_tree

        call_command("migrate", verbosity=0)
        content = tmp_path / "content"
        timed(f"generate {args.questions} questions", lambda: generate(content, args.questions))
        tree = timed("check_content", lambda: read_tree(content))
        assert tree.ok, tree.problems[:5]
        report = timed("load_content (first load)", lambda: content_sync(content))
        assert report.ok and report.questions.added == args.questions, report.summary()
        report = timed("load_content (unchanged re-load)", lambda: content_sync(content))
        assert not report.changed, report.summary()
        path = next((content / "questions" / "metrics").iterdir())
        path.write_text(path.read_text().replace("Worked example.", "Edited."))
        report = timed("load_content (one file changed)", lambda: content_sync(content))
        assert report.questions.updated == 1, report.summary()


if __name__ == "__main__":
    main()
