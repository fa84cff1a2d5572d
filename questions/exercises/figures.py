"""One chart per exercise kind, as SVG or PNG bytes with a text alternative. No Django here.

    from questions.exercises import generate
    from questions.exercises.figures import render_figure
    figure = render_figure(generate("roc", seed=3, level="medium"), fmt="svg")
    figure.content, figure.content_type, figure.alt

Several figures show answers (the confusion counts, the weights, the AUC): they illustrate
the worked solution, not the question. The DICOM figure draws the very slice that
`dicom_file.build_dicom` writes for the exercise.

matplotlib is set up once for the whole site in questions.plotting (imported on the first
render, never pyplot, rcParams constant), which the progress chart shares.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from ..plotting import (
    CONTENT_TYPES,
    FAINT,
    FIGURE_WIDTH_IN,
    FIXED_INK,
    FIXED_PAPER,
    GREY,
    GRID,
    INK,
    PAPER,
    SMALL,
    figure_bytes,
    matplotlib_kit,
    new_figure,
)
from . import boundary, calibration, detection, dicom, dicom_geometry, leakage, nifti, roc
from .base import Exercise
from .base import fmt as show

# Okabe & Ito's palette, distinguishable with every common colour-vision deficiency.
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"

# Phone first (questions.plotting): 5 in wide, panels stacked rather than side by side,
# legends below the axes, no text under plotting.SMALL. A drawer may change the height.
_WIDTH = FIGURE_WIDTH_IN
_DPI = 100


@dataclass(frozen=True)
class Figure:
    content: bytes
    content_type: str  # "image/svg+xml" or "image/png"
    alt: str  # what the figure shows, with its key numbers, for screen readers


def render_figure(exercise: Exercise, fmt: str = "svg") -> Figure:
    """The chart for `exercise` as SVG or PNG; the same exercise always gives the same bytes."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"fmt must be one of {', '.join(CONTENT_TYPES)}, got {fmt!r}")
    figure, alt = draw_figure(exercise)
    # A PNG 720 px wide, as before figures were drawn 5 in wide for phones.
    return Figure(figure_bytes(figure, fmt, png_dpi=144), CONTENT_TYPES[fmt], alt)


def draw_figure(exercise: Exercise) -> tuple[Any, str]:
    """The matplotlib figure of `exercise`, laid out, and its alt text (tests measure it)."""
    if exercise.kind not in _DRAWERS:
        raise KeyError(f"no figure for exercise kind {exercise.kind!r}")
    height, draw = _DRAWERS[exercise.kind]
    mpl = matplotlib_kit()
    figure = new_figure(_WIDTH, height, dpi=_DPI)
    alt = draw(figure, exercise, mpl)
    # Lay out once, then freeze: savefig would otherwise draw the figure twice, once to
    # measure for the layout and once for real, and drawing is most of the cost.
    figure.get_layout_engine().execute(figure)
    figure.set_layout_engine("none")
    return figure, alt


# --- shared pieces -------------------------------------------------------------------------


def _heatmap(
    ax: Any,
    table: np.ndarray,
    mpl: SimpleNamespace,
    cell_text: Sequence[Sequence[str]] | None = None,
    fontsize: float = 15,
) -> None:
    """Counts as a sequential blue heat map (readable in grey too), every cell annotated.

    The annotation is black on light cells and white on dark ones, whichever contrasts more.
    """
    table = np.asarray(table)
    cmap = mpl.colormaps["Blues"]
    top = max(int(table.max()), 1)
    ax.imshow(table, cmap=cmap, vmin=0, vmax=top * 1.15, aspect="auto")
    rows, cols = table.shape
    for r in range(rows):
        for c in range(cols):
            red, green, blue, _ = cmap(table[r, c] / (top * 1.15))
            light = 0.2126 * red**2.2 + 0.7152 * green**2.2 + 0.0722 * blue**2.2 > 0.18
            text = cell_text[r][c] if cell_text else str(int(table[r, c]))
            ax.text(
                c,
                r,
                text,
                ha="center",
                va="center",
                fontsize=fontsize,
                color=FIXED_INK if light else FIXED_PAPER,  # on a cell of fixed colour
            )
    ax.set_xticks(range(cols))
    ax.set_yticks(range(rows))
    ax.tick_params(length=0)
    # Lines between cells keep two zero cells from merging into one block.
    _cell_lines(ax, rows, cols, linewidth=2)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _cell_lines(ax: Any, rows: int, cols: int, linewidth: float) -> None:
    """Lines of the background colour between image cells. Two line collections, not
    minor-tick grid lines: every tick is an artist of its own and a 32×32 grid of them
    doubles the render time."""
    ax.hlines(np.arange(rows + 1) - 0.5, -0.5, cols - 0.5, color=PAPER, linewidth=linewidth)
    ax.vlines(np.arange(cols + 1) - 0.5, -0.5, rows - 0.5, color=PAPER, linewidth=linewidth)


def _jitter(count: int, spread: float = 0.32) -> np.ndarray:
    """Vertical offsets for a strip plot: spread evenly by the golden ratio, not at random,
    so the same data always lands in the same place."""
    return ((np.arange(count) * 0.6180339887) % 1.0 - 0.5) * spread * 2


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _ratio(value: float | None) -> str:
    return show(value, 3)


# --- one drawer per kind: draws on the figure, returns the alt text -------------------------


def _classification(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    data, expected = exercise.data, exercise.expected
    tp, fp, fn, tn = (int(expected[k] or 0) for k in ("tp", "fp", "fn", "tn"))  # counts: never None
    n = tp + fp + fn + tn
    alt = f"Confusion matrix heat map for {n} images: TP {tp}, FP {fp}, FN {fn}, TN {tn}."
    if "scores" in data:
        figure.set_size_inches(_WIDTH, 8.0)
        strip, ax = figure.subplots(2, 1, height_ratios=[1, 1.1])
        alt = _score_strip(strip, data) + " " + alt
    else:
        ax = figure.subplots()
        ax.set_box_aspect(1)
    _heatmap(
        ax,
        np.array([[tp, fn], [fp, tn]]),
        mpl,
        cell_text=[[f"TP\n{tp}", f"FN\n{fn}"], [f"FP\n{fp}", f"TN\n{tn}"]],
    )
    labels = ["lesion", "no lesion"]
    ax.set_xticklabels(labels)
    ax.set_yticklabels(labels, rotation=90, va="center")
    ax.set(xlabel="Predicted", ylabel="True label", title=f"Confusion matrix (n = {n})")
    return alt


def _score_strip(ax: Any, data: dict[str, Any]) -> str:
    scores = np.asarray(data["scores"], dtype=float)
    labels = np.asarray(data["labels"], dtype=int)
    threshold = float(data["threshold"])
    ax.axvspan(threshold, 1.02, color=GREY, alpha=0.08, linewidth=0)
    for label, colour, marker in ((1, VERMILLION, "^"), (0, BLUE, "o")):
        chosen = scores[labels == label]
        ax.scatter(
            chosen,
            label + _jitter(chosen.size),
            s=46 if label else 34,  # a triangle looks smaller than a disc of the same area
            color=colour,
            marker=marker,
            edgecolors=PAPER,
            linewidths=0.6,
            zorder=3,
        )
    ax.axvline(threshold, color=INK, linestyle="--", linewidth=1.4, zorder=2)
    ax.text(
        threshold,
        1.52,
        f" threshold {threshold:.2f} ",
        fontsize=SMALL,
        va="top",
        ha="left" if threshold < 0.7 else "right",
    )
    positives = int(labels.sum())
    ax.set(
        xlim=(-0.02, 1.02),
        ylim=(-0.55, 1.6),
        yticks=[0, 1],
        yticklabels=[f"no lesion\n({scores.size - positives})", f"lesion\n({positives})"],
        xlabel="Score (at or above the threshold: positive)",
        ylabel="True label",
        title="Scores by true class",
    )
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    flagged = int(np.sum(scores >= threshold))
    return (
        f"Strip plot of the {scores.size} scores by true class ({positives} lesion, "
        f"{scores.size - positives} no lesion) with the threshold line at {threshold:.2f}: "
        f"{flagged} scores are at or above it."
    )


def _class_weights(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    classes = exercise.data["classes"]
    names = [c["label"] for c in classes]
    counts = np.array([c["count"] for c in classes])
    weights = np.array([exercise.expected[f"weight_{c['key']}"] for c in classes], dtype=float)
    y = np.arange(len(classes))
    figure.set_size_inches(_WIDTH, 2.4 + 1.0 * len(classes))
    left, right = figure.subplots(2, 1)
    left.barh(y, counts, color=BLUE, height=0.6)
    right.barh(y, weights, color=ORANGE, height=0.6)
    for ax, values, texts in (
        (left, counts, [str(int(c)) for c in counts]),
        (right, weights, [show(w, 3) for w in weights]),
    ):
        for row, (value, text) in enumerate(zip(values, texts, strict=True)):
            ax.text(value, row, f" {text}", va="center", fontsize=SMALL)
        ax.set_xlim(0, values.max() * 1.3)
        ax.set(yticks=y, yticklabels=names)
        ax.set_ylim(len(classes) - 0.35, -0.65)  # the majority on top, room for the label
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
    right.axvline(1, color=GREY, linestyle="--", linewidth=1)
    right.text(1, len(classes) - 0.45, " weight 1", color=GREY, fontsize=SMALL, va="bottom")
    left.set(xlabel="Images", title="Class counts")
    right.set(xlabel="Balanced weight n / (k · n_c)", title="Balanced class weights")
    n, k = int(counts.sum()), len(classes)
    listed = "; ".join(
        f"{name} {int(c)} images, weight {show(w, 3)}"
        for name, c, w in zip(names, counts, weights, strict=True)
    )
    return (
        f"Two bar charts for {k} classes, {n} images in all, of the class counts and their "
        f"balanced weights: {listed}."
    )


def _agreement(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    data, expected = exercise.data, exercise.expected
    categories = list(data["categories"])
    if "counts" in data:
        return _fleiss_table(figure, data, expected, mpl)
    a = np.asarray(data["reader_a"], dtype=np.int64)
    b = np.asarray(data["reader_b"], dtype=np.int64)
    k = len(categories)
    table = np.zeros((k, k), dtype=np.int64)
    np.add.at(table, (a, b), 1)
    figure.set_size_inches(_WIDTH, 5.9)
    ax = figure.subplots()
    ax.set_box_aspect(1)
    _heatmap(ax, table, mpl, fontsize=16)
    ax.set_xticklabels(categories)
    ax.set_yticklabels(categories, rotation=90, va="center")
    ax.set(
        xlabel="Reader B",
        ylabel="Reader A",
        title=(
            f"Two readers, {a.size} images\nobserved agreement {_ratio(expected['p_o'])}, "
            f"chance {_ratio(expected['p_e'])}\nCohen's κ {_ratio(expected['kappa'])}"
        ),
    )
    cells = "; ".join(
        f"A {categories[i]} and B {categories[j]} {int(table[i, j])}"
        for i in range(k)
        for j in range(k)
    )
    return (
        f"Agreement matrix heat map of two readers over {a.size} images: {cells}. Observed "
        f"agreement {_ratio(expected['p_o'])}, chance agreement {_ratio(expected['p_e'])}, "
        f"Cohen's kappa {_ratio(expected['kappa'])}."
    )


def _fleiss_table(
    figure: Any, data: dict[str, Any], expected: dict[str, float | None], mpl: SimpleNamespace
) -> str:
    counts = np.asarray(data["counts"], dtype=np.int64)
    categories = list(data["categories"])
    subjects, raters = counts.shape[0], int(data["raters"])
    figure.set_size_inches(_WIDTH, 2.2 + 0.34 * subjects)
    ax = figure.subplots()
    # Cases run down the page, as in the data table: a phone has room for rows, not columns.
    _heatmap(ax, counts, mpl, fontsize=SMALL)
    ax.set_yticklabels([str(i + 1) for i in range(subjects)])
    ax.set_xticklabels(categories)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set(
        xlabel="Category",
        ylabel="Case",
        title=(
            f"Readers (of {raters}) choosing each\ncategory, per case: "
            f"Fleiss' κ {_ratio(expected['kappa'])}"
        ),
    )
    totals = ", ".join(
        f"{name} {int(t)}" for name, t in zip(categories, counts.sum(axis=0), strict=True)
    )
    unanimous = int(np.sum(counts.max(axis=1) == raters))
    return (
        f"Heat map of a table of {subjects} cases by {len(categories)} categories, counting "
        f"how many of the {raters} readers put each case in each category. Ratings per "
        f"category: "
        f"{totals}; {unanimous} of {subjects} cases are unanimous. Mean observed agreement "
        f"{_ratio(expected['p_bar'])}, chance agreement {_ratio(expected['p_e_bar'])}, "
        f"Fleiss' kappa {_ratio(expected['kappa'])}."
    )


def _segmentation(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    truth = np.asarray(exercise.data["ground_truth"], dtype=bool)
    prediction = np.asarray(exercise.data["prediction"], dtype=bool)
    # 0 neither, 1 ground truth only, 2 prediction only, 3 both
    layers = truth.astype(np.int64) + 2 * prediction.astype(np.int64)
    # "Neither" is transparent: the page's own background, light or dark, shows through.
    colours = [(0, 0, 0, 0), ORANGE, SKY_BLUE, BLUE]
    ax = figure.subplots()
    ax.imshow(layers, cmap=mpl.ListedColormap(colours), vmin=-0.5, vmax=3.5, aspect="auto")
    ax.set_box_aspect(1)  # square pixels
    size = truth.shape[0]
    _cell_lines(ax, size, size, linewidth=0.5)
    ax.set(xticks=range(0, size, 4), yticks=range(0, size, 4))
    both = int(np.sum(truth & prediction))
    truth_only = int(np.sum(truth & ~prediction))
    prediction_only = int(np.sum(~truth & prediction))
    neither = truth.size - both - truth_only - prediction_only
    handles = [
        mpl.Patch(facecolor=BLUE, label=f"both (overlap): {both} px"),
        mpl.Patch(facecolor=ORANGE, label=f"ground truth only (missed): {truth_only} px"),
        mpl.Patch(facecolor=SKY_BLUE, label=f"prediction only (false alarm): {prediction_only} px"),
        mpl.Patch(facecolor="none", edgecolor=GREY, label=f"neither: {neither} px"),
    ]
    figure.legend(handles=handles, loc="outside lower center", frameon=False)
    expected = exercise.expected
    ax.set(
        xlabel="Column",
        ylabel="Row",
        title=(
            f"Ground truth and prediction,\n{size}×{size} px: "
            f"Dice {_ratio(expected['dice'])}, IoU {_ratio(expected['iou'])}"
        ),
    )
    return (
        f"Overlay of the ground-truth and predicted lesion masks on a {size}×{size} pixel "
        f"patch: {both} pixels in both, {truth_only} in the ground truth only, "
        f"{prediction_only} in the prediction only, {neither} in neither (ground truth "
        f"{both + truth_only} px, prediction {both + prediction_only} px). Dice "
        f"{_ratio(expected['dice'])}, IoU {_ratio(expected['iou'])}, pixel accuracy "
        f"{_ratio(expected['pixel_accuracy'])}."
    )


def _leakage(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    per_patient = leakage.split_by_patient(exercise.data["images"])
    patients = sorted(per_patient)
    train = np.array([per_patient[p]["train"] for p in patients])
    test = np.array([per_patient[p]["test"] for p in patients])
    leaking = [i for i, p in enumerate(patients) if train[i] and test[i]]
    y = np.arange(len(patients))
    # Patients run down the page, one bar each: a phone is narrower than 26 patient ids.
    figure.set_size_inches(_WIDTH, 2.6 + 0.3 * len(patients))
    ax = figure.subplots()
    for i in leaking:
        ax.axhspan(i - 0.5, i + 0.5, color=VERMILLION, alpha=0.16, linewidth=0)
    ax.barh(y, train, color=BLUE, height=0.7, label="train images")
    ax.barh(y, test, left=train, color=ORANGE, height=0.7, label="test images")
    top = int((train + test).max())
    for i in leaking:
        ax.text(train[i] + test[i] + 0.1, i, "both", ha="left", va="center", fontsize=SMALL)
    ticks = ax.set_yticks(y, patients)
    for i in leaking:
        ticks[i].label1.set(fontweight="bold", color=VERMILLION)
    ax.set_ylim(len(patients) - 0.4, -0.6)
    ax.set_xlim(0, top + 1.4)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    handles, _ = ax.get_legend_handles_labels()
    if leaking:
        handles.append(
            mpl.Patch(facecolor=VERMILLION, alpha=0.16, label="patient in both splits (leak)")
        )
    figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    leaked_test = int(test[leaking].sum()) if leaking else 0
    ax.set(
        xlabel="Images",
        ylabel="Patient",
        title=(
            f"Images per patient\n{len(leaking)} of {len(patients)} patients in both "
            f"splits,\n{_plural(leaked_test, 'leaked test image')}"
        ),
    )
    if leaking:
        listed = "; ".join(f"{patients[i]} ({train[i]} train, {test[i]} test)" for i in leaking)
        found = (
            f"{len(leaking)} in both splits, highlighted: {listed}. Test images whose "
            f"patient is also in train: {leaked_test}."
        )
    else:
        found = "no patient has images in both splits."
    return (
        f"Stacked bar chart of train and test images for each of {len(patients)} patients "
        f"({int(train.sum())} train, {int(test.sum())} test images); {found}"
    )


def _roc(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    data, expected = exercise.data, exercise.expected
    scores = np.asarray(data["scores"], dtype=float)
    labels = np.asarray(data["labels"], dtype=bool)
    threshold = float(data["threshold"])
    # One point per distinct score, highest first: tied scores enter together, which draws
    # the diagonal segment that 'ties count one half' integrates.
    cuts = np.unique(scores)[::-1]
    points = [roc.operating_point(scores, labels, t) for t in cuts]
    # The generator always draws cases of both classes, so no rate is undefined here.
    tprs: list[float] = [0.0]
    fprs: list[float] = [0.0]
    for sens, spec in points:
        assert sens is not None and spec is not None
        tprs.append(sens)
        fprs.append(1 - spec)
    tpr, fpr = np.array(tprs), np.array(fprs)
    sensitivity, specificity = expected["sensitivity"], expected["specificity"]
    assert sensitivity is not None and specificity is not None
    target = float(data["target_sensitivity"])
    ax = figure.subplots()
    ax.set_box_aspect(1)
    ax.plot([0, 1], [0, 1], color=GREY, linestyle=":", linewidth=1, label="chance (AUC 0.5)")
    ax.axhline(target, color=GREEN, linestyle="--", linewidth=1, label=f"target {target:.2f}")
    ax.plot(fpr, tpr, color=BLUE, linewidth=2, marker="o", markersize=3.5, label="ROC curve")
    ax.plot(
        [1 - specificity],
        [sensitivity],
        linestyle="none",
        marker="D",
        markersize=9,
        color=VERMILLION,
        markeredgecolor=INK,
        label=f"threshold {threshold:.2f}",
        zorder=4,
    )
    ax.annotate(
        f"threshold {threshold:.2f}\nsensitivity {_ratio(sensitivity)}\n"
        f"specificity {_ratio(specificity)}",
        (1 - specificity, sensitivity),
        # Away from the corners, so the box stays inside the axes.
        xytext=(14 if specificity > 0.45 else -14, -14 if sensitivity > 0.3 else 40),
        ha="left" if specificity > 0.45 else "right",
        textcoords="offset points",
        va="top",
        fontsize=SMALL,
        bbox={"boxstyle": "round,pad=0.3", "facecolor": PAPER, "edgecolor": GREY},
    )
    ax.set(
        xlim=(-0.02, 1.02),
        ylim=(-0.02, 1.02),
        xlabel="False positive rate (1 − specificity)",
        ylabel="True positive rate (sensitivity)",
        title=f"ROC curve, AUC = {_ratio(expected['auc'])}",
    )
    ax.grid(color=GRID, linewidth=0.6)
    figure.legend(loc="outside lower center", ncols=2, frameon=False)
    p = int(labels.sum())
    return (
        f"ROC curve of {scores.size} cases ({p} positive, {scores.size - p} negative), AUC "
        f"{_ratio(expected['auc'])}. The operating point at threshold {threshold:.2f} has "
        f"sensitivity {_ratio(sensitivity)} and specificity {_ratio(specificity)} (false "
        f"positive rate {_ratio(1 - specificity)}); a dashed line marks the target "
        f"sensitivity {target:.2f}."
    )


def _dicom(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    # Imported here: it pulls in pydicom, which no other figure needs.
    from .dicom_file import pixel_image

    data = exercise.data
    slope, intercept = data["rescale_slope"], data["rescale_intercept"]
    name, centre, width = (data["window"][k] for k in ("name", "centre", "width"))
    pixels = data["pixels"]
    # The very slice the exercise's DICOM file holds, windowed as the exercise asks.
    stored = pixel_image(exercise)
    size_y, size_x = stored.shape
    grey = dicom.window(dicom.to_hu(stored, slope, intercept), centre, width)
    # A square image with the colour bar below it, across the column.
    figure.set_size_inches(_WIDTH, 6.9)
    ax = figure.subplots()
    # The axes are about 4 in wide, about 400 px at 100 dpi: a 512-pixel slice shown at half
    # resolution looks the same and halves the embedded image, most of the render time.
    rows_n, cols_n = grey.shape
    image = ax.imshow(
        grey[::2, ::2],
        cmap="gray",
        vmin=0,
        vmax=255,
        interpolation="nearest",
        extent=(-0.5, cols_n - 0.5, rows_n - 0.5, -0.5),
    )
    rows = [p["row"] for p in pixels]
    columns = [p["column"] for p in pixels]
    hu_values = dicom.to_hu([p["stored"] for p in pixels], slope, intercept)
    # One pixel is too small to see at this size: each marker is filled with its pixel's
    # displayed grey, inside a yellow ring and a black one that stand out on any grey.
    shades = [(g / 255, g / 255, g / 255) for g in dicom.window(hu_values, centre, width)]
    for colour, line, fill in ((FIXED_INK, 4.0, "none"), (YELLOW, 1.8, shades)):
        ax.scatter(
            columns,
            rows,
            s=170,
            facecolors=fill,
            edgecolors=colour,
            linewidths=line,
            clip_on=False,  # a pixel on the edge of the slice keeps its whole ring
        )
    for i, (r, c) in enumerate(zip(rows, columns, strict=True)):
        ax.annotate(
            str(i + 1),
            (c, r),
            # Labels point inwards, so none leaves the image or covers the title.
            xytext=(10 if c < size_x - 60 else -19, 10 if r > 60 else -21),
            textcoords="offset points",
            fontsize=SMALL,
            fontweight="bold",
            color=FIXED_INK,  # on the image, whose colours do not follow the theme
            bbox={"boxstyle": "round,pad=0.2", "facecolor": FIXED_PAPER, "edgecolor": FIXED_INK},
        )
    low = centre - 0.5 - (width - 1) / 2
    high = centre - 0.5 + (width - 1) / 2
    bar = figure.colorbar(image, ax=ax, orientation="horizontal", fraction=0.05, aspect=30)
    bar.set_ticks(
        [0, 127.5, 255],
        labels=[f"0: ≤ {_hu(low)}", f"centre\n{_hu(centre)}", f"255: > {_hu(high)}"],
    )
    bar.ax.get_xticklabels()[0].set_horizontalalignment("left")
    bar.ax.get_xticklabels()[-1].set_horizontalalignment("right")
    bar.set_label("Displayed grey level")
    ax.set(
        xlabel="Column",
        ylabel="Row",
        title=f"CT slice, {name} window\ncentre {_hu(centre)}, width {_hu(width)}",
        xticks=[0, 256, 511],
        yticks=[0, 256, 511],
    )
    marked = "; ".join(
        f"{i + 1} at row {p['row']}, column {p['column']}, stored {p['stored']} = {show(h, 1)} HU"
        for i, (p, h) in enumerate(zip(pixels, hu_values, strict=True))
    )
    burned = any(
        a["keyword"] == "BurnedInAnnotation" and a["value"] == "YES" for a in data["attributes"]
    )
    return (
        f"Synthetic {size_y}×{size_x} CT slice (body, fat layer, ribs, lungs, a vertebra and a "
        f"small nodule"
        + ("; the patient's name and ID are burned into the top-left corner" if burned else "")
        + f") shown in the {name} window, centre {centre} HU and width {width} HU: {low:g} HU "
        f"and below is black, above {high:g} HU white. Rescale slope {slope:g}, intercept "
        f"{intercept:g}. {len(pixels)} queried pixels are marked, each filled with its "
        f"displayed grey: {marked}."
    )


def _intervals(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    data, expected = exercise.data, exercise.expected
    n, k = int(data["positives"]), int(data["detected"])
    rows = [("Wilson", expected["wilson_low"], expected["wilson_high"], BLUE)]
    if "cp_low" in expected:
        rows.append(("Clopper–Pearson", expected["cp_low"], expected["cp_high"], ORANGE))
    paired = data.get("paired")
    if paired:
        figure.set_size_inches(_WIDTH, 7.6)
        ax, table_ax = figure.subplots(2, 1, height_ratios=[1, 1.6])
    else:
        ax = figure.subplots()
    sensitivity = k / n
    for row, (_name, low, high, colour) in enumerate(rows):
        assert low is not None and high is not None
        ax.plot([low, high], [row, row], color=colour, linewidth=5, solid_capstyle="butt")
        ax.plot([sensitivity], [row], marker="o", color=INK, markersize=7)
        ax.text(low, row + 0.22, f"{show(low)}", ha="right", va="top", fontsize=SMALL)
        ax.text(high, row + 0.22, f"{show(high)}", ha="left", va="top", fontsize=SMALL)
    ax.set(
        xlim=(max(0.0, min(r[1] or 0 for r in rows) - 0.1), 1.02),
        ylim=(len(rows) - 0.3, -0.6),
        yticks=range(len(rows)),
        yticklabels=[r[0] for r in rows],
        xlabel="Sensitivity",
        title=f"Reader A: {k} of {n} found,\nsensitivity {show(sensitivity)}, 95 % intervals",
    )
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    described = "; ".join(f"{name} {show(low)} to {show(high)}" for name, low, high, _ in rows)
    alt = (
        f"Interval plot of reader A's sensitivity, {k} of {n} positive cases found "
        f"({show(sensitivity)}), with its 95 % intervals: {described}."
    )
    if paired:
        table = np.array(
            [[paired["both"], paired["a_only"]], [paired["b_only"], paired["neither"]]]
        )
        table_ax.set_box_aspect(1)
        _heatmap(table_ax, table, mpl)
        table_ax.set_xticklabels(["B found", "B missed"])
        table_ax.set_yticklabels(["A found", "A missed"], rotation=90, va="center")
        table_ax.set_title(
            f"Paired reads, b = {paired['a_only']}, c = {paired['b_only']}\n"
            f"McNemar p = {show(expected['mcnemar_p'])}"
        )
        alt += (
            f" Paired table of the two readers: both found {paired['both']}, A only "
            f"{paired['a_only']}, B only {paired['b_only']}, neither {paired['neither']}; "
            f"McNemar's exact p-value {show(expected['mcnemar_p'])}."
        )
    return alt


def _calibration(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    data, expected = exercise.data, exercise.expected
    bins, named = int(data["bins"]), int(data["named_bin"])
    hundredths = np.rint(np.asarray(data["probabilities"]) * 100).astype(np.int64)
    outcomes = np.asarray(data["outcomes"], dtype=np.int64)
    counts, confidence, observed = calibration.reliability(hundredths, outcomes, bins)
    figure.set_size_inches(_WIDTH, 8.2)
    top, bottom = figure.subplots(2, 1, height_ratios=[2.3, 1], sharex=True)
    filled = [b for b in range(bins) if confidence[b] is not None]
    xs = np.array([confidence[b] for b in filled], dtype=float)
    ys = np.array([observed[b] for b in filled], dtype=float)
    top.vlines(np.arange(bins + 1) / bins, -0.03, 1.03, color=GRID, linewidth=0.8, zorder=0)
    top.plot([0, 1], [0, 1], color=GREY, linestyle=":", linewidth=1, label="calibrated")
    top.vlines(
        xs, np.minimum(xs, ys), np.maximum(xs, ys), color=ORANGE, linewidth=2, label="gap |p̄ − ȳ|"
    )
    top.plot(xs, ys, color=BLUE, marker="o", markersize=6, linewidth=1.5, label="observed rate ȳ")
    top.plot(
        [confidence[named]],
        [observed[named]],
        linestyle="none",
        marker="D",
        markersize=10,
        color=VERMILLION,
        markeredgecolor=INK,
        label=f"bin {data['named_bin_edges']}",
        zorder=4,
    )
    top.set(
        xlim=(0, 1),
        ylim=(-0.03, 1.03),
        ylabel="Observed rate ȳ",
        title=f"Reliability diagram, {bins} bins\nECE {_ratio(expected['ece'])}, "
        f"Brier {show(expected['brier'], 4)}",
    )
    figure.legend(loc="outside lower center", ncols=2, frameon=False)
    centres = (np.arange(bins) + 0.5) / bins
    colours = [VERMILLION if b == named else SKY_BLUE for b in range(bins)]
    bottom.bar(centres, counts, width=0.9 / bins, color=colours)
    for x, c in zip(centres, counts, strict=True):
        bottom.text(x, c, str(int(c)), ha="center", va="bottom", fontsize=SMALL)
    bottom.set(
        ylim=(0, counts.max() * 1.35),
        xlabel="Predicted probability (bin edges)",
        ylabel="Predictions",
    )
    # Every other edge is labelled: eleven labels do not fit a phone's width.
    bottom.set_xticks(np.arange(bins + 1) / bins, minor=True)
    bottom.set_xticks(np.linspace(0, 1, 6))
    bottom.yaxis.get_major_locator().set_params(integer=True)
    per_bin = "; ".join(
        f"{calibration.edges(bins)[b]}: {int(counts[b])} predictions"
        + (
            f", mean {_ratio(confidence[b])}, observed {_ratio(observed[b])}"
            if confidence[b] is not None
            else ""
        )
        for b in range(bins)
    )
    return (
        f"Reliability diagram of {hundredths.size} predictions in {bins} equal-width bins, with "
        f"a bar chart of the predictions per bin: {per_bin}. The named bin "
        f"{data['named_bin_edges']} is highlighted. ECE {_ratio(expected['ece'])}, Brier score "
        f"{show(expected['brier'], 4)}."
    )


def _detection(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    data, expected = exercise.data, exercise.expected
    images = [
        {
            "lesions": image["lesions"],
            "detections": [
                {"x": d["x"], "y": d["y"], "score_h": round(d["score"] * 100)}
                for d in image["detections"]
            ],
        }
        for image in data["images"]
    ]
    n_images, lesions = len(images), int(data["lesions"])
    points = detection.froc(detection.classify(images))
    floor = 1 / 16  # zero false positives, drawn at the left edge of the log axis
    fps = np.array([max(fp / n_images, floor) for _, fp, _ in points])
    sens = np.array([tp / lesions for _, _, tp in points])
    figure.set_size_inches(_WIDTH, 6.6)
    ax = figure.subplots()
    ax.set_xscale("log", base=2)
    ax.step(fps, sens, where="post", color=BLUE, linewidth=2, label="FROC curve")
    right = max(8.0, float(fps.max())) * 1.3
    # No detection is left below the lowest score: sensitivity stays where it ended.
    ax.plot([fps[-1], right], [sens[-1], sens[-1]], color=BLUE, linewidth=1.2, linestyle="--")
    rates = np.array(detection.RATES) / 8
    readings = np.array([expected[detection.rate_key(r)] for r in detection.RATES], dtype=float)
    ax.vlines(rates, -0.08, 1.05, color=GRID, linewidth=0.8, zorder=0)
    ax.plot(
        rates,
        readings,
        linestyle="none",
        marker="D",
        markersize=8,
        color=ORANGE,
        markeredgecolor=INK,
        label="read at 1/8 … 8 FP/image",
        zorder=4,
    )
    # Two decimals, alternately below and above: eight readings side by side on a phone.
    for i, (r, value) in enumerate(zip(rates, readings, strict=True)):
        ax.annotate(
            show(value, 2),
            (r, value),
            xytext=(0, -17 if i % 2 == 0 else 9),
            textcoords="offset points",
            ha="center",
            fontsize=SMALL,
        )
    tp, fp = int(expected["tp"] or 0), int(expected["fp"] or 0)
    threshold = float(data["threshold"])
    ax.plot(
        [max(fp / n_images, floor)],
        [tp / lesions],
        linestyle="none",
        marker="o",
        markersize=11,
        markerfacecolor="none",
        markeredgecolor=VERMILLION,
        markeredgewidth=2,
        label=f"threshold {threshold:.2f}: TP {tp}, FP {fp}",
        zorder=5,
    )
    ax.set_xticks([floor, *rates], ["0", "1/8", "1/4", "1/2", "1", "2", "4", "8"])
    ax.minorticks_off()
    ax.set(
        xlim=(floor / 1.3, right),
        ylim=(-0.16, 1.12),
        xlabel="False positives per image (log scale)",
        ylabel="Sensitivity (lesions found)",
        title=f"FROC curve: {n_images} images, {lesions} lesions\nCPM {_ratio(expected['cpm'])}",
    )
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    figure.legend(loc="outside lower center", frameon=False)
    listed = ", ".join(
        f"{detection.rate_name(r)}: {show(v, 3)}"
        for r, v in zip(detection.RATES, readings, strict=True)
    )
    return (
        f"FROC curve of {sum(len(i['detections']) for i in images)} detections on {n_images} "
        f"images with {lesions} lesions, sensitivity against false positives per image on a "
        f"log scale. Sensitivity at each rate: {listed}; CPM {_ratio(expected['cpm'])}. At "
        f"threshold {threshold:.2f}: {tp} true and {fp} false positives."
    )


def _boundary(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    data, expected = exercise.data, exercise.expected
    truth = np.asarray(data["ground_truth"], dtype=bool)
    prediction = np.asarray(data["prediction"], dtype=bool)
    spacing = tuple(float(s) for s in data["spacing"])
    # "Neither" and the gaps between slices are transparent: the page's background shows.
    colours = [(0, 0, 0, 0), ORANGE, SKY_BLUE, BLUE, (0, 0, 0, 0)]
    layers = truth.astype(np.int64) + 2 * prediction.astype(np.int64)
    edges = boundary.surface(truth) | boundary.surface(prediction)
    if truth.ndim == 2:
        tiles, labels, per_row = [(layers, edges)], [], 1
    else:
        # The slices side by side in one image (one axes draws far faster than eight),
        # three to a row, a gap of one voxel between them.
        tiles = list(zip(layers, edges, strict=True))
        labels = [f"slice {k}" for k in range(truth.shape[0])]
        per_row = 3
        figure.set_size_inches(_WIDTH, 2.6 + 1.6 * -(-truth.shape[0] // per_row))
    rows_n, cols_n = tiles[0][0].shape
    grid_rows = -(-len(tiles) // per_row)
    height = grid_rows * (rows_n + 1) - 1
    width = per_row * (cols_n + 1) - 1
    canvas = np.full((height, width), 4, dtype=np.int64)
    dots_y: list[int] = []
    dots_x: list[int] = []
    ax = figure.subplots()
    for k, (layer, edge) in enumerate(tiles):
        top, left = (k // per_row) * (rows_n + 1), (k % per_row) * (cols_n + 1)
        canvas[top : top + rows_n, left : left + cols_n] = layer
        ys, xs = np.nonzero(edge)
        dots_y += (ys + top).tolist()
        dots_x += (xs + left).tolist()
        if labels:
            ax.text(left - 0.5, top - 0.7, labels[k], fontsize=SMALL, va="bottom")
            # An outline per slice: its empty voxels are transparent, as is the gap.
            x0, y0, x1, y1 = left - 0.5, top - 0.5, left + cols_n - 0.5, top + rows_n - 0.5
            ax.plot([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], color=GREY, linewidth=0.8)
    row_mm, col_mm = spacing[-2], spacing[-1]
    ax.imshow(canvas, cmap=mpl.ListedColormap(colours), vmin=-0.5, vmax=4.5, aspect=row_mm / col_mm)
    _cell_lines(ax, height, width, linewidth=0.4)
    ax.scatter(dots_x, dots_y, s=5 if truth.ndim == 3 else 9, color=INK, linewidths=0)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if labels:
        ax.set_ylim(height - 0.5, -3.2)
    handles = [
        mpl.Patch(facecolor=BLUE, label="both"),
        mpl.Patch(facecolor=ORANGE, label="ground truth only"),
        mpl.Patch(facecolor=SKY_BLUE, label="prediction only"),
        mpl.Patch(facecolor="none", edgecolor=GREY, label="neither"),
    ]
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncols=2,
        frameon=False,
        title="dots: surface voxels",
    )
    spaced = " × ".join(f"{s:g}" for s in spacing)
    summary = (
        f"HD {show(expected['hd_mm'], 2)} mm, HD95 {show(expected['hd95_mm'], 2)} mm, "
        f"ASSD {show(expected['assd_mm'], 2)} mm"
    )
    scale = "drawn to scale" if truth.ndim == 2 else "each slice to scale"
    ax.set_title(f"Voxels {spaced} mm, {scale}\n{summary}", fontsize=SMALL + 0.5)
    shape = " × ".join(str(n) for n in truth.shape)
    return (
        f"Overlay of the ground-truth and predicted masks ({shape} voxels of {spaced} mm"
        + (", one panel per slice" if truth.ndim == 3 else "")
        + f") with the surface voxels dotted: ground truth {int(truth.sum())} voxels, "
        f"prediction {int(prediction.sum())}, {int((truth & prediction).sum())} in both. "
        f"Hausdorff distance {show(expected['hd_mm'], 2)} mm, HD95 "
        f"{show(expected['hd95_mm'], 2)} mm, ASSD {show(expected['assd_mm'], 2)} mm; ignoring "
        f"the spacing {show(expected['hd_vox'], 2)}, {show(expected['hd95_vox'], 2)} and "
        f"{show(expected['assd_vox'], 2)} voxels."
    )


def _hu(value: float) -> str:
    return f"{value:g} HU".replace("-", "\u2212")  # a real minus sign reads better in charts


def _nifti(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    data = exercise.data
    affine = np.array(data["affine"])
    shape = data["shape"]
    start = affine[:3, 3]  # voxel (0, 0, 0)
    steps = [affine[:3, axis] * (shape[axis] - 1) for axis in range(3)]
    voxel = nifti.voxel_to_world(affine, data["voxel"])
    codes = nifti.axis_codes(affine)
    colours = (BLUE, VERMILLION, GREEN)
    # Two square panels, one above the other, over the same cube of world space so that
    # lengths compare between and within them.
    figure.set_size_inches(_WIDTH, 9.4)
    panels = list(figure.subplots(2, 1))
    points = np.array([start, *(start + s for s in steps), voxel])
    middle = (points.min(axis=0) + points.max(axis=0)) / 2
    half = 0.62 * max(float((points.max(axis=0) - points.min(axis=0)).max()), 10.0)
    views = (
        (0, 1, "Seen from above", "x (mm), + is R", "y (mm), + is A"),
        (0, 2, "Seen from the front", "x (mm), + is R", "z (mm), + is S"),
    )
    for ax, (h, v, title, xlabel, ylabel) in zip(panels, views, strict=True):
        for axis, (step, colour) in enumerate(zip(steps, colours, strict=True)):
            ax.annotate(
                "",
                xy=(start[h] + step[h], start[v] + step[v]),
                xytext=(start[h], start[v]),
                arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 2},
            )
            ax.text(
                start[h] + step[h],
                start[v] + step[v],
                f" {'ijk'[axis]} → {codes[axis]}",
                color=colour,
                fontsize=SMALL,
                fontweight="bold",
            )
        ax.plot(start[h], start[v], "o", color=INK, markersize=5)
        ax.plot(voxel[h], voxel[v], "D", color=ORANGE, markeredgecolor=INK, markersize=8)
        ax.set_xlim(middle[h] - half, middle[h] + half)
        ax.set_ylim(middle[v] - half, middle[v] + half)
        ax.set_box_aspect(1)
        ax.grid(color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    figure.legend(
        handles=[
            mpl.Patch(color=INK, label="voxel (0, 0, 0)"),
            mpl.Patch(color=ORANGE, label=f"voxel ({', '.join(map(str, data['voxel']))})"),
        ],
        loc="outside lower center",
        ncols=2,
        frameon=False,
    )
    directions = "; ".join(
        f"{'ijk'[axis]} runs {_world_direction(codes[axis])} over {shape[axis]} voxels"
        for axis in range(3)
    )
    return (
        f"The voxel axes of a {shape[0]}×{shape[1]}×{shape[2]} NIfTI volume drawn in RAS+ "
        f"world millimetres, seen from above (x, y) and from the front (x, z). From voxel "
        f"(0, 0, 0) at {_point(start)}: {directions} (axis codes {codes}). Voxel "
        f"({', '.join(map(str, data['voxel']))}) is marked at {_point(voxel)}."
    )


def _world_direction(letter: str) -> str:
    return {
        "R": "towards the right",
        "L": "towards the left",
        "A": "anterior",
        "P": "posterior",
        "S": "superior",
        "I": "inferior",
    }[letter]


def _point(values: np.ndarray) -> str:
    return "(" + ", ".join(show(float(v), 1) for v in values) + ") mm"


def _dicom_geometry(figure: Any, exercise: Exercise, mpl: SimpleNamespace) -> str:
    data, text = exercise.data, exercise.expected_text
    row_spacing, column_spacing = data["pixel_spacing"]
    rows, columns = data["rows"], data["columns"]
    pixel = data["pixel"]
    width, height = (columns - 1) * column_spacing, (rows - 1) * row_spacing
    figure.set_size_inches(_WIDTH, 8.4)
    plane, stack = figure.subplots(2, 1, height_ratios=[1.6, 0.7])
    plane.fill([0, width, width, 0], [0, 0, height, height], facecolor=FAINT, edgecolor=GREY)
    row_letter, column_letter = text["row_direction"], text["column_direction"]
    for (dx, dy), colour, label in (
        ((0.45 * width, 0), BLUE, f"X, along a row: {row_letter}\nΔc {column_spacing:g} mm"),
        (
            (0, 0.45 * height),
            VERMILLION,
            f"Y, down a column: {column_letter}\nΔr {row_spacing:g} mm",
        ),
    ):
        plane.annotate(
            "",
            xy=(dx, dy),
            xytext=(0, 0),
            arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 2.2},
        )
        plane.text(
            0.04 * width,
            dy + 0.06 * height if dy else 0.08 * height,
            label,
            color=colour,
            fontsize=SMALL,
            fontweight="bold",
            va="top",
        )
    px, py = pixel["column"] * column_spacing, pixel["row"] * row_spacing
    plane.plot(0, 0, "o", color=INK, markersize=6)
    plane.plot(px, py, "D", color=ORANGE, markeredgecolor=INK, markersize=8)
    side = max(width, height) * 1.08
    plane.set_xlim(-0.04 * side, side)
    plane.set_ylim(side, -0.04 * side)  # row 0 on top, as the image is shown
    plane.set_box_aspect(1)
    plane.set(
        title=f"{pixel['file']}: {rows} rows × {columns} columns",
        xlabel="c · Δc (mm)",
        ylabel="r · Δr (mm)",
    )

    n = dicom_geometry.normal(np.array(data["orientation"]))
    along = {s["label"]: float(np.dot(s["position"], n)) for s in data["slices"]}
    low = min(along.values())
    thickness = data["slice_thickness"]
    ordered = sorted(along.items(), key=lambda item: item[1])
    for i, (label, value) in enumerate(ordered):
        centre = value - low
        stack.axvspan(centre - thickness / 2, centre + thickness / 2, color=SKY_BLUE, alpha=0.25)
        stack.axvline(centre, color=BLUE, linewidth=2)
        stack.text(
            centre,
            0.95 - 0.08 * (i % 2),
            label,
            ha="center",
            va="top",
            fontsize=SMALL,
            fontweight="bold",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": PAPER, "edgecolor": BLUE},
            transform=stack.get_xaxis_transform(),
        )
    span = max(ordered[-1][1] - low, 1.0)
    stack.set_xlim(-0.6 * thickness - 0.05 * span, span + 0.6 * thickness + 0.05 * span)
    stack.set_yticks([])
    stack.set(xlabel="S · n from the lowest slice (mm)")
    stack.set_title(f"Slices along n = X × Y\neach {thickness:g} mm thick (shaded)")
    order = " ".join(label for label, _ in ordered)
    point = ", ".join(show(exercise.expected[a], 2) for a in "xyz")
    return (
        f"Above: the image plane of {pixel['file']}, {rows} rows by {columns} columns, in mm "
        f"from the first pixel S; X, the row direction, runs {_side(row_letter)} with "
        f"Δc {column_spacing:g} mm between columns; Y, the column direction, runs "
        f"{_side(column_letter)} with Δr {row_spacing:g} mm between rows; the pixel at "
        f"row {pixel['row']}, column {pixel['column']} is marked, at ({point}) mm. Below: "
        f"the {len(ordered)} slices along the normal, in order {order}, "
        f"{show(exercise.expected['spacing'], 2)} mm apart, each drawn "
        f"{thickness:g} mm thick."
    )


def _side(letter: str) -> str:
    return dicom_geometry.DIRECTION_NAMES[letter]


_Drawer = Callable[[Any, Exercise, SimpleNamespace], str]
# kind -> (figure height in inches, drawer)
_DRAWERS: dict[str, tuple[float, _Drawer]] = {
    "classification": (5.6, _classification),
    "class_weights": (5.0, _class_weights),
    "agreement": (5.9, _agreement),
    "segmentation": (6.8, _segmentation),
    "leakage": (6.0, _leakage),
    "roc": (6.4, _roc),
    "dicom": (6.9, _dicom),
    "nifti": (9.4, _nifti),
    "dicom_geometry": (8.4, _dicom_geometry),
    "intervals": (3.4, _intervals),
    "calibration": (8.2, _calibration),
    "detection": (6.6, _detection),
    "boundary": (7.0, _boundary),
}
