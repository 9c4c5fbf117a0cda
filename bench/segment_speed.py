"""Segmentation throughput and agreement with jieba, in one run.

    python bench/segment_speed.py ../shared/corpora/provinces-truth [--repeat 20]

Throughput in MB/s of UTF-8 text, one process unless said: jieba 0.42 ``lcut`` and ``posseg``
(the baselines), textmine's engines untagged and tagged, and textmine end to end (sentences,
stopwords, synonyms; ``Segmenter.segment``) in one and two worker processes. The same text repeated
``--repeat`` times is segmented end to end too, to show that throughput holds on a large corpus.

Agreement with jieba (same HMM setting): token F1 over character spans, and the share of
sentences segmented identically.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import jieba
import jieba.posseg

import textmine
from textmine.config import SegmentConfig
from textmine.text.resources import load_lexicon
from textmine.text.segment import Segmenter, split_sentences


def spans(tokens: list[str]) -> set[tuple[int, int]]:
    out, position = set(), 0
    for token in tokens:
        out.add((position, position + len(token)))
        position += len(token)
    return out


def agreement(reference: list[list[str]], other: list[list[str]]) -> tuple[float, float]:
    hits = ref = got = same = 0
    for a, b in zip(reference, other, strict=True):
        sa, sb = spans(a), spans(b)
        hits, ref, got, same = hits + len(sa & sb), ref + len(sa), got + len(sb), same + (a == b)
    precision, recall = hits / got, hits / ref
    return 2 * precision * recall / (precision + recall), same / len(reference)


def timed(label: str, megabytes: float, work) -> float:
    started = time.perf_counter()
    result = work()
    rate = megabytes / (time.perf_counter() - started)
    print(f"  {label:<52} {rate:7.2f} MB/s")
    return rate, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("texts", type=Path, help="a folder of .txt files")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.texts.glob("*.txt"))]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    sentences = [s for t in texts for s in split_sentences(t)]
    print(f"{len(texts)} texts, {megabytes:.1f} MB, {len(sentences)} sentences")

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tagger = jieba.posseg.POSTokenizer(tokenizer)
    lcut, reference = timed("jieba.lcut (HMM on), baseline", megabytes, lambda: [tokenizer.lcut(s) for s in sentences])
    posseg, _ = timed("jieba.posseg (HMM on), baseline", megabytes, lambda: [tagger.lcut(s) for s in sentences])

    for engine in ("rjieba", "jieba"):
        config = SegmentConfig(engine=engine)
        segmenter = Segmenter(load_lexicon(config), config).load()
        raw = segmenter.engine
        raw.cut(sentences[0], True), raw.tag(sentences[0], True)  # warm up: first calls load models lazily
        rate, _ = timed(f"{engine}: untagged", megabytes, lambda raw=raw: [raw.cut(s, True) for s in sentences])
        rate, _ = timed(f"{engine}: tagged", megabytes, lambda raw=raw: [raw.tag(s, True) for s in sentences])
        rate, _ = timed(
            f"{engine}: end to end (sentences, stopwords, synonyms)",
            megabytes,
            lambda segmenter=segmenter: [segmenter.segment(t) for t in texts],
        )
        print(f"  {'':<52} {rate / posseg:7.1f}x jieba.posseg, {rate / lcut:.1f}x jieba.lcut")

    print("agreement with jieba 0.42 (dictionary only: no user dictionary):")
    for hmm in (True, False):
        ref = reference if hmm else [tokenizer.lcut(s, HMM=False) for s in sentences]
        rust = textmine.text.engines.RjiebaEngine()
        f1, identical = agreement(ref, [rust.cut(s, hmm) for s in sentences])
        print(f"  rjieba, HMM {'on ' if hmm else 'off'}: token F1 {f1:.4%}, identical sentences {identical:.2%}")

    config = textmine.load_config(overrides={"run.progress": False})
    read, _ = textmine.extract_corpus(textmine.discover(args.texts, config.corpus), config)
    for repeat in (1, args.repeat):
        for workers in (1, 2):
            config = textmine.load_config(overrides={"run.workers": workers, "run.progress": False})
            lexicon = load_lexicon(config.segment)
            size = megabytes * repeat
            rate, _ = timed(
                f"segment_corpus, {size:.0f} MB, {workers} process(es), all included",
                size,
                lambda repeat=repeat, lexicon=lexicon, config=config: textmine.segment_corpus(
                    read * repeat, lexicon, config
                ),
            )
            print(f"  {'':<52} {rate / posseg:7.1f}x jieba.posseg")


if __name__ == "__main__":
    main()
