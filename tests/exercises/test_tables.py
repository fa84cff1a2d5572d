"""The case table behind the page's data and its CSV and Python copies."""

import ast
import csv
import io
import re

import pytest

from questions.exercises import generate
from questions.exercises.tables import GROUP_SIZE, case_table

KINDS_WITH_CASES = ["classification", "roc", "calibration", "agreement", "leakage"]


@pytest.mark.parametrize("kind", KINDS_WITH_CASES)
def test_the_csv_is_the_table_row_for_row(kind):
    exercise = generate(kind, 11, "medium")
    table = case_table(exercise)
    rows = list(csv.reader(io.StringIO(table.as_csv())))
    assert rows[0] == [c.name for c in table.columns]
    assert rows[1:] == [[str(v) for v in row] for row in table.rows()]


@pytest.mark.parametrize("kind", KINDS_WITH_CASES)
def test_the_python_text_runs_and_gives_the_shown_lists(kind):
    exercise = generate(kind, 11, "medium")
    table = case_table(exercise)
    ast.parse(table.as_python())
    namespace: dict = {}
    exec(table.as_python(), namespace)  # our own text, built from literals
    for column in table.columns:
        if column.name != "case":
            assert namespace[column.name] == list(column.values)
    for name, value in table.constants.items():
        assert namespace[name] == value


@pytest.mark.parametrize("kind", KINDS_WITH_CASES)
@pytest.mark.parametrize("level", ["easy", "medium", "hard"])
def test_the_copies_carry_no_key_and_no_seed(kind, level):
    """Only the shown columns: no expected value's name, no solution-side data, no seed."""
    seed = 987_654_321
    exercise = generate(kind, seed, level)
    table = case_table(exercise)
    if table is None:  # agreement's hard level is a table of counts, shown as is
        return
    for text in (table.as_csv(), table.as_python()):
        assert str(seed) not in text
        for name in exercise.expected:
            assert not re.search(rf"^{name} =", text, re.M)  # no variable of that name
            assert name not in text.split("\n")[0].split(",")  # no CSV column of it
        assert "reassignment" not in text and "expected" not in text


def test_leakage_copies_leave_out_the_reassignment_the_solution_uses():
    exercise = generate("leakage", 3, "hard")
    assert "reassignment" in exercise.data
    python = case_table(exercise).as_python()
    assert "reassign" not in python and "after" not in python


def test_groups_read_top_to_bottom_in_tens_with_positives_marked():
    exercise = generate("classification", 5, "medium")
    table = case_table(exercise)
    groups = table.groups()
    assert [g["first"] for g in groups] == list(range(1, table.size + 1, GROUP_SIZE))
    assert groups[-1]["last"] == table.size
    flat = [(row, positive) for g in groups for row, positive in g["rows"]]
    assert [row[0] for row, _ in flat] == list(range(1, table.size + 1))
    assert [positive for _, positive in flat] == [label == 1 for label in exercise.data["labels"]]


def test_a_formula_looking_text_cell_is_escaped_in_the_csv():
    from questions.exercises.tables import CaseTable, Column

    table = CaseTable("Cases", (Column("Name", "names", ["=HYPERLINK(1)"]),), (False,))
    assert "'=HYPERLINK(1)" in table.as_csv()
