"""progress.csv never hands a spreadsheet a formula; its numbers stay numbers."""

import csv
import io

from questions.models import Question


def test_a_title_that_looks_like_a_formula_is_text_and_scores_are_numbers(loaded, client):
    Question.objects.filter(ext_id="metrics-numeric").update(title="=1+2 @ -risk")
    client.post("/questions/metrics-numeric/", {"answer": "0.75"})
    client.post("/questions/dicom-short/", {"answer": "HU"})
    header, *rows = list(csv.reader(io.StringIO(client.get("/me/progress.csv").content.decode())))
    labels = [row[header.index("item")] for row in rows]
    assert labels[0] == "'=1+2 @ -risk"
    scores = [float(row[header.index("score")]) for row in rows]
    assert all(0 <= score <= 1 for score in scores)
