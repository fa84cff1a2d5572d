"""Confidence intervals for a reader's sensitivity, sample size, and McNemar's test.

A reader study: positive cases read by one reader (two on the hard level, on the same cases).
Every probability is computed from integers (math.comb, Fraction) so the exact values do not
depend on numpy's or scipy's special functions; only Clopper–Pearson needs a root, found by
bisection on the binomial tail.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .base import Exercise, Field, count_field, fmt, ratio_field, rng_for, yesno_field

KIND = "intervals"
TITLE = "Confidence intervals and McNemar's test"
DESCRIPTION = (
    "A reader's sensitivity with 95 % Wilson and Clopper–Pearson intervals, the cases needed "
    "for a given precision, and whether two readers differ by McNemar's exact test."
)

# The 97.5th percentile of the standard normal (scipy.stats.norm.ppf(0.975)); the prompt
# rounds it to 1.96, which moves no interval bound by more than 0.0001.
Z = 1.959963984540054
# The sample-size formula uses z = 1.96 exactly, as the prompt states, so n is an exact ceiling.
Z_PLANNING = Fraction("1.96")
ALPHA = 0.05

# (positive cases low, high), (sensitivity low, high)
_SHAPE = {
    "easy": ((20, 40), (0.70, 0.95)),
    "medium": ((15, 60), (0.75, 1.00)),
    "hard": ((30, 80), (0.65, 0.95)),
}
_PLANNED_SENSITIVITY = ("0.75", "0.80", "0.85", "0.90", "0.95")
_HALF_WIDTHS = ("0.03", "0.04", "0.05", "0.06", "0.08", "0.10")


def wilson(k: int, n: int, z: float = Z) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials."""
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), 0 < p < 1: the terms by their ratio
    P(i + 1) / P(i) = (n - i) / (i + 1) · p / (1 - p)."""
    term = (1 - p) ** n
    odds = p / (1 - p)
    total = term
    for i in range(k):
        term *= (n - i) / (i + 1) * odds
        total += term
    return total


def _solve_cdf(j: int, n: int, target: float, start: float) -> float:
    """The p in (0, 1) with P(X <= j) = target for X ~ Binomial(n, p), 0 <= j < n.

    P(X <= j) falls as p grows, with derivative -n C(n-1, j) p^j (1-p)^(n-j-1) (the beta
    density), so Newton's method from a nearby start converges in a few steps; a step that
    leaves the bracket is replaced by bisection.
    """
    low, high, p = 0.0, 1.0, min(max(start, 1e-6), 1 - 1e-6)
    scale = n * math.comb(n - 1, j)
    for _ in range(100):
        excess = _binomial_cdf(j, n, p) - target
        if excess > 0:
            low = p
        else:
            high = p
        slope = -scale * p**j * (1 - p) ** (n - j - 1)
        step = p - excess / slope if slope else (low + high) / 2
        if not low < step < high:
            step = (low + high) / 2
        if abs(step - p) < 1e-13:
            return step
        p = step
    return p


def clopper_pearson(k: int, n: int, alpha: float = ALPHA) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval: the p whose binomial tails hold alpha/2 each."""
    w_low, w_high = wilson(k, n)
    # Lower bound: P(X >= k) = alpha/2, that is P(X <= k - 1) = 1 - alpha/2.
    lower = 0.0 if k == 0 else _solve_cdf(k - 1, n, 1 - alpha / 2, w_low)
    # Upper bound: P(X <= k) = alpha/2.
    upper = 1.0 if k == n else _solve_cdf(k, n, alpha / 2, w_high)
    return lower, upper


def cases_needed(sensitivity: Fraction, half_width: Fraction) -> int:
    """n = ceil(z² p (1 − p) / w²), the normal approximation, with z = 1.96."""
    value = Z_PLANNING**2 * sensitivity * (1 - sensitivity) / half_width**2
    return math.ceil(value)


def mcnemar(b: int, c: int) -> tuple[float | None, float]:
    """(χ² = (b − c)² / (b + c) without continuity correction, exact two-sided p-value).

    The exact p-value is the binomial test of b successes in b + c trials at p = 1/2:
    twice the smaller tail, at most 1. With no discordant pair χ² is 0/0 and p is 1.
    """
    m = b + c
    if m == 0:
        return None, 1.0
    tail = Fraction(sum(math.comb(m, i) for i in range(min(b, c) + 1)), 2**m)
    return (b - c) ** 2 / m, float(min(Fraction(1), 2 * tail))


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    (n_low, n_high), (s_low, s_high) = _SHAPE[level]
    n = int(rng.integers(n_low, n_high + 1))
    planned = Fraction(str(rng.choice(_PLANNED_SENSITIVITY)))
    width = Fraction(str(rng.choice(_HALF_WIDTHS)))
    fields: list[Field] = [ratio_field("sensitivity", "Sensitivity of reader A")]
    data: dict[str, object] = {"positives": n}
    if level == "hard":
        # Paired reads of the same positive cases: both found, A only, B only, neither.
        sens_a = rng.uniform(s_low, s_high)
        # B is sometimes much weaker, so about half the studies show a real difference.
        sens_b = sens_a - rng.uniform(0.15, 0.5) if rng.random() < 0.6 else sens_a
        a_found = rng.random(n) < sens_a
        # Readers agree on most cases; B reads a share of them independently of A.
        b_found = a_found.copy()
        flip = rng.random(n) < rng.uniform(0.3, 0.6)
        b_found[flip] = rng.random(int(flip.sum())) < sens_b
        both = int((a_found & b_found).sum())
        a_only = int((a_found & ~b_found).sum())
        b_only = int((~a_found & b_found).sum())
        neither = n - both - a_only - b_only
        k = both + a_only
        data["paired"] = {"both": both, "a_only": a_only, "b_only": b_only, "neither": neither}
    else:
        k = int(rng.binomial(n, rng.uniform(s_low, s_high)))
        if level == "easy":
            k = min(k, n - 1)  # an easy interval has two sides
    data["detected"] = k
    data["planned_sensitivity"] = float(planned)
    data["half_width"] = float(width)

    expected: dict[str, float | None] = {"sensitivity": k / n}
    w_low, w_high = wilson(k, n)
    fields += [
        ratio_field("wilson_low", "95 % Wilson interval: lower bound"),
        ratio_field("wilson_high", "95 % Wilson interval: upper bound"),
    ]
    expected |= {"wilson_low": w_low, "wilson_high": w_high}
    cp_low, cp_high = clopper_pearson(k, n)
    if level != "easy":
        fields += [
            ratio_field("cp_low", "95 % Clopper–Pearson interval: lower bound"),
            ratio_field("cp_high", "95 % Clopper–Pearson interval: upper bound"),
        ]
        expected |= {"cp_low": cp_low, "cp_high": cp_high}
    needed = cases_needed(planned, width)
    fields.append(
        count_field(
            "cases_needed",
            f"Positive cases needed for a half-width of at most {float(width):.2f}",
        )
    )
    expected["cases_needed"] = needed
    statistic: float | None = None
    p_value = 1.0
    if level == "hard":
        paired = data["paired"]
        assert isinstance(paired, dict)
        statistic, p_value = mcnemar(paired["a_only"], paired["b_only"])
        fields += [
            Field(
                "mcnemar_chi2",
                "McNemar's χ² (no continuity correction)",
                0.01,
                2,
                "to 2 decimals; blank if undefined",
            ),
            ratio_field("mcnemar_p", "Exact two-sided p-value"),
            yesno_field(
                "readers_differ", "Do the readers differ at the 5 % level?", "is p below 0.05?"
            ),
        ]
        expected |= {
            "mcnemar_chi2": statistic,
            "mcnemar_p": p_value,
            "readers_differ": 1.0 if p_value < ALPHA else 0.0,
        }

    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=_prompt(level, n, planned, width),
        data=data,
        fields=fields,
        expected=expected,
        solution=_solution(level, n, k, planned, width, needed, data, statistic, p_value),
    )


def _prompt(level: str, n: int, planned: Fraction, width: Fraction) -> str:
    intervals = (
        "its 95 % Wilson interval"
        if level == "easy"
        else "its 95 % Wilson and Clopper–Pearson (exact) intervals"
    )
    text = (
        f"In a reader study, reader A read {n} cases known to be positive. Give A's "
        f"sensitivity and {intervals} ($z = 1.96$). Then plan a new study: if the true "
        f"sensitivity is {float(planned):.2f}, how many positive cases make the 95 % interval's "
        f"half-width at most {float(width):.2f}? Use the normal approximation "
        "$n = \\lceil z^2 p (1 - p) / w^2 \\rceil$ with $z = 1.96$, rounded up."
    )
    if level == "hard":
        text += (
            " Reader B read the same cases. Test whether the two readers' sensitivities differ "
            "with McNemar's test on the discordant pairs: give $\\chi^2 = (b - c)^2 / (b + c)$ "
            "without continuity correction (blank if there is no discordant pair), the exact "
            "two-sided p-value (binomial test of $b$ in $b + c$ at $p = 1/2$), and whether "
            "$p < 0.05$."
        )
    return text


def _solution(
    level: str,
    n: int,
    k: int,
    planned: Fraction,
    width: Fraction,
    needed: int,
    data: dict[str, object],
    statistic: float | None,
    p_value: float,
) -> list[str]:
    p = k / n
    w_low, w_high = wilson(k, n)
    z2 = Z * Z
    steps = [
        f"$\\hat p = \\frac{{k}}{{n}} = \\frac{{{k}}}{{{n}}} = {fmt(p)}$.",
        f"Wilson: centre $\\frac{{\\hat p + z^2/2n}}{{1 + z^2/n}} = "
        f"\\frac{{{fmt(p, 4)} + {fmt(z2 / (2 * n), 4)}}}{{1 + {fmt(z2 / n, 4)}}} = "
        f"{fmt((p + z2 / (2 * n)) / (1 + z2 / n), 4)}$, half-width "
        f"$\\frac{{z \\sqrt{{\\hat p(1-\\hat p)/n + z^2/4n^2}}}}{{1 + z^2/n}} = "
        f"{fmt((w_high - w_low) / 2, 4)}$, so the interval is "
        f"[{fmt(w_low)}, {fmt(w_high)}]. Unlike the Wald interval "
        "$\\hat p \\pm z\\sqrt{\\hat p(1-\\hat p)/n}$ it stays inside [0, 1] and does not "
        "collapse to a point when $\\hat p$ is 0 or 1.",
    ]
    if level != "easy":
        cp_low, cp_high = clopper_pearson(k, n)
        lower = (
            "$p_L = 0$ because $k = 0$"
            if k == 0
            else f"$p_L$ solves $P(X \\ge {k} \\mid {n}, p_L) = 0.025$: $p_L = {fmt(cp_low)}$"
        )
        upper = (
            f"$p_U = 1$ because $k = n$: no $p$ makes {n} of {n} unlikely in the upper tail"
            if k == n
            else f"$p_U$ solves $P(X \\le {k} \\mid {n}, p_U) = 0.025$: $p_U = {fmt(cp_high)}$"
        )
        steps.append(
            f"Clopper–Pearson inverts the binomial test: {lower}; {upper}. Equivalently "
            "$p_L = B(0.025; k, n-k+1)$ and $p_U = B(0.975; k+1, n-k)$, quantiles of the beta "
            f"distribution. The interval [{fmt(cp_low)}, {fmt(cp_high)}] is wider than "
            "Wilson's: it guarantees at least 95 % coverage for every $p$."
        )
    p0, w = planned, width
    value = Z_PLANNING**2 * p0 * (1 - p0) / w**2
    steps.append(
        f"$n = \\frac{{z^2 p(1-p)}}{{w^2}} = \\frac{{1.96^2 \\times {float(p0):.2f} \\times "
        f"{float(1 - p0):.2f}}}{{{float(w):.2f}^2}} = {fmt(float(value), 2)}$, rounded up: "
        f"{needed} positive cases. Halving $w$ needs four times the cases."
    )
    if level == "hard":
        paired = data["paired"]
        assert isinstance(paired, dict)
        b, c = paired["a_only"], paired["b_only"]
        steps.append(
            f"Paired table on the {n} positives: both found {paired['both']}, only A "
            f"$b = {b}$, only B $c = {c}$, neither {paired['neither']}. Only the discordant "
            "pairs carry information about a difference."
        )
        if statistic is None:
            steps.append(
                "There is no discordant pair: $\\chi^2 = 0/0$ is undefined (leave it blank), the "
                "readers agree on every case, p = 1, and they do not differ."
            )
        else:
            m = b + c
            steps.append(
                f"$\\chi^2 = \\frac{{(b - c)^2}}{{b + c}} = \\frac{{({b} - {c})^2}}{{{m}}} = "
                f"{fmt(statistic, 2)}$. Exactly: under no difference $b \\sim "
                f"\\text{{Binomial}}({m}, 1/2)$, so $p = \\min(1, 2 P(X \\le {min(b, c)})) = "
                f"{fmt(p_value)}$"
                + (
                    ", below 0.05: the readers differ."
                    if p_value < ALPHA
                    else ", not below 0.05: no evidence that the readers differ."
                )
            )
    return steps
