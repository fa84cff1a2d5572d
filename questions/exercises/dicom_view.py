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
_MIN_SIDE = 0.02  # inches: 2 px, the least a side of the PNG gets
_MAX_DRAWN = 960  # values drawn along a side, at most


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
    rows, columns = values.shape
    # Draw at most _MAX_DRAWN values a side: the PNG is 480 px anyway, and windowing the full
    # array in float64 cost a 2048 x 2048 upload 300 MB. Every step-th value is shown.
    step = max(1, -(-max(rows, columns) // _MAX_DRAWN))
    grey = window(values[::step, ::step], centre, max(width, 1.0)).astype(np.uint8)
    if inverted:
        grey = 255 - grey
    scale = _SIDE / max(rows, columns)
    # A sliver of an image still gets 2 px on its short side (0 px cannot be saved).
    width_in, height_in = max(columns * scale, _MIN_SIDE), max(rows * scale, _MIN_SIDE)
    figure = new_figure(width_in, height_in, dpi=100, layout="none")
    ax = figure.add_axes((0, 0, 1, 1))
    ax.imshow(
        grey,
        cmap="gray",
        vmin=0,
        vmax=255,
        interpolation="nearest",
        extent=(-0.5, columns - 0.5, rows - 0.5, -0.5),  # the ring's row/column stay true
    )
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
