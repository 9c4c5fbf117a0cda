"""Do the findings hinge on a threshold? The top keywords and the distinctive terms of each group are
recomputed with other settings, and each variant's top list is compared with the baseline's:

- overlap: the share of the baseline's top N that stays in the variant's top N;
- Spearman's ρ over the union of the two lists, a term missing from a list ranked N + 1.

Variants: keywords ranked by document frequency instead of frequency, and with the corpus's 10 most
frequent terms added as stopwords; distinctive terms with the minimum frequency halved and doubled and
with the prior ten times weaker and stronger, and with those 10 extra stopwords.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .compare import DocumentTest, distinctive_terms
from .counting import DocTermMatrix, keyword_table, keyword_tables_by_group


@dataclass(frozen=True)
class Robustness:
    group: str
    list: str  # "top keywords" or "distinctive terms"
    variant: str
    overlap: float
    spearman: float


def compare_lists(baseline: list[str], variant: list[str]) -> tuple[float, float]:
    """Overlap of two top-N lists and Spearman's ρ over their union (missing = rank N + 1)."""
    n = len(baseline)
    if n == 0:
        return 1.0, 1.0
    union = sorted(set(baseline) | set(variant))
    rank_a = [baseline.index(t) + 1 if t in baseline else n + 1 for t in union]
    rank_b = [variant.index(t) + 1 if t in variant else len(variant) + 1 for t in union]
    overlap = len(set(baseline) & set(variant)) / n
    if rank_a == rank_b:
        rho = 1.0
    elif len(set(rank_a)) < 2 or len(set(rank_b)) < 2:  # a constant ranking: ρ is undefined
        rho = math.nan
    else:
        from scipy import stats  # half a second to import: not on every start

        rho = float(stats.spearmanr(rank_a, rank_b).statistic)
    return round(overlap, 4), round(rho if np.isfinite(rho) else 0.0, 4)


def _without(dtm: DocTermMatrix, terms: set[str]) -> DocTermMatrix:
    keep = [j for j, t in enumerate(dtm.vocab) if t not in terms]
    return DocTermMatrix(dtm.doc_ids, dtm.groups, tuple(dtm.vocab[j] for j in keep), dtm.counts[:, keep])


def robustness(
    dtm: DocTermMatrix, *, top_n: int, min_freq: int, prior_scale: float, test: DocumentTest | None = None
) -> list[Robustness]:
    """Every group's top keywords and distinctive terms under every variant, against the baseline;
    distinctive terms pass the same document-level ``test`` in every variant."""
    extra = {t.term for t in keyword_table(dtm).top(10)}
    reduced = _without(dtm, extra)
    rows: list[Robustness] = []
    tables = keyword_tables_by_group(dtm)
    base_keywords = {g: [t.term for t in table.top(top_n)] for g, table in tables.items()}
    keyword_variants = {
        "ranked by document frequency": {
            g: [t.term for t in sorted(table.terms, key=lambda t: (-t.df, -t.freq, t.term))[:top_n]]
            for g, table in tables.items()
        },
        "10 most frequent terms as extra stopwords": {
            g: [t.term for t in table.top(top_n)] for g, table in keyword_tables_by_group(reduced).items()
        },
    }
    for variant, lists in keyword_variants.items():
        for group, baseline in base_keywords.items():
            rows.append(Robustness(group, "top keywords", variant, *compare_lists(baseline, lists[group])))

    def distinctive(matrix: DocTermMatrix, freq: int, prior: float) -> dict[str, list[str]]:
        found = distinctive_terms(matrix, prior_scale=prior, min_freq=freq, top_n=top_n, test=test, intervals=False)
        return {g: [t.term for t in terms] for g, terms in found.items()}

    base = distinctive(dtm, min_freq, prior_scale)
    variants = {
        f"minimum frequency {max(1, min_freq // 2)}": distinctive(dtm, max(1, min_freq // 2), prior_scale),
        f"minimum frequency {min_freq * 2}": distinctive(dtm, min_freq * 2, prior_scale),
        f"prior {prior_scale / 10:g}": distinctive(dtm, min_freq, prior_scale / 10),
        f"prior {prior_scale * 10:g}": distinctive(dtm, min_freq, prior_scale * 10),
        "10 most frequent terms as extra stopwords": distinctive(reduced, min_freq, prior_scale),
    }
    for variant, lists in variants.items():
        for group, baseline in base.items():
            rows.append(Robustness(group, "distinctive terms", variant, *compare_lists(baseline, lists[group])))
    return rows
