"""Second pass over the coding topic: run every "what does this print" snippet and recompute it.

Each snippet is taken from the question itself (the line-number gutter stripped) and run, and
its printed value must match the stored key within the stored tolerance. The key is also
rebuilt by a different route (integer arithmetic, scikit-learn metrics on the raw feature).
Further tests confirm the library behaviour that the find-the-bug questions and the review
questions rely on.
"""

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pydicom
import pytest
from django.conf import settings
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
from scipy import ndimage
from sklearn.metrics import jaccard_score, roc_auc_score

from questions.content.tree import read_tree

GUTTER = re.compile(r"^ ?\d{1,2}(  |$)")


@pytest.fixture(scope="module")
def questions():
    tree = read_tree(Path(settings.CONTENT_DIR))
    return {q.id: q for q in tree.questions}


def snippet(question) -> str:
    block = re.search(r"```python\n(.*?)```", question.prompt, re.S)
    assert block, question.id
    lines = block.group(1).splitlines()
    assert all(GUTTER.match(line) for line in lines), question.id
    return "\n".join(GUTTER.sub("", line, count=1) for line in lines) + "\n"


def run(code: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<snippet>", "exec"), {"__name__": "__snippet__"})
    return out.getvalue().strip()


def within(key: dict, value: float) -> bool:
    tolerance = key["tolerance"] if key["tolerance"] is not None else 0
    relative = (key["relative_tolerance"] or 0) * abs(value)
    return abs(key["value"] - value) <= max(tolerance, relative) + 1e-9


PRINTED = [
    "coding-rescale-wraps-before-cast",
    "coding-dice-boolean-addition",
    "coding-auc-wrong-probability-column",
]


@pytest.mark.parametrize("question_id", PRINTED)
def test_the_snippet_prints_the_stored_key(questions, question_id):
    question = questions[question_id]
    printed = float(run(snippet(question)))
    assert within(question.answer, printed), (question.answer, printed)


def recompute_rescale() -> float:
    # Integer arithmetic modulo 2**16 for the uint16 product, then the intercept.
    return (40000 * 2) % 2**16 - 1024


def recompute_dice_with_union() -> float:
    gt = np.zeros((10, 10), dtype=int)
    pred = np.zeros((10, 10), dtype=int)
    gt[2:6, 2:6] = 1
    pred[4:8, 4:8] = 1
    # The snippet's denominator is the union, so it prints 2 * IoU.
    return 2 * jaccard_score(gt.ravel(), pred.ravel())


def recompute_auc_negative_column() -> float:
    x = np.array([0.1, 0.4, 0.35, 0.8, 0.7, 0.9])
    y = np.array([0, 0, 1, 1, 0, 1])
    # The model is increasing in x, so column 0 ranks by -x.
    return roc_auc_score(y, -x)


RECOMPUTED = {
    "coding-rescale-wraps-before-cast": recompute_rescale(),
    "coding-dice-boolean-addition": recompute_dice_with_union(),
    "coding-auc-wrong-probability-column": recompute_auc_negative_column(),
}


@pytest.mark.parametrize("question_id", sorted(RECOMPUTED))
def test_the_stored_key_matches_the_recomputed_value(questions, question_id):
    key = questions[question_id].answer
    assert within(key, float(RECOMPUTED[question_id])), (key, RECOMPUTED[question_id])


def test_the_auc_question_states_a_positive_coefficient_truthfully():
    from sklearn.linear_model import LogisticRegression

    x = np.array([[0.1], [0.4], [0.35], [0.8], [0.7], [0.9]])
    y = np.array([0, 0, 1, 1, 0, 1])
    model = LogisticRegression().fit(x, y)
    assert model.coef_[0, 0] > 0
    assert list(model.classes_) == [0, 1]


def test_file_names_sort_as_text():
    names = [f"IM{i}.dcm" for i in range(1, 121)]
    ordered = sorted(names)
    assert ordered[:4] == ["IM1.dcm", "IM10.dcm", "IM100.dcm", "IM101.dcm"]


def shifted_cubes(shift: int) -> tuple[np.ndarray, np.ndarray]:
    gt = np.zeros((20, 30, 30), dtype=bool)
    gt[5:13, 8:20, 8:20] = True
    pred = np.roll(gt, shift, axis=0)
    return pred, gt


def hd95_from_question(questions, sampling_fix: bool) -> float:
    code = snippet(questions["coding-hd95-without-spacing"])
    if sampling_fix:
        code = code.replace("_border)\n", "_border, sampling=spacing)\n")
    namespace: dict = {}
    exec(compile(code, "<snippet>", "exec"), namespace)
    pred, gt = shifted_cubes(2)
    return float(namespace["hd95"](pred, gt, (3.0, 0.7, 0.7)))


def test_hd95_without_sampling_reports_voxels_and_the_fix_reports_millimetres(questions):
    assert hd95_from_question(questions, sampling_fix=False) == pytest.approx(2.0)
    assert hd95_from_question(questions, sampling_fix=True) == pytest.approx(6.0)


def test_linear_zoom_of_integer_labels_creates_the_middle_label():
    labels = np.zeros((4, 4, 8), dtype=np.uint8)
    labels[..., 4:] = 2
    linear = ndimage.zoom(labels, (1, 1, 3), order=1)
    nearest = ndimage.zoom(labels, (1, 1, 3), order=0)
    assert linear.dtype == np.uint8
    assert 1 in np.unique(linear)
    assert set(np.unique(nearest)) <= {0, 2}


def test_boolean_addition_is_a_logical_or():
    a = np.array([True, True, False])
    b = np.array([True, False, False])
    assert (a + b).dtype == bool
    assert int(np.sum(a + b)) == 2


def test_a_python_int_slope_keeps_uint16_and_a_header_slope_gives_float64():
    stored = np.array([40000], dtype=np.uint16)
    assert (stored * 2).dtype == np.uint16
    slope, intercept = pydicom.valuerep.DSfloat("2"), pydicom.valuerep.DSfloat("-1024")
    rescaled = stored * slope + intercept
    assert rescaled.dtype == np.float64
    assert rescaled[0] == 78976


def test_broadcasting_a_channel_axis_against_a_batch_raises_no_error():
    assert (np.zeros((3, 1, 4, 4)) * np.zeros((3, 4, 4))).shape == (3, 3, 4, 4)


def test_editing_pixel_array_in_place_is_not_saved():
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.6.1"  # US Image Storage
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName = "Doe^Jane"
    ds.Rows, ds.Columns = 4, 4
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.PixelRepresentation, ds.SamplesPerPixel = 0, 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelData = (np.arange(16, dtype=np.uint16) + 100).tobytes()

    ds.pixel_array[:2, :] = 0
    assert ds.pixel_array[0, 0] == 0  # the cached array changed ...
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    buffer.seek(0)
    assert pydicom.dcmread(buffer).pixel_array[0, 0] == 100  # ... the file did not


def test_the_wrap_around_examples_in_the_integer_overflow_glossary_term():
    assert (np.array([40000], dtype=np.uint16) * 2)[0] == 14464
    assert (np.array([5], dtype=np.uint16) - np.array([10], dtype=np.uint16))[0] == 65531
    assert np.array([40000], dtype=np.uint16).astype(np.int16)[0] == 40000 - 2**16
