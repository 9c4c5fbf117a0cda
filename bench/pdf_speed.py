"""PDF extraction speed and accuracy, side by side, one process, in the same run:

- plain pdfplumber ``extract_text`` (the baseline researchers use),
- plain PDFium ``get_text_range`` (pypdfium2),
- textmine's extraction as a run does it, in one worker process (PDFium, pdfplumber for first pages
  and ruled tables, furniture removed, lines joined).

    python bench/pdf_speed.py ../shared/corpora/four-cities ../shared/corpora/four-cities-truth

Accuracy is 1 − CER against the truth files with whitespace ignored; plain extractors keep running
headers and page numbers, which count as errors — that is what a user of them gets.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import time
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from rapidfuzz.distance import Levenshtein

import textmine

_IGNORED = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
_FOLD = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


def accuracy(text: str, truth: str) -> float:
    a, b = (_IGNORED.sub("", t.translate(_FOLD)) for t in (text, truth))
    return 1 - Levenshtein.distance(a, b) / max(len(b), 1)


def plumber(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdfium_plain(path: Path) -> str:
    document = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def textmine_corpus(corpus: Path, rows: list[dict[str, str]]) -> dict[str, str]:
    """textmine's extraction of the same PDFs as a run does it (one worker, no cache), with the
    corpus-level pass that removes one-page PDFs' gazette headers."""
    config = textmine.load_config(overrides={"run.workers": 1, "run.cache": False, "run.progress": False})
    found = textmine.discover(corpus, config.corpus)
    pdfs = replace(found, documents=tuple(d for d in found.documents if d.id in {r["id"] for r in rows}))
    read, _ = textmine.extract_corpus(pdfs, config)
    return {r.document.id: r.extracted.text for r in read}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("truth", type=Path)
    args = parser.parse_args()
    with (args.corpus / "manifest.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["file"].endswith(".pdf")]
    pages = 0
    for row in rows:
        document = pdfium.PdfDocument(str(args.corpus / row["file"]))
        pages += len(document)
        document.close()
    print(f"{len(rows)} PDFs, {pages} pages, one process")
    results = {}
    extractors = [
        ("pdfplumber extract_text", lambda: {r["id"]: plumber(args.corpus / r["file"]) for r in rows}),
        ("pypdfium2 plain", lambda: {r["id"]: pdfium_plain(args.corpus / r["file"]) for r in rows}),
        ("textmine", lambda: textmine_corpus(args.corpus, rows)),
    ]
    for name, extractor in extractors:
        started = time.perf_counter()
        texts = extractor()
        seconds = time.perf_counter() - started
        scores = sorted(
            accuracy(texts[r["id"]], (args.truth / f"{r['id']}.txt").read_text(encoding="utf-8")) for r in rows
        )
        results[name] = seconds
        print(
            f"{name:<24} {seconds:7.1f} s {pages / seconds:8.1f} pages/s  ({results['pdfplumber extract_text'] / seconds:5.1f}x)  "
            f"accuracy median {statistics.median(scores):.4%}  p5 {scores[int(0.05 * (len(scores) - 1))]:.4%}  min {scores[0]:.4%}"
        )


if __name__ == "__main__":
    main()
