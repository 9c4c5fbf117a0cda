"""Co-occurrence matrix: one sparse product against pairwise Python loops, time and peak memory.

    python bench/network_speed.py ../shared/corpora/provinces

The corpus is segmented once; its documents are repeated to 20,000. textmine's
``cooccurrence`` (binary document–term matrix transposed times itself) runs for 500 and 2,000 nodes
on all 20,000 documents; the loop a researcher writes (``Counter`` of ``itertools.combinations`` over
each document's set of top terms) runs in the same invocation for 500 nodes on 2,000 documents, and
the ratio is taken on that same work. Peak memory is Python's (tracemalloc, numpy included).
"""

from __future__ import annotations

import argparse
import itertools
import time
import tracemalloc
from collections import Counter

import textmine
from textmine.analysis.network import cooccurrence


def measured(work):
    tracemalloc.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def naive(documents, terms):
    wanted = set(terms)
    pairs = Counter()
    for doc in documents:
        present = sorted({t for s in doc.sentences for t in s} & wanted)
        pairs.update(itertools.combinations(present, 2))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--documents", type=int, default=20_000)
    args = parser.parse_args()
    config = textmine.load_config(corpus=args.corpus, overrides={"run.progress": False})
    read, _ = textmine.extract_corpus(textmine.discover(args.corpus, config.corpus), config)
    documents = textmine.segment_corpus(read, textmine.load_lexicon(config.segment), config).documents
    many = (documents * (args.documents // len(documents) + 1))[: args.documents]
    ranked = [t.term for t in textmine.keyword_table(textmine.doc_term_matrix(documents)).terms]
    print(f"{len(documents)} documents segmented, repeated to {len(many)}")
    small = many[:2000]
    pairs, naive_seconds, naive_peak = measured(lambda: naive(small, ranked[:500]))
    small_dtm = textmine.doc_term_matrix(small)  # counted once per run anyway, for the keyword tables
    co, seconds, peak = measured(lambda: cooccurrence(small, ranked[:500], dtm=small_dtm))
    assert all(co.counts[co.terms.index(a), co.terms.index(b)] == n for (a, b), n in pairs.items())
    print(
        f"500 nodes, 2,000 documents: Counter(combinations) {naive_seconds:.2f} s, {naive_peak:.0f} MB peak; "
        f"sparse product {seconds:.2f} s, {peak:.0f} MB peak ({naive_seconds / seconds:.0f}x faster, same counts)"
    )
    many_dtm, dtm_seconds, dtm_peak = measured(lambda: textmine.doc_term_matrix(many))
    print(
        f"document-term matrix of {len(many):,} documents (made once per run, for the keyword tables too): "
        f"{dtm_seconds:.2f} s, {dtm_peak:.0f} MB peak"
    )
    for nodes in (500, 2000):
        _, seconds, peak = measured(lambda nodes=nodes: cooccurrence(many, ranked[:nodes], dtm=many_dtm))
        print(f"{nodes} nodes, {len(many):,} documents: sparse product {seconds:.2f} s, {peak:.0f} MB peak")
    _, seconds, peak = measured(lambda: cooccurrence(many, ranked[:500], unit="sentence"))
    print(f"500 nodes, {len(many):,} documents, sentence unit (walks every token): {seconds:.2f} s, {peak:.0f} MB peak")


if __name__ == "__main__":
    main()
