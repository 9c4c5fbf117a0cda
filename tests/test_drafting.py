"""Drafting vocabulary set apart, and numeral spelling dropped, by hand and on the real corpus."""

import pytest

from textmine.analysis.counting import TokenizedDocument, doc_term_matrix
from textmine.analysis.drafting import find_drafting, without_columns, without_terms
from textmine.config import SegmentConfig
from textmine.text.resources import load_lexicon
from textmine.text.segment import Segmenter


def docs(n_extra=0):
    """依法 in every document, 人才 in two of three, 罚款 once; ``n_extra`` more documents holding 依法 and 公寓."""
    base = [
        TokenizedDocument("a", "X", 2020, [["依法", "人才", "罚款"], ["依法"]], [0, 1], [0, 1]),
        TokenizedDocument("b", "X", 2021, [["依法", "人才"]], [0], [1]),
        TokenizedDocument("c", "Y", 2021, [["依法", "公寓"]], [0], [0]),
    ]
    return base + [TokenizedDocument(f"e{i}", "Y", 2022, [["依法", "公寓"]], [0], [0]) for i in range(n_extra)]


def test_listed_terms_and_terms_in_most_documents_are_drafting():
    dtm = doc_term_matrix(docs(n_extra=7))  # 10 documents: 依法 in all, 公寓 in 8, 人才 in 2
    found = find_drafting(dtm, frozenset({"罚款", "责令"}), df_share=0.8, min_documents=10)
    assert [(t.term, t.freq, t.df, t.doc_share, t.rule) for t in found.terms] == [
        ("依法", 11, 10, 1.0, "document share"),
        ("公寓", 8, 8, 0.8, "document share"),
        ("罚款", 1, 1, 0.1, "list"),  # 责令 is listed but absent: not a row
    ]
    assert found.df_rule and found.tokens == 22 and found.drafting_tokens == 20
    assert found.share == pytest.approx(20 / 22)


def test_small_corpora_use_the_list_alone():
    dtm = doc_term_matrix(docs())  # 3 documents: every shared word would pass a share rule
    found = find_drafting(dtm, frozenset({"罚款"}), df_share=0.8, min_documents=10)
    assert [t.term for t in found.terms] == ["罚款"] and not found.df_rule
    assert [t.term for t in find_drafting(dtm, frozenset(), df_share=0.0, min_documents=1).terms] == []


def test_set_apart_from_tokens_and_matrix_alike():
    kept = without_terms(docs(), frozenset({"依法"}))
    # a's second sentence held only 依法: dropped with its paragraph and article, as segmentation drops one
    assert kept[0].sentences == [["人才", "罚款"]] and kept[0].paragraphs == [0] and kept[0].articles == [0]
    assert kept[2].sentences == [["公寓"]]
    by_columns = without_columns(doc_term_matrix(docs()), frozenset({"依法"}))
    rebuilt = doc_term_matrix(kept)
    assert by_columns.vocab == rebuilt.vocab
    assert (by_columns.counts != rebuilt.counts).nnz == 0


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(load_lexicon(SegmentConfig())).load()


def test_numeral_units_are_dropped_and_counted(segmenter):
    text = "处一万元以上五万元以下的罚款；逾期不改正的，处5万元罚款。自公布之日起三十日内，按日加处五倍。实行一级响应，多元化解纠纷。"
    result = segmenter.segment(text)
    tokens = [t for s in result.sentences for t in s]
    for numeral in ("一万元", "五万元", "万元", "三十日", "五倍"):
        assert numeral not in tokens
    assert result.numerals == {"一万元": 1, "五万元": 1, "万元": 1, "三十日": 1, "五倍": 1}
    assert "罚款" in tokens and "一级" in tokens and "多元化" in tokens  # a grade and a word, not a number
    kept = Segmenter(segmenter.lexicon, SegmentConfig(numerals="keep")).load().segment(text)
    assert "一万元" in [t for s in kept.sentences for t in s] and not kept.numerals


def test_ordinals_of_congresses_and_sessions_are_structure(segmenter):
    tokens = [t for s in segmenter.sentences("北京市第十四届人民代表大会常务委员会第二次会议通过") for t in s]
    assert "第十四届" not in tokens and "第二次" not in tokens
    # the engine cuts 第八十条 as 第八 | 十条: neither half is vocabulary
    tokens = [t for s in segmenter.sentences("第八十条 相关部门应当健全司法鉴定") for t in s]
    assert "第八" not in tokens and tokens[:2] == ["部门", "健全"]  # 相关 is a stopword; 部门 is set apart later


def test_the_documents_without_drafting_are_made_as_they_are_read_not_held_again():
    import gc

    whole = docs(n_extra=50)
    alive = sum(isinstance(o, TokenizedDocument) for o in gc.get_objects())
    kept = without_terms(whole, frozenset({"依法"}))
    assert sum(isinstance(o, TokenizedDocument) for o in gc.get_objects()) == alive  # nothing made yet
    assert len(kept) == len(whole) and [d.id for d in kept] == [d.id for d in whole]
    # read twice, by index, by slice and in order: the same documents each time
    assert list(kept) == list(kept) == [kept[i] for i in range(len(kept))] == kept[:]
    assert kept[-1].sentences == [["公寓"]] and kept[1].sentences == [["人才"]]
    assert without_terms(whole, frozenset()) is whole  # nothing to take out: the documents themselves
