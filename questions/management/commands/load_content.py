"""`manage.py load_content [DIR]`: validate, then sync the database in one transaction."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.catalog.sync import content_sync


class Command(BaseCommand):
    help = "Validate content files and, only if all are valid, sync them into the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", nargs="?", help="content folder (default: content/)")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(options["dir"] or settings.CONTENT_DIR)
        report = content_sync(root)
        for problem in report.problems:
            self.stderr.write(str(problem))
        if not report.ok:
            raise CommandError(
                f"{len(report.problems)} problem(s): nothing was loaded, the database is "
                "unchanged. Fix them (see `manage.py check_content`) and run again.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))
