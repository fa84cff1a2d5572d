"""A second pass over the numbers of the statistics, deployment and regulation topics.

Each key is rebuilt from the question's numbers another way than its explanation does it
(scipy's interval and test functions, exact products instead of approximations), and the
stored key must sit within its stored tolerance. The figures a glossary body states are
checked the same way.
"""

import math
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from questions.content.tree import read_tree


@pytest.fixture(scope="module")
def tree():
    return read_tree(Path(settings.CONTENT_DIR))


def exact_collision_probability(n: int, codes: int) -> float:
    """P(at least two of n uniform codes coincide), as the exact product, not the exp bound."""
    i = np.arange(n, dtype=np.float64)
    return float(-np.expm1(np.log1p(-i / codes).sum()))


def test_pseudonym_collision_figures(tree):
    body = next(term.body for term in tree.glossary if term.id == "pseudonymization")
    codes = 16**8
    assert round(100 * exact_collision_probability(10_000, codes), 1) == 1.2
    assert "1.2 % for 10,000 patients" in body
    low, high = 1, 200_000
    while low < high:
        mid = (low + high) // 2
        if exact_collision_probability(mid, codes) >= 0.5:
            high = mid
        else:
            low = mid + 1
    assert abs(low - 77_000) < 500, low
    assert "50 % at about 77,000 patients" in body
    # 16 hex characters: the same archive is essentially collision-free.
    assert exact_collision_probability(77_000, 16**16) < 1e-9
