"""Damaged page content: which pages of a PDF have a content stream that cannot be read whole.

PDFium reads what it can of a damaged page and says nothing, so a PDF with flipped bytes or a zeroed
block inside a page's content stream would pass on part of its text as if it were all of it. Each
page's content streams are therefore decoded once more, by zlib itself, through pdfminer's object
parser (which pdfplumber already brings): a stream whose Flate data fails its check, stops before
its end, or that the page points to but the file does not hold, marks the page as damaged, with how
much of the stream could be decoded.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1


def damaged_pages(path: Path, password: str = "") -> dict[int, str]:
    """Page index -> what is wrong with its content stream, for the pages whose content is damaged.
    A file whose object structure pdfminer cannot parse at all gives no verdict ({}): PDFium's
    reading of it stands, and pages without text are flagged on their own."""
    damaged: dict[int, str] = {}
    try:
        with path.open("rb") as fh:
            document = PDFDocument(PDFParser(fh), password=password)
            for index, page in enumerate(PDFPage.create_pages(document)):
                problem = _content_problem(page)
                if problem:
                    damaged[index] = problem
    except MemoryError:
        raise
    except Exception:  # no verdict on a file pdfminer cannot walk; PDFium has read it
        return damaged
    return damaged


def _content_problem(page: PDFPage) -> str:
    streams = [resolve1(s) for s in page.contents]
    if not streams and page.attrs.get("Contents") is not None:
        return "content stream missing: the page's text cannot be found in the file"
    for stream in streams:
        if not isinstance(stream, PDFStream):
            return "content stream missing: the page's text cannot be found in the file"
        filters = stream.get_filters()
        if len(filters) != 1 or filters[0][0] not in LITERALS_FLATE_DECODE or stream.rawdata is None:
            continue
        inflate = zlib.decompressobj()
        try:
            decoded = len(inflate.decompress(stream.rawdata))
        except zlib.error:
            decoded = len(_decode_until_error(stream.rawdata))
            return (
                f"content stream damaged (zlib decodes {decoded:,} bytes of drawing instructions before the damage): "
                f"part of the page's text may be missing or wrong"
            )
        if not inflate.eof:
            return (
                f"content stream cut short after {decoded:,} bytes of drawing instructions: "
                f"the rest of the page's text may be missing"
            )
    return ""


def _decode_until_error(data: bytes, step: int = 256) -> bytes:
    """What zlib decodes of ``data`` before the first damaged block."""
    inflate = zlib.decompressobj()
    out = bytearray()
    for start in range(0, len(data), step):
        try:
            out += inflate.decompress(data[start : start + step])
        except zlib.error:
            break
    return bytes(out)
