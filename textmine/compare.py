"""What each group stresses: keywords side by side and the terms most distinctive of each group.

Distinctiveness is the weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
& Quinn 2008, "Fightin' Words", eqs. 16–22), each group against all the others together. The prior
is the whole corpus's term distribution scaled to ``prior_scale`` pseudo-counts:
``alpha_w = prior_scale * y_w / n``. For group ``i`` and the rest ``j``::

    delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))
    var_w  ~= 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var_w)

A z above 1.96 means the group uses the term more than the rest beyond what chance and the term's
rarity explain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .counting import DocTermMatrix


@dataclass(frozen=True)
class DistinctiveTerm:
    group: str
    term: str
    count: int  # occurrences in the group
    rest_count: int  # occurrences in the other groups
    per_10k: float  # in the group
    rest_per_10k: float  # in the other groups
    log_odds: float  # delta_w
    z: float


def log_odds_z(y_i: np.ndarray, y_j: np.ndarray, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted log-odds (delta) and z-scores of counts ``y_i`` against ``y_j`` under Dirichlet ``prior``."""
    a0, n_i, n_j = prior.sum(), y_i.sum(), y_j.sum()
    delta = np.log((y_i + prior) / (n_i + a0 - y_i - prior)) - np.log((y_j + prior) / (n_j + a0 - y_j - prior))
    variance = 1.0 / (y_i + prior) + 1.0 / (y_j + prior)
    return delta, delta / np.sqrt(variance)


def distinctive_terms(
    dtm: DocTermMatrix, *, prior_scale: float = 1000.0, min_freq: int = 10, top_n: int = 20
) -> dict[str, list[DistinctiveTerm]]:
    """For each group, its ``top_n`` terms by z against the rest, among terms with ``min_freq``+ occurrences."""
    total = np.asarray(dtm.counts.sum(axis=0), dtype=float).ravel()
    prior = prior_scale * total / total.sum()
    eligible = total >= min_freq
    result = {}
    for group in dtm.group_names:
        y_i = np.asarray(dtm.counts[dtm.rows_of(group)].sum(axis=0), dtype=float).ravel()
        y_j = total - y_i
        delta, z = log_odds_z(y_i, y_j, prior)
        candidates = np.flatnonzero(eligible & (y_i > 0))
        order = sorted(candidates, key=lambda w: (-z[w], dtm.vocab[w]))[:top_n]
        n_i, n_j = y_i.sum(), y_j.sum()
        result[group] = [
            DistinctiveTerm(
                group=group,
                term=dtm.vocab[w],
                count=int(y_i[w]),
                rest_count=int(y_j[w]),
                per_10k=round(10_000 * y_i[w] / n_i, 4),
                rest_per_10k=round(10_000 * y_j[w] / n_j, 4) if n_j else 0.0,
                log_odds=round(float(delta[w]), 6),
                z=round(float(z[w]), 4),
            )
            for w in order
        ]
    return result
