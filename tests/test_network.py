"""Co-occurrence counts and association measures against values computed by hand."""

import math

import numpy as np
import pytest

from textmine.analysis.counting import TokenizedDocument, doc_term_matrix, keyword_table, keyword_tables_by_group
from textmine.analysis.network import build_network, cooccurrence, edge_rows, strongest_links

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
    graph = build_network(co, freq={"人才": 3, "公寓": 2, "补贴": 2, "创新": 1}, measure="association_strength")
    # association strength N c / (s_i s_j), N = 3: 人才–补贴 3·2/(2·2), 公寓–创新 3·1/(2·1), the others 3·1/(2·2)
    assert edge_rows(graph) == [
        ("人才", "补贴", 1.5),
        ("公寓", "创新", 1.5),
        ("人才", "公寓", 0.75),
        ("公寓", "补贴", 0.75),
    ]
    assert dict(graph.nodes["人才"]) == {"label": "人才", "freq": 3, "units": 2, "occurs": True}
    edge = graph.edges["人才", "补贴"]
    assert (edge["count"], edge["jaccard"], edge["association_strength"]) == (2, 1.0, 1.5)
    # by count (the reference study's column) 公寓's three partners tie at 1: the most frequent, 人才, wins;
    # by association strength 公寓's partner is 创新 (1.5)
    assert [(r.keyword, r.freq, r.partner, r.weight, r.associated, r.association) for r in strongest_links(graph)] == [
        ("人才", 3, "补贴", 2, "补贴", 1.5),
        ("公寓", 2, "人才", 1, "创新", 1.5),
        ("补贴", 2, "人才", 2, "人才", 1.5),
        ("创新", 1, "公寓", 1, "公寓", 1.5),
    ]
    assert graph.graph["unit"] == "document" and graph.graph["counting"] == "binary"


def test_pruning_by_weight_and_the_backbone_of_each_nodes_strongest_edges():
    co = cooccurrence(DOCS, TERMS)
    freq = {t: 1 for t in TERMS}
    assert edge_rows(build_network(co, freq=freq, measure="count", min_weight=2)) == [("人才", "补贴", 2)]
    # by NPMI each node's single strongest edge: 人才–补贴 (1.0), 公寓–创新 (0.63); 公寓–补贴 is no one's,
    # and 人才–公寓 (NPMI < 0) can be in no backbone. Every edge stays in the network, flagged.
    graph = build_network(co, freq=freq, measure="npmi", backbone="top_k", top_k=1)
    assert graph.number_of_edges() == 4
    assert sorted(tuple(sorted(e)) for e, on in nx_flags(graph).items() if on) == [("人才", "补贴"), ("公寓", "创新")]
    assert graph.edges["人才", "补贴"]["weight"] == pytest.approx(1.0)
    assert graph.edges["人才", "公寓"]["npmi"] < 0 and graph.edges["人才", "公寓"]["backbone"] == 0


def nx_flags(graph):
    return {(u, v): d["backbone"] for u, v, d in graph.edges(data=True)}


def test_disparity_filter_by_hand_and_against_its_integral():
    from scipy.integrate import quad

    from textmine.analysis.network import disparity

    # a–b 8, a–c 1, a–d 1, b–c 1
    w = np.zeros((4, 4))
    for i, j, x in [(0, 1, 8), (0, 2, 1), (0, 3, 1), (1, 2, 1)]:
        w[i, j] = w[j, i] = x
    alpha = disparity(w)
    # a: k = 3, s = 10: a–b (1 − 0.8)² = 0.04, a–c and a–d (1 − 0.1)² = 0.81
    # b: k = 2, s = 9: b–a 1/9, b–c 8/9;  c: k = 2, s = 2: 0.5 each;  d: one edge, says nothing (1)
    # an edge's α is the smaller of its two ends'
    assert alpha[0, 1] == pytest.approx(0.04)
    assert alpha[0, 2] == pytest.approx(0.5) and alpha[1, 2] == pytest.approx(0.5)
    assert alpha[0, 3] == pytest.approx(0.81)
    assert alpha[2, 3] == 1.0  # no edge
    # Serrano et al.'s definition: α = 1 − (k − 1) ∫₀^p (1 − x)^(k − 2) dx
    k, p = 3, 0.8
    assert alpha[0, 1] == pytest.approx(1 - (k - 1) * quad(lambda x: (1 - x) ** (k - 2), 0, p)[0])
    graph = build_network(
        cooccurrence(DOCS, TERMS),
        freq={t: 1 for t in TERMS},
        measure="association_strength",
        backbone="disparity",
        alpha=0.6,
    )
    # 公寓 (k = 3, s = 3): 公寓–创新 α = (1 − 0.5)² = 0.25; 创新 has one edge. 人才 (k = 2, s = 2.25):
    # 人才–补贴 α = 1 − 1.5/2.25 = 1/3; 补贴 the same. 公寓–人才 and 公寓–补贴: min((1 − 0.25)², 1 − 0.75/2.25) = 0.5625
    assert {e: graph.edges[e]["disparity"] for e in [("人才", "补贴"), ("公寓", "创新"), ("人才", "公寓")]} == {
        ("人才", "补贴"): pytest.approx(1 / 3, abs=1e-6),
        ("公寓", "创新"): 0.25,
        ("人才", "公寓"): 0.5625,
    }
    assert all(d["backbone"] for _, _, d in graph.edges(data=True))  # every α < 0.6


def test_group_networks_on_the_shared_vocabulary():
    x = build_network(cooccurrence(DOCS[:2], TERMS), freq={"人才": 3, "公寓": 1, "补贴": 2}, measure="count", name="X")
    # every group's network holds every keyword, so the files overlay node for node; 创新 does not occur in X
    assert sorted(x.nodes) == sorted(TERMS)
    assert dict(x.nodes["创新"]) == {"label": "创新", "freq": 0, "units": 0, "occurs": False}
    assert [n for n, occurs in x.nodes(data="occurs") if occurs] == ["人才", "公寓", "补贴"]
    assert edge_rows(x) == [("人才", "补贴", 2), ("人才", "公寓", 1), ("公寓", "补贴", 1)]


def test_networks_per_period_hold_only_their_years():
    from textmine.config import load_config
    from textmine.errors import AnalysisError, ConfigError
    from textmine.workflow.pipeline import build_networks

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


def test_counts_held_as_int32_co_occur_as_int64_past_what_int32_holds():
    # two documents each using 甲 and 乙 50,000 times: a full count of 2 × 50,000² = 5e9 (int32 ends at 2.1e9)
    docs = [TokenizedDocument(i, "X", None, [["甲", "乙"] * 50_000]) for i in ("a", "b")]
    dtm = doc_term_matrix(docs)
    assert dtm.counts.dtype == np.int32  # 4 bytes a stored count, not 8
    co = cooccurrence(docs, ["甲", "乙"], unit="document", counting="full", dtm=dtm)
    assert co.counts[0, 1] == 2 * 50_000 * 50_000 and co.counts[0, 0] == 100_000
    binary = cooccurrence(docs, ["甲", "乙"], unit="document", counting="binary", dtm=dtm)
    assert binary.counts[0, 1] == 2
