"""The DICOM inspector's image: a slice windowed for display, as PNG bytes. No Django here.

The picture is drawn on the server with matplotlib (questions.plotting) and never stored:
the page embeds it as a data: URL. Windowing is DICOM's LINEAR VOI LUT function (PS3.3
C.11.2.1.2.1, `dicom.window`) onto 0-255, so the image shows exactly what the DICOM
exercise teaches; MONOCHROME1 images are inverted after windowing (low values white).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..plotting import figure_bytes, new_figure
from .dicom import window

# Common CT presets as (centre, width) in HU.
PRESETS: dict[str, tuple[float, float]] = {
    "lung": (-600.0, 1500.0),
    "mediastinum": (50.0, 350.0),
    "bone": (400.0, 1800.0),
    "brain": (40.0, 80.0),
}
PRESET_LABELS = {
    "lung": "Lung",
    "mediastinum": "Mediastinum",
    "bone": "Bone",
    "brain": "Brain",
    "file": "The file's own",
    "custom": "Custom",
}
_SIDE = 4.8  # inches of the longer image side: 480 px at 100 dpi


@dataclass(frozen=True)
class Pixel:
    row: int
    column: int
    value: float  # after the rescale: HU for CT


def full_range(values: np.ndarray) -> tuple[float, float]:
    """A window that spans every value: the fallback when the file states none."""
    low, high = float(np.min(values)), float(np.max(values))
    return (low + high) / 2, max(high - low, 1.0)


def pixel_at(values: np.ndarray, row: int, column: int) -> Pixel | None:
    """The rescaled value at (row, column), or None outside the image."""
    rows, columns = values.shape
    if not (0 <= row < rows and 0 <= column < columns):
        return None
    return Pixel(row, column, float(values[row, column]))


def render_png(
    values: np.ndarray,
    centre: float,
    width: float,
    *,
    inverted: bool = False,
    mark: Pixel | None = None,
) -> bytes:
    """`values` (rows × columns, rescaled) through the window, as a PNG of the image alone."""
    grey = window(values, centre, max(width, 1.0))
    if inverted:
        grey = 255 - grey
    rows, columns = values.shape
    scale = _SIDE / max(rows, columns)
    figure = new_figure(columns * scale, rows * scale, dpi=100, layout="none")
    ax = figure.add_axes((0, 0, 1, 1))
    ax.imshow(grey, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    if mark is not None:
        # Two rings, black and yellow, stand out on any grey.
        for colour, line in (("black", 3.0), ("#F0E442", 1.4)):
            ax.scatter(
                [mark.column],
                [mark.row],
                s=160,
                facecolors="none",
                edgecolors=colour,
                linewidths=line,
                clip_on=False,
            )
    ax.set_axis_off()
    return figure_bytes(figure, "png")
