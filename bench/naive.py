"""The script a researcher writes today, as the baseline textmine is measured against.

pdfplumber ``extract_text`` (python-docx / plain reads for the other formats), global ``jieba.lcut``,
a stopword filter, ``Counter`` for frequencies, ``itertools.combinations`` over each document's
top keywords for co-occurrence, and gensim ``LdaModel``. Same stopwords, top-N, K and passes as
textmine's defaults, so both do the same work. Run: python bench/naive.py CORPUS [--top-n 50] [--k 8]
"""

from __future__ import annotations

import argparse
import glob
import itertools
import json
import os
import time
from collections import Counter

import docx
import jieba
import pdfplumber
from gensim import corpora, models


def read(path: str) -> str:
    if path.endswith(".pdf"):
        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if path.endswith(".docx"):
        return "\n".join(p.text for p in docx.Document(path).paragraphs)
    raw = open(path, "rb").read()
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", errors="ignore")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--top-n", type=int, default=50)
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--passes", type=int, default=10)
    parser.add_argument("--terms", help="write each topic's top terms to this JSON file")
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    stopwords = set()
    for name in glob.glob(os.path.join(here, "..", "stopwords", "*.txt")):
        stopwords |= {w.strip() for w in open(name, encoding="utf-8") if w.strip() and not w.startswith("#")}
    seconds = {}

    start = time.perf_counter()
    files = sorted(
        p
        for p in glob.glob(os.path.join(args.corpus, "**", "*"), recursive=True)
        if p.endswith((".pdf", ".docx", ".txt", ".md"))
    )
    texts = [read(p) for p in files]
    seconds["extract"] = time.perf_counter() - start

    start = time.perf_counter()
    docs = [[w for w in jieba.lcut(t) if len(w) >= 2 and w not in stopwords and not w.isascii()] for t in texts]
    seconds["segment"] = time.perf_counter() - start

    start = time.perf_counter()
    freq = Counter(w for d in docs for w in d)
    top = [w for w, _ in freq.most_common(args.top_n)]
    seconds["count"] = time.perf_counter() - start

    start = time.perf_counter()
    wanted = set(top)
    pairs = Counter()
    for d in docs:
        pairs.update(itertools.combinations(sorted(set(d) & wanted), 2))
    seconds["network"] = time.perf_counter() - start

    start = time.perf_counter()
    dictionary = corpora.Dictionary(docs)
    dictionary.filter_extremes(no_below=3, no_above=0.5, keep_n=None)
    bows = [dictionary.doc2bow(d) for d in docs]
    lda = models.LdaModel(bows, id2word=dictionary, num_topics=args.k, passes=args.passes, random_state=42)
    seconds["topics"] = time.perf_counter() - start
    if args.terms:  # each topic's 30 most probable terms, for bench/run.py to score
        with open(args.terms, "w", encoding="utf-8") as fh:
            json.dump([[dictionary[w] for w, _ in lda.get_topic_terms(t, topn=30)] for t in range(args.k)], fh)

    print(f"naive: {len(files)} files, {sum(map(len, docs))} tokens, {len(pairs)} pairs")
    print(
        "naive seconds: " + " ".join(f"{k}={v:.2f}" for k, v in seconds.items()) + f" total={sum(seconds.values()):.2f}"
    )


if __name__ == "__main__":
    main()
