"""Imported questions as content/ files: pick the reader by the file's name, then turn each
question into the Markdown a contributor would write, checked by the same rules as
`check_content`. Pure Python: no Django, no writes (the command writes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from .documents import parse_document
from .gift import read_gift
from .interchange import ImportResult, RandomDraw, question_id, to_question_file
from .moodle_reader import read_moodle_xml
from .schema import read_question

READERS: dict[str, Callable[[str, bytes], ImportResult]] = {
    ".xml": read_moodle_xml,
    ".gift": read_gift,
    ".txt": read_gift,
}
ACCEPTED_SUFFIXES = ", ".join(READERS)


def read_question_file(name: str, raw: bytes) -> ImportResult:
    """Moodle XML (.xml) or GIFT (.gift, .txt), by the file's name."""
    reader = READERS.get(PurePath(name).suffix.lower())
    if reader is None:
        result = ImportResult(name=name)
        result.errors.append(
            f"{name}: import a Moodle XML file (.xml) or a GIFT file (.gift or .txt)"
        )
        return result
    return reader(name, raw)


@dataclass(frozen=True)
class PlannedFile:
    path: PurePath
    id: str
    text: str


def plan_question_files(
    result: ImportResult, *, topic: str, difficulty: str, folder: PurePath, taken: set[str]
) -> tuple[list[PlannedFile], list[str]]:
    """The files to write, and every reason one of them would fail `check_content` (then
    none is written). `taken` holds the ids already in content/; it grows with the new ones."""
    planned: list[PlannedFile] = []
    problems: list[str] = []
    for item in result.items:
        if isinstance(item, RandomDraw):
            result.skipped.append(
                f"{item.where}: {item.count} random question(s) from topic '{item.topic}' are a "
                "set's entry, not a question file; skipped (upload the file into a set to keep "
                "the draw)"
            )
            continue
        new_id = question_id(topic, item.title, item.idnumber, taken)
        taken.add(new_id)
        path = folder / f"{new_id}.md"
        text = to_question_file(item, id=new_id, difficulty=difficulty)
        doc = parse_document(str(path), text.encode())
        read_question(doc, topic)
        for problem in doc.problems:
            problems.append(f"{item.where}: {problem.message} ({path.name}, line {problem.line})")
        planned.append(PlannedFile(path, new_id, text))
    return planned, problems
