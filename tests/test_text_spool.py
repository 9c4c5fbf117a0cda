"""The texts of a run wait on disk, not in memory: the spool gives back every text as written, and
the documents a corpus is read into hold none of them."""

import gc
import hashlib

import textmine
from textmine.ingest.duplicates import find_duplicates
from textmine.ingest.text_spool import Subset, TextsOf, TextSpool

from conftest import SUBSET, make_corpus, manifest_rows, truth


def test_every_four_cities_text_comes_back_as_written():
    ids = sorted(manifest_rows())
    spool = TextSpool()
    for doc_id in ids:
        spool[doc_id] = truth(doc_id)
    assert len(spool) == len(ids) == 447 and list(spool) == ids
    assert all(spool[d] == truth(d) for d in reversed(ids))  # read back in any order
    assert spool.digest("bj0004") == hashlib.sha256(truth("bj0004").encode("utf-8")).hexdigest()
    spool["bj0004"] = "第一条 改写后的正文。"  # written again: the new text, the new digest
    assert spool["bj0004"] == "第一条 改写后的正文。" and spool["bj0005"] == truth("bj0005")
    assert spool.digest("bj0004") == hashlib.sha256("第一条 改写后的正文。".encode()).hexdigest()
    assert "bj0004" in spool and "nope" not in spool and len(spool) == 447


def test_views_read_only_their_keys_in_their_order():
    spool = TextSpool()
    for doc_id in ("sh0010", "bj0004", "gz0003"):
        spool[doc_id] = truth(doc_id)
    some = Subset(spool, ["gz0003", "sh0010"])
    assert list(some) == ["gz0003", "sh0010"] and dict(some) == {"gz0003": truth("gz0003"), "sh0010": truth("sh0010")}
    assert "bj0004" not in some and len(some) == 2
    texts = TextsOf(spool, ["bj0004", "gz0003"])
    assert len(texts) == 2 and texts[1] == truth("gz0003") and texts[:1] == [truth("bj0004")]


def test_the_spool_folder_goes_with_the_spool():
    spool = TextSpool()
    spool["a"] = "甲" * 1000
    path = spool._file.name
    from pathlib import Path

    assert spool["a"] == "甲" * 1000 and Path(path).stat().st_size == 3000
    del spool
    gc.collect()
    assert not Path(path).exists() and not Path(path).parent.exists()


def test_duplicates_found_from_a_spool_are_those_found_from_the_texts():
    a = truth("sh0010")
    docs = [("a", a), ("a-repost", "转载：上海发布\n" + a), ("a-pdf", a.replace("\n", "\n\n")), ("b", truth("bj0004"))]
    spool = TextSpool()
    for doc_id, text in docs:
        spool[doc_id] = text
    assert find_duplicates(spool, threshold=0.9) == find_duplicates(docs, threshold=0.9) != []


def test_documents_read_from_a_corpus_hold_no_text(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTMINE_CACHE", str(tmp_path / "cache"))
    corpus = make_corpus(tmp_path / "c", SUBSET[:4])
    config = textmine.load_config(corpus=corpus, overrides={"run.progress": False})
    for attempt in ("extracted", "from the cache"):
        read, _ = textmine.extract_corpus(textmine.discover(corpus, config.corpus), config)
        assert [r.cached for r in read] == [attempt != "extracted"] * 4
        assert all(r.extracted.text == "" for r in read)  # was: every text held for the whole run
        assert all(r.text == r.texts[r.document.id] for r in read)
        assert all(len(r.text) >= 0.9 * len(truth(r.document.id)) for r in read)
        assert all(r.text_sha256 == hashlib.sha256(r.text.encode()).hexdigest() for r in read)


def test_a_killed_runs_spool_folder_goes_when_the_next_spool_starts(tmp_path, monkeypatch):
    import os
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = tmp_path / "textmine-texts-999999999-abc_12"  # above any pid Linux gives: no such process
    alive = tmp_path / f"textmine-texts-{os.getpid()}-def_34"  # another spool of a process that runs
    other = tmp_path / "textmine-texts-notapid-x"
    for folder in (dead, alive, other):
        folder.mkdir()
        (folder / "texts.bin").write_bytes(b"text")
    spool = TextSpool()
    spool["a"] = "正文"
    assert not dead.exists() and alive.is_dir() and other.is_dir()
    (mine,) = set(tmp_path.iterdir()) - {alive, other}  # this spool's own folder, named by its pid
    assert mine.name.startswith(f"textmine-texts-{os.getpid()}-") and spool["a"] == "正文"
    spool.close()
    assert not mine.exists()
