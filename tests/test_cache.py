"""The extraction cache: a rerun extracts nothing, a changed setting extracts again, an interrupted
run resumes where it stopped."""

import json
import os

import numpy as np
import pytest

import textmine
from textmine.workflow.token_spool import SpooledDocument

from conftest import SUBSET, make_corpus


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test starts from an empty cache."""
    monkeypatch.setenv("TEXTMINE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _extract(corpus, **overrides):
    config = textmine.load_config(corpus=corpus, overrides={"run.progress": False, **overrides})
    return textmine.extract_corpus(textmine.discover(corpus, config.corpus), config)


def test_rerun_reads_from_the_cache_and_gives_the_same_text(tmp_path):
    corpus = make_corpus(tmp_path / "c", SUBSET[:6])
    first, _ = _extract(corpus)
    second, _ = _extract(corpus)
    assert not any(r.cached for r in first) and all(r.cached for r in second)
    assert [(r.extracted, r.text) for r in first] == [(r.extracted, r.text) for r in second]
    assert all(r.text for r in first)


def test_a_changed_setting_extracts_again(tmp_path):
    corpus = make_corpus(tmp_path / "c", SUBSET[:3])
    _extract(corpus)
    again, _ = _extract(corpus, **{"extract.header_share": 0.7})
    assert not any(r.cached for r in again)
    limits_only, _ = _extract(corpus, **{"extract.timeout": 30.0, "run.workers": 1})
    assert all(r.cached for r in limits_only)  # limits do not change what is extracted


def test_an_interrupted_run_resumes(tmp_path):
    corpus = make_corpus(tmp_path / "c", SUBSET[:6])
    half = make_corpus(tmp_path / "half", SUBSET[:3])  # the first files, as far as a killed run got
    _extract(half)
    resumed, _ = _extract(corpus)
    assert [r.cached for r in resumed] == [True, True, True, False, False, False]


def test_cache_entries_are_plain_json(tmp_path, own_cache):
    corpus = make_corpus(tmp_path / "c", SUBSET[:1])
    read, _ = _extract(corpus)
    entries = [json.loads(p.read_text(encoding="utf-8")) for p in (own_cache / "extract").rglob("*.json")]
    assert any(entry["text"] == read[0].text for entry in entries)


def test_killed_midway_then_resumed_gives_what_an_uninterrupted_run_gives(tmp_path, own_cache):
    import signal
    import subprocess
    import sys
    import time

    corpus = make_corpus(tmp_path / "c", SUBSET)
    command = [sys.executable, "-m", "textmine", "extract", str(corpus), "--workers", "1", "-q"]
    process = subprocess.Popen([*command, "-o", str(tmp_path / "killed")], start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list((own_cache / "extract").rglob("*.json"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its worker, mid-corpus
    process.wait()
    done_before = len(list((own_cache / "extract").rglob("*.json")))
    assert 3 <= done_before < len(SUBSET)
    assert not (tmp_path / "killed").exists()  # no half-written output folder
    subprocess.run([*command, "-o", str(tmp_path / "resumed")], check=True, timeout=300)
    record = json.loads((tmp_path / "resumed" / "run.json").read_text(encoding="utf-8"))
    assert len(record["timing"]["from_cache"]) == done_before  # finished files were not redone
    subprocess.run([*command, "-o", str(tmp_path / "clean"), "--set", "run.cache=false"], check=True, timeout=300)
    for name in ("texts", "documents.csv", "skipped.csv", "duplicates.csv"):
        a, b = tmp_path / "resumed" / name, tmp_path / "clean" / name
        files = sorted(p.relative_to(a) for p in a.rglob("*")) if a.is_dir() else [None]
        for rel in files:
            left, right = (a / rel, b / rel) if rel else (a, b)
            assert left.read_bytes() == right.read_bytes(), rel or name


def test_segmentation_is_cached_and_a_changed_word_list_segments_again(tmp_path, own_cache):
    corpus = make_corpus(tmp_path / "c", SUBSET[:4])
    read, _ = _extract(corpus)
    config = textmine.load_config(corpus=corpus, overrides={"run.progress": False})
    lexicon = textmine.workflow.pipeline.schemes_and_lexicon(config)[1]
    first = textmine.workflow.pipeline.segment_corpus(read, lexicon, config)
    assert len(list((own_cache / "segment").rglob("*.json"))) == len(read)
    second = textmine.workflow.pipeline.segment_corpus(read, lexicon, config)
    assert second.documents == first.documents and second.merges == first.merges
    # from the workers and from the cache alike, the tokens wait on disk (textmine/workflow/token_spool.py) as
    # 4-byte term numbers, and a term's tokens are one string object when asked for
    for segmented in (first, second):
        assert all(type(d) is SpooledDocument for d in segmented.documents)
        assert all(d.ids.dtype == np.int32 and d.ids.nbytes == 4 * d.n_tokens > 0 for d in segmented.documents)
        one: dict[str, str] = {}
        assert all(one.setdefault(t, t) is t for d in segmented.documents for s in d.sentences for t in s)
    top = textmine.keyword_table(textmine.doc_term_matrix(first.documents)).terms[0].term
    stopwords = tmp_path / "stop.txt"
    stopwords.write_text(f"{top}\n", encoding="utf-8")
    changed = textmine.load_config(
        corpus=corpus, overrides={"run.progress": False, "segment.stopwords": [str(stopwords)]}
    )
    third = textmine.workflow.pipeline.segment_corpus(
        read, textmine.workflow.pipeline.schemes_and_lexicon(changed)[1], changed
    )
    assert all(top not in s for d in third.documents for s in d.sentences)
    assert len(list((own_cache / "segment").rglob("*.json"))) == 2 * len(read)


def test_minhash_signatures_are_cached_with_the_text_and_a_rerun_signs_only_new_texts(tmp_path, own_cache, monkeypatch):
    corpus = make_corpus(tmp_path / "c", SUBSET[:5])
    read, _ = _extract(corpus)
    config = textmine.load_config(corpus=corpus, overrides={"run.progress": False})
    first = textmine.workflow.pipeline._signatures(read[:3], config)
    assert len(list((own_cache / "minhash").rglob("*.json"))) == 3
    signed = []
    shingles = textmine.ingest.duplicates.shingle_hashes
    monkeypatch.setattr(
        textmine.ingest.duplicates, "shingle_hashes", lambda text: signed.append(text) or shingles(text)
    )
    again = textmine.workflow.pipeline._signatures(read, config)
    # the three texts signed before come from the cache, unread; only the two new ones are signed
    assert signed == [r.text for r in read[3:]]
    assert len(list((own_cache / "minhash").rglob("*.json"))) == 5
    alone = textmine.ingest.duplicates.signatures({r.document.id: r.text for r in read}, seed=config.run.seed)
    for doc_id, signature in again.items():
        assert np.array_equal(signature.hashvalues, alone[doc_id].hashvalues)
        assert signature.seed == alone[doc_id].seed and signature.jaccard(alone[doc_id]) == 1.0
    assert all(np.array_equal(first[d].hashvalues, again[d].hashvalues) for d in first)
    # another seed is another signature: nothing taken from the cache
    reseeded = textmine.load_config(corpus=corpus, overrides={"run.progress": False, "run.seed": 7})
    signed.clear()
    textmine.workflow.pipeline._signatures(read, reseeded)
    assert len(signed) == 5
