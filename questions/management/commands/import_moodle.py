"""`manage.py import_moodle FILE --topic SLUG`: import_questions for Moodle XML only."""

from .import_questions import Command as ImportQuestions


class Command(ImportQuestions):
    help = "Turn a Moodle XML file into question files (see import_questions)."
    suffixes = (".xml",)
