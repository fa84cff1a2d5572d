"""`manage.py check_content [DIR]`: report every problem in a content tree as path:line."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.content.tree import read_tree


class Command(BaseCommand):
    help = "Validate content files and report every problem as path:line: message."
    # Needs neither the database nor the URLconf: contributors run it on a bare checkout.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", nargs="?", help="content folder (default: content/)")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(options["dir"] or settings.CONTENT_DIR)
        tree = read_tree(root)
        for problem in tree.problems:
            self.stderr.write(str(problem))
        if tree.problems:
            raise CommandError(
                f"{len(tree.problems)} problem(s) in {tree.files} files: fix them and run again.",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{tree.files} files are valid: {len(tree.glossary)} glossary terms, "
                f"{len(tree.questions)} questions, {len(tree.sets)} sets, "
                f"{len(tree.topics)} topics."
            )
        )
