"""OCR of scanned PDF pages with Tesseract (``chi_sim``), line by line with each line's geometry.

The page is rendered by PDFium at ``extract.ocr_dpi`` and passed to the ``tesseract`` program;
its TSV output gives every word's box, from which lines are rebuilt in points, like a text page's.
Tesseract puts spaces between Han characters; they are removed.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from functools import cache

import pypdfium2 as pdfium

from ...config import ExtractConfig
from ...errors import ExtractionError
from ..clean import normalise
from .extracted import Line

_INSTALL = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
_HAN_GAP = re.compile(r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]) +(?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])")


@cache
def _tesseract(languages: str) -> str:
    program = shutil.which("tesseract")
    if program is None:
        raise ExtractionError(f"OCR needs Tesseract, which is not installed ({_INSTALL})")
    listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, check=False).stdout.split()
    missing = [lang for lang in languages.split("+") if lang not in listed]
    if missing:
        raise ExtractionError(f"OCR language data missing for {', '.join(missing)} (e.g. {_INSTALL})")
    return program


def strip_han_spaces(text: str) -> str:
    """Remove the spaces Tesseract puts between Chinese characters and punctuation."""
    return _HAN_GAP.sub("", text)


def ocr_page(page: pdfium.PdfPage, config: ExtractConfig) -> list:
    """The page's lines read by OCR, as :class:`~textmine.ingest.extract.extracted.Line` objects in points."""
    program = _tesseract(config.ocr_lang)
    image = page.render(scale=config.ocr_dpi / 72).to_pil().convert("L")
    png = io.BytesIO()
    image.save(png, format="PNG")
    result = subprocess.run(
        [program, "stdin", "stdout", "-l", config.ocr_lang, "--psm", "6", "tsv"],
        input=png.getvalue(),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise ExtractionError(f"OCR failed: {result.stderr.decode(errors='replace').strip().splitlines()[-1:]}")
    scale = 72 / config.ocr_dpi
    words: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for row in csv.DictReader(
        io.StringIO(result.stdout.decode("utf-8", errors="replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    ):
        if row.get("level") == "5" and (row.get("text") or "").strip():
            words.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    lines = []
    for key in sorted(words, key=lambda k: tuple(map(int, k))):
        parts = words[key]
        text = normalise(strip_han_spaces(" ".join(w["text"] for w in parts)))
        if text:
            left = min(int(w["left"]) for w in parts)
            right = max(int(w["left"]) + int(w["width"]) for w in parts)
            height = sorted(int(w["height"]) for w in parts)[len(parts) // 2]
            lines.append(Line(text, left * scale, right * scale, height * scale))
    return lines
