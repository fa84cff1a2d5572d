"""The DICOM inspector page and API: a good file shows its header and HU range; a bad one
gets a 400 with one clear sentence, never a server error."""

from django.core.files.uploadedfile import SimpleUploadedFile

from questions.exercises import generate
from questions.exercises.dicom_file import build_dicom


def _upload(raw: bytes, name: str = "slice.dcm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, raw, content_type="application/dicom")


def test_the_page_shows_the_header_and_hounsfield_range(db, client):
    raw = build_dicom(generate("dicom", 7, "easy"))
    response = client.post("/dicom/", {"file": _upload(raw)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Explicit VR Little Endian (1.2.840.10008.1.2.1)" in html
    assert '<th scope="row">RescaleIntercept</th>' in html
    assert "-1000.0 to 700.0" in html


def test_a_bad_file_gets_a_clear_message(db, client):
    response = client.post("/dicom/", {"file": _upload(b"hello, not dicom" * 20, "notes.txt")})
    assert response.status_code == 400
    assert "This is not a DICOM Part 10 file" in response.content.decode()


def test_a_missing_file_is_a_form_error(db, client):
    response = client.post("/dicom/", {})
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_the_exercise_page_links_to_the_inspector(db, client):
    response = client.get("/exercises/dicom/7/?level=easy")
    assert 'href="/dicom/"' in response.content.decode()


def test_the_api_inspects_an_upload(db, client):
    raw = build_dicom(generate("dicom", 7, "easy"))
    body = client.post("/api/dicom/inspect/", {"file": _upload(raw)}).json()
    assert body["pixels"]["hu_min"] == -1000.0 and body["pixels"]["shape"] == [512, 512]
    assert {"tag": "(0028,0010)", "keyword": "Rows", "value": "512"} in body["attributes"]
    cut = client.post("/api/dicom/inspect/", {"file": _upload(raw[:100])})
    assert cut.status_code == 400 and cut.json()["detail"].startswith("The file is 100 bytes")
