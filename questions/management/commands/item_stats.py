"""Print the item statistics of every bank question over all finished attempts: the staff
page /staff/item-statistics/ as a table for a terminal (see questions/quality/stats.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.models import Topic
from questions.quality.stats import QuestionRow, question_rows
from questions.quizzes.item_stats import MIN_ATTEMPTS

TITLE_WIDTH = 44


def _at_least_two(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"--min-attempts takes a whole number, got {text!r}.") from None
    if value < 2:
        raise CommandError(
            f"--min-attempts must be at least 2 (a correlation needs two attempts), got {value}."
        )
    return value


def _cells(row: QuestionRow) -> list[str]:
    stats = row.stats
    title = row.question.title
    if len(title) > TITLE_WIDTH:
        title = title[: TITLE_WIDTH - 1] + "…"
    if stats is None:
        numbers = ["—", "—", "— (no finished attempt yet)"]
    else:
        sd = "—" if stats.sd_percent is None else f"{stats.sd_percent:.0f}%"
        discrimination = (
            f"— ({stats.discrimination_note})"
            if stats.discrimination is None
            else f"{stats.discrimination:+.2f}"
        )
        numbers = [f"{stats.facility_percent:.0f}%", sd, discrimination]
    return [
        row.question.ext_id,
        title,
        str(row.attempts),
        *numbers,
        str(row.open_flags),
        "; ".join(row.warnings) or "–",
    ]


HEADER = ["id", "title", "attempts", "facility", "sd", "discrimination", "flags", "warnings"]


class Command(BaseCommand):
    help = (
        "Item statistics over every finished attempt: facility, standard deviation and "
        "discrimination per question, with open flags; worst first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--min-attempts",
            type=_at_least_two,
            default=MIN_ATTEMPTS,
            metavar="N",
            help=f"list questions marked in at least N finished attempts (default {MIN_ATTEMPTS})"
            "; questions with open flags are listed anyway",
        )
        parser.add_argument("--topic", metavar="SLUG", help="only questions of this topic")
        parser.add_argument(
            "--flagged-only",
            action="store_true",
            help="only questions with a warning (facility < 10%% or > 90%%, negative "
            "discrimination) or open flags from candidates",
        )

    def handle(
        self,
        *args: Any,
        min_attempts: int = MIN_ATTEMPTS,
        topic: str | None = None,
        flagged_only: bool = False,
        **options: Any,
    ) -> None:
        chosen = None
        if topic is not None:
            chosen = Topic.objects.filter(slug=topic).first()
            if chosen is None:
                known = ", ".join(Topic.objects.values_list("slug", flat=True)) or "none loaded"
                raise CommandError(f"No topic {topic!r}. Topics: {known}.")
        rows = question_rows(min_attempts=min_attempts, topic=chosen, flagged_only=flagged_only)
        if not rows:
            self.stdout.write(
                f"No question has {min_attempts} finished attempts or an open flag"
                f"{' with these filters' if topic or flagged_only else ''} yet."
            )
            return
        table = [HEADER, *(_cells(row) for row in rows)]
        widths = [max(len(line[column]) for line in table) for column in range(len(HEADER))]
        for number, line in enumerate(table):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(line, widths, strict=True)
                ).rstrip()
            )
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        warned = sum(1 for row in rows if row.needs_attention)
        self.stdout.write(
            f"\n{len(rows)} question{'s' if len(rows) != 1 else ''}, {warned} with a warning "
            "or open flags. Facility: mean mark; sd: spread of the marks; discrimination: "
            "correlation with the mean mark on the attempt's other questions."
        )
