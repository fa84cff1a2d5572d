"""How the exercise page asks: yes/no as radio buttons, the DICOM de-identification as a
table, the cases in groups with one header each and the CSV/Python copies beside them."""

from questions.exercises.dicom import deidentification_rows
from questions.exercises.lookup import exercise_for
from tests.htmltree import Node, parse
from tests.quiz_flow import start_quiz

from .test_exercise_pages import right_answers

DICOM = "/exercises/dicom/21/?level=medium"


def soup(response) -> Node:
    return parse(response.content.decode())


def test_yes_no_fields_are_radio_buttons_not_text_boxes(client, db):
    exercise = exercise_for("dicom", 21, "medium")
    page = soup(client.get(DICOM))
    yesno = [f for f in exercise.fields if f.kind == "yesno"]
    assert yesno
    for field in yesno:
        inputs = page.find_all("input", attrs={"name": field.name})
        assert [(i["type"], i["value"]) for i in inputs] == [("radio", "yes"), ("radio", "no")]


def test_the_de_identification_is_one_table_row_per_attribute(client, db):
    exercise = exercise_for("dicom", 21, "medium")
    table = soup(client.get(DICOM)).find("table", class_="deid-table")
    headers = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    assert headers == ["Attribute", "Value", "Your action"]  # no expected action yet
    rows = table.tbody.find_all("tr")
    attributes = exercise.data["attributes"]
    assert [r.th.get_text(" ", strip=True) for r in rows] == [
        f"{a['keyword']} {a['tag']}" for a in attributes
    ]
    assert [r.find("td").get_text() for r in rows] == [a["value"] for a in attributes]


def test_the_de_identification_table_explains_after_the_solution(client, db):
    exercise = exercise_for("dicom", 21, "medium")
    page = soup(client.post(DICOM, right_answers(exercise)))
    table = page.find("table", class_="deid-table")
    headers = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    assert headers == ["Attribute", "Value", "Your action", "Expected action", "Why"]
    expected = deidentification_rows(exercise.data)
    for row, want in zip(table.tbody.find_all("tr"), expected, strict=True):
        cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
        assert cells[-2:] == [want["expected"], want["why"]]
        assert "is-right" in row["class"]
    # The answers are kept as chosen.
    checked = page.find_all("input", attrs={"type": "radio", "checked": True})
    assert len(checked) == sum(f.kind == "yesno" for f in exercise.fields)


def test_a_wrong_de_identification_answer_is_marked_without_the_answer(client, db):
    exercise = exercise_for("dicom", 21, "medium")
    keyword = exercise.data["attributes"][0]["keyword"]
    field = f"deid_{keyword}"
    flipped = "no" if exercise.expected[field] else "yes"
    page = soup(client.post(DICOM, right_answers(exercise) | {field: flipped}))
    row = page.find("table", class_="deid-table").tbody.find("tr")
    assert "is-wrong" in row["class"] and "✗ wrong" in row.get_text()
    assert "Expected action" not in page.get_text()


def test_cases_read_in_groups_of_ten_each_with_its_header(client, db):
    exercise = exercise_for("roc", 4, "hard")
    page = soup(client.get("/exercises/roc/4/?level=hard"))
    tables = page.find_all("table", class_="case-table")
    n = len(exercise.data["labels"])
    assert len(tables) == -(-n // 10)
    for table in tables:
        assert [th.get_text() for th in table.thead.find_all("th")] == ["Case", "Label", "Score"]
    first = tables[0].tbody.find_all("tr")
    assert [r.th.get_text() for r in first] == [str(k) for k in range(1, min(n, 10) + 1)]
    rows = [r for t in tables for r in t.tbody.find_all("tr")]
    positives = [r for r in rows if "is-positive" in (r.get("class") or [])]
    assert len(positives) == sum(exercise.data["labels"])


def test_the_copy_buttons_start_hidden_with_the_text_server_made(client, db):
    exercise = exercise_for("roc", 4, "hard")
    page = soup(client.get("/exercises/roc/4/?level=hard"))
    buttons = page.find_all("button", class_="copy-data-button")
    assert [b.get_text() for b in buttons] == ["Copy as CSV", "Copy as Python"]
    assert all(b.has_attr("hidden") for b in buttons)
    csv_text = page.find(id=buttons[0]["data-copy"])
    python_text = page.find(id=buttons[1]["data-copy"])
    assert csv_text.has_attr("hidden") and python_text.has_attr("hidden")
    assert csv_text.get_text().splitlines()[0] == "case,labels,scores"
    assert f"threshold = {exercise.data['threshold']!r}" in python_text.get_text()
    assert page.find("script", src="/static/questions/copy_data.js")


def test_a_running_quiz_asks_yes_no_fields_with_radio_buttons(loaded, client):
    path = loaded / "sets/starter.md"
    path.write_text(
        path.read_text().replace(
            "questions: [metrics-single, metrics-numeric, dicom-open]",
            "questions:\n  - metrics-single\n  - exercise: dicom\n    level: medium\n",
        )
    )
    from questions.catalog.sync import content_sync

    assert content_sync(loaded).ok
    url = start_quiz(client, {"kind": "set", "question_set": "starter"})
    page = parse(client.get(url).content.decode())
    radios = [i for i in page.find_all("input", type="radio") if i["name"].startswith("deid_")]
    assert radios and {i["value"] for i in radios} == {"yes", "no"}
    assert not page.find_all("input", attrs={"name": radios[0]["name"], "type": None})
