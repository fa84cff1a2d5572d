"""Split a content file into YAML front matter and Markdown sections, keeping line numbers.

Pure Python: no Django. Every problem is reported as a `Problem` with the file's line, so a
contributor can jump straight to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

# Content comes from contributors and from interviewers' uploads, so the YAML is read with
# limits: no anchors or aliases (nine levels of nine aliases in 364 bytes expand to 387
# million values), nesting at most MAX_DEPTH deep (libyaml's C composer recurses without a
# check, so 100,000 '[' crash the process), and no value longer than MAX_SCALAR_CHARS.
MAX_DEPTH = 20
MAX_SCALAR_CHARS = 10_000
NO_ALIASES = "YAML anchors and aliases are not allowed: write each value out in full"
TOO_DEEP = (
    f"the data is nested too deeply (lists or mappings inside each other, more than "
    f"{MAX_DEPTH} levels): flatten it"
)


class YamlRefused(yaml.MarkedYAMLError):
    """Valid YAML that content may not use; `problem_mark` is where, `problem` says why."""

    def __init__(self, mark: Any, problem: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class _LimitedComposer(yaml.composer.Composer):
    """PyYAML's composer (in Python, on libyaml's events) refusing, before it builds a node,
    what no content file needs. Composing only links nodes; it is walking the composed
    graph that expands aliases, so refusing them here means nothing ever expands."""

    peek_event: Callable[[], yaml.Event]  # the parser's, mixed in below
    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise YamlRefused(event.start_mark, NO_ALIASES)
        if isinstance(event, yaml.ScalarEvent):
            if len(event.value) > MAX_SCALAR_CHARS:
                raise YamlRefused(
                    event.start_mark,
                    f"this value is {len(event.value):,} characters long; the limit is "
                    f"{MAX_SCALAR_CHARS:,}: shorten it",
                )
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlRefused(event.start_mark, TOO_DEEP)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# The composer comes first so that its get_single_node, not libyaml's C one, composes.
try:  # libyaml's C parser is ten times faster than PyYAML's; 10,000 files depend on it.
    from yaml._yaml import CParser

    class _Loader(_LimitedComposer, CParser, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _LimitedComposer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _Loader(_LimitedComposer, Reader, Scanner, Parser, SafeConstructor, Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            _LimitedComposer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


def compose_yaml(text: str) -> yaml.Node | None:
    """The node tree of YAML text, with the limits above; YamlRefused if it breaks one."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def safe_yaml(text: str) -> Any:
    """Plain data from YAML text, with the limits above (yaml.safe_load has none)."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


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
        node = compose_yaml(yaml_text)
    except YamlRefused as error:
        doc.problems.append(Problem(path, _line(error, offset=2), str(error.problem)))
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
    doc.data = _construct(node, (), doc, offset=2)
    return doc


def _line(error: yaml.MarkedYAMLError, offset: int) -> int:
    mark = error.problem_mark
    return (mark.line + offset) if mark is not None else offset


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
        node = compose_yaml(text)
        # `json` accepted an object, so the text holds one document: compose() finds its node.
        assert node is not None
        doc.data = _construct(node, (), doc, offset=1)
    except YamlRefused as error:
        return Document(path, {}, {}, "", 1, [Problem(path, _line(error, 1), str(error.problem))])
    except yaml.YAMLError:  # valid JSON that YAML 1.1 reads differently (tabs): lose lines
        if _depth(data) > MAX_DEPTH:
            return Document(path, {}, {}, "", 1, [Problem(path, 1, TOO_DEEP)])
        doc.data, doc.lines = data, {}
    body = doc.data.pop(body_key, "")
    doc.body = body if isinstance(body, str) else ""
    doc.body_line = doc.lines.get((body_key,), 1)
    if not isinstance(body, str):
        doc.problems.append(Problem(path, doc.body_line, f"'{body_key}' must be text"))
    return doc


def _depth(data: Any) -> int:
    """How deeply lists and objects nest in JSON data, without recursing."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest
