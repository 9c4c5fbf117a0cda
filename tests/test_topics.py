import random

import numpy as np
import pytest

from textmine.errors import AnalysisError
from textmine.topics import fit_lda

THEMES = {
    "talent": ["人才", "公寓", "补贴", "落户", "引进", "博士后"],
    "environment": ["环境", "污染", "排放", "治理", "生态", "监测"],
    "transport": ["交通", "道路", "车辆", "停车", "运输", "公交"],
}


def planted(n_per_theme: int = 60, length: int = 60) -> list[tuple[str, list[str]]]:
    rng = random.Random(3)
    docs = []
    for name, words in THEMES.items():
        for i in range(n_per_theme):
            docs.append((f"{name}-{i}", [rng.choice(words) for _ in range(length)]))
    return docs


def test_planted_themes_are_recovered():
    model = fit_lda(planted(), k=3, seed=1, min_df=1, max_df=1.0, top_terms=6)  # default passes and chunks
    found = sorted(sorted(term for term, _ in topic) for topic in model.topics)
    assert found == sorted(sorted(words) for words in THEMES.values())
    assert np.allclose(model.doc_topics.sum(axis=1), 1.0)
    groups = {doc_id: doc_id.split("-")[0] for doc_id, _ in planted()}
    shares = model.shares(groups)
    assert set(shares) == set(THEMES)
    for share in shares.values():
        assert share.sum() == pytest.approx(1.0)
        assert share.max() > 0.9  # each group is one theme


def test_same_seed_same_model():
    a = fit_lda(planted(), k=3, seed=5, passes=5, min_df=1, max_df=1.0)
    b = fit_lda(planted(), k=3, seed=5, passes=5, min_df=1, max_df=1.0)
    assert a.topics == b.topics
    assert np.array_equal(a.doc_topics, b.doc_topics)


def test_empty_documents_are_dropped_and_listed():
    docs = planted() + [("empty", []), ("rare", ["孤词"])]
    model = fit_lda(docs, k=3, seed=1, passes=2, min_df=2, max_df=1.0)
    assert model.dropped == ("empty", "rare")
    assert "empty" not in model.doc_ids


def test_vocabulary_smaller_than_k_is_a_clear_error():
    with pytest.raises(AnalysisError, match=r"vocabulary has 6 terms after filtering .* fewer than k=8 topics"):
        fit_lda([(f"d{i}", THEMES["talent"]) for i in range(5)], k=8, seed=1, min_df=1, max_df=1.0)
