"""PDF with pdfplumber: lines with their geometry, page furniture removed, wrapped lines re-joined."""

from __future__ import annotations

import statistics
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ..clean import join_wrapped, normalise, page_furniture
from ..errors import ExtractionError
from . import Extracted


def extract_pdf(path: Path, *, header_share: float) -> Extracted:
    try:
        with pdfplumber.open(path) as pdf:
            pages = [_page_lines(page) for page in pdf.pages]
    except PdfminerException as exc:
        raise ExtractionError(_pdfminer_reason(exc.args[0] if exc.args else exc)) from None
    except (PDFSyntaxError, PDFPasswordIncorrect) as exc:
        raise ExtractionError(_pdfminer_reason(exc)) from None
    if not pages:
        raise ExtractionError("PDF has no pages")
    furniture = page_furniture([[text for text, _, _ in lines] for lines in pages], share=header_share)
    lines, ends, dropped = [], [], set()
    for page_lines, flags in zip(pages, furniture, strict=True):
        for (text, x1, size), is_furniture in zip(page_lines, flags, strict=True):
            if is_furniture:
                dropped.add(text)
            else:
                lines.append(text)
                ends.append((x1, size))
    if not lines:
        raise ExtractionError("no text layer: the PDF holds no extractable text (a scan?)")
    margin = _right_margin([x1 for x1, _ in ends])
    wrapped = [x1 >= margin - 1.5 * size for x1, size in ends]
    paragraphs = join_wrapped(lines, wrapped)
    return Extracted("\n".join(paragraphs), "pdf", pages=len(pages), dropped_lines=tuple(sorted(dropped)))


def _page_lines(page: pdfplumber.page.Page) -> list[tuple[str, float, float]]:
    """(text, right edge, font size) of each text line of a page, top to bottom."""
    lines = []
    for line in page.extract_text_lines(return_chars=True, strip=True):
        text = normalise(line["text"])
        if text:
            size = statistics.median(c["size"] for c in line["chars"]) if line["chars"] else line["bottom"] - line["top"]
            lines.append((text, float(line["x1"]), float(size)))
    return lines


def _right_margin(right_edges: list[float]) -> float:
    """The right edge of the text block: where most full lines end (the 90th percentile of line ends)."""
    ordered = sorted(right_edges)
    return ordered[int(0.9 * (len(ordered) - 1))]


def _pdfminer_reason(exc: object) -> str:
    name = type(exc).__name__
    if "Password" in name or "Encrypt" in name:
        return "encrypted: password required"
    detail = str(exc).strip()
    return f"unreadable PDF ({name}{': ' + detail if detail else ''})"
