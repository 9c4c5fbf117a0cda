"""PDF: the text a reader sees, page by page, with a verdict on each page.

Text comes from PDFium (pypdfium2), which is some 25 times faster than pdfminer and already drops
the doubled characters of fake bold, in the order the page draws it — except on the first page,
where a red header sets the issuers' names beside "文件" and the reading order is geometric: there
PDFium's characters are laid out in lines by their baselines (:func:`_geometric_lines`). Only a page
with a ruled table, whose rows' cells pdfplumber keeps together and in order, or one drawn from a
damaged stream (:mod:`.pdf_damage`), goes through pdfplumber too (fake-bold doubles removed with
its ``dedupe_chars``); such pages are counted as "table page" or "damaged page". Each line keeps its left and right edge and its height, which serve three
purposes: columns (lines left of a gutter are read before lines right of it), running headers and
footers, and joining lines that were broken only because they reached the margin.

Each page is then judged: a page whose text is mostly unmapped glyphs (``(cid:N)``, control
characters, U+FFFD, private-use code points) is dropped and flagged, never passed on as text; a
page with no text but an image is a scanned page, read by OCR when OCR is on and flagged otherwise.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ...config import ExtractConfig
from ...errors import ExtractionError
from ..clean import join_wrapped, normalise, page_furniture
from .extracted import Extracted, Line
from .pdf_damage import damaged_pages


def extract_pdf(path: Path, settings: ExtractConfig) -> Extracted:
    document = _open(path, settings.password)
    pages: list[list[Line]] = []
    flags: Counter[str] = Counter()
    notes: list[str] = []
    ocr_pages = 0
    damaged = damaged_pages(path, settings.password)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                text_objects = _text_objects(page)
                if text_objects > MAX_TEXT_OBJECTS:
                    flags["overloaded page"] += 1
                    notes.append(
                        f"page {index + 1}: {text_objects:,} text objects, left out (at most {MAX_TEXT_OBJECTS:,})"
                    )
                    pages.append([])
                    continue
                lines, source, junk = _page_lines(path, page, index, settings.password, damaged=index in damaged)
                scanned = _visible_chars("".join(line.text for line in lines)) < 10 and _has_image(page)
                if (scanned or junk > settings.max_junk_share) and settings.ocr:
                    from .ocr import ocr_page

                    lines, source = ocr_page(page, settings), "ocr"
                    ocr_pages += 1
                elif scanned:
                    flags["scanned page"] += 1
                    lines = []
                elif junk > settings.max_junk_share:
                    flags["junk page"] += 1
                    notes.append(f"page {index + 1}: {junk:.0%} unmapped glyphs, left out")
                    lines = []
                elif not lines and not _has_image(page) and len(document) > 1:
                    flags["empty page"] += 1
                    notes.append(f"page {index + 1}: no text and no image (a blank page, or its content is damaged)")
                if source == "pdfplumber" and index not in damaged:  # read twice for its table
                    flags["table page"] += 1
                pages.append(_reading_order(lines, page.get_width()))
            finally:
                page.close()
    finally:
        document.close()
    for index, damage in damaged.items():
        if damage.reported:
            flags["damaged page"] += 1
            notes.append(f"page {index + 1}: {damage.problem}")
    if not any(pages):
        if flags["overloaded page"]:
            raise ExtractionError(
                f"too many text objects: {notes[0].split(': ', 1)[1]} — not a page of text (PDFium would take minutes)"
            )
        if flags["scanned page"]:
            raise ExtractionError("no text layer: a scanned PDF (turn on OCR with --ocr to read it)")
        if flags["junk page"]:
            raise ExtractionError("no usable text: every page is unmapped glyphs such as (cid:N) (try --ocr)")
        raise ExtractionError("no text layer: the PDF holds no extractable text")
    return _assemble(pages, settings, flags, notes, ocr_pages)


def _assemble(
    pages: list[list[Line]], settings: ExtractConfig, flags: Counter[str], notes: list[str], ocr_pages: int
) -> Extracted:
    # each column of a two-column page has its own top and bottom, where headers and page numbers stand
    columns = [
        [line for line in lines if line.column == c] for lines in pages for c in sorted({line.column for line in lines})
    ]
    furniture = page_furniture([[line.text for line in lines] for lines in columns], share=settings.header_share)
    kept: list[Line] = []
    dropped = set()
    for lines, marks in zip(columns, furniture, strict=True):
        for line, is_furniture in zip(lines, marks, strict=True):
            if is_furniture:
                dropped.add(line.text)
            else:
                kept.append(line)
    margins = _right_margins(kept)
    wrapped = [line.x1 >= margins[line.column] - 1.5 * line.size for line in kept]
    paragraphs = [_pdf_spacing(p) for p in join_wrapped([line.text for line in kept], wrapped)]
    page_flags = tuple(f"{name}: {n}" for name, n in sorted(flags.items()))
    return Extracted(
        "\n".join(paragraphs),
        "pdf",
        pages=len(pages),
        dropped_lines=tuple(sorted(dropped)),
        flags=page_flags + tuple(notes),
        ocr_pages=ocr_pages,
    )


def _open(path: Path, password: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ExtractionError("encrypted: wrong password" if password else "encrypted: password required") from None
        detail = message.split("(PDFium: ")[-1].rstrip(").") if "(PDFium: " in message else message
        raise ExtractionError(f"unreadable PDF ({detail.lower()}; truncated or damaged?)") from None


def _page_lines(
    path: Path, page: pdfium.PdfPage, index: int, password: str, *, damaged: bool = False
) -> tuple[list[Line], str, float]:
    """The page's lines, which extractor gave them, and the share of its characters that are junk.
    A page with a ruled table, or one drawn from a damaged stream, is read by pdfplumber too, and
    its reading kept unless it holds more junk: pdfminer's cells keep a table's rows together, and
    its decoder keeps what it can of a damaged font, where PDFium drops the glyphs it cannot load
    (of 60 randomly damaged copies of bj0003, PDFium alone loses text on 59, with pdfplumber on the
    damaged pages 17: ``bench/damage_flags.py``)."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        junk = _pdfium_junk(textpage, text)
        lines = _pdfium_lines(textpage, text)
        # lines clustered by position would merge the two columns of a two-column page
        if index == 0 and _gutter(lines, page.get_width()) is None and textpage.count_chars() == len(text):
            lines = _geometric_lines(textpage, text)
    finally:
        textpage.close()
    table = _has_ruled_table(page)
    if damaged or table:
        from .pdf_tables import plumber_page_lines

        values, raw = plumber_page_lines(path, index, password)
        plumber_junk = junk_share(raw)
        # pdfminer may choke on a damaged font that PDFium reads; on a damaged page, the reading
        # that keeps more characters wins
        more = table or _visible_chars(raw) > _visible_chars("".join(line.text for line in lines))
        if (plumber_junk <= junk and more) or not lines:
            return [Line(*v) for v in values], "pdfplumber", plumber_junk
    return lines, "pdfium", junk


def _pdfium_lines(textpage: pdfium.PdfTextPage, text: str) -> list[Line]:
    """A page's lines in PDFium's order, each with its left and right edge and its height."""
    if textpage.count_chars() != len(text):  # indices do not line up: keep PDFium's lines without geometry
        return [Line(t, 0.0, float(len(t)), 1.0) for t in map(normalise, text.splitlines()) if t]
    lines = []
    position = 0
    for raw in text.split("\r\n"):
        stripped = raw.rstrip()
        clean = normalise(stripped)
        if clean:
            first = position + len(raw) - len(raw.lstrip())
            left, right = textpage.get_charbox(first), textpage.get_charbox(position + len(stripped) - 1)
            lines.append(Line(clean, left[0], right[2], max(left[3] - left[1], right[3] - right[1], 1.0)))
        position += len(raw) + 2
    return lines


LINE_TOLERANCE = 3.0  # points: baselines this close make one line (pdfplumber's y_tolerance)
SPACE_GAP = 3.0  # points: characters further apart than this are separated by a space (its x_tolerance)


def _geometric_lines(textpage: pdfium.PdfTextPage, text: str) -> list[Line]:
    """A page's lines in geometric order, from PDFium's characters: characters whose baselines lie
    within ``LINE_TOLERANCE`` of each other form a line, lines run from the top down and characters
    from left to right, with a space where two stand more than ``SPACE_GAP`` apart — pdfplumber's
    ``extract_text_lines`` with its default tolerances, without a second parse of the file. The
    spaces PDFium generates are left out, the PDF's own kept; each line spans its characters'
    advance boxes (``loose``) and is as high as its largest font. On the 308 first pages of
    four-cities and the govdoc-cn-397 notice it gives pdfplumber's lines, character for character,
    in a twentieth of the time. A first page needs it: a red header sets the issuers' names beside a
    large 文件, which PDFium's order reads into the wrong line."""
    x, y = ctypes.c_double(), ctypes.c_double()
    chars = []
    for i, ch in enumerate(text):
        if ch in "\r\n" or pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        left, _, right, _ = textpage.get_charbox(i, loose=True)
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
        chars.append((y.value, left, right, pdfium_c.FPDFText_GetFontSize(textpage.raw, i), ch))
    chars.sort(key=lambda c: -c[0])
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for char in chars:
        if rows and rows[-1][-1][0] - char[0] <= LINE_TOLERANCE:
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c[1])
        parts = [row[0][4]]
        for before, char in itertools.pairwise(row):
            if char[1] - before[2] > SPACE_GAP:
                parts.append(" ")
            parts.append(char[4])
        clean = normalise("".join(parts))
        if clean:
            lines.append(Line(clean, row[0][1], row[-1][2], max(max(c[3] for c in row), 1.0)))
    return lines


def _pdfium_junk(textpage: pdfium.PdfTextPage, text: str) -> float:
    """Share of junk in a page's raw text. Pages that are mostly Han characters are text; on the others
    PDFium is asked, character by character, which glyphs have no Unicode mapping."""
    visible = _visible_chars(text)
    if not visible:
        return 0.0
    if len(_CJK.findall(text)) >= 0.5 * visible:
        return junk_share(text)
    unmapped = sum(pdfium_c.FPDFText_HasUnicodeMapError(textpage.raw, i) for i in range(textpage.count_chars()))
    return max(junk_share(text), min(1.0, unmapped / visible))


def _has_ruled_table(page: pdfium.PdfPage) -> bool:
    """Enough thin horizontal and vertical strokes to draw a grid of at least two rows and two columns."""
    horizontal = vertical = 0
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for obj in _objects(page, pdfium_c.FPDF_PAGEOBJ_PATH):
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        width, height = right.value - left.value, top.value - bottom.value
        if height < 3 and width > 20:
            horizontal += 1
        elif width < 3 and height > 8:
            vertical += 1
        if horizontal >= 3 and vertical >= 3:
            return True
    return False


def _objects(page: pdfium.PdfPage, kind: int) -> Iterator[Any]:
    """The raw handles of the page's objects of ``kind``, and of those inside its forms, one level
    down (as ``page.get_objects(filter=[kind], max_depth=2)``, without a Python object for each of
    the page's objects: a page of text draws thousands)."""
    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        found = pdfium_c.FPDFPageObj_GetType(obj)
        if found == kind:
            yield obj
        elif found == pdfium_c.FPDF_PAGEOBJ_FORM:
            for j in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                inner = pdfium_c.FPDFFormObj_GetObject(obj, j)
                if pdfium_c.FPDFPageObj_GetType(inner) == kind:
                    yield inner


# A dense page of Chinese text draws 1,000–3,000 characters; PDFium's text layer takes time that grows
# faster than linearly with the characters of one page (about a minute at 120,000 overlapping glyphs).
MAX_TEXT_OBJECTS = 50_000


def _text_objects(page: pdfium.PdfPage) -> int:
    """How many text objects the page draws (counted without building its text layer)."""
    raw = page.raw
    total = pdfium_c.FPDFPage_CountObjects(raw)
    if total <= MAX_TEXT_OBJECTS:
        return total  # cannot be more text objects than objects: skip the count
    return sum(
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw, i)) == pdfium_c.FPDF_PAGEOBJ_TEXT
        for i in range(total)
    )


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in _objects(page, pdfium_c.FPDF_PAGEOBJ_IMAGE))


_JUNK = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f]")


def junk_share(text: str) -> float:
    """Share of a page's visible characters that are unmapped glyphs, not text."""
    visible = _visible_chars(text)
    if not visible:
        return 0.0
    junk = sum(len(m.group(0)) if m.group(0).startswith("(cid") else 1 for m in _JUNK.finditer(text))
    return min(1.0, junk / visible)


_SPACE = re.compile(r"\s")  # str.isspace's characters
_CJK = re.compile("[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")  # Han, CJK punctuation, full-width forms


def _visible_chars(text: str) -> int:
    return len(text) - len(_SPACE.findall(text))


def _reading_order(lines: list[Line], width: float) -> list[Line]:
    """Lines of a two-column page, left column first; other pages as they are."""
    gutter = _gutter(lines, width)
    if gutter is None:
        return lines
    return [line for line in lines if line.x1 <= gutter] + [
        replace(line, column=1) for line in lines if line.x0 >= gutter
    ]


def _gutter(lines: list[Line], width: float) -> float | None:
    """An x position in the middle third of the page that no line crosses, with text on both sides:
    of the whole positions that qualify, the nearest the middle (the left one of two as near)."""
    if len(lines) < 6:
        return None
    start, stop = int(width / 3), int(2 * width / 3)
    if stop <= start:
        return None
    x0 = np.array([line.x0 for line in lines], dtype=float)
    x1 = np.array([line.x1 for line in lines], dtype=float)
    xs = np.arange(start, stop)
    # the whole positions a line crosses (x0 < x < x1), from floor(x0) + 1 to ceil(x1) - 1, marked
    # with a running sum over the range tried
    with np.errstate(invalid="ignore"):
        first = np.clip(np.floor(x0) + 1, start, stop) - start
        last = np.clip(np.ceil(x1) - 1, start - 1, stop - 1) - start
    spans = ~(np.isnan(first) | np.isnan(last)) & (first <= last)
    marks = np.zeros(len(xs) + 1, dtype=np.int64)
    np.add.at(marks, first[spans].astype(np.int64), 1)
    np.add.at(marks, last[spans].astype(np.int64) + 1, -1)
    crossed = np.cumsum(marks[:-1]) > 0
    left = np.searchsorted(np.sort(x1[~np.isnan(x1)]), xs, side="right")  # lines ending at or before x
    fits = ~crossed & (left >= 3) & (len(lines) - left >= 3)
    order = np.argsort(np.abs(xs - width / 2), kind="stable")
    found = order[fits[order]]
    return float(xs[found[0]]) if len(found) else None


def _right_margins(lines: list[Line]) -> dict[int, float]:
    """Per column, where most full lines end: the 90th percentile of its lines' right edges."""
    ends: dict[int, list[float]] = {}
    for line in lines:
        ends.setdefault(line.column, []).append(line.x1)
    return {column: sorted(xs)[int(0.9 * (len(xs) - 1))] for column, xs in ends.items()}


_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_LETTER_SPACED = re.compile(rf"(?<![{_HAN}] )(?:[{_HAN}] ){{2,}}[{_HAN}](?! [{_HAN}])")
_DIGIT_HAN = re.compile(rf"(?<=\d) (?=[{_HAN}])|(?<=[{_HAN}]) (?=\d)")


def _pdf_spacing(text: str) -> str:
    """Undo the spaces a PDF's glyph positions make: letter-spaced headings (税 务 总 局) and
    the gaps between digits and Han characters (1983 年 3 月)."""
    text = _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    return _DIGIT_HAN.sub("", text)
