"""The DICOM inspector's viewer: the image under a preset, a custom or the file's own window,
the value of a chosen pixel, pydicom's sample files by name, the burned-in warning, and
the upload bounds still in force."""

import base64
import re

import numpy as np
import pydicom
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pydicom.data import get_testdata_file

from questions.exercises import dicom, generate
from questions.exercises.dicom_file import build_dicom
from questions.exercises.dicom_view import PRESETS, pixel_at, render_png
from tests.exercises import dicom_bombs

PNG = b"\x89PNG\r\n\x1a\n"


def _upload(raw: bytes, name: str = "slice.dcm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, raw, content_type="application/dicom")


def _image(html: str) -> bytes:
    match = re.search(r'<img class="dicom-image" src="data:image/png;base64,([^"]+)"', html)
    assert match, "no inline image"
    return base64.b64decode(match.group(1))


@pytest.mark.parametrize(
    ("preset", "shown"),
    [
        ("lung", "Lung window: centre -600, width 1500"),
        ("mediastinum", "Mediastinum window: centre 50, width 350"),
        ("bone", "Bone window: centre 400, width 1800"),
        ("brain", "Brain window: centre 40, width 80"),
    ],
)
def test_a_sample_opens_by_name_under_each_preset(db, client, preset, shown):
    response = client.get(f"/dicom/?sample=CT_small&window={preset}")
    html = response.content.decode()
    assert response.status_code == 200
    assert shown in html and "Image: CT_small.dcm" in html
    assert _image(html).startswith(PNG)


def test_the_presets_are_the_usual_ct_windows():
    assert PRESETS == {
        "lung": (-600, 1500),
        "mediastinum": (50, 350),
        "bone": (400, 1800),
        "brain": (40, 80),
    }


def test_the_files_own_window_is_the_default(db, client):
    html = client.get("/dicom/?sample=MR_small").content.decode()
    assert "The file&#x27;s own window: centre 600, width 1600" in html


def test_a_file_without_a_window_is_shown_over_its_full_range(db, client):
    html = client.get("/dicom/?sample=CT_small").content.decode()
    assert "The full range (the file states no window) window" in html


def test_a_custom_window_is_applied_and_a_half_one_refused(db, client):
    html = client.get("/dicom/?sample=CT_small&window=custom&centre=40&width=400").content
    assert "Custom window: centre 40, width 400" in html.decode()
    response = client.get("/dicom/?sample=CT_small&window=custom&centre=40")
    assert response.status_code == 400
    assert "A custom window needs a centre and a width" in response.content.decode()
    assert client.get("/dicom/?sample=CT_small&window=custom&centre=40&width=0").status_code == 400


def test_the_pixel_value_is_the_rescaled_stored_value(db, client):
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    hu = ds.pixel_array[60, 70] * float(ds.RescaleSlope) + float(ds.RescaleIntercept)

    html = client.get("/dicom/?sample=CT_small&row=60&column=70").content.decode()

    assert f"Pixel at row 60, column 70: <strong>{hu:g}</strong>" in html


def test_a_pixel_outside_the_image_says_where_the_image_ends(db, client):
    html = client.get("/dicom/?sample=MR_small&row=64&column=3").content.decode()
    assert "outside the image, which has rows 0 to 63 and columns 0 to 63" in html
    response = client.get("/dicom/?sample=MR_small&row=5")
    assert response.status_code == 400 and "both a row and a column" in response.content.decode()


def test_an_unknown_sample_is_404(db, client):
    assert client.get("/dicom/?sample=../../etc/passwd").status_code == 404


def test_an_upload_is_windowed_and_named_and_a_repost_rewindows_it(db, client):
    raw = build_dicom(generate("dicom", 7, "easy"))
    first = client.post("/dicom/", {"file": _upload(raw, "my-slice.dcm")}).content.decode()
    assert "Image: my-slice.dcm" in first
    again = client.post(
        "/dicom/", {"file": _upload(raw, "my-slice.dcm"), "window": "bone", "row": 0, "column": 0}
    )
    html = again.content.decode()
    assert again.status_code == 200 and "Bone window: centre 400, width 1800" in html
    assert "Pixel at row 0, column 0: <strong>-1000</strong>" in html


def _dicom_with_burned_in(value: str) -> bytes:
    seed = next(
        s
        for s in range(200)
        for a in generate("dicom", s, "medium").data["attributes"]
        if a["keyword"] == "BurnedInAnnotation" and a["value"] == value
    )
    return build_dicom(generate("dicom", seed, "medium"))


def test_burned_in_annotation_is_warned_about_only_when_yes(db, client):
    yes = client.post("/dicom/", {"file": _upload(_dicom_with_burned_in("YES"))})
    no = client.post("/dicom/", {"file": _upload(_dicom_with_burned_in("NO"))})
    assert "Burned-in annotation." in yes.content.decode()
    assert "Burned-in annotation." not in no.content.decode()


def test_the_upload_bounds_still_hold_with_a_window_asked_for(db, client):
    bomb = dicom_bombs.deflated_ob_bomb(64 * 1024 * 1024)
    response = client.post("/dicom/", {"file": _upload(bomb), "window": "lung"})
    assert response.status_code == 400 and "dicom-image" not in response.content.decode()
    long_centre = dicom_bombs.long_window_centre(100_000)
    response = client.post("/dicom/", {"file": _upload(long_centre), "window": "file"})
    assert response.status_code == 400 and "dicom-image" not in response.content.decode()


def test_the_image_is_windowed_as_the_linear_voi_lut_says():
    values = np.array([[-1000.0, 40.0], [400.0, 3000.0]])
    png = render_png(values, 40, 400, mark=pixel_at(values, 1, 1))
    assert png.startswith(PNG)
    assert list(dicom.window(values, 40, 400).ravel()) == pytest.approx([0, 127.8196, 255, 255])
    assert pixel_at(values, 2, 0) is None and pixel_at(values, 1, 0).value == 400


def _ct(rows: int, columns: int, **attributes: object) -> bytes:
    """A minimal uncompressed CT slice of the given size, with extra attributes set."""
    import io

    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

    ds = Dataset()
    ds.SOPClassUID, ds.SOPInstanceUID = CTImageStorage, generate_uid()
    ds.Modality, ds.PhotometricInterpretation = "CT", "MONOCHROME2"
    ds.Rows, ds.Columns, ds.SamplesPerPixel = rows, columns, 1
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.RescaleSlope, ds.RescaleIntercept = "1", "-1024"
    for keyword, value in attributes.items():
        setattr(ds, keyword, value)
    samples = int(ds.SamplesPerPixel)
    pixels = (np.arange(rows * columns * samples) % 2000).astype("<u2")
    ds.PixelData = pixels.tobytes()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.preamble = b"\0" * 128
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


@pytest.mark.parametrize(("rows", "columns"), [(1, 65535), (2000, 2), (1, 481)])
def test_a_sliver_of_an_image_is_drawn_not_a_500(db, client, rows, columns):
    response = client.post("/dicom/", {"file": _upload(_ct(rows, columns))})
    assert response.status_code == 200
    assert _image(response.content.decode()).startswith(PNG)


def test_a_large_image_is_drawn_from_a_reduced_copy():
    """Windowing every value of a 2048 x 2048 image in float64 cost 300 MB per drawing."""
    import tracemalloc

    values = np.zeros((2048, 2048), dtype=np.float64)
    tracemalloc.start()
    render_png(values, 40, 400)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 40 * 1024 * 1024, peak


def test_a_stated_rescale_slope_of_zero_is_zero(db, client):
    raw = _ct(8, 8, RescaleSlope="0")
    html = client.post("/dicom/", {"file": _upload(raw), "row": "5", "column": "7"}).content
    assert "<strong>-1024</strong>" in html.decode()


def test_a_three_sample_image_is_not_taken_for_frames(db, client):
    raw = _ct(20, 20, SamplesPerPixel=3, PlanarConfiguration=0, PhotometricInterpretation="RGB")
    html = client.post("/dicom/", {"file": _upload(raw)}).content.decode()
    assert "frames" not in html and 'class="dicom-image"' not in html


def test_opening_samples_counts_against_the_inspectors_budget(db, client):
    """A sample is drawn like an upload, so it spends the same budget (20 a minute)."""
    codes = [client.get("/dicom/?sample=CT_small&window=bone").status_code for _ in range(21)]
    assert codes == [200] * 20 + [429]
