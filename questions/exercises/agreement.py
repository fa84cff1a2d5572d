"""Inter-reader agreement: Cohen's kappa for two readers, Fleiss' kappa for several.

Two readers (easy, medium) say whether a lesion is present; at the medium level lesions are
rare, which shows the kappa paradox (high raw agreement, modest kappa). The hard level has
4-6 readers sorting 10-20 cases into 2-3 categories.
"""

from __future__ import annotations

import numpy as np

from .base import Exercise, fmt, ratio_field, rng_for

KIND = "agreement"
TITLE = "Inter-reader agreement (Cohen's and Fleiss' kappa)"
DESCRIPTION = (
    "Compute observed and chance agreement and kappa for two readers, or Fleiss' kappa for "
    "a panel of readers."
)

_BINARY = ["no lesion", "lesion"]
_THREE = ["benign", "uncertain", "malignant"]
# (cases low, cases high), (prevalence low, prevalence high), (accuracy low, accuracy high)
_TWO_READERS = {
    "easy": ((20, 30), (0.30, 0.50), (0.80, 0.95)),
    "medium": ((40, 80), (0.05, 0.15), (0.85, 0.97)),
}


def cohen(reader_a: np.ndarray, reader_b: np.ndarray, k: int = 2) -> dict[str, float | None]:
    """Observed agreement p_o, chance agreement p_e and Cohen's kappa.

    Integer arithmetic until the last division, so 'p_e == 1' (kappa undefined: both
    readers gave one and the same label to every case) is detected exactly.
    """
    a = np.asarray(reader_a, dtype=np.int64)
    b = np.asarray(reader_b, dtype=np.int64)
    n = a.size
    table = np.zeros((k, k), dtype=np.int64)
    np.add.at(table, (a, b), 1)
    agree = int(np.trace(table))
    chance = int(table.sum(axis=1) @ table.sum(axis=0))  # n² · p_e
    kappa = None if chance == n * n else (n * agree - chance) / (n * n - chance)
    return {"p_o": agree / n, "p_e": chance / (n * n), "kappa": kappa}


def fleiss(counts: np.ndarray) -> dict[str, float | None]:
    """Fleiss' kappa from an N×k table: counts[i, j] = raters who put subject i in category j.

    Every subject must have the same number of ratings n ≥ 2. Kappa is undefined (None)
    when every rating falls in one category, since then P̄_e = 1.
    """
    counts = np.asarray(counts, dtype=np.int64)
    subjects = counts.shape[0]
    raters = int(counts[0].sum())
    if raters < 2 or np.any(counts.sum(axis=1) != raters):
        raise ValueError("every subject needs the same number (at least 2) of ratings")
    totals = counts.sum(axis=0)
    p_j = totals / (subjects * raters)
    p_i = ((counts**2).sum(axis=1) - raters) / (raters * (raters - 1))
    p_bar = float(p_i.mean())
    p_e_bar = float((p_j**2).sum())
    single_category = int(totals.max()) == subjects * raters
    kappa = None if single_category else (p_bar - p_e_bar) / (1 - p_e_bar)
    return {"p_bar": p_bar, "p_e_bar": p_e_bar, "kappa": kappa}


def generate(seed: int, level: str) -> Exercise:
    rng = rng_for(KIND, seed, level)
    if level == "hard":
        return _generate_panel(rng, seed)
    (n_low, n_high), prevalence, accuracy = _TWO_READERS[level]
    n = int(rng.integers(n_low, n_high + 1))
    truth = (rng.random(n) < rng.uniform(*prevalence)).astype(np.int64)
    truth[rng.integers(n)] = 1  # at least one lesion, or the exercise says nothing
    readers = []
    for _ in range(2):
        right = rng.random(n) < rng.uniform(*accuracy)
        readers.append(np.where(right, truth, 1 - truth))
    a, b = readers
    values = cohen(a, b)
    return Exercise(
        kind=KIND,
        seed=seed,
        level=level,
        prompt=(
            f"Two radiologists read the same {n} images independently and marked each "
            "'lesion' (1) or 'no lesion' (0). Compute their observed agreement $p_o$, the "
            "agreement expected by chance $p_e$ and Cohen's kappa. Leave kappa blank if it "
            "is undefined."
        ),
        data={"categories": _BINARY, "reader_a": a.tolist(), "reader_b": b.tolist()},
        fields=[
            ratio_field("p_o", "Observed agreement p_o"),
            ratio_field("p_e", "Chance agreement p_e"),
            ratio_field("kappa", "Cohen's kappa"),
        ],
        expected=values,
        solution=_cohen_solution(a, b, values, level),
    )


def _generate_panel(rng: np.random.Generator, seed: int) -> Exercise:
    subjects = int(rng.integers(10, 21))
    raters = int(rng.integers(4, 7))
    k = int(rng.integers(2, 4))
    categories = _BINARY if k == 2 else _THREE
    truth = rng.choice(k, size=subjects, p=rng.dirichlet(np.arange(k, 0, -1) + 1.0))
    skill = rng.uniform(0.55, 0.9)
    right = rng.random((subjects, raters)) < skill
    # A wrong reader picks one of the other categories at random.
    other = (truth[:, None] + rng.integers(1, k, size=(subjects, raters))) % k
    ratings = np.where(right, truth[:, None], other)
    counts = np.stack([(ratings == j).sum(axis=1) for j in range(k)], axis=1)
    values = fleiss(counts)
    return Exercise(
        kind=KIND,
        seed=seed,
        level="hard",
        prompt=(
            f"{raters} readers each classified the same {subjects} cases as "
            f"{', '.join(categories[:-1])} or {categories[-1]}. The table counts, for every "
            "case, how many readers chose each category. Compute the mean observed "
            "agreement $\\bar{P}$, the chance agreement $\\bar{P}_e$ and Fleiss' kappa."
        ),
        data={
            "categories": categories,
            "raters": raters,
            "subjects": subjects,
            "ratings": ratings.tolist(),
            "counts": counts.tolist(),
        },
        fields=[
            ratio_field("p_bar", "Mean observed agreement P̄"),
            ratio_field("p_e_bar", "Chance agreement P̄e"),
            ratio_field("kappa", "Fleiss' kappa"),
        ],
        expected=values,
        solution=_fleiss_solution(counts, categories, values),
    )


def _cohen_solution(
    a: np.ndarray, b: np.ndarray, v: dict[str, float | None], level: str
) -> list[str]:
    n = a.size
    both = int(np.sum((a == 1) & (b == 1)))
    a_only = int(np.sum((a == 1) & (b == 0)))
    b_only = int(np.sum((a == 0) & (b == 1)))
    neither = int(np.sum((a == 0) & (b == 0)))
    a_yes, b_yes = both + a_only, both + b_only
    steps = [
        f"Cross-tabulate the two readers: both say lesion in {both} cases, only A in "
        f"{a_only}, only B in {b_only}, neither in {neither} (n = {n}).",
        f"$p_o = \\frac{{\\text{{agreements}}}}{{n}} = \\frac{{{both} + {neither}}}{{{n}}} "
        f"= {fmt(v['p_o'])}$",
        f"Reader A says lesion in {a_yes}/{n} cases, reader B in {b_yes}/{n}. Two readers "
        "guessing independently at those rates would agree with probability "
        f"$p_e = \\frac{{{a_yes}}}{{{n}}} \\cdot \\frac{{{b_yes}}}{{{n}}} + "
        f"\\frac{{{n - a_yes}}}{{{n}}} \\cdot \\frac{{{n - b_yes}}}{{{n}}} = {fmt(v['p_e'])}$",
    ]
    if v["kappa"] is None:
        steps.append(
            "$\\kappa = \\frac{p_o - p_e}{1 - p_e}$ is 0/0 here: both readers gave every case "
            "the same single label, so chance alone explains all agreement and kappa is "
            "undefined (scikit-learn returns nan). Leave it blank."
        )
        return steps
    step = (
        f"$\\kappa = \\frac{{p_o - p_e}}{{1 - p_e}} = \\frac{{{fmt(v['p_o'])} - "
        f"{fmt(v['p_e'])}}}{{1 - {fmt(v['p_e'])}}} = {fmt(v['kappa'])}$: the share of the "
        "agreement beyond chance that the readers actually reached."
    )
    if level == "medium":
        step += (
            " With rare lesions both readers say 'no lesion' most of the time, so chance "
            "agreement is already high and kappa ends up well below the raw agreement."
        )
    steps.append(step)
    return steps


def _fleiss_solution(
    counts: np.ndarray, categories: list[str], v: dict[str, float | None]
) -> list[str]:
    subjects, k = counts.shape
    raters = int(counts[0].sum())
    pairs = raters * (raters - 1)
    totals = counts.sum(axis=0)
    shares = ", ".join(
        f"{name} {int(t)}/{subjects * raters} = {fmt(t / (subjects * raters))}"
        for name, t in zip(categories, totals, strict=True)
    )
    per_subject = "; ".join(
        f"case {i + 1}: ({' + '.join(str(int(c) ** 2) for c in row)} − {raters})/{pairs} = "
        f"{fmt(((row**2).sum() - raters) / pairs)}"
        for i, row in enumerate(counts)
    )
    p_e_terms = " + ".join(f"{fmt(t / (subjects * raters))}^2" for t in totals)
    steps = [
        f"N = {subjects} cases, n = {raters} readers per case, k = {k} categories. The share "
        f"of all ratings in each category is $p_j = \\frac{{1}}{{N n}} \\sum_i n_{{ij}}$: "
        f"{shares}.",
        "For each case, $P_i = \\frac{1}{n(n-1)} \\left( \\sum_j n_{ij}^2 - n \\right)$ is "
        f"the share of agreeing ordered reader pairs: {per_subject}.",
        f"$\\bar{{P}} = \\frac{{1}}{{N}} \\sum_i P_i = {fmt(v['p_bar'])}$",
        f"$\\bar{{P}}_e = \\sum_j p_j^2 = {p_e_terms} = {fmt(v['p_e_bar'])}$",
    ]
    if v["kappa"] is None:
        steps.append(
            "Every rating is in one category, so $\\bar{P}_e = 1$ and "
            "$\\kappa = \\frac{\\bar{P} - \\bar{P}_e}{1 - \\bar{P}_e}$ is 0/0: undefined. "
            "Leave it blank."
        )
    else:
        steps.append(
            f"$\\kappa = \\frac{{\\bar{{P}} - \\bar{{P}}_e}}{{1 - \\bar{{P}}_e}} = "
            f"\\frac{{{fmt(v['p_bar'])} - {fmt(v['p_e_bar'])}}}{{1 - {fmt(v['p_e_bar'])}}} = "
            f"{fmt(v['kappa'])}$"
        )
    return steps
