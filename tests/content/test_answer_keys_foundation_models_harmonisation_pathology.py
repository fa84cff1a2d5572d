"""Second pass over the numeric keys of the foundation-models, harmonisation and pathology topics.

Each key is rebuilt from the question's numbers by a route other than the explanation's
(building the arrays, masks or tile grids and counting them), then compared with the stored
key within the stored tolerance.
"""

import numpy as np
import pytest
from scipy.special import softmax
from sklearn.preprocessing import StandardScaler

from .conftest import assert_within_key


def mae_visible_tokens(image: int, patch: int, mask_ratio: float) -> int:
    # Lay out the patch grid, mask a random 75 % exactly as MAE does (shuffle, keep the first
    # share), and count what remains.
    grid = np.zeros((image // patch, image // patch))
    n = grid.size
    keep = int(n * (1 - mask_ratio))
    order = np.random.default_rng(0).permutation(n)
    visible = np.zeros(n, dtype=bool)
    visible[order[:keep]] = True
    return int(visible.sum())


def attention_entries(volume: int, patch: int) -> int:
    tokens = np.zeros((volume // patch,) * 3).size
    return np.ones((tokens, tokens), dtype=np.int8).size


def sample_with(mean: float, sd: float) -> np.ndarray:
    raw = np.random.default_rng(1).normal(size=(500, 1))
    return mean + sd * (raw - raw.mean()) / raw.std()


def location_scale(value: float, site: tuple, reference: tuple) -> float:
    # Fit one scaler on a sample with the site's moments and one on the reference's, then
    # send the value through the first and back out of the second.
    z = StandardScaler().fit(sample_with(*site)).transform([[value]])
    return float(StandardScaler().fit(sample_with(*reference)).inverse_transform(z)[0, 0])


def fixed_bin_level(hu: float, low: float, high: float, width: float) -> int:
    edges = np.arange(low, high + width, width)
    return int(np.digitize(hu, edges))


def complete_tiles(width: int, height: int, downsample: int, tile: int) -> int:
    # Walk the tile origins at the target level and keep those whose tile fits entirely.
    w, h = width // downsample, height // downsample
    xs = [x for x in range(0, w, tile) if x + tile <= w]
    ys = [y for y in range(0, h, tile) if y + tile <= h]
    return len(xs) * len(ys)


RECOMPUTED = {
    "foundation-models-mae-visible-tokens": mae_visible_tokens(224, 16, 0.75),
    "foundation-models-3d-attention-cost": attention_entries(96, 8) / attention_entries(96, 16),
    "harmonisation-combat-location-scale": location_scale(150, (120, 20), (100, 15)),
    "harmonisation-ibsi-fixed-bin-size": fixed_bin_level(37, -100, 400, 25),
    "pathology-tile-field-of-view": np.ptp(np.arange(224 + 1) * 0.5),
    "pathology-tile-count": complete_tiles(100_000, 80_000, downsample=2, tile=256),
    "pathology-attention-weight": softmax(np.array([2.0, 0.0, 0.0, -1.0]))[0],
}


def test_every_numeric_question_of_these_topics_is_recomputed(keys):
    prefixes = ("foundation-models-", "harmonisation-", "pathology-")
    assert {qid for qid in keys if qid.startswith(prefixes)} == set(RECOMPUTED)


@pytest.mark.parametrize("question_id", sorted(RECOMPUTED))
def test_the_stored_key_matches_the_recomputed_value(keys, question_id):
    assert_within_key(keys[question_id], RECOMPUTED[question_id])
