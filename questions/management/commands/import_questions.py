"""`manage.py import_questions FILE --topic SLUG`: Moodle XML or GIFT to content/ Markdown."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.content.interchange import MAX_IMPORT_BYTES
from questions.content.question_files import plan_question_files, read_question_file
from questions.content.schema import DIFFICULTIES
from questions.content.tree import read_topics


class Command(BaseCommand):
    help = (
        "Turn a Moodle XML (.xml) or GIFT (.gift, .txt) file into question files under "
        "content/questions/<topic>/. Writes nothing unless every question would pass "
        "check_content; unsupported question types are listed and left out."
    )
    requires_system_checks: list[str] = []
    # The file names this command reads; import_moodle and import_gift narrow it.
    suffixes: tuple[str, ...] = (".xml", ".gift", ".txt")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the file to import")
        parser.add_argument("--topic", required=True, help="topic slug from topics.yaml")
        parser.add_argument(
            "--difficulty", default="medium", choices=DIFFICULTIES, help="for every question"
        )
        parser.add_argument(
            "--output-dir",
            help="where to write (default: <content>/questions/<topic>/; "
            "check_content expects the folder to be named after the topic)",
        )
        parser.add_argument("--content-dir", help="the content tree (default: content/)")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        root = Path(options["content_dir"] or settings.CONTENT_DIR)
        topic = options["topic"]
        if source.suffix.lower() not in self.suffixes:
            raise CommandError(f"{source}: expected a file ending in {', '.join(self.suffixes)}")
        topics = {t.slug for t in read_topics(root, [])}
        if topic not in topics:
            known = ", ".join(sorted(topics))
            raise CommandError(f"no topic '{topic}' in {root / 'topics.yaml'}: use one of {known}")
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        if source.stat().st_size > MAX_IMPORT_BYTES:
            raise CommandError(
                f"{source}: the file is {source.stat().st_size // 1024:,} KB; at most "
                f"{MAX_IMPORT_BYTES // 1024:,} KB is imported: split it"
            )
        result = read_question_file(source.name, source.read_bytes())
        folder = Path(options["output_dir"] or root / "questions" / topic)
        taken = {path.stem for path in root.glob("**/*.md")}
        planned, problems = (
            ([], [])
            if result.errors
            else plan_question_files(
                result, topic=topic, difficulty=options["difficulty"], folder=folder, taken=taken
            )
        )
        problems = result.errors + problems
        problems += [
            f"{file.path}: already exists; nothing is overwritten"
            for file in planned
            if Path(file.path).exists()
        ]
        for line in result.skipped + result.notes:
            self.stdout.write(line)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s): no file was written. Add what is missing to the "
                "source file (in GIFT, ####explanation and #feedback after each wrong answer; "
                "in Moodle, general feedback and answer feedback) and run again.",
                returncode=1,
            )
        folder.mkdir(parents=True, exist_ok=True)
        for file in planned:
            Path(file.path).write_text(file.text, encoding="utf-8")
            self.stdout.write(f"wrote {file.path}")
        skipped = f", {len(result.skipped)} skipped (listed above)" if result.skipped else ""
        self.stdout.write(
            self.style.SUCCESS(f"{len(planned)} question file(s) written to {folder}{skipped}.")
        )
