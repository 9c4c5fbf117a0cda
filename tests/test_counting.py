"""The keyword table by hand: order (frequency, then documents, then the term), rates and shares."""

import numpy as np

from textmine.analysis.counting import TokenizedDocument, doc_term_matrix, keyword_table, keyword_tables_by_group


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


def test_a_document_held_as_term_numbers_gives_back_its_sentences_and_survives_a_pickle():
    import pickle

    doc = TokenizedDocument("a", "北京", 2020, [["人才", "公寓", "人才"], ["创新"]], [0, 1], [0, 2])
    assert doc.sentences == [["人才", "公寓", "人才"], ["创新"]]
    assert (doc.paragraphs, doc.articles, doc.tokens, doc.n_tokens) == (
        [0, 1],
        [0, 2],
        ["人才", "公寓", "人才", "创新"],
        4,
    )
    assert doc.ids.nbytes == 4 * 4  # 4 bytes a token
    assert doc.ids[0] == doc.ids[2] != doc.ids[1]  # one number a term
    again = pickle.loads(pickle.dumps(doc))  # strings travel, not this process's numbers
    assert again == doc and again.sentences == doc.sentences
    titled = TokenizedDocument("t", "北京", 2020, [["人才"]], title="北京市人才工作条例")
    assert (
        pickle.loads(pickle.dumps(titled)).title == titled.without(np.array([], np.int32)).title == "北京市人才工作条例"
    )
    empty = TokenizedDocument("e", "北京", None, [])  # a document of stopwords only keeps no sentence
    assert (empty.sentences, empty.tokens, empty.n_tokens) == ([], [], 0)
    assert pickle.loads(pickle.dumps(empty)) == empty
    dtm = doc_term_matrix([empty, doc])
    assert dtm.vocab == ("人才", "公寓", "创新") and dtm.counts.toarray().tolist() == [[0, 0, 0], [2, 1, 1]]


def test_taking_terms_out_drops_the_sentences_left_empty_with_their_paragraph_and_article():
    from textmine.analysis.drafting import without_terms

    doc = TokenizedDocument("a", "北京", 2020, [["本条例", "制定"], ["人才", "本条例"], []], [0, 1, 2], [0, 1, 1])
    (kept,) = without_terms([doc], frozenset({"本条例", "制定", "不在语料"}))
    assert (kept.sentences, kept.paragraphs, kept.articles) == ([["人才"]], [1], [1])
    (whole,) = without_terms([doc], frozenset({"不在语料"}))  # no word of the list in the corpus
    assert (whole.sentences, whole.paragraphs) == ([["本条例", "制定"], ["人才", "本条例"]], [0, 1])
