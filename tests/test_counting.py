"""The keyword table by hand: order (frequency, then documents, then the term), rates and shares."""

from textmine.counting import TokenizedDocument, doc_term_matrix, keyword_table, keyword_tables_by_group


def test_keyword_table_against_a_hand_count():
    docs = [
        TokenizedDocument("a", "北京", 2020, [["人才", "公寓", "人才"], ["创新"]]),
        TokenizedDocument("b", "北京", 2021, [["公寓", "创新", "园区"]]),
        TokenizedDocument("c", "深圳", 2021, [["园区", "人才", "公寓"]]),
    ]
    table = keyword_table(doc_term_matrix(docs))
    # 10 tokens: 人才 3 in 2 documents, 公寓 3 in 3, 创新 2 in 2, 园区 2 in 2
    assert (table.documents, table.tokens) == (3, 10)
    assert [(t.term, t.freq, t.df) for t in table.terms] == [
        ("公寓", 3, 3),  # as frequent as 人才, in more documents
        ("人才", 3, 2),
        ("创新", 2, 2),  # a tie on both counts: by the term, as Python orders strings
        ("园区", 2, 2),
    ]
    assert [float(t.per_10k) for t in table.terms] == [3000.0, 3000.0, 2000.0, 2000.0]
    assert [float(t.doc_share) for t in table.terms] == [1.0, 0.6667, 0.6667, 0.6667]
    shenzhen = keyword_tables_by_group(doc_term_matrix(docs))["深圳"]
    assert [(t.term, t.freq, float(t.per_10k)) for t in shenzhen.terms] == [
        ("人才", 1, 3333.3333),
        ("公寓", 1, 3333.3333),
        ("园区", 1, 3333.3333),
    ]
