"""The segmented documents of a run wait on disk, not in memory: a spooled document gives back every
array as segmented, its ``without`` what the document's own gives, the handles hold none of the
tokens, and a cache file carries them to another process, whose terms are numbered otherwise."""

import io
import json
import pickle
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from textmine.analysis.counting import TokenizedDocument, doc_term_matrix
from textmine.config import SegmentConfig
from textmine.text import terms
from textmine.text.resources import load_lexicon
from textmine.text.segment import Segmenter
from textmine.workflow.token_spool import SpooledDocument, TokenStore, dump, load

from conftest import FOUR_CITIES_TRUTH, manifest_rows, truth

TESTS = Path(__file__).parent

IDS = ["bj0004", "sh0010", "gz0003", "sz0002", "bj0100", "sh0150"]


@pytest.fixture(scope="module")
def documents() -> list[TokenizedDocument]:
    segmenter = Segmenter(load_lexicon(SegmentConfig())).load()
    rows = manifest_rows()
    made = []
    for doc_id in IDS:
        s = segmenter.segment(truth(doc_id))
        year = int(rows[doc_id]["year"]) if rows[doc_id].get("year") else None
        title = rows[doc_id]["title"]
        made.append(
            TokenizedDocument(doc_id, rows[doc_id]["city"], year, s.sentences, s.paragraphs, s.articles, title=title)
        )
    # and one whose paragraphs and articles are not known, as a tokens.jsonl line may have it
    made.append(TokenizedDocument("plain", "x", None, [["推动", "发展"], ["发展"]]))
    return made


def test_a_spooled_document_is_the_document_it_was_made_from(documents):
    store = TokenStore()
    spooled = [store.add(d) for d in reversed(documents)][::-1]  # written in any order
    assert len(store) == len(documents) and all(isinstance(s, SpooledDocument) for s in spooled)
    for original, copy in zip(documents, spooled, strict=True):
        assert copy == original and hash(copy) == hash(original)
        assert (copy.id, copy.group, copy.year, copy.title) == (
            original.id,
            original.group,
            original.year,
            original.title,
        )
        assert copy.sentences == original.sentences and copy.tokens == original.tokens
        assert copy.paragraphs == original.paragraphs and copy.articles == original.articles
        assert copy.n_tokens == original.n_tokens > 0
        assert not copy.ids.flags.writeable  # as immutable as the document it stands for
        assert type(copy.loaded()) is TokenizedDocument and copy.loaded() == original and original.loaded() is original
    assert spooled[-1].paragraphs is None and spooled[-1].articles is None
    # the title travels with the document (it was dropped at segmentation and joined back by id three times)
    assert all(d.title for d in spooled[:-1]) and spooled[-1].title == ""
    assert [d.loaded().title for d in spooled] == [d.title for d in documents]
    assert TokenizedDocument("a", "x", None, [["词"]], title="甲") != TokenizedDocument("a", "x", None, [["词"]])
    assert doc_term_matrix(spooled).counts.toarray().tolist() == doc_term_matrix(documents).counts.toarray().tolist()


def test_without_on_a_spooled_document_is_the_documents_own(documents):
    store = TokenStore()
    words = ["发展", "推动", "本条例"]
    numbers = np.array([terms.number(w) for w in words if terms.number(w) is not None], dtype=np.int32)
    for original in documents:
        lazy = store.add(original).without(numbers[:1]).without(numbers[1:])  # taken out twice, as one
        assert isinstance(lazy, SpooledDocument)
        assert lazy == original.without(numbers) and lazy.title == original.title == original.without(numbers).title
        assert not set(lazy.tokens) & set(words)
        assert lazy.structure()[0] is None or lazy.paragraphs == original.without(numbers).paragraphs


def test_the_handles_hold_none_of_the_tokens(documents):
    store = TokenStore()
    held = [d.ids.nbytes + d.ends.nbytes for d in documents]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        handles = [store.add(d) for d in documents for _ in range(40)]
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    tokens_bytes = 40 * sum(held)  # what the same documents held in memory would take
    assert len(handles) == 40 * len(documents) and tokens_bytes > 2_000_000
    assert after - before < tokens_bytes / 20


def test_a_cache_file_carries_the_documents_to_a_process_numbering_terms_otherwise(documents, tmp_path):
    store = TokenStore()
    spooled = [store.add(d) for d in documents]
    drop = np.array([terms.number("发展")], dtype=np.int32)
    value = {"tokenized": spooled, "analysed": [spooled[0].without(drop)], "plain": documents[1], "n": 3}
    path = tmp_path / "entry.pickle"
    with path.open("wb") as fh:
        dump(value, fh)
    expected = {
        "tokenized": [[d.id, d.group, d.year, d.title, d.sentences, d.paragraphs, d.articles] for d in documents],
        "analysed": [documents[0].title, documents[0].without(drop).sentences],
        "plain": [documents[1].title, documents[1].sentences],
    }
    script = f"""
import json, sys
from textmine.text import terms
from textmine.workflow.token_spool import SpooledDocument, load
terms.numbers(["乙方", "甲方", "发展", "第三"])  # this process numbers its terms in another order
with open({str(path)!r}, "rb") as fh:
    value = load(fh)
docs = value["tokenized"]
assert all(type(d) is SpooledDocument for d in docs)
print(json.dumps({{
    "tokenized": [[d.id, d.group, d.year, d.title, d.sentences, d.paragraphs, d.articles] for d in docs],
    "analysed": [value["analysed"][0].title, value["analysed"][0].sentences],
    "plain": [value["plain"].title, value["plain"].sentences],
    "n": value["n"],
}}, ensure_ascii=False))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == {**expected, "n": 3}


def test_a_cache_file_cut_short_is_refused(documents):
    store = TokenStore()
    buffer = io.BytesIO()
    dump([store.add(d) for d in documents], buffer)
    whole = buffer.getvalue()
    assert [d.sentences for d in load(io.BytesIO(whole))] == [d.sentences for d in documents]
    with pytest.raises((EOFError, ValueError)):
        load(io.BytesIO(whole[: len(whole) - 100]))


def character_documents(n: int) -> list[TokenizedDocument]:
    """``n`` real texts, cut at punctuation into sentences of characters."""
    docs = []
    for path in sorted(FOUR_CITIES_TRUTH.glob("*.txt"))[:n]:
        text = path.read_text(encoding="utf-8")
        sentences = [list(s) for s in text.replace("，", "。").split("。") if s.strip()]
        docs.append(TokenizedDocument(path.stem, path.stem[:2], 2020, sentences, list(range(len(sentences)))))
    return docs


def growth_of_dump(folder: str) -> tuple[int, int]:
    """How much more the peak of :func:`dump` is for 160 documents than for 40, and the bytes of the
    120 documents' arrays. The test measures it in a process of its own: the pickle's memo of the term table grows by doubling, so the figure would depend on how many
    terms the tests before it had numbered."""

    def peak_of_dump(value: object) -> int:
        tracemalloc.start()
        with open(f"{folder}/docs.pickle", "wb") as fh:
            dump(value, fh)
            peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    few, docs = character_documents(40), character_documents(160)
    return peak_of_dump(docs) - peak_of_dump(few), sum(d.ids.nbytes for d in docs[40:])


def test_a_cache_pickle_keeps_documents_as_numbers_and_another_process_reads_them(tmp_path):
    measure = f"import sys; sys.path[:0] = {[str(TESTS)]!r}; import test_token_spool as t; print(*t.growth_of_dump({str(tmp_path)!r}))"
    out = subprocess.run([sys.executable, "-c", measure], capture_output=True, text=True, cwd=TESTS)
    assert out.returncode == 0, out.stderr
    growth, arrays = map(int, out.stdout.split())
    # the documents' arrays go into the file as they are: the pickle holds no copy of them while it
    # runs (a document's own __reduce__ makes its positions and words anew, each held to the end:
    # there the peak grew by 1.9 times the arrays' bytes)
    assert growth < 0.2 * arrays
    docs = character_documents(160)
    with (tmp_path / "docs.pickle").open("wb") as fh:
        dump({"tokenized": docs, "other": [1, "二"]}, fh)
    data = (tmp_path / "docs.pickle").read_bytes()
    assert pickle.loads(data) == {"tokenized": docs, "other": [1, "二"]}
    # a process whose numbers differ (it numbered other terms first) reads the same sentences
    script = (
        "import pickle, sys, json; from textmine.text import terms; terms.numbers(['别的', '词', '例']);"
        "loaded = pickle.load(open(sys.argv[1], 'rb'))['tokenized'];"
        "print(json.dumps([[d.id, d.sentences, d.paragraphs, d.articles] for d in loaded], ensure_ascii=False))"
    )
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "docs.pickle")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [[d.id, d.sentences, d.paragraphs, d.articles] for d in docs]


def test_the_store_folder_goes_with_the_store_and_a_killed_runs_with_the_next_store(documents, tmp_path, monkeypatch):
    import gc
    import os
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = tmp_path / "textmine-tokens-999999999-abc_12"  # above any pid Linux gives: no such process
    alive = tmp_path / f"textmine-tokens-{os.getpid()}-def_34"  # another store of a process that runs
    texts = tmp_path / "textmine-texts-999999999-ghi_56"  # a dead run's texts: the texts' spool removes it
    for folder in (dead, alive, texts):
        folder.mkdir()
    store = TokenStore()
    assert not dead.exists() and alive.exists() and texts.exists()
    handle = store.add(documents[0])
    path = Path(store._file.name)
    assert path.parent.parent == tmp_path and path.stat().st_size == 4 * (
        documents[0].n_tokens + 3 * len(documents[0].ends)
    )
    del store  # the handle keeps it
    assert handle.sentences == documents[0].sentences and path.exists()
    del handle
    gc.collect()
    assert not path.parent.exists()
