"""Write an Anki deck (.apkg) of the glossary, a topic or a set, as the site's downloads do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.catalog import export
from questions.content.anki import DeckFile, left_out_sentence
from questions.interviews.sets import set_anki
from questions.models import InterviewSet, QuestionSet
from questions.numbers import plain_int


class Command(BaseCommand):
    help = (
        "Write an Anki deck: 'glossary', 'topic SLUG', or 'set SLUG' (a curated set's id in "
        "content/sets/, or an interviewer's set by its number in /sets/<number>/)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["glossary", "topic", "set"])
        parser.add_argument("slug", nargs="?", default="", metavar="SLUG")
        parser.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="where to write it (default: the deck's file name)",
        )

    def handle(
        self, *args: Any, kind: str, slug: str, output: str | None = None, **options: Any
    ) -> None:
        if kind == "glossary" and slug:
            raise CommandError(
                "The glossary deck takes no SLUG: export_anki glossary --output FILE"
            )
        if kind != "glossary" and not slug:
            raise CommandError(f"Name the {kind}: export_anki {kind} SLUG --output FILE")
        deck = self._build(kind, slug)
        path = Path(output or deck.filename)
        try:
            path.write_bytes(deck.data)
        except OSError as error:
            raise CommandError(
                f"Cannot write {path}: {error.strerror}. Nothing was written."
            ) from None
        self.stdout.write(
            f"Wrote {path}: deck “{deck.name}”, {deck.notes} note{'s' * (deck.notes != 1)}, "
            f"{deck.cards} card{'s' * (deck.cards != 1)}, {len(deck.data) / 1000:.0f} kB."
        )
        if left_out := left_out_sentence(deck.left_out):
            self.stdout.write(left_out)

    def _build(self, kind: str, slug: str) -> DeckFile:
        try:
            if kind == "glossary":
                return export.glossary_anki()
            if kind == "topic":
                return export.topic_anki(slug)
            number = plain_int(slug)
            if number is not None and not QuestionSet.objects.filter(ext_id=slug).exists():
                interview_set = InterviewSet.objects.filter(pk=number).first()
                if interview_set is None:
                    raise CommandError(f"There is no interviewer's set number {slug}.")
                return set_anki(interview_set)
            return export.curated_set_anki(slug)
        except export.DeckNotFound as error:
            raise CommandError(str(error)) from None
