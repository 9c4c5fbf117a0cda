import numpy as np

from textmine.counting import (
    TokenizedDocument,
    doc_term_matrix,
    keyword_table,
    keyword_tables_by_group,
)
from textmine.network import (
    cooccurrence_counts,
    cooccurrence_network,
    edge_rows,
    strongest_links,
)

DOCS = [
    TokenizedDocument("a", "X", 2020, [["人才", "公寓", "人才"], ["补贴"]]),
    TokenizedDocument("b", "X", 2021, [["人才", "补贴"]]),
    TokenizedDocument("c", "Y", 2021, [["公寓", "创新"]]),
]


def test_frequencies_by_hand():
    dtm = doc_term_matrix(DOCS)
    assert dtm.vocab == tuple(sorted(["人才", "公寓", "补贴", "创新"]))
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


def test_cooccurrence_weights_by_hand():
    dtm = doc_term_matrix(DOCS)
    terms = ["人才", "公寓", "补贴", "创新"]
    expected = np.array([[2, 1, 2, 0], [1, 2, 1, 1], [2, 1, 2, 0], [0, 1, 0, 1]])
    assert (cooccurrence_counts(dtm, terms) == expected).all()
    graph = cooccurrence_network(dtm, terms)
    assert edge_rows(graph) == [("人才", "补贴", 2), ("人才", "公寓", 1), ("公寓", "创新", 1), ("公寓", "补贴", 1)]
    assert dict(graph.nodes["人才"]) == {"label": "人才", "freq": 3, "df": 2}
    assert [(r.keyword, r.freq, r.partner, r.weight) for r in strongest_links(graph)] == [
        ("人才", 3, "补贴", 2),
        ("公寓", 2, "人才", 1),
        ("补贴", 2, "人才", 2),
        ("创新", 1, "公寓", 1),
    ]


def test_group_network_on_the_shared_vocabulary():
    dtm = doc_term_matrix(DOCS)
    terms = ["人才", "公寓", "补贴", "创新"]
    x = cooccurrence_network(dtm, terms, rows=dtm.rows_of("X"), name="X")
    assert sorted(x.nodes) == sorted(["人才", "公寓", "补贴"])  # 创新 does not occur in X
    assert edge_rows(x) == [("人才", "补贴", 2), ("人才", "公寓", 1), ("公寓", "补贴", 1)]
    pruned = cooccurrence_network(dtm, terms, min_weight=2)
    assert edge_rows(pruned) == [("人才", "补贴", 2)]
