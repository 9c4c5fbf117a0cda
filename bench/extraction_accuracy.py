"""Extraction accuracy against the true text: 1 − character error rate, per format.

    python bench/extraction_accuracy.py ../shared/corpora/four-cities ../shared/corpora/four-cities-truth

Whitespace and zero-width characters are ignored and full-width letters and digits folded on both
sides (textmine folds them on purpose). Also scores the real typeset notice in
../shared/fixtures/real-pdfs/govdoc-cn-397 against plain pdfplumber ``extract_text`` on the same
file, and checks that no gazette header or page-number line is left in any text.
"""

from __future__ import annotations

import argparse
import re
import statistics
from pathlib import Path

import pdfplumber
from rapidfuzz.distance import Levenshtein

import textmine

_IGNORED = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
_FOLD = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


def accuracy(text: str, truth: str) -> float:
    a, b = (_IGNORED.sub("", t.translate(_FOLD)) for t in (text, truth))
    return 1 - Levenshtein.distance(a, b) / max(len(b), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument(
        "--fixture", type=Path, default=Path(__file__).resolve().parents[2] / "shared/fixtures/real-pdfs/govdoc-cn-397"
    )
    args = parser.parse_args()
    config = textmine.load_config(corpus=args.corpus)
    read, skipped = textmine.extract_corpus(textmine.discover(args.corpus, config.corpus), config)
    scores: dict[str, list[tuple[float, str]]] = {}
    leftovers = []
    for r in read:
        score = accuracy(r.extracted.text, (args.truth / f"{r.document.id}.txt").read_text(encoding="utf-8"))
        scores.setdefault(r.extracted.format, []).append((score, r.document.id))
        if re.search(r"^\S{2,4}市人民代表大会常务委员会公报$|^[—-] ?\d+ ?[—-]$", r.extracted.text, re.M):
            leftovers.append(r.document.id)
    print(f"{len(read)} documents read, {len(skipped)} skipped")
    print(f"{'format':<7}{'docs':>6}{'median':>10}{'p5':>10}{'min':>10}  worst")
    for fmt, values in sorted(scores.items()):
        ordered = sorted(values)
        p5 = ordered[int(0.05 * (len(ordered) - 1))][0]
        print(
            f"{fmt:<7}{len(values):>6}{statistics.median(v for v, _ in values):>10.4%}{p5:>10.4%}{ordered[0][0]:>10.4%}  {ordered[0][1]}"
        )
    print(f"texts with a header or page-number line left: {len(leftovers)} {leftovers[:5]}")
    truth = (args.fixture / "397.txt").read_text(encoding="utf-8")
    with pdfplumber.open(args.fixture / "397.pdf") as pdf:
        plain = "\n".join(page.extract_text() or "" for page in pdf.pages)
    ours = textmine.extract_file(args.fixture / "397.pdf").text
    print(f"govdoc-cn-397: plain pdfplumber {accuracy(plain, truth):.2%}, textmine {accuracy(ours, truth):.2%}")


if __name__ == "__main__":
    main()
