"""`manage.py import_gift FILE --topic SLUG`: import_questions for GIFT only."""

from .import_questions import Command as ImportQuestions


class Command(ImportQuestions):
    help = "Turn a GIFT file into question files (see import_questions)."
    suffixes = (".gift", ".txt")
