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
    empty = TokenizedDocument("e", "北京", None, [])  # a document of stopwords only keeps no sentence
    assert (empty.sentences, empty.tokens, empty.n_tokens) == ([], [], 0)
    assert pickle.loads(pickle.dumps(empty)) == empty
    dtm = doc_term_matrix([empty, doc])
    assert dtm.vocab == ("人才", "公寓", "创新") and dtm.counts.toarray().tolist() == [[0, 0, 0], [2, 1, 1]]


def test_taking_terms_out_drops_the_sentences_left_empty_with_their_paragraph_and_article():
    from textmine.drafting import without_terms

    doc = TokenizedDocument("a", "北京", 2020, [["本条例", "制定"], ["人才", "本条例"], []], [0, 1, 2], [0, 1, 1])
    (kept,) = without_terms([doc], frozenset({"本条例", "制定", "不在语料"}))
    assert (kept.sentences, kept.paragraphs, kept.articles) == ([["人才"]], [1], [1])
    (whole,) = without_terms([doc], frozenset({"不在语料"}))  # no word of the list in the corpus
    assert (whole.sentences, whole.paragraphs) == ([["本条例", "制定"], ["人才", "本条例"]], [0, 1])


def test_a_cache_pickle_keeps_documents_as_numbers_and_another_process_reads_them(tmp_path):
    import pickle
    import subprocess
    import sys
    import tracemalloc

    from textmine.counting import dump

    from conftest import FOUR_CITIES_TRUTH

    def documents(n: int) -> list[TokenizedDocument]:
        """``n`` real texts, cut at punctuation into sentences of characters."""
        docs = []
        for path in sorted(FOUR_CITIES_TRUTH.glob("*.txt"))[:n]:
            text = path.read_text(encoding="utf-8")
            sentences = [list(s) for s in text.replace("，", "。").split("。") if s.strip()]
            docs.append(TokenizedDocument(path.stem, path.stem[:2], 2020, sentences, list(range(len(sentences)))))
        return docs

    def peak_of_dump(value: object) -> int:
        tracemalloc.start()
        with (tmp_path / "docs.pickle").open("wb") as fh:
            dump(value, fh)
            peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    few, docs = documents(40), documents(160)
    growth = peak_of_dump(docs) - peak_of_dump(few)
    # the documents' arrays go into the file as they are: the pickle holds no copy of them while it
    # runs (a document's own __reduce__ makes its positions and words anew, each held to the end:
    # there the peak grew by 1.9 times the arrays' bytes)
    assert growth < 0.2 * sum(d.ids.nbytes for d in docs[40:])
    with (tmp_path / "docs.pickle").open("wb") as fh:
        dump({"tokenized": docs, "other": [1, "二"]}, fh)
    data = (tmp_path / "docs.pickle").read_bytes()
    assert pickle.loads(data) == {"tokenized": docs, "other": [1, "二"]}
    # a process whose numbers differ (it numbered other terms first) reads the same sentences
    script = (
        "import pickle, sys, json; from textmine import terms; terms.numbers(['别的', '词', '例']);"
        "loaded = pickle.load(open(sys.argv[1], 'rb'))['tokenized'];"
        "print(json.dumps([[d.id, d.sentences, d.paragraphs, d.articles] for d in loaded], ensure_ascii=False))"
    )
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "docs.pickle")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    import json

    assert json.loads(out.stdout) == [[d.id, d.sentences, d.paragraphs, d.articles] for d in docs]
