"""Co-occurrence counts and association measures against values computed by hand."""

import math

import numpy as np
import pytest

from textmine.counting import TokenizedDocument, doc_term_matrix, keyword_table, keyword_tables_by_group
from textmine.network import build_network, cooccurrence, edge_rows, strongest_links

# a: paragraph 0 / article 0 holds sentence 1; paragraph 1 / article 1 holds sentence 2
DOCS = [
    TokenizedDocument("a", "X", 2020, [["人才", "公寓", "人才"], ["补贴"]], [0, 1], [0, 1]),
    TokenizedDocument("b", "X", 2021, [["人才", "补贴"]], [0], [1]),
    TokenizedDocument("c", "Y", 2021, [["公寓", "创新"]], [0], [0]),
]
TERMS = ["人才", "公寓", "补贴", "创新"]


def test_frequencies_by_hand():
    dtm = doc_term_matrix(DOCS)
    assert dtm.vocab == tuple(sorted(TERMS))
    table = keyword_table(dtm)
    assert (table.documents, table.tokens) == (3, 8)
    rows = [(t.term, t.freq, t.df, t.per_10k, t.doc_share) for t in table.terms]
    # ties on frequency and document frequency are broken by the term itself
    assert rows == [
        ("人才", 3, 2, 3750.0, 0.6667),
        ("公寓", 2, 2, 2500.0, 0.6667),
        ("补贴", 2, 2, 2500.0, 0.6667),
        ("创新", 1, 1, 1250.0, 0.3333),
    ]
    by_group = keyword_tables_by_group(dtm)
    assert [(t.term, t.freq, t.per_10k) for t in by_group["Y"].terms] == [("公寓", 1, 5000.0), ("创新", 1, 5000.0)]
    assert by_group["X"].tokens == 6


@pytest.mark.parametrize(
    ("unit", "counting", "n_units", "expected"),
    [
        ("document", "binary", 3, [[2, 1, 2, 0], [1, 2, 1, 1], [2, 1, 2, 0], [0, 1, 0, 1]]),
        # full: n_i × n_j summed over documents; the diagonal holds occurrences
        ("document", "full", 3, [[3, 2, 3, 0], [2, 2, 1, 1], [3, 1, 2, 0], [0, 1, 0, 1]]),
        ("sentence", "binary", 4, [[2, 1, 1, 0], [1, 2, 0, 1], [1, 0, 2, 0], [0, 1, 0, 1]]),
        ("paragraph", "binary", 4, [[2, 1, 1, 0], [1, 2, 0, 1], [1, 0, 2, 0], [0, 1, 0, 1]]),
        # articles: a0 {人才, 公寓}, a1 {补贴}, b1 {人才, 补贴}, c0 {公寓, 创新}
        ("article", "binary", 4, [[2, 1, 1, 0], [1, 2, 0, 1], [1, 0, 2, 0], [0, 1, 0, 1]]),
        # windows of 2 tokens: [人才 公寓] [公寓 人才] [补贴] [人才 补贴] [公寓 创新]
        ("window", "binary", 5, [[3, 2, 1, 0], [2, 3, 0, 1], [1, 0, 2, 0], [0, 1, 0, 1]]),
        # full windows: every pair of positions less than 2 apart; the diagonal holds occurrences
        ("window", "full", 8, [[3, 2, 1, 0], [2, 2, 0, 1], [1, 0, 2, 0], [0, 1, 0, 1]]),
    ],
)
def test_counts_by_unit_and_counting(unit, counting, n_units, expected):
    co = cooccurrence(DOCS, TERMS, unit=unit, counting=counting, window=2)
    assert co.n_units == n_units
    assert co.counts.tolist() == expected


def test_articles_and_paragraphs_differ_when_an_article_spans_paragraphs():
    doc = TokenizedDocument("d", "X", None, [["人才", "公寓"], ["补贴"]], [0, 1], [1, 1])
    assert cooccurrence([doc], TERMS, unit="paragraph").counts[0, 2] == 0
    assert cooccurrence([doc], TERMS, unit="article").counts[0, 2] == 1


def test_association_measures_by_hand():
    co = cooccurrence(DOCS, TERMS)  # documents, binary: N = 3
    talent, flat, subsidy = 0, 1, 2
    # 人才–补贴: c = 2, s = 2 and 2
    assert co.measure("jaccard")[talent, subsidy] == pytest.approx(2 / (2 + 2 - 2))
    assert co.measure("cosine")[talent, subsidy] == pytest.approx(2 / math.sqrt(2 * 2))
    assert co.measure("inclusion")[talent, subsidy] == pytest.approx(2 / 2)
    assert co.measure("association_strength")[talent, subsidy] == pytest.approx(3 * 2 / (2 * 2))
    assert co.measure("pmi")[talent, subsidy] == pytest.approx(math.log2(1.5))
    assert co.measure("npmi")[talent, subsidy] == pytest.approx(math.log2(1.5) / -math.log2(2 / 3))
    # 人才–公寓: c = 1
    assert co.measure("jaccard")[talent, flat] == pytest.approx(1 / 3)
    assert co.measure("cosine")[talent, flat] == pytest.approx(1 / 2)
    assert co.measure("association_strength")[talent, flat] == pytest.approx(0.75)
    assert co.measure("npmi")[talent, flat] == pytest.approx(math.log2(0.75) / -math.log2(1 / 3))
    # pairs that never co-occur have no association, not −∞
    assert co.measure("pmi")[talent, 3] == 0.0 and np.isfinite(co.measure("npmi")).all()


def test_network_edges_measures_and_strongest_links():
    co = cooccurrence(DOCS, TERMS)
    graph = build_network(co, freq={"人才": 3, "公寓": 2, "补贴": 2, "创新": 1})
    assert edge_rows(graph) == [("人才", "补贴", 2), ("人才", "公寓", 1), ("公寓", "创新", 1), ("公寓", "补贴", 1)]
    assert dict(graph.nodes["人才"]) == {"label": "人才", "freq": 3, "units": 2, "occurs": True}
    edge = graph.edges["人才", "补贴"]
    assert (edge["count"], edge["jaccard"], edge["association_strength"]) == (2, 1.0, 1.5)
    assert [(r.keyword, r.freq, r.partner, r.weight) for r in strongest_links(graph)] == [
        ("人才", 3, "补贴", 2),
        ("公寓", 2, "人才", 1),
        ("补贴", 2, "人才", 2),
        ("创新", 1, "公寓", 1),
    ]
    assert graph.graph["unit"] == "document" and graph.graph["counting"] == "binary"


def test_pruning_by_weight_and_by_each_nodes_strongest_edges():
    co = cooccurrence(DOCS, TERMS)
    freq = {t: 1 for t in TERMS}
    assert edge_rows(build_network(co, freq=freq, min_weight=2)) == [("人才", "补贴", 2)]
    # by NPMI each node keeps its single strongest edge: 人才–补贴 (1.0), 公寓–创新 (0.63); 公寓–补贴 goes
    pruned = build_network(co, freq=freq, measure="npmi", top_k=1)
    assert sorted(tuple(sorted(e)) for e in pruned.edges) == [("人才", "补贴"), ("公寓", "创新")]
    assert pruned.edges["人才", "补贴"]["weight"] == pytest.approx(1.0)


def test_group_networks_on_the_shared_vocabulary():
    x = build_network(cooccurrence(DOCS[:2], TERMS), freq={"人才": 3, "公寓": 1, "补贴": 2}, name="X")
    # every group's network holds every keyword, so the files overlay node for node; 创新 does not occur in X
    assert sorted(x.nodes) == sorted(TERMS)
    assert dict(x.nodes["创新"]) == {"label": "创新", "freq": 0, "units": 0, "occurs": False}
    assert [n for n, occurs in x.nodes(data="occurs") if occurs] == ["人才", "公寓", "补贴"]
    assert edge_rows(x) == [("人才", "补贴", 2), ("人才", "公寓", 1), ("公寓", "补贴", 1)]


def test_networks_per_period_hold_only_their_years():
    from textmine.config import load_config
    from textmine.errors import AnalysisError, ConfigError
    from textmine.pipeline import build_networks

    dtm = doc_term_matrix(DOCS)
    tables = keyword_tables_by_group(dtm)
    config = load_config(overrides={"network.periods": ["-2020", "2021-"], "network.top_n": 4})
    networks = build_networks(DOCS, keyword_table(dtm), tables, config, dtm)
    periods = networks.of("period")
    assert list(periods) == ["period ≤2020", "period ≥2021"]
    assert periods["period ≤2020"].graph["units"] == 1  # document a
    assert edge_rows(periods["period ≥2021"]) == [("人才", "补贴", 1), ("公寓", "创新", 1)]  # documents b and c
    assert set(networks.period_comparison.edges["人才", "补贴"]) >= {"count_period ≤2020", "count_period ≥2021"}
    assert list(networks.of("group")) == ["X", "Y"]
    with pytest.raises(AnalysisError, match="no document's year falls in 2030-2040"):
        build_networks(DOCS, keyword_table(dtm), tables, load_config(overrides={"network.periods": ["2030-2040"]}), dtm)
    with pytest.raises(ConfigError, match="year bands like"):
        build_networks(DOCS, keyword_table(dtm), tables, load_config(overrides={"network.periods": ["late"]}), dtm)


def test_npmi_of_a_pair_in_every_unit_is_undefined_not_zero():
    # 规定 and 管理 stand together in all three documents: PMI = log2(3·3 / (3·3)) = 0 and −log2 p = 0
    docs = [
        TokenizedDocument(f"d{i}", "X", 2020, [["规定", "管理", extra]])
        for i, extra in enumerate(["人才", "公寓", "人才"])
    ]
    co = cooccurrence(docs, ["规定", "管理", "人才", "公寓"])
    npmi = co.measure("npmi")
    assert np.isnan(npmi[0, 1]) and npmi[0, 2] == pytest.approx(0.0)  # 规定–人才: p = 2/3 each, independent
    graph = build_network(co, freq={"规定": 3, "管理": 3, "人才": 2, "公寓": 1})
    assert "npmi" not in graph.edges["规定", "管理"] and graph.edges["规定", "管理"]["count"] == 3  # was: npmi 0
    assert graph.graph["undefined_weights"] == 0
    weighted = build_network(co, freq={"规定": 3, "管理": 3, "人才": 2, "公寓": 1}, measure="npmi")
    assert not weighted.has_edge("规定", "管理") and weighted.graph["undefined_weights"] == 1
