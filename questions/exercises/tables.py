"""An exercise's case data as one table: for the page, and as CSV and Python to copy. No Django.

The page, the CSV and the Python text are built from the same `CaseTable`, so what is copied
is exactly what is shown. Only the columns listed here go in: never the whole `data` dict,
which for some kinds also carries what the worked solution uses.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..spreadsheets import safe_row
from .base import Exercise

# Cases per column group on the page: short enough to read a group top to bottom on a phone,
# two groups side by side at 375 px.
GROUP_SIZE = 10
_PYTHON_WIDTH = 88


@dataclass(frozen=True)
class Column:
    label: str  # the page's header
    name: str  # the CSV header and the Python variable
    values: Sequence[Any]


@dataclass(frozen=True)
class CaseTable:
    caption: str  # what one row is: "Cases", "Images"
    columns: tuple[Column, ...]
    positive: tuple[bool, ...]  # per row: highlighted on the page
    constants: dict[str, Any] = field(default_factory=dict)  # scalars for the Python text
    note: str = ""  # a comment line at the top of the Python text
    highlighted: str = ""  # which rows are shaded, in words
    title: str = ""  # a line above the groups, where the page needs one

    @property
    def size(self) -> int:
        return len(self.columns[0].values)

    def rows(self) -> list[tuple[Any, ...]]:
        return list(zip(*(c.values for c in self.columns), strict=True))

    def groups(self, size: int = GROUP_SIZE) -> list[dict[str, Any]]:
        """Rows in groups of `size`, each read top to bottom under its own header."""
        rows = self.rows()
        return [
            {
                "first": start + 1,
                "last": min(start + size, len(rows)),
                "rows": [
                    (row, self.positive[start + k])
                    for k, row in enumerate(rows[start : start + size])
                ],
            }
            for start in range(0, len(rows), size)
        ]

    def as_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([c.name for c in self.columns])
        for row in self.rows():
            writer.writerow(safe_row(row))
        return buffer.getvalue()

    def as_python(self) -> str:
        """Plain lists (no import needed), one per column, then the constants."""
        lines = [f"# {self.note}"] if self.note else []
        for column in self.columns:
            if column.name == "case":  # the row number is the list index + 1
                continue
            items = ", ".join(repr(v) for v in column.values)
            body = textwrap.fill(
                items, _PYTHON_WIDTH - 4, initial_indent="    ", subsequent_indent="    "
            )
            lines.append(f"{column.name} = [\n{body},\n]")
        lines += [f"{name} = {value!r}" for name, value in self.constants.items()]
        return "\n".join(lines) + "\n"


def case_table(exercise: Exercise) -> CaseTable | None:
    """The case table of `exercise`, or None for kinds whose data is not a list of cases."""
    d = exercise.data
    kind = exercise.kind
    if kind == "classification":
        numbers = list(range(1, len(d["labels"]) + 1))
        second = (
            Column("Score", "scores", d["scores"])
            if d.get("scores")
            else Column("Prediction", "predictions", d["predictions"])
        )
        constants = {"threshold": d["threshold"]} if "threshold" in d else {}
        return CaseTable(
            "Cases",
            (Column("Case", "case", numbers), Column("Label", "labels", d["labels"]), second),
            tuple(label == 1 for label in d["labels"]),
            constants,
            f"label 1 = {d['positive_label']}",
            "label 1 (positive)",
        )
    if kind == "roc":
        numbers = list(range(1, len(d["labels"]) + 1))
        return CaseTable(
            "Cases",
            (
                Column("Case", "case", numbers),
                Column("Label", "labels", d["labels"]),
                Column("Score", "scores", d["scores"]),
            ),
            tuple(label == 1 for label in d["labels"]),
            {"threshold": d["threshold"], "target_sensitivity": d["target_sensitivity"]},
            highlighted="label 1 (positive)",
        )
    if kind == "calibration":
        numbers = list(range(1, len(d["outcomes"]) + 1))
        return CaseTable(
            "Cases",
            (
                Column("Case", "case", numbers),
                Column("p", "probabilities", d["probabilities"]),
                Column("y", "outcomes", d["outcomes"]),
            ),
            tuple(y == 1 for y in d["outcomes"]),
            {"bins": d["bins"]},
            "p = predicted probability, y = outcome (1 = malignant)",
            "y = 1 (malignant)",
        )
    if kind == "agreement" and d.get("reader_a"):
        numbers = list(range(1, len(d["reader_a"]) + 1))
        categories = ", ".join(f"{i} = {c}" for i, c in enumerate(d["categories"]))
        return CaseTable(
            "Images",
            (
                Column("Image", "case", numbers),
                Column("Reader A", "reader_a", d["reader_a"]),
                Column("Reader B", "reader_b", d["reader_b"]),
            ),
            tuple(False for _ in numbers),  # two readers: no single truth to highlight
            note=categories,
        )
    if kind == "leakage":
        images = d["images"]
        return CaseTable(
            "Images",
            (
                Column("Image", "images", [r["image"] for r in images]),
                Column("Patient", "patients", [r["patient"] for r in images]),
                Column("Split", "splits", [r["split"] for r in images]),
            ),
            tuple(r["split"] == "test" for r in images),
            note="one row per image",
            highlighted="test images",
            title="The split, image by image",
        )
    return None
