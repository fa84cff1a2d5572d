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
import threading
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

GREY = "#595959"  # 7:1 on white, for reference lines and secondary text

# A fixed hash salt makes SVG ids, and so the bytes, the same on every render; glyphs as
# paths need no font on the reader's side.
RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "quizsite-exercise-figures",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",  # ships with matplotlib
    "font.size": 10,
    "axes.titlesize": 11.5,
    "axes.labelsize": 10.5,
    "axes.edgecolor": GREY,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
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


def figure_bytes(figure: Any, fmt: str = "svg") -> bytes:
    """The figure as SVG or PNG bytes that depend only on what was drawn.

    No creation date, which would change the bytes of every render, and no version string,
    so an upgrade of matplotlib alone does not change them.
    """
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"fmt must be one of {', '.join(CONTENT_TYPES)}, got {fmt!r}")
    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata=metadata, facecolor="white")
    return buffer.getvalue()


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
