"""A question set as a file: the `content/sets/` Markdown format and its JSON twin.

Pure Python: no Django. Both formats read through `schema.read_set`, so an exported set is
a valid content file (a pull request away from being curated) and errors name file and line.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from .documents import Problem, parse_document, parse_json_document
from .schema import SetEntrySpec, SetItem, read_set

JSON_FORMAT = "imagingprep-set"
JSON_VERSION = 1


def entry_value(entry: SetEntrySpec) -> str | dict[str, Any]:
    """An entry as it is written in a set file."""
    if entry.question:
        return entry.question
    if entry.exercise:
        value: dict[str, Any] = {"exercise": entry.exercise, "level": entry.level}
        if entry.seed is not None:
            value["seed"] = entry.seed
        return value
    value = {"random": entry.random, "topic": entry.topic}
    if entry.difficulty:
        value["difficulty"] = entry.difficulty
    return value


def _fields(item: SetItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "time_limit": item.time_limit,
        "show_answers": item.show_answers,
        "questions": [entry_value(entry) for entry in item.entries],
    }


def to_markdown(item: SetItem) -> str:
    front = yaml.safe_dump(
        _fields(item), sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000
    )
    return f"---\n{front}---\n{item.description.strip()}\n"


def to_json(item: SetItem) -> str:
    data = {"format": JSON_FORMAT, "version": JSON_VERSION, **_fields(item)}
    data["description"] = item.description.strip()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def read_set_file(name: str, raw: bytes) -> tuple[SetItem | None, list[Problem]]:
    """Parse an uploaded set file, Markdown or JSON by its name; every problem with a line."""
    if name.lower().endswith(".json"):
        doc = parse_json_document(name, raw, body_key="description")
        fmt, version = doc.data.pop("format", None), doc.data.pop("version", None)
        if doc.data and (fmt, version) != (JSON_FORMAT, JSON_VERSION):
            doc.problems.append(
                Problem(
                    name,
                    doc.line_of("format"),
                    f'expected "format": "{JSON_FORMAT}" and "version": {JSON_VERSION}, '
                    "as in a file exported from this site",
                )
            )
    elif name.lower().endswith((".md", ".markdown")):
        doc = parse_document(name, raw)
    else:
        return None, [Problem(name, 1, "upload a .md or .json file exported from a question set")]
    item = read_set(doc)
    return (item if not doc.problems else None), sorted(doc.problems)
