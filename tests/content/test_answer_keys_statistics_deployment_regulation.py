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
from scipy.stats import binom, binomtest, entropy, norm

from questions.content.tree import read_tree

from .conftest import assert_within_key


@pytest.fixture(scope="module")
def tree():
    return read_tree(Path(settings.CONTENT_DIR))


@pytest.fixture(scope="module")
def keys(tree):
    return {q.id: q.answer for q in tree.questions if q.type == "numeric"}


def holm_rejections(p_values: list[float], alpha: float) -> int:
    """Count rejections from Holm-adjusted p-values (running maximum of (m - i) * p_(i))."""
    ordered = np.sort(np.asarray(p_values))
    m = len(ordered)
    adjusted = np.maximum.accumulate(np.minimum(1, (m - np.arange(m)) * ordered))
    return int((adjusted <= alpha).sum())


def exact_mcnemar(b: int, c: int) -> float:
    """Two-sided exact p-value, summed over the binomial pmf as small as the observed one."""
    n = b + c
    pmf = binom.pmf(np.arange(n + 1), n, 0.5)
    return float(pmf[pmf <= pmf[min(b, c)] * (1 + 1e-9)].sum())


def psi_from_counts(reference: list[int], current: list[int]) -> float:
    """PSI as the symmetric Kullback-Leibler divergence between the two binned shares."""
    e = np.asarray(reference, dtype=float)
    a = np.asarray(current, dtype=float)
    e, a = e / e.sum(), a / a.sum()
    return float(entropy(a, e) + entropy(e, a))


RECOMPUTED = {
    "statistics-wilson-lower-bound": binomtest(45, 50).proportion_ci(method="wilson").low,
    "statistics-clopper-pearson-all-detected": binomtest(30, 30).proportion_ci(method="exact").low,
    "statistics-mcnemar-exact-p": binomtest(3, 3 + 12, 0.5).pvalue,
    "statistics-sample-size-half-width": math.ceil(norm.ppf(0.975) ** 2 * 0.9 * 0.1 / 0.05**2),
    "statistics-holm-rejections": holm_rejections([0.040, 0.003, 0.020, 0.011], 0.05),
    "deployment-psi-score-drift": psi_from_counts(
        [1000, 400, 300, 200, 100], [320, 160, 120, 120, 80]
    ),
    "deployment-latency-budget": 6 * 60 - sum([90, 45, 30, 40]),
}


@pytest.mark.parametrize("question_id", sorted(RECOMPUTED))
def test_the_stored_key_matches_the_recomputed_value(keys, question_id):
    assert_within_key(keys[question_id], RECOMPUTED[question_id])


def test_the_mcnemar_key_agrees_with_a_pmf_sum():
    assert abs(exact_mcnemar(12, 3) - binomtest(12, 15, 0.5).pvalue) < 1e-12


def test_bonferroni_rejects_fewer_than_holm_in_the_holm_question():
    p_values = [0.040, 0.003, 0.020, 0.011]
    assert sum(p <= 0.05 / 4 for p in p_values) == 2


def body_of(tree, item_id: str) -> str:
    """The text of a glossary term or a question, with line breaks collapsed to spaces."""
    texts = {term.id: term.body for term in tree.glossary}
    texts.update(
        {
            q.id: " ".join([q.prompt, q.explanation, q.model_answer, q.interviewer_notes])
            for q in tree.questions
        }
    )
    return " ".join(texts[item_id].split())


def test_figures_stated_in_statistics_texts(tree):
    ci = binomtest(57, 60).proportion_ci(method="wilson")
    assert f"95 % CI {100 * ci.low:.1f} to {100 * ci.high:.1f}" in body_of(
        tree, "statistics-open-reporting-sensitivity"
    )
    assert math.ceil(1.96**2 * 0.95 * 0.05 / 0.05**2) == 73
    assert "73 positives" in body_of(tree, "statistics-open-validation-sample-size")
    assert round(1 - 0.95**20, 2) == 0.64
    wilson = binomtest(45, 50).proportion_ci(method="wilson")
    assert f"{wilson.low:.3f} to {wilson.high:.3f}" in body_of(tree, "wilson-score-interval")
    assert f"{binomtest(30, 30).proportion_ci(method='wilson').low:.3f}" == "0.886"


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


def test_figures_stated_in_deployment_texts(tree):
    psi = psi_from_counts([40, 30, 20, 10], [25, 30, 25, 20])
    assert f"PSI $\\approx {psi:.3f}$" in body_of(tree, "population-stability-index")
    assert "leave 155 s for queueing" in body_of(tree, "latency-budget")
    assert 6 * 60 - (90 + 45 + 30 + 40) == 155
