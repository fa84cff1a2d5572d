"""What the answer-key files share: the bank's numeric keys, and the one comparison."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from questions.content.tree import read_tree


@pytest.fixture(scope="module")
def keys() -> dict[str, dict[str, Any]]:
    """Every numeric question's stored key, by id, from the real content tree."""
    tree = read_tree(Path(settings.CONTENT_DIR))
    return {q.id: q.answer for q in tree.questions if q.type == "numeric"}


def assert_within_key(key: dict[str, Any], exact: float) -> None:
    """The stored key, and the exact recomputed value, sit within the stored tolerance."""
    exact = float(exact)
    tolerance = key["tolerance"] if key["tolerance"] is not None else 0
    relative = (key["relative_tolerance"] or 0) * abs(exact)
    assert abs(key["value"] - exact) <= max(tolerance, relative) + 1e-9, (key["value"], exact)
