"""OCR accuracy on scans made from sample PDFs: each PDF's pages rendered to grey images at a given
resolution, put back into an image-only PDF, then read by textmine with OCR on.

    python bench/ocr_accuracy.py ../shared/corpora/four-cities ../shared/corpora/four-cities-truth bj0003 bj0022 bj0025
"""

from __future__ import annotations

import argparse
import csv
import re
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
from rapidfuzz.distance import Levenshtein

from textmine.config import ExtractConfig
from textmine.ingest.extract import extract_file

_IGNORED = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")


def accuracy(text: str, truth: str) -> float:
    a, b = _IGNORED.sub("", text), _IGNORED.sub("", truth)
    return 1 - Levenshtein.distance(a, b) / max(len(b), 1)


def scan(pdf: Path, out: Path, dpi: int) -> Path:
    document = pdfium.PdfDocument(str(pdf))
    images = [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    document.close()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("ids", nargs="+")
    parser.add_argument("--scan-dpi", type=int, default=150, help="resolution of the simulated scan")
    args = parser.parse_args()
    with (args.corpus / "manifest.csv").open(encoding="utf-8") as fh:
        files = {r["id"]: r["file"] for r in csv.DictReader(fh)}
    with tempfile.TemporaryDirectory() as tmp:
        for doc_id in args.ids:
            scanned = scan(args.corpus / files[doc_id], Path(tmp) / f"{doc_id}.pdf", args.scan_dpi)
            started = time.perf_counter()
            extracted = extract_file(scanned, ExtractConfig(ocr=True))
            seconds = time.perf_counter() - started
            score = accuracy(extracted.text, (args.truth / f"{doc_id}.txt").read_text(encoding="utf-8"))
            print(
                f"{doc_id}: {extracted.ocr_pages} pages scanned at {args.scan_dpi} dpi, OCR at 300 dpi: "
                f"accuracy {score:.2%}, {seconds / extracted.ocr_pages:.1f} s/page"
            )


if __name__ == "__main__":
    main()
