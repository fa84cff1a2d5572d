"""The one matplotlib set-up of the site: exercise figures and the progress chart share it.

matplotlib is imported on first use, not with this module, so pages and commands that never
draw do not pay for it. Figures are drawn with `matplotlib.figure.Figure` and the Agg canvas,
never pyplot, whose global figure registry is not thread-safe.

rcParams are process-wide in matplotlib, so they are set once, here, to constants and never
changed afterwards: whichever figure a worker drew first, every later figure sees the same
settings, and the same exercise gives the same bytes. (The progress chart used to set its own
`svg.hashsalt`, which changed every exercise SVG drawn after it.) Per-figure choices go to
the figure or its axes, never to rcParams. Pure Python: no Django.
"""

from __future__ import annotations

import io
import re
import threading
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# Figures are drawn for a phone first. The SVG scales to the column's width (viewBox, no
# fixed size), so its text is drawn at (font pt) × (column px / figure width pt) CSS px; at
# 375 px the column is 343 px (.container leaves 16 px each side), and text must be 12 px
# there: every font is at least MIN_FONT_PT. Figures are 5 in (360 pt) wide, so that is 12.6 pt.
FIGURE_WIDTH_IN = 5.0
PHONE_COLUMN_PX = 375 - 2 * 16
MIN_TEXT_PX = 12
MIN_FONT_PT = MIN_TEXT_PX * FIGURE_WIDTH_IN * 72 / PHONE_COLUMN_PX
SMALL = 12.75  # tick labels, annotations, legends: the smallest text of any figure
assert SMALL >= MIN_FONT_PT

# Theme colours: what is drawn in these follows the reader's light or dark theme. They are
# odd near-black, near-white and greys that no data colour uses, so that figure_bytes can
# swap exactly them for CSS (currentColor and variables set by a media query in the SVG):
# pure black and white stay what they are where they mean a value (a CT pixel, text on a
# fixed-colour heat map cell, for which FIXED_INK and FIXED_PAPER are used).
INK = "#010203"  # text, axes, ticks, marker edges
PAPER = "#fefdfc"  # the background: boxes behind labels, lines between cells
GREY = "#595958"  # secondary text and reference lines (7:1 on white)
GRID = "#dcdcdb"
FAINT = "#efeeed"  # "neither" cells, shaded planes
FIXED_INK = "#000000"
FIXED_PAPER = "#ffffff"
_THEME = {
    INK: "currentColor",
    PAPER: "var(--paper)",
    GREY: "var(--muted)",
    GRID: "var(--grid)",
    FAINT: "var(--faint)",
}
_THEME_RE = re.compile("|".join(_THEME))
# The site's own light and dark colours (site.css --text, --surface, --muted, --border).
_THEME_STYLE = (
    "<style>svg{color:#1c2330;--paper:#ffffff;--muted:#535d6e;--grid:#dde1e7;--faint:#eef0f3}"
    "@media (prefers-color-scheme: dark){svg{color:#e6e9ef;--paper:#1a2029;--muted:#a9b1bf;"
    "--grid:#333c4a;--faint:#262e3a}}</style>"
)
_SIZE_ATTRIBUTES = re.compile(rb'<svg ([^>]*?)width="[^"]*" height="[^"]*" ')

# A fixed hash salt makes SVG ids, and so the bytes, the same on every render; glyphs as
# paths need no font on the reader's side. Backgrounds are transparent: the page shows through.
RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "quizsite-exercise-figures",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",  # ships with matplotlib
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "axes.edgecolor": GREY,
    "axes.labelcolor": INK,
    "axes.facecolor": "none",
    "figure.facecolor": "none",
    "figure.edgecolor": "none",
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": SMALL,
    "ytick.labelsize": SMALL,
    "legend.fontsize": SMALL,
    "legend.title_fontsize": SMALL,
    "legend.edgecolor": GREY,
    "legend.facecolor": PAPER,
    "patch.edgecolor": INK,
    "grid.color": GRID,
    "image.interpolation": "nearest",
}
CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
_SETUP_LOCK = threading.Lock()


@cache
def matplotlib_kit() -> SimpleNamespace:
    """matplotlib's classes, imported and set up once per process."""
    with _SETUP_LOCK:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.colors import ListedColormap
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch

        matplotlib.rcParams.update(RC)
        return SimpleNamespace(
            Figure=Figure,
            FigureCanvasAgg=FigureCanvasAgg,
            ListedColormap=ListedColormap,
            Patch=Patch,
            colormaps=matplotlib.colormaps,
        )


def new_figure(width: float, height: float, *, dpi: int = 100, layout: str = "compressed") -> Any:
    """A figure on its own Agg canvas (no pyplot, no global registry)."""
    kit = matplotlib_kit()
    figure = kit.Figure(figsize=(width, height), dpi=dpi, layout=layout)
    kit.FigureCanvasAgg(figure)
    return figure


def figure_bytes(figure: Any, fmt: str = "svg", *, png_dpi: float | None = None) -> bytes:
    """The figure as SVG or PNG bytes that depend only on what was drawn.

    No creation date, which would change the bytes of every render, and no version string,
    so an upgrade of matplotlib alone does not change them. The SVG has no fixed size (its
    viewBox scales it to the column) and takes the reader's theme (see themed_svg); a PNG
    cannot, so it is drawn on white, at `png_dpi` (default: the figure's own dpi).
    """
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"fmt must be one of {', '.join(CONTENT_TYPES)}, got {fmt!r}")
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(
            buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="none"
        )
        return themed_svg(buffer.getvalue())
    figure.savefig(
        buffer,
        format="png",
        metadata={"Software": None},
        facecolor="white",
        dpi=png_dpi or "figure",
    )
    return buffer.getvalue()


def themed_svg(svg: bytes) -> bytes:
    """matplotlib's SVG made to fit the page: the width and height attributes dropped (the
    viewBox stays, so the page sizes it), the theme colours swapped for currentColor and
    CSS variables, and a style that sets them for light and dark. A plain text rewrite, so
    the same figure still gives the same bytes."""
    svg = _SIZE_ATTRIBUTES.sub(rb"<svg \1", svg, count=1)
    text = _THEME_RE.sub(lambda m: _THEME[m.group(0)], svg.decode("utf-8"))
    text = text.replace("<defs>", "<defs>\n  " + _THEME_STYLE, 1)
    return text.encode("utf-8")


def warm_up() -> None:
    """Import matplotlib and draw one small figure with text, so fonts and caches are loaded.

    gunicorn calls this in the master before it forks (quizsite/gunicorn_conf.py): every
    worker then starts with matplotlib ready, instead of each new worker spending seconds on
    its first figure while health checks queue behind it.
    """
    figure = new_figure(1, 1, layout="none")
    figure.text(0.5, 0.5, "0.5 Aa", ha="center")
    figure_bytes(figure, "png")
    figure_bytes(figure, "svg")
