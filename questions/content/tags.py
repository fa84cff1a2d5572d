"""The tag vocabulary (`content/tags.yaml`): one spelling per tag, each with a description.

Pure Python: no Django. Questions may only carry tags listed here; a near miss or a listed
alias ("normalization" for "normalisation") is reported with the spelling to use, so the
filter on the question list never offers two spellings of one idea.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .documents import Problem, YamlRefused, compose_yaml, safe_yaml
from .schema import ID_RE, MAX_TAG, QuestionItem

FILE_NAME = "tags.yaml"
MAX_TAGS = 5000
_HOW = "add it to content/tags.yaml with a one-line description"


@dataclass(frozen=True)
class TagSpec:
    name: str
    description: str
    aliases: tuple[str, ...] = field(default=())
    line: int = 1


def read_vocabulary(root: Path, rel: str, problems: list[Problem]) -> dict[str, TagSpec] | None:
    """The tags of `root/tags.yaml` by name; None (and a problem) if the file is missing or
    unreadable, so its absence is reported once rather than as every tag being unknown."""
    path = root / FILE_NAME
    if not path.is_file():
        problems.append(
            Problem(rel, 1, "tags.yaml is missing: it lists every tag a question may use")
        )
        return None
    try:
        text = path.read_text(encoding="utf-8")
        node = compose_yaml(text)
        data = safe_yaml(text)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        reason = error.problem if isinstance(error, YamlRefused) else error
        problems.append(
            Problem(rel, mark.line + 1 if mark else 1, f"tags.yaml cannot be read: {reason}")
        )
        return None
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        problems.append(Problem(rel, 1, "tags.yaml must be a list of {tag, description, aliases}"))
        return None
    if len(data) > MAX_TAGS:
        problems.append(
            Problem(rel, 1, f"tags.yaml lists {len(data)} tags; the limit is {MAX_TAGS}")
        )
        return None
    tags: dict[str, TagSpec] = {}
    spellings: dict[str, str] = {}  # every name and alias -> the tag it belongs to
    for entry, entry_node in zip(data, node.value, strict=True):
        line = entry_node.start_mark.line + 1
        spec = _read_entry(entry, line, rel, problems, _alias_lines(entry_node))
        if spec is None:
            continue
        clash = next((s for s in (spec.name, *spec.aliases) if s in spellings), None)
        if clash is not None:
            owner = tags[spellings[clash]]
            problems.append(
                Problem(
                    rel,
                    line,
                    f"'{clash}' is already listed (tag '{owner.name}', line {owner.line}): "
                    "each spelling belongs to one tag",
                )
            )
            continue
        spellings.update(dict.fromkeys((spec.name, *spec.aliases), spec.name))
        tags[spec.name] = spec
    return tags


def _alias_lines(entry_node: yaml.Node) -> list[int]:
    """The line of each alias of an entry (all on the entry's line in flow style)."""
    if isinstance(entry_node, yaml.MappingNode):
        for key, value in entry_node.value:
            if key.value == "aliases" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return []


def _read_entry(
    entry: object, line: int, rel: str, problems: list[Problem], alias_lines: list[int]
) -> TagSpec | None:
    if not isinstance(entry, dict) or set(entry) - {"tag", "description", "aliases"}:
        problems.append(
            Problem(rel, line, "each entry is {tag: name, description: text, aliases: [names]}")
        )
        return None
    name, description, aliases = entry.get("tag"), entry.get("description"), entry.get("aliases")
    aliases = [] if aliases is None else aliases
    if not isinstance(name, str) or not _is_tag(name):
        problems.append(
            Problem(rel, line, f"tag {name!r} must be lowercase words joined by hyphens")
        )
        return None
    if not isinstance(description, str) or not description.strip():
        problems.append(Problem(rel, line, f"tag '{name}' needs a one-line description"))
        return None
    if not isinstance(aliases, list) or not all(isinstance(a, str) and _is_tag(a) for a in aliases):
        problems.append(
            Problem(rel, line, f"the aliases of '{name}' must be a list of lowercase names")
        )
        return None
    kept: list[str] = []
    for index, alias in enumerate(aliases):
        where = alias_lines[index] if index < len(alias_lines) else line
        if alias == name:
            problems.append(
                Problem(
                    rel,
                    where,
                    f"tag '{name}' lists itself as an alias: an alias is another spelling; "
                    f"remove '{alias}' from its aliases",
                )
            )
        elif alias in kept:
            problems.append(
                Problem(rel, where, f"the aliases of '{name}' list '{alias}' twice: keep one")
            )
        else:
            kept.append(alias)
    return TagSpec(name, description.strip(), tuple(kept), line)


def _is_tag(name: str) -> bool:
    return len(name) <= MAX_TAG and ID_RE.match(name) is not None


def check_question_tags(
    questions: list[QuestionItem], tags: dict[str, TagSpec], problems: list[Problem]
) -> None:
    """One problem per unknown tag of each question, naming the spelling to use."""
    aliases = {alias: spec.name for spec in tags.values() for alias in spec.aliases}
    for question in questions:
        for tag in question.tags:
            if tag in tags:
                continue
            line = question.tag_lines.get(tag, question.lines.get("tags", 1))
            if tag in aliases:
                message = (
                    f"tag '{tag}' is spelled '{aliases[tag]}' on this site "
                    f"(tags.yaml lists '{tag}' as its alias): use '{aliases[tag]}'"
                )
            else:
                close = difflib.get_close_matches(tag, [*tags, *aliases], n=1, cutoff=0.75)
                hint = f"; did you mean '{aliases.get(close[0], close[0])}'?" if close else "."
                message = f"unknown tag '{tag}'{hint} If it is a new tag, {_HOW}"
            problems.append(Problem(question.path, line, message))
