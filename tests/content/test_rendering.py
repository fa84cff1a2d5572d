"""Content HTML is rendered once, with formulas as MathML, and sanitised."""

import pytest

from questions.markup import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<iframe src="https://example.com"></iframe>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<object data="x.swf"></object><embed src="x">',
    '<form action="https://evil.test"><input name="p"></form>',
    "$\\text{<script>alert(1)</script>}$",
    '<math><mtext><img src=x onerror="alert(1)"></mtext></math>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_it_renders_script_payloads_inert(payload):
    html = render_markdown(f"Before\n\n{payload}\n\nafter").lower()
    # Display formulas carry MathML's displaystyle="true", which is not a style attribute;
    # only that exact attribute is set aside, so any real style= is still caught.
    html = html.replace('<mstyle displaystyle="true">', "<mstyle>")
    for bad in (
        "<script",
        "onerror",
        "onload",
        "javascript:",
        "<iframe",
        "<style",
        "style=",
        "<object",
        "<embed",
        "<form",
        "data:text",
    ):
        assert bad not in html, (payload, html)


def test_it_renders_inline_and_display_formulas_as_mathml():
    html = render_markdown("Precision is $\\frac{TP}{TP+FP}$.\n\n$$F_1 = 2PR/(P+R)$$")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert 'display="block"' in html
    assert "<mfrac>" in html


def test_a_literal_dollar_and_code_stay_as_written():
    html = render_markdown("A licence costs \\$5 and `$x$` is code.")
    assert "$5" in html and "<code>$x$</code>" in html
    assert "<math" not in html


def test_inline_mode_drops_the_paragraph():
    assert render_markdown("Sensitivity", inline=True) == "Sensitivity"
