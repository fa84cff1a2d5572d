"""A small element tree built with the standard library's HTMLParser, for tests that ask
about a page's structure (which table holds which rows) rather than about substrings."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Elements whose start tag closes an open one of the same kind (enough for our own pages).
SELF_CLOSING_PEERS = {"p", "li", "tr", "td", "th", "option"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def __getitem__(self, name: str) -> str | list[str]:
        value = self.attrs[name] or ""
        return value.split() if name == "class" else value

    def get(self, name: str, default: object = None) -> object:
        return self[name] if name in self.attrs else default

    def has_attr(self, name: str) -> bool:
        return name in self.attrs

    def __getattr__(self, tag: str) -> Node | None:  # node.tbody, node.th: the first such
        if tag.startswith("_"):
            raise AttributeError(tag)
        return self.find(tag)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None, attrs=None, **kw):
        wanted = dict(attrs or {}, **kw)
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if class_ and class_ not in (node.get("class") or []):
                continue
            if all(
                (name in node.attrs) if value is True else node.attrs.get(name) == value
                for name, value in wanted.items()
            ):
                found.append(node)
        return found

    def find(self, tag: str | None = None, class_: str | None = None, attrs=None, **kw):
        found = self.find_all(tag, class_, attrs, **kw)
        return found[0] if found else None

    def get_text(self, separator: str = "", strip: bool = False) -> str:
        parts = []
        for child in self.children:
            text = child.get_text(separator, strip) if isinstance(child, Node) else child
            text = text.strip() if strip else text
            if text:
                parts.append(text)
        return separator.join(parts)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("[document]", {}, None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SELF_CLOSING_PEERS and self.current.tag == tag:
            self.current = self.current.parent or self.root
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    return builder.root
