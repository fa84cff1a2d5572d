"""Markdown with `$…$` formulas to sanitised HTML with MathML. Pure Python: no Django.

The one renderer for every text the site shows: content files, exercise prompts and worked
solutions, interviewers' descriptions.

Formulas become MathML on the server, so pages need no script to show them. Everything that
leaves here has passed through nh3: content files cannot inject script, handlers or frames.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3
from latex2mathml.converter import convert as latex_to_mathml

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
_TOKENS = re.compile(
    r"(?P<fence>^(?:```|~~~).*?^(?:```|~~~)[ \t]*$)"
    r"|(?P<code>`[^`\n]+`)"
    r"|(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$"
    r"|(?<![\\$])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s\\$])?)\$(?!\d)",
    re.DOTALL | re.MULTILINE,
)
_PLACEHOLDER = "\u0000MATH{}\u0000"
_PLACEHOLDER_RE = re.compile("\u0000MATH(\\d+)\u0000")


@lru_cache(maxsize=4096)
def render_formula(latex: str, display: bool) -> str:
    try:
        mathml = latex_to_mathml(latex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds; a bad formula shows as code
        return f'<code class="formula-error">{html.escape(latex)}</code>'
    return mathml


def _extract_math(text: str) -> tuple[str, list[str]]:
    formulas: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group("fence") or match.group("code"):
            return match.group(0)
        display = match.group("display") is not None
        latex = match.group("display") if display else match.group("inline")
        formulas.append(render_formula(latex.strip(), display))
        marker = _PLACEHOLDER.format(len(formulas) - 1)
        # A display formula stands in its own block so Markdown does not wrap it in <p>.
        return f"\n\n{marker}\n\n" if display else marker

    return _TOKENS.sub(replace, text), formulas


# Anything Markdown, HTML or a formula could start with; text without these is plain.
_MARKUP = re.compile(r"[*_`\[\]<>&$\\#!|~\n]|^\s*([-+]|\d+\.)\s")

_md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")


def render_markdown(text: str, *, inline: bool = False) -> str:
    """Render Markdown (with formulas) to sanitised HTML.

    `inline=True` drops the wrapping paragraph of a one-paragraph text (choices, feedback).
    """
    if not text or not text.strip():
        return ""
    if inline and not _MARKUP.search(text):
        # Most choices and feedback are plain sentences: escaping is all they need.
        return html.escape(text.strip(), quote=False)
    source, formulas = _extract_math(text)
    source = source.replace("\\$", "&#36;")
    _md.reset()
    rendered = _md.convert(source)

    def restore(match: re.Match[str]) -> str:
        return formulas[int(match.group(1))]

    rendered = re.sub(r"<p>(\u0000MATH\d+\u0000)</p>", r"\1", rendered)
    rendered = _PLACEHOLDER_RE.sub(restore, rendered)
    if inline and rendered.startswith("<p>") and rendered.endswith("</p>"):
        inner = rendered[3:-4]
        if "<p>" not in inner:
            rendered = inner
    return sanitize(rendered)


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
