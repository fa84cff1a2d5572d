"""Split a content file into YAML front matter and Markdown sections, keeping line numbers.

Pure Python: no Django. Every problem is reported as a `Problem` with the file's line, so a
contributor can jump straight to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # The C loader is ten times faster; 10,000 files depend on it.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A file's front matter as plain data, where each value sits, and its Markdown body."""

    path: str
    data: dict[str, Any]
    lines: dict[Path_, int]
    body: str
    body_line: int  # the file line on which the body starts
    problems: list[Problem] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        """The front matter could not be read at all: field checks would only add noise."""
        return bool(self.problems) and not self.data

    def line_of(self, *keys: str | int) -> int:
        """The line of the deepest known key on the path, or of the front matter's start."""
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return 1


@dataclass(frozen=True)
class Section:
    title: str
    text: str
    line: int


# Lists in lists in lists, thousands deep, exhaust the parser's recursion; no real file does.
TOO_DEEP = "the data is nested too deeply (lists or mappings inside each other): flatten it"


def decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(
                path,
                line,
                f"the file is not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}): "
                "save it as UTF-8",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse_document(path: str, raw: bytes) -> Document:
    """Read front matter between the first two `---` lines; the rest is the body."""
    text, problems = decode(path, raw)
    if text is None:
        return Document(path, {}, {}, "", 1, problems)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return Document(
            path,
            {},
            {},
            text,
            1,
            [Problem(path, 1, "the file must start with a '---' line that opens the front matter")],
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return Document(
            path,
            {},
            {},
            "",
            1,
            [Problem(path, 1, "the front matter is never closed: add a '---' line after it")],
        )
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    doc = Document(path, {}, {}, body, end + 2)
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except RecursionError:
        doc.problems.append(Problem(path, 2, TOO_DEEP))
        return doc
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 2
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        doc.problems.append(Problem(path, line, f"the front matter is not valid YAML: {reason}"))
        return doc
    if node is None:
        doc.problems.append(Problem(path, 1, "the front matter is empty"))
        return doc
    if not isinstance(node, yaml.MappingNode):
        doc.problems.append(
            Problem(path, node.start_mark.line + 2, "the front matter must be a mapping of fields")
        )
        return doc
    try:
        doc.data = _construct(node, (), doc, offset=2)
    except RecursionError:
        doc.data, doc.problems = {}, [*doc.problems, Problem(path, 2, TOO_DEEP)]
    return doc


def _construct(node: yaml.Node, where: Path_, doc: Document, offset: int) -> Any:
    """Turn a YAML node into Python data, noting the line of every key and list item."""
    doc.lines[where] = node.start_mark.line + offset
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                doc.problems.append(
                    Problem(doc.path, key_node.start_mark.line + offset, "a key must be plain text")
                )
                continue
            key = key_node.value
            if key in result:
                doc.problems.append(
                    Problem(
                        doc.path,
                        key_node.start_mark.line + offset,
                        f"'{key}' is given twice: keep one",
                    )
                )
            result[key] = _construct(value_node, (*where, key), doc, offset)
            doc.lines[(*where, key)] = key_node.start_mark.line + offset
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(item, (*where, index), doc, offset) for index, item in enumerate(node.value)
        ]
    if node.tag == _STR_TAG:  # most values: skip the constructor
        return node.value
    try:
        return _SCALARS.construct_object(node, deep=True)
    except yaml.YAMLError as error:
        doc.problems.append(
            Problem(doc.path, node.start_mark.line + offset, f"cannot read this value: {error}")
        )
        return None
    finally:
        _SCALARS.constructed_objects.clear()


# One constructor for every scalar: building a loader per value cost more than the parse.
_SCALARS = yaml.constructor.SafeConstructor()
_STR_TAG = "tag:yaml.org,2002:str"

_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^(```|~~~)")


def split_sections(doc: Document) -> tuple[str, list[Section]]:
    """Split the body at level-two headings (outside code fences).

    Returns the text before the first heading and the sections in order.
    """
    preamble: list[str] = []
    sections: list[Section] = []
    title: str | None = None
    start = doc.body_line
    current: list[str] = []
    in_fence = False
    for offset, line in enumerate(doc.body.split("\n")):
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            if title is None:
                preamble = current
            else:
                sections.append(Section(title, "\n".join(current).strip(), start))
            title, start, current = heading.group(1).strip(), doc.body_line + offset, []
        else:
            current.append(line)
    if title is None:
        preamble = current
    else:
        sections.append(Section(title, "\n".join(current).strip(), start))
    return "\n".join(preamble).strip(), sections


def parse_json_document(path: str, raw: bytes, body_key: str) -> Document:
    """A JSON object as a Document, with line numbers, its `body_key` string as the body.

    JSON is read by the same line-keeping YAML composer (JSON is YAML's flow syntax), after
    `json` itself has accepted it, so errors name the same lines as the Markdown format's.
    """
    import json

    text, problems = decode(path, raw)
    if text is None:
        return Document(path, {}, {}, "", 1, problems)
    try:
        data = json.loads(text)
    except RecursionError:
        return Document(path, {}, {}, "", 1, [Problem(path, 1, TOO_DEEP)])
    except json.JSONDecodeError as error:
        return Document(
            path,
            {},
            {},
            "",
            1,
            [Problem(path, error.lineno, f"not valid JSON: {error.msg} (column {error.colno})")],
        )
    if not isinstance(data, dict):
        return Document(path, {}, {}, "", 1, [Problem(path, 1, "the file must be a JSON object")])
    doc = Document(path, {}, {}, "", 1)
    try:
        node = yaml.compose(text, Loader=_Loader)
        # `json` accepted an object, so the text holds one document: compose() finds its node.
        assert node is not None
        doc.data = _construct(node, (), doc, offset=1)
    except RecursionError:
        return Document(path, {}, {}, "", 1, [Problem(path, 1, TOO_DEEP)])
    except yaml.YAMLError:  # valid JSON that YAML 1.1 reads differently (tabs): lose lines
        doc.data, doc.lines = data, {}
    body = doc.data.pop(body_key, "")
    doc.body = body if isinstance(body, str) else ""
    doc.body_line = doc.lines.get((body_key,), 1)
    if not isinstance(body, str):
        doc.problems.append(Problem(path, doc.body_line, f"'{body_key}' must be text"))
    return doc
