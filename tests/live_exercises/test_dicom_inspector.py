"""The DICOM inspector page and API: a good file shows its header and HU range; a bad one
gets a 400 with one clear sentence, never a server error."""

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from questions.exercises import generate
from questions.exercises.dicom_file import build_dicom
from tests.exercises import dicom_bombs


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


def test_a_deflate_bomb_gets_one_sentence_on_the_page_and_in_the_api(db, client):
    bomb = dicom_bombs.deflated_ob_bomb(64 * dicom_bombs.MB)  # 64 KB on the wire
    page = client.post("/dicom/", {"file": _upload(bomb)})
    assert page.status_code == 400
    assert (
        "The file is deflated (Deflated Explicit VR Little Endian) and inflates to more than "
        "8 MB" in page.content.decode()
    )
    api = client.post("/api/dicom/inspect/", {"file": _upload(bomb)})
    assert api.status_code == 400
    assert api.json()["detail"].startswith("The file is deflated")


def test_each_address_has_one_budget_for_the_page_and_the_api(db, client):
    raw = b"not dicom" * 20
    with time_machine.travel("2026-03-01 10:00Z", tick=False):
        for number in range(20):  # DICOM_INSPECT_THROTTLE's 20 a minute, shared
            url = "/dicom/" if number % 2 else "/api/dicom/inspect/"
            assert client.post(url, {"file": _upload(raw)}).status_code == 400
        page = client.post("/dicom/", {"file": _upload(raw)})
        api = client.post("/api/dicom/inspect/", {"file": _upload(raw)})
        other = client.post("/dicom/", {"file": _upload(raw)}, REMOTE_ADDR="192.0.2.7")
    assert page.status_code == 429 and int(page["Retry-After"]) == 60
    assert (
        "Too many files inspected from your address (at most 20 a minute). "
        "Try again in 60 seconds." in page.content.decode()
    )
    assert api.status_code == 429 and api.json()["detail"].startswith("Request was throttled.")
    assert other.status_code == 400  # another address has its own budget
    with time_machine.travel("2026-03-01 10:01:01Z", tick=False):
        assert client.post("/dicom/", {"file": _upload(raw)}).status_code == 400


def test_viewing_the_page_costs_nothing(db, client):
    with time_machine.travel("2026-03-01 10:00Z", tick=False):
        assert all(client.get("/dicom/").status_code == 200 for _ in range(25))
