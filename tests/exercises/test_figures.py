import dataclasses
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

from questions.exercises import KINDS, LEVELS, Exercise, generate
from questions.exercises.base import fmt
from questions.exercises.figures import Figure, render_figure

ROOT = Path(__file__).resolve().parents[2]
SVG_SEEDS = (0, 1, 2)
PNG_SEEDS = (0, 1)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EVERY_KIND_AND_LEVEL = [(kind, level) for kind in KINDS for level in LEVELS]


@cache
def rendered(kind: str, seed: int, level: str, form: str) -> Figure:
    """One render per case, shared by the tests that only read it (renders take ~0.1 s)."""
    return render_figure(generate(kind, seed, level), form)


def first_seed(kind: str, level: str, condition) -> int:
    return next(s for s in range(500) if condition(generate(kind, s, level)))


def png_size(content: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", content[16:24])  # the IHDR chunk comes first
    return width, height


@pytest.mark.parametrize(("kind", "level"), EVERY_KIND_AND_LEVEL)
def test_every_kind_and_level_renders_valid_svg(kind, level):
    for seed in SVG_SEEDS:
        figure = rendered(kind, seed, level, "svg")

        assert figure.content_type == "image/svg+xml"
        assert figure.content.lstrip().startswith((b"<?xml", b"<svg")), (seed,)
        root = ET.fromstring(figure.content)
        assert root.tag == "{http://www.w3.org/2000/svg}svg", (seed,)
        # Glyphs are drawn as paths, so the figure looks the same without the font.
        assert root.find(".//{http://www.w3.org/2000/svg}text") is None, (seed,)


@pytest.mark.parametrize(("kind", "level"), EVERY_KIND_AND_LEVEL)
def test_every_kind_and_level_renders_png_of_a_readable_width(kind, level):
    for seed in PNG_SEEDS:
        figure = rendered(kind, seed, level, "png")

        assert figure.content_type == "image/png"
        assert figure.content.startswith(PNG_MAGIC), (seed,)
        width, height = png_size(figure.content)
        # Phone-first figures stack their panels, so they are taller than wide at most.
        assert 600 <= width <= 800 and 200 <= height <= 1500, (seed, width, height)


@pytest.mark.parametrize(("kind", "level"), EVERY_KIND_AND_LEVEL)
def test_the_same_exercise_gives_the_same_bytes(kind, level):
    for form in ("svg", "png"):
        again = render_figure(generate(kind, 0, level), form)

        assert again == rendered(kind, 0, level, form), form


def test_renders_in_parallel_threads_match_serial_ones():
    cases = [(kind, 1, "medium") for kind in KINDS]

    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda case: render_figure(generate(*case)), cases))

    assert threaded == [rendered(kind, seed, level, "svg") for kind, seed, level in cases]


def test_svg_carries_no_creation_date():
    content = rendered("roc", 0, "easy", "svg").content

    assert b"<dc:date>" not in content


def test_importing_the_module_does_not_import_matplotlib():
    code = "import questions.exercises.figures, sys; assert 'matplotlib' not in sys.modules"

    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_it_refuses_an_unknown_format_and_kind():
    exercise = generate("roc", 0, "easy")

    with pytest.raises(ValueError, match="fmt must be one of svg, png"):
        render_figure(exercise, "gif")
    with pytest.raises(KeyError, match="no figure for exercise kind 'tarot'"):
        render_figure(dataclasses.replace(exercise, kind="tarot"))


@pytest.mark.parametrize(("kind", "level"), EVERY_KIND_AND_LEVEL)
def test_alt_text_is_a_sentence_without_raw_floats(kind, level):
    alt = rendered(kind, 0, level, "svg").alt

    assert len(alt) > 60 and alt.endswith(".")
    assert not re.search(r"\b(None|nan)\b", alt)
    assert "0000000" not in alt  # numbers are rounded as the page shows them


@pytest.mark.parametrize("level", LEVELS)
def test_classification_alt_gives_the_four_cells(level):
    exercise = generate("classification", 0, level)
    e = exercise.expected

    alt = rendered("classification", 0, level, "svg").alt

    assert alt.startswith("Confusion matrix heat map") or level == "hard"
    for cell in ("tp", "fp", "fn", "tn"):
        assert f"{cell.upper()} {int(e[cell])}" in alt
    if level == "hard":
        assert f"threshold line at {exercise.data['threshold']:.2f}" in alt


def test_classification_renders_when_nothing_is_flagged():
    seed = first_seed("classification", "hard", lambda e: e.expected["precision"] is None)

    figure = render_figure(generate("classification", seed, "hard"))

    assert "TP 0, FP 0" in figure.alt and "0 scores are at or above it" in figure.alt


@pytest.mark.parametrize("level", LEVELS)
def test_class_weights_alt_gives_every_count_and_weight(level):
    exercise = generate("class_weights", 0, level)

    alt = rendered("class_weights", 0, level, "svg").alt

    for row in exercise.data["classes"]:
        weight = fmt(exercise.expected[f"weight_{row['key']}"], 3)
        assert f"{row['label']} {row['count']} images, weight {weight}" in alt


@pytest.mark.parametrize("level", ["easy", "medium"])
def test_cohen_alt_gives_the_agreement_table_and_kappa(level):
    exercise = generate("agreement", 0, level)
    a, b = exercise.data["reader_a"], exercise.data["reader_b"]
    both = sum(x == y == 1 for x, y in zip(a, b, strict=True))
    neither = sum(x == y == 0 for x, y in zip(a, b, strict=True))

    alt = rendered("agreement", 0, level, "svg").alt

    assert f"A lesion and B lesion {both}" in alt
    assert f"A no lesion and B no lesion {neither}" in alt
    assert f"Cohen's kappa {fmt(exercise.expected['kappa'])}" in alt


def test_cohen_figure_says_undefined_when_kappa_is():
    base = generate("agreement", 0, "easy")
    n = len(base.data["reader_a"])
    exercise = dataclasses.replace(
        base,
        data=base.data | {"reader_a": [0] * n, "reader_b": [0] * n},
        expected={"p_o": 1.0, "p_e": 1.0, "kappa": None},
    )

    figure = render_figure(exercise)

    assert "Cohen's kappa undefined" in figure.alt
    ET.fromstring(figure.content)


def test_fleiss_alt_gives_category_totals_and_kappa():
    seed = first_seed("agreement", "hard", lambda e: len(e.data["categories"]) == 3)
    exercise = generate("agreement", seed, "hard")
    totals = [sum(row[j] for row in exercise.data["counts"]) for j in range(3)]

    alt = render_figure(exercise).alt

    for name, total in zip(exercise.data["categories"], totals, strict=True):
        assert f"{name} {total}" in alt
    assert f"Fleiss' kappa {fmt(exercise.expected['kappa'])}" in alt


@pytest.mark.parametrize("level", LEVELS)
def test_segmentation_alt_gives_the_overlap_and_scores(level):
    exercise = generate("segmentation", 0, level)
    truth, prediction = exercise.data["ground_truth"], exercise.data["prediction"]
    both = sum(
        t and p
        for t_row, p_row in zip(truth, prediction, strict=True)
        for t, p in zip(t_row, p_row, strict=True)
    )

    alt = rendered("segmentation", 0, level, "svg").alt

    assert f"{both} pixels in both" in alt
    for name, label in (("dice", "Dice"), ("iou", "IoU"), ("pixel_accuracy", "pixel accuracy")):
        assert f"{label} {fmt(exercise.expected[name])}" in alt


def test_segmentation_renders_two_empty_masks():
    seed = first_seed(
        "segmentation",
        "hard",
        lambda e: not any(map(any, e.data["ground_truth"] + e.data["prediction"])),
    )

    figure = render_figure(generate("segmentation", seed, "hard"), "png")

    assert "0 pixels in both, 0 in the ground truth only, 0 in the prediction only" in figure.alt
    assert "Dice 1.000, IoU 1.000" in figure.alt


@pytest.mark.parametrize("level", LEVELS)
def test_leakage_alt_names_the_leaking_patients(level):
    exercise = generate("leakage", 0, level)
    rows = exercise.data["images"]
    leaking = {r["patient"] for r in rows if r["split"] == "train"} & {
        r["patient"] for r in rows if r["split"] == "test"
    }

    alt = rendered("leakage", 0, level, "svg").alt

    assert f"{len(leaking)} in both splits" in alt
    assert all(patient in alt for patient in leaking)
    assert f"also in train: {int(exercise.expected['leaked_test_images'])}." in alt


def test_leakage_alt_says_so_when_nobody_leaks():
    seed = first_seed("leakage", "hard", lambda e: e.expected["leaked_patients"] == 0)

    figure = render_figure(generate("leakage", seed, "hard"))

    assert "no patient has images in both splits" in figure.alt


@pytest.mark.parametrize("level", LEVELS)
def test_roc_alt_gives_auc_and_the_operating_point(level):
    exercise = generate("roc", 0, level)
    e = exercise.expected

    alt = rendered("roc", 0, level, "svg").alt

    assert f"AUC {fmt(e['auc'])}" in alt
    assert f"threshold {exercise.data['threshold']:.2f}" in alt
    assert f"sensitivity {fmt(e['sensitivity'])} and specificity {fmt(e['specificity'])}" in alt


@pytest.mark.parametrize("level", LEVELS)
def test_dicom_alt_gives_the_window_and_every_marked_pixel(level):
    exercise = generate("dicom", 0, level)
    window = exercise.data["window"]

    alt = rendered("dicom", 0, level, "svg").alt

    assert f"centre {window['centre']} HU and width {window['width']} HU" in alt
    for i, p in enumerate(exercise.data["pixels"]):
        assert f"{i + 1} at row {p['row']}, column {p['column']}, stored {p['stored']}" in alt


def test_dicom_alt_mentions_burned_in_text_when_there_is_some():
    def burned(e: Exercise) -> bool:
        return any(
            a["keyword"] == "BurnedInAnnotation" and a["value"] == "YES"
            for a in e.data["attributes"]
        )

    seed = first_seed("dicom", "hard", burned)

    assert "burned into the top-left corner" in render_figure(generate("dicom", seed, "hard")).alt
