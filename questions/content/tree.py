"""Read a whole `content/` tree and check what no single file can: ids, references, topics.

Pure Python: no Django. `read_tree` never raises on bad content; every problem becomes a
`Problem` so one run reports all of them.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .documents import Document, Problem, YamlRefused, parse_document, safe_yaml
from .parallel import pmap
from .schema import (
    ID_RE,
    GlossaryItem,
    QuestionItem,
    SetItem,
    read_glossary,
    read_question,
    read_set,
)
from .tags import FILE_NAME as TAGS_FILE
from .tags import TagSpec, check_question_tags, read_vocabulary

# Bump when rendering changes, so the next load re-renders every item.
FORMAT_VERSION = "2"  # 2: display formulas in a scrolling block, in display style (#16)
MAX_FILE_BYTES = 256 * 1024


@dataclass
class Topic:
    slug: str
    title: str
    description: str
    order: int


@dataclass
class ContentTree:
    root: Path
    topics: list[Topic] = field(default_factory=list)
    glossary: list[GlossaryItem] = field(default_factory=list)
    questions: list[QuestionItem] = field(default_factory=list)
    sets: list[SetItem] = field(default_factory=list)
    tags: dict[str, TagSpec] = field(default_factory=dict)  # the vocabulary, by name
    hashes: dict[str, str] = field(default_factory=dict)  # item id -> content hash
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    # Stems of files too broken to yield an id: references to them are not reported again.
    unreadable: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.problems


def content_hash(raw: bytes) -> str:
    return hashlib.sha1(FORMAT_VERSION.encode() + b"\0" + raw, usedforsecurity=False).hexdigest()


def read_tree(root: Path) -> ContentTree:
    root = Path(root)
    tree = ContentTree(root=root)
    if not root.is_dir():
        tree.problems.append(
            Problem(str(root), 1, "no such folder: give the path of a content/ tree")
        )
        return tree
    tree.topics = _read_topics(root, tree.problems)
    topic_slugs = {topic.slug for topic in tree.topics}

    for path, term, problems, digest in pmap(
        _read_glossary, _markdown_files(root / "glossary", tree)
    ):
        tree.problems.extend(problems)
        if term is None:
            tree.unreadable.add(path.stem)
        else:
            tree.glossary.append(term)
            tree.hashes[term.id] = digest
            if term.topic and term.topic not in topic_slugs:
                tree.problems.append(
                    Problem(term.path, term.lines.get("topic", 1), _unknown_topic(term.topic, tree))
                )

    questions_root = root / "questions"
    if questions_root.is_dir():
        for entry in sorted(p for p in questions_root.iterdir() if p.is_file()):
            if entry.suffix == ".md":
                tree.problems.append(
                    Problem(
                        _rel(entry),
                        1,
                        "a question must sit in its topic's folder: content/questions/<topic>/",
                    )
                )
    question_files = _markdown_files(questions_root, tree, nested=True)
    for path, question, problems, digest in pmap(_read_question, question_files):
        tree.problems.extend(problems)
        if path.parent.name not in topic_slugs:
            tree.problems.append(
                Problem(_rel(path), 1, _unknown_topic(path.parent.name, tree, folder=True))
            )
        if question is None:
            tree.unreadable.add(path.stem)
        else:
            tree.questions.append(question)
            tree.hashes[question.id] = digest

    if question_files:
        vocabulary = read_vocabulary(root, _rel(root / TAGS_FILE), tree.problems)
        if vocabulary is not None:
            tree.tags = vocabulary
            check_question_tags(tree.questions, vocabulary, tree.problems)

    for _path, question_set, problems, digest in pmap(
        _read_set, _markdown_files(root / "sets", tree)
    ):
        tree.problems.extend(problems)
        if question_set is not None:
            tree.sets.append(question_set)
            tree.hashes[question_set.id] = digest

    _check_references(tree)
    tree.problems.sort()
    return tree


def _rel(path: Path) -> str:
    """The path as a contributor would open it: relative to the working folder if inside it."""
    relative = os.path.relpath(path)
    return str(path.absolute()) if relative.startswith("..") else relative


def _markdown_files(folder: Path, tree: ContentTree, *, nested: bool = False) -> list[Path]:
    if not folder.is_dir():
        return []
    pattern = "*/*" if nested else "*"
    files = []
    for path in sorted(folder.glob(pattern)):
        if not path.is_file() or path.name.startswith("."):
            continue
        if path.suffix != ".md":
            tree.problems.append(
                Problem(_rel(path), 1, "not a Markdown file: content files end in .md")
            )
            continue
        files.append(path)
    tree.files += len(files)
    return files


def _parse(path: Path) -> tuple[Document, str]:
    raw = path.read_bytes()
    rel = _rel(path)
    digest = content_hash(raw)
    if len(raw) > MAX_FILE_BYTES:
        doc = Document(rel, {}, {}, "", 1)
        doc.problems.append(
            Problem(
                rel,
                1,
                f"the file is {len(raw) // 1024} KiB; the limit is {MAX_FILE_BYTES // 1024} KiB: "
                "split it or shorten it",
            )
        )
        return doc, digest
    return parse_document(rel, raw), digest


# One function per kind, at module level so a process pool can send them to workers.
def _read_glossary(path: Path) -> tuple[Path, GlossaryItem | None, list[Problem], str]:
    doc, digest = _parse(path)
    return path, read_glossary(doc), doc.problems, digest


def _read_question(path: Path) -> tuple[Path, QuestionItem | None, list[Problem], str]:
    doc, digest = _parse(path)
    return path, read_question(doc, path.parent.name), doc.problems, digest


def _read_set(path: Path) -> tuple[Path, SetItem | None, list[Problem], str]:
    doc, digest = _parse(path)
    return path, read_set(doc), doc.problems, digest


def _unknown_topic(slug: str, tree: ContentTree, *, folder: bool = False) -> str:
    known = ", ".join(t.slug for t in tree.topics) or "none (topics.yaml is missing)"
    what = f"the folder '{slug}'" if folder else f"topic '{slug}'"
    return f"{what} is not a topic in topics.yaml: use one of {known}"


def _read_topics(root: Path, problems: list[Problem]) -> list[Topic]:
    path = root / "topics.yaml"
    rel = _rel(path)
    if not path.is_file():
        problems.append(Problem(rel, 1, "topics.yaml is missing: it lists the topics in order"))
        return []
    try:
        data = safe_yaml(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        reason = error.problem if isinstance(error, YamlRefused) else error
        problems.append(
            Problem(rel, mark.line + 1 if mark else 1, f"topics.yaml cannot be read: {reason}")
        )
        return []
    if not isinstance(data, list):
        problems.append(Problem(rel, 1, "topics.yaml must be a list of {slug, title, description}"))
        return []
    topics: list[Topic] = []
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(key), str) and entry.get(key) for key in ("slug", "title")
        ):
            problems.append(
                Problem(rel, 1, f"topic {index + 1} needs a 'slug' and a 'title' (text)")
            )
            continue
        if len(entry["slug"]) > 50 or len(entry["title"]) > 200:
            problems.append(
                Problem(
                    rel,
                    1,
                    f"topic {index + 1}: keep the slug to 50 characters and the title to 200",
                )
            )
            continue
        if not ID_RE.match(entry["slug"]):
            problems.append(
                Problem(rel, 1, f"topic slug {entry['slug']!r} is not lowercase-with-hyphens")
            )
            continue
        topics.append(
            Topic(entry["slug"], entry["title"], str(entry.get("description", "")), index)
        )
    return topics


def read_topics(root: Path, problems: list[Problem]) -> list[Topic]:
    """The topics of a content tree (topics.yaml), for tools that need only them."""
    return _read_topics(Path(root), problems)


def _check_references(tree: ContentTree) -> None:
    seen: dict[str, str] = {}
    items: list[GlossaryItem | QuestionItem | SetItem] = [
        *tree.glossary,
        *tree.questions,
        *tree.sets,
    ]
    for item in items:
        if item.id in seen:
            tree.problems.append(
                Problem(
                    item.path,
                    item.lines.get("id", 1),
                    f"id '{item.id}' is already used by {seen[item.id]}: ids must be unique",
                )
            )
        else:
            seen[item.id] = item.path
    glossary_ids = {term.id for term in tree.glossary}
    question_ids = {question.id for question in tree.questions}

    def check(
        item: GlossaryItem | QuestionItem | SetItem,
        key: str,
        refs: list[str],
        known: set[str],
        kind: str,
    ) -> None:
        for ref in refs:
            if ref not in known and ref not in tree.unreadable:
                tree.problems.append(
                    Problem(
                        item.path,
                        item.lines.get(key, 1),
                        f"{key} names '{ref}', which is not a {kind} id",
                    )
                )

    for term in tree.glossary:
        check(term, "see_also", term.see_also, glossary_ids, "glossary")
        if term.id in term.see_also:
            tree.problems.append(
                Problem(term.path, term.lines.get("see_also", 1), "see_also names the term itself")
            )
    for question in tree.questions:
        check(question, "related", question.related, glossary_ids, "glossary")
    topic_slugs = {topic.slug for topic in tree.topics}
    for question_set in tree.sets:
        check(question_set, "questions", question_set.questions, question_ids, "question")
        for entry in question_set.entries:
            if entry.topic and entry.topic not in topic_slugs:
                tree.problems.append(
                    Problem(
                        question_set.path,
                        entry.line or 1,
                        f"topic '{entry.topic}' is not in topics.yaml",
                    )
                )
