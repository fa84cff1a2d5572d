"""The one Markdown renderer stays fast and never fails on hostile text: bracket floods
render in linear time, exactly as Python-Markdown would render them, and nesting deeper
than the renderer goes is shown as plain text instead of a RecursionError."""

import re
import time

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questions import markup
from questions.markup import MAX_NESTING, markdown_nesting, render_markdown

# Each about 10,000 characters. Before, Python-Markdown walked from every '[' (or '(') to
# the end of the paragraph: 5,000 '[' took 2.8 s, 10,000 12.5 s, 20,000 52 s.
FLOODS = ["[", "[a ", "![", "[](", "[a][", "[[]", "[](<", "[]((", "[a](b) c [d", "[link](x) "]


@pytest.mark.parametrize("unit", FLOODS)
def test_a_flood_of_brackets_renders_in_linear_time(unit):
    text = unit * (10_000 // len(unit))
    render_markdown("warm up [a](b)")
    started = time.process_time()  # CPU seconds: other processes' load does not count
    render_markdown(text)
    assert time.process_time() - started < 1.5


_stock = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
PIECES = [*"[]()'\"!<>a b\\:/.*_`\n", "http://e.org", "[r]: http://r.org\n", "[a](b)"]
LINKISH = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(LINKISH)
def test_the_linear_links_render_exactly_as_python_markdown(text):
    ours = render_markdown(text)
    linear, markup._md = markup._md, _stock
    try:
        stock = render_markdown(text)
    finally:
        markup._md = linear
    assert ours == stock


# The formula scanner's old single regex: its lazy fence alternative scanned from every
# opening fence without a closing one to the end of the text ("```x\n" * 3,900: 1.5 s).
_OLD_TOKENS = re.compile(
    r"(?P<fence>^(?:```|~~~).*?^(?:```|~~~)[ \t]*$)"
    r"|(?P<code>`[^`\n]+`)"
    r"|(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$"
    r"|(?<![\\$])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s\\$])?)\$(?!\d)",
    re.DOTALL | re.MULTILINE,
)


def _old_extract_math(text: str) -> tuple[str, list[tuple[str, bool]]]:
    formulas: list[tuple[str, bool]] = []

    def replace(match: re.Match[str]) -> str:
        if match.group("fence") or match.group("code"):
            return match.group(0)
        display = match.group("display") is not None
        latex = match.group("display") if display else match.group("inline")
        formulas.append((latex.strip(), display))
        marker = markup._PLACEHOLDER.format(len(formulas) - 1)
        return f"\n\n{marker}\n\n" if display else marker

    return _OLD_TOKENS.sub(replace, text), formulas


MATHISH = st.lists(
    st.sampled_from(["```", "~~~", "`", "$", "$$", "\\", "\n", " ", "\t", "a", "1", "\r"]),
    max_size=30,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(MATHISH)
def test_formulas_and_code_are_found_as_the_single_regex_found_them(text):
    assert markup._extract_math(text) == _old_extract_math(text)


@pytest.mark.parametrize("unit", ["```x\n", "~~~\n", "```\n$a$\n", "$1 "])
def test_unclosed_fences_are_scanned_in_linear_time(unit):
    text = unit * (20_000 // len(unit))
    started = time.process_time()
    markup._extract_math(text)
    assert time.process_time() - started < 0.3


def nested_list(levels: int) -> str:
    return "\n".join("    " * level + "- item" for level in range(levels))


def test_a_300_level_list_is_shown_as_plain_text_not_an_error():
    # Python-Markdown exhausted Python's recursion at about 300 levels: a 500 on save.
    html = render_markdown(nested_list(300))
    assert html.startswith("<p>- item\n    - item") and "<ul>" not in html


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("plain", 0),
        ("- a\n    - b\n        - c", 3),
        ("> quote\n> > deeper", 2),
        ("- " * 40 + "x", 40),
        ("> - " * 10 + "x", 20),
        ("1. one\n    1) two", 2),
        ("```\n" + "        " * 30 + "code\n```", 0),  # fenced code is not nesting
        ("\t\t- tabbed", 3),
    ],
)
def test_nesting_is_counted_from_line_starts(text, depth):
    assert markdown_nesting(text) == depth


def test_text_at_the_nesting_limit_still_renders_as_markdown():
    assert render_markdown(nested_list(MAX_NESTING)).count("<ul>") == MAX_NESTING


def test_a_display_formula_is_a_scrolling_block_in_display_style():
    from questions.markup import render_markdown

    html = render_markdown("Text.\n\n$$\\frac{TP}{TP + FN}$$\n\nMore.")
    assert (
        '<div class="formula"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">'
        in html
    )
    assert '<mstyle displaystyle="true"><mrow><mfrac>' in html


def test_a_formula_alone_in_its_paragraph_is_shown_as_display_math():
    from questions.markup import render_markdown

    html = render_markdown(
        "The rule:\n\n$y = \\frac{a}{b}$\n\nand in a sentence $\\frac{a}{b}$ stays."
    )
    assert html.count('display="block"') == 1 and html.count('display="inline"') == 1
    assert html.index('display="block"') < html.index('display="inline"')


def test_an_inline_rendering_keeps_a_lone_formula_inline():
    from questions.markup import render_markdown

    assert 'display="inline"' in render_markdown("$\\frac{1}{2}$", inline=True)
