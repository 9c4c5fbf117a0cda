"""Sliding-window coherence (C_NPMI, C_V): gensim's CoherenceModel counting its windows in Python
against textmine's windows counted with NumPy (``textmine/analysis/coherence.py``), on a run's texts and
topics, with the scores compared for equality.

    python bench/coherence_speed.py outputs/four-cities

The topics are the run's LDA and NMF topics (``tables/topic_terms.csv``, ``nmf_topic_terms.csv``),
each by its first 10 terms; the texts are its ``tokens.jsonl`` as the topic models read them.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from gensim.models import CoherenceModel

from textmine.analysis.coherence import coherence
from textmine.analysis.topics import topic_corpus
from textmine.workflow.tokens_file import load_tokens


def topics(path: Path) -> list[list[str]]:
    found: dict[str, list[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            found.setdefault(row["topic"], []).append(row["term"])
    return [terms[:10] for terms in found.values()]


def main(run: Path) -> None:
    documents = load_tokens(run / "tokens.jsonl")
    corpus = topic_corpus([(d.id, [w for s in d.sentences for w in s]) for d in documents])
    dictionary = corpus.dictionary()
    tops = [*topics(run / "tables" / "topic_terms.csv"), *topics(run / "tables" / "nmf_topic_terms.csv")]
    print(f"{len(corpus.texts)} documents, {sum(map(len, corpus.texts)):,} tokens, {len(tops)} topics")
    for measure in ("c_npmi", "c_v"):
        started = time.perf_counter()
        theirs = CoherenceModel(
            topics=tops, dictionary=dictionary, texts=corpus.texts, coherence=measure, topn=10, processes=1
        ).get_coherence_per_topic()
        gensim_s = time.perf_counter() - started
        started = time.perf_counter()
        ours = coherence(tops, corpus.texts, dictionary, measure, 10)
        ours_s = time.perf_counter() - started
        same = ours == [float(v) for v in theirs]
        print(
            f"{measure}: gensim {gensim_s:.1f} s, textmine {ours_s:.1f} s ({gensim_s / ours_s:.1f}×), identical: {same}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
