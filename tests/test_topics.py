import json
import math
import random
import re
from dataclasses import replace

import numpy as np
import pytest

from textmine.analysis.counting import TokenizedDocument
from textmine.analysis.topics import check_fit, fit_lda, fit_nmf, topic_corpus
from textmine.config import load_config
from textmine.errors import AnalysisError, ConfigError
from textmine.output.topic_outputs import alignment_table, topic_tables, view_data, write_topic_views
from textmine.workflow.topic_stage import fit_topics

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


def corpus(docs=None, min_df=1, max_df=1.0):
    return topic_corpus(docs or planted(), min_df=min_df, max_df=max_df)


def test_planted_themes_are_recovered_and_prevalence_sums_to_one():
    model = fit_lda(corpus(), k=3, seed=1)
    found = sorted(sorted(term for term, _, _ in model.top_terms(t, 6, lam=1.0)) for t in range(3))
    assert found == sorted(sorted(words) for words in THEMES.values())
    assert np.allclose(model.doc_topics.sum(axis=1), 1.0) and np.allclose(model.phi.sum(axis=1), 1.0)
    groups = {doc_id: doc_id.split("-")[0] for doc_id, _ in planted()}
    shares = model.shares(groups)
    assert set(shares) == set(THEMES)
    for share in shares.values():
        assert share.sum() == pytest.approx(1.0)
        assert share.max() > 0.9  # each group is one theme


def test_relevance_by_hand():
    model = fit_lda(corpus(), k=3, seed=1, passes=5)
    p_w = model.term_freq / model.term_freq.sum()
    term, prob, relevance = model.top_terms(0, 1, lam=0.6)[0]
    w = model.vocab.index(term)
    assert prob == pytest.approx(model.phi[0, w])
    assert relevance == pytest.approx(0.6 * math.log(prob) + 0.4 * math.log(prob / p_w[w]))
    assert model.top_terms(0, 6, lam=1.0) == sorted(model.top_terms(0, 6, lam=1.0), key=lambda x: (-x[1], x[0]))


def test_top_terms_equal_the_full_sort_with_ties_at_the_cut():
    from textmine.analysis.topics import TopicModel

    # topic 0: 甲 .4, then 乙 丙 丁 tied at .15, 戊 .1, 己 .05; equal frequencies, so relevance follows phi
    vocab = ("丁", "丙", "乙", "己", "戊", "甲")
    phi = np.array([[0.15, 0.15, 0.15, 0.05, 0.1, 0.4], [0.2, 0.2, 0.2, 0.2, 0.1, 0.1]])
    model = TopicModel("lda", 2, 1, vocab, phi, ("d",), np.array([[1.0, 0.0]]), (), np.ones(6), np.array([6.0]))
    for topic in (0, 1):
        for n in range(1, 7):
            relevance = model.relevance()[topic]
            full = sorted(range(6), key=lambda w: (-relevance[w], vocab[w]))[:n]
            assert [t for t, _, _ in model.top_terms(topic, n)] == [vocab[w] for w in full]
    assert [t for t, _, _ in model.top_terms(0, 2)] == ["甲", "丁"]  # the three-way tie at the cut: by term
    assert model.relevance() is model.relevance()  # computed once per λ


def test_same_seed_same_model():
    a = fit_lda(corpus(), k=3, seed=5, passes=5)
    b = fit_lda(corpus(), k=3, seed=5, passes=5)
    assert np.array_equal(a.phi, b.phi) and np.array_equal(a.doc_topics, b.doc_topics)


def test_empty_documents_are_dropped_and_listed():
    docs = planted() + [("empty", []), ("rare", ["孤词"])]
    c = corpus(docs, min_df=2)
    assert c.dropped == ("empty", "rare")
    model = fit_lda(c, k=3, seed=1, passes=2)
    assert model.dropped == ("empty", "rare") and "empty" not in model.doc_ids


def test_guard_rails_are_clear_errors():
    small = corpus([(f"d{i}", THEMES["talent"]) for i in range(5)])
    with pytest.raises(AnalysisError, match=r"vocabulary has 6 terms after filtering .* fewer than k=8 topics"):
        check_fit(small, 8, 1, 1.0)
    with pytest.raises(AnalysisError, match="at least 2 documents with terms; got 1"):
        check_fit(corpus([("a", ["人才"]), ("b", [])]), 1, 1, 1.0)
    documents = [TokenizedDocument(d, d.split("-")[0], 2020, [tokens]) for d, tokens in planted()]
    with pytest.raises(ConfigError, match="k_min .* is larger than topics.k_max"):
        fit_topics(documents, load_config(overrides={"topics.k_min": 9, "topics.k_max": 4}))


def test_nmf_and_lda_agree_on_clear_themes():
    c = corpus()
    lda, nmf = fit_lda(c, k=3, seed=1), fit_nmf(c, k=3, seed=1)
    table = alignment_table(lda, nmf)
    # matched one to one, each pair on the same planted theme: the same 6 theme words on top (the rest of
    # a top 10 is the other themes' words at near-equal, meaningless probabilities)
    top6 = lambda m, topic: {term for term, _, _ in m.top_terms(int(topic[1:]) - 1, 6, lam=1.0)}  # noqa: E731
    assert sorted(row[2] for row in table.rows) == ["T1", "T2", "T3"]
    for row in table.rows:
        assert top6(lda, row[0]) == top6(nmf, row[2]) and top6(lda, row[0]) in map(set, THEMES.values())
    assert all(row[4] >= 6 / 14 for row in table.rows)  # the 6 theme words shared, 4 others each at most
    assert all(row[5] > 0.9 for row in table.rows)
    assert np.allclose(nmf.doc_topics.sum(axis=1), 1.0)


def test_fixed_k_outputs_and_interactive_view(tmp_path):
    documents = [
        TokenizedDocument(d, d.split("-")[0], 2019 + i % 3, [tokens], title=f"标题 {d}")
        for i, (d, tokens) in enumerate(planted())
    ]
    config = load_config(overrides={"topics.k": 3, "topics.seeds": 2, "topics.passes": 5, "run.cache": False})
    topics = fit_topics(documents, config)
    assert topics.selection.chosen == 3 and topics.selection.rule.startswith("fixed")
    # both seeds find the three themes: their 6 words agree; the other 4 of each top 10 are near-zero noise
    assert topics.selection.scores[0].stability > 0.8
    by_id = {d.id: d for d in documents}
    tables = {t.name: t for t in topic_tables(topics, by_id, {}, replace(config.topics, top_terms=6, representative=2))}
    assert {"topic_selection", "topic_terms", "topic_documents", "topic_shares", "topic_years"} <= set(tables)
    assert {"nmf_topic_terms", "nmf_topic_shares", "topic_alignment", "document_topics", "nmf_document_topics"} <= set(
        tables
    )
    for name in ("topic_shares", "nmf_topic_shares"):
        for row in tables[name].rows:
            assert sum(row[2:5]) == pytest.approx(1.0, abs=1e-5)
    for row in tables["topic_years"].rows:
        assert sum(row[2:5]) == pytest.approx(1.0, abs=1e-5) and row[1] == 60
    # representative documents: each topic's top documents are from one theme, with their titles
    reps = [r for r in tables["topic_documents"].rows if r[2] == 1]
    assert sorted(r[4] for r in reps) == sorted(THEMES) and all(r[6] == f"标题 {r[3]}" for r in reps)
    labels = {r[0]: r[1] for r in tables["topic_terms"].rows}
    write_topic_views(tmp_path, topics, lam=0.6)
    html = (tmp_path / "topics.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"?https?:", html) and "<script src" not in html
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S).group(1))
    assert [(t["id"], t["label"]) for t in data["topics"]] == list(labels.items())  # same numbering as the tables
    assert sum(t["share"] for t in data["topics"]) == pytest.approx(1.0, abs=1e-4)
    assert data == view_data(topics.lda, lam=0.6)
    assert (tmp_path / "nmf_topics.html").is_file()


def test_the_published_model_is_scored_and_labelled_at_the_configured_lambda(tmp_path, monkeypatch):
    from gensim.models import CoherenceModel

    from textmine.workflow.topic_selection import _mean_sd

    monkeypatch.setenv("TEXTMINE_CACHE", str(tmp_path / "cache"))
    documents = [TokenizedDocument(d, d.split("-")[0], 2020, [tokens]) for d, tokens in planted(20, 40)]
    overrides = {"topics.k": 3, "topics.seeds": 2, "topics.passes": 5, "topics.min_df": 1, "topics.max_df": 1.0}
    config = load_config(overrides={**overrides, "topics.relevance_lambda": 0.2, "run.workers": 1})
    topics = fit_topics(documents, config)
    lda = topics.lda
    top = [[lda.vocab[w] for w in np.argsort(-lda.phi[t], kind="stable")[:10]] for t in range(lda.k)]
    c = corpus([(d.id, d.sentences[0]) for d in documents])
    expected = CoherenceModel(
        topics=top, dictionary=c.dictionary(), texts=c.texts, coherence="c_npmi", topn=10, processes=1
    ).get_coherence_per_topic()
    assert topics.published["c_npmi"] == pytest.approx(expected, abs=1e-6)  # was: the published model never scored
    assert "topics with a negative C_NPMI" in topics.published_summary
    assert lda.label(0) == "·".join(term for term, _, _ in lda.top_terms(0, 3, lam=0.2))  # was: always λ = 0.6
    again = fit_topics(documents, config)  # from the cache: the same scores, the same λ
    assert again.published == topics.published and again.lda.lam == 0.2
    # the spread over seeds is the sample standard deviation (ddof = 1); one seed has none
    assert _mean_sd([1.0, 2.0, 3.0]) == (2.0, 1.0) and math.isnan(_mean_sd([1.0])[1])
