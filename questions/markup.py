"""Markdown with `$…$` formulas to sanitised HTML with MathML. Pure Python: no Django.

The one renderer for every text the site shows: content files, exercise prompts and worked
solutions, interviewers' descriptions.

Formulas become MathML on the server, so pages need no script to show them. Everything that
leaves here has passed through nh3: content files cannot inject script, handlers or frames.
"""

from __future__ import annotations

import bisect
import html
import re
from functools import lru_cache

import markdown
import markdown.inlinepatterns as ip
import nh3
from latex2mathml.converter import convert as latex_to_mathml
from markdown.extensions import Extension

MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msub", "msup", "msubsup", "mfrac", "msqrt", "mroot", "munder", "mover", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "display", "xmlns", "mathvariant", "stretchy", "fence", "separator", "form", "lspace",
    "rspace", "columnalign", "rowalign", "width", "height", "depth", "linethickness",
    "accent", "accentunder", "movablelimits", "displaystyle", "scriptlevel", "notation",
    "minsize", "maxsize", "symmetric", "largeop", "columnspacing", "rowspacing", "align",
}  # fmt: skip

ALLOWED_TAGS = (
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
        "sup", "sub", "dl", "dt", "dd", "kbd", "abbr", "del", "span", "div", "img",
    }
    | MATHML_TAGS
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    "div": {"class"},
    "span": {"class"},
    "ol": {"start"},
    **{tag: MATHML_ATTRIBUTES for tag in MATHML_TAGS},
}

# Code is matched first so a `$` inside code stays literal; then display, then inline math.
# Fenced blocks are found by _fenced_blocks, line by line: as a lazy regex, each opening
# fence without a closing one scanned to the end of the text, quadratic ("```x\n" * 3,900
# took 1.5 s).
_TOKENS = re.compile(
    r"(?P<code>`[^`\n]+`)"
    r"|(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$"
    r"|(?<![\\$])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s\\$])?)\$(?!\d)",
    re.DOTALL | re.MULTILINE,
)
_PLACEHOLDER = "\u0000MATH{}\u0000"
_PLACEHOLDER_RE = re.compile("\u0000MATH(\\d+)\u0000")
_STANDALONE_RE = re.compile("<p>\u0000MATH(\\d+)\u0000</p>")


def storable(text: str) -> bool:
    """Text every database here can keep and read back: no NUL (PostgreSQL refuses it) and
    no lone surrogate (SQLite stores it, then fails to decode the row on every later read).
    Every text a visitor sends to be saved passes this first."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


UNSTORABLE = (
    "holds a character that cannot be saved (a NUL byte or half of an emoji pair): "
    "remove it and send it again."
)


@lru_cache(maxsize=4096)
def render_formula(latex: str, display: bool) -> str:
    """MathML for `latex`. A display formula is a block (display="block") in display style
    (full-size fractions and limits, spelled out as <mstyle displaystyle="true"> for engines
    that do not infer it from the block), inside a <div class="formula"> that scrolls
    sideways on a narrow screen instead of widening the page."""
    try:
        mathml = latex_to_mathml(latex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds; a bad formula shows as code
        return f'<code class="formula-error">{html.escape(latex)}</code>'
    if not display:
        return mathml
    head, _, rest = mathml.partition(">")
    body = rest.removesuffix("</math>")
    return f'<div class="formula">{head}><mstyle displaystyle="true">{body}</mstyle></math></div>'


_FENCE_CLOSE = re.compile(r"(?:```|~~~)[ \t]*")


def _fenced_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line that opens a fence (``` or ~~~ at its start) and has a
    closing line after it (only ``` or ~~~ and spaces), ending where that closing line's
    text ends: what `^(?:```|~~~).*?^(?:```|~~~)[ \t]*$` matches from each line start, found
    in one pass from the last line up."""
    lines = text.split("\n")
    starts, position = [], 0
    for line in lines:
        starts.append(position)
        position += len(line) + 1
    blocks: list[tuple[int, int]] = []
    close: int | None = None  # where the nearest closing line below ends
    for line, start in zip(reversed(lines), reversed(starts), strict=True):
        if line.startswith(("```", "~~~")):
            if close is not None:
                blocks.append((start, close))
            if _FENCE_CLOSE.fullmatch(line):
                close = start + len(line)
    blocks.reverse()
    return blocks


def _extract_math(text: str) -> tuple[str, list[tuple[str, bool]]]:
    """The text with each formula replaced by a placeholder, and the formulas' (LaTeX,
    display) in order. Code, fenced or inline, is left as it is."""
    formulas: list[tuple[str, bool]] = []
    pieces: list[str] = []
    blocks = _fenced_blocks(text)
    position, next_block = 0, 0
    found: re.Match[str] | None = None
    searched = False  # with found None: no token after the last search's start
    while True:
        while next_block < len(blocks) and blocks[next_block][0] < position:
            next_block += 1
        block = blocks[next_block] if next_block < len(blocks) else None
        # The next token from `position` is the one found before, unless it started earlier:
        # each stretch of text is searched once.
        if (found is None and not searched) or (found is not None and found.start() < position):
            found, searched = _TOKENS.search(text, position), True
        # A fence opening where (or before) the next token starts wins, as it did as the
        # regex's first alternative; a token that starts first runs over any fence inside.
        if block is not None and (found is None or block[0] <= found.start()):
            pieces.append(text[position : block[1]])
            position = block[1]
            continue
        if found is None:
            pieces.append(text[position:])
            return "".join(pieces), formulas
        pieces.append(text[position : found.start()])
        if found.group("code"):
            pieces.append(found.group(0))
        else:
            display = found.group("display") is not None
            latex = found.group("display") if display else found.group("inline")
            formulas.append((latex.strip(), display))
            marker = _PLACEHOLDER.format(len(formulas) - 1)
            # A display formula stands in its own block so Markdown does not wrap it in <p>.
            pieces.append(f"\n\n{marker}\n\n" if display else marker)
        position = found.end()


# Anything Markdown, HTML or a formula could start with; text without these is plain.
_MARKUP = re.compile(r"[*_`\[\]<>&$\\#!|~\n]|^\s*([-+]|\d+\.)\s")

# Lists and quotes inside each other: Python-Markdown parses each level with a few nested
# calls, so about 300 levels exhaust Python's recursion (a 500 before this limit). Real text
# uses three or four; deeper text is shown as plain text, and the forms refuse it.
MAX_NESTING = 16
_NESTING_MARKER = re.compile(r" {0,3}(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$))[ \t]?")
_FENCE = re.compile(r"^\s*(```|~~~)")


def markdown_nesting(text: str) -> int:
    """How many lists and quotes deep the text goes, counted from line starts without
    parsing: every four columns of indentation and every list or quote marker in a row is a
    level. It overcounts (indented code counts too) but never undercounts."""
    deepest, in_fence = 0, False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = line.expandtabs(4)
        stripped = line.lstrip(" ")
        depth, position = (len(line) - len(stripped)) // 4, 0
        while marker := _NESTING_MARKER.match(stripped, position):
            if marker.end() == position:
                break
            depth, position = depth + 1, marker.end()
        deepest = max(deepest, depth)
    return deepest


class _MatchedBrackets(ip.LinkInlineProcessor):
    """Links and images in linear time. Python-Markdown's getText walks from each '[' to its
    ']', and getLink from each '(' to its ')', in Python, to the end of the paragraph when
    there is none: 5,000 '[' cost 12.5 million steps per pattern (2.8 s; Python-Markdown
    issue 798, still open). Here one pass pairs every bracket and parenthesis of the rest of
    the paragraph, and each '[' or '(' looks its partner up.

    A match replaces its text with a placeholder, so the paragraph string changes, but only
    up to the end of the match: what follows is the same text, and where a bracket closes
    depends only on the text after it, so the pairs found for it still hold."""

    _cache: tuple[str, _Pairs] | None = None

    def _pairs(self, data: str, position: int) -> tuple[_Pairs, int]:
        """Pairs covering `data` from `position` on, and the offset of their positions."""
        if self._cache is not None:
            rest, pairs = self._cache
            start = len(rest) - (len(data) - position)  # `position` in `rest`, end-aligned
            if start >= 0 and data.endswith(rest[start:]):
                return pairs, position - start
        rest = data[position:]
        self._cache = (rest, _Pairs(rest))
        return self._cache[1], position

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        if index == 0 or data[index - 1] != "[":  # not after a '[': Python-Markdown's walk
            return super().getText(data, index)
        pairs, offset = self._pairs(data, index - 1)
        close = pairs.brackets.get(index - 1 - offset)
        if close is None:
            return data[index:], len(data), False
        return data[index : close + offset], close + offset + 1, True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        link = self.RE_LINK.match(data, pos=index)
        if link and not link.group(1):  # `(destination "title")`, not `(<destination>)`
            pairs, offset = self._pairs(data, index)
            close = pairs.parens.get(index - offset)
            end = len(data) if close is None else close + offset
            if not pairs.quote_between(link.end() - offset, end - offset):
                # Without quotes, Python-Markdown's walk ends at the matching ')'.
                if close is None:
                    return "", None, len(data), False
                return self.unescape(data[link.end() : end]).strip(), None, end + 1, True
        # A title in quotes: Python-Markdown's own walk, over a window, since a destination
        # and title longer than this is not a link anyone writes.
        return super().getLink(data[: index + _LINK_WINDOW], index)


_LINK_WINDOW = 500


class _Pairs:
    """Where each '[' and '(' of a text closes, and where its quotes are."""

    def __init__(self, text: str) -> None:
        self.brackets: dict[int, int] = {}
        self.parens: dict[int, int] = {}
        self.quotes: list[int] = []
        opened: dict[str, list[int]] = {"[": [], "(": []}
        for found in re.finditer(r"""[\[\]()'"]""", text):
            char, position = found.group(), found.start()
            if char in opened:
                opened[char].append(position)
            elif char == "]" and opened["["]:
                self.brackets[opened["["].pop()] = position
            elif char == ")" and opened["("]:
                self.parens[opened["("].pop()] = position
            elif char in "'\"":
                self.quotes.append(position)

    def quote_between(self, start: int, end: int) -> bool:
        after = bisect.bisect_left(self.quotes, start)
        return after < len(self.quotes) and self.quotes[after] < end


class _LinearLinks(Extension):
    """Python-Markdown's six bracket patterns, same names, order and expressions, with
    _MatchedBrackets in front."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for name, base, expression, priority in (
            ("reference", ip.ReferenceInlineProcessor, ip.REFERENCE_RE, 170),
            ("link", ip.LinkInlineProcessor, ip.LINK_RE, 160),
            ("image_link", ip.ImageInlineProcessor, ip.IMAGE_LINK_RE, 150),
            ("image_reference", ip.ImageReferenceInlineProcessor, ip.IMAGE_REFERENCE_RE, 140),
            ("short_reference", ip.ShortReferenceInlineProcessor, ip.REFERENCE_RE, 130),
            ("short_image_ref", ip.ShortImageReferenceInlineProcessor, ip.IMAGE_REFERENCE_RE, 125),
        ):
            linear = type(f"Linear{base.__name__}", (_MatchedBrackets, base), {})
            md.inlinePatterns.register(linear(expression, md), name, priority)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", _LinearLinks()], output_format="html"
    )


_md = _markdown()
# For text from outside (question imports): raw HTML is shown as text, not parsed. Python-
# Markdown hands raw HTML to html.parser, which is quadratic in unclosed start tags
# ("<a " * 6,600 took 5 to 8 s); nh3 still cleans the output.
_md_text = _markdown()
_md_text.preprocessors.deregister("html_block")
_md_text.inlinePatterns.deregister("html")


def render_markdown(text: str, *, inline: bool = False, raw_html: bool = True) -> str:
    """Render Markdown (with formulas) to sanitised HTML.

    `inline=True` drops the wrapping paragraph of a one-paragraph text (choices, feedback).
    `raw_html=False` shows HTML tags in the text as text (imports from outside the site).
    """
    if not text or not text.strip():
        return ""
    if markdown_nesting(text) > MAX_NESTING:
        return _as_plain_text(text)
    if inline and not _MARKUP.search(text):
        # Most choices and feedback are plain sentences: escaping is all they need.
        return html.escape(text.strip(), quote=False)
    source, formulas = _extract_math(text)
    source = source.replace("\\$", "&#36;")
    renderer = _md if raw_html else _md_text
    renderer.reset()
    try:
        rendered = renderer.convert(source)
    except RecursionError:  # some nesting markdown_nesting does not count: show it plain
        return _as_plain_text(text)

    def restore(match: re.Match[str]) -> str:
        return render_formula(*formulas[int(match.group(1))])

    def standalone(match: re.Match[str]) -> str:
        # A formula that is a paragraph of its own is shown as a display formula, even
        # when written $…$; inside a sentence it stays inline.
        latex, display = formulas[int(match.group(1))]
        return render_formula(latex, display or not inline)

    rendered = _STANDALONE_RE.sub(standalone, rendered)
    rendered = _PLACEHOLDER_RE.sub(restore, rendered)
    if inline and rendered.startswith("<p>") and rendered.endswith("</p>"):
        inner = rendered[3:-4]
        if "<p>" not in inner:
            rendered = inner
    return sanitize(rendered)


def _as_plain_text(text: str) -> str:
    paragraphs = (html.escape(part.strip(), quote=False) for part in text.split("\n\n"))
    return "".join(f"<p>{part}</p>" for part in paragraphs if part)


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)


def sanitize(fragment: str) -> str:
    return _cleaner.clean(fragment)


def plain_text(fragment_html: str) -> str:
    """Text of rendered HTML, for search indexes."""
    return html.unescape(nh3.clean(fragment_html, tags=set())).strip()
