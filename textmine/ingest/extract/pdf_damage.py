"""Damaged pages: which pages of a PDF draw from a stream that cannot be read whole.

PDFium reads what it can of a damaged page and says nothing, so a PDF with flipped bytes or a zeroed
block would pass on part of its text, or wrong characters, as if it were all of it. The streams a
page's text is read from — its content streams, each font's character map (ToUnicode) and embedded
program, the forms it draws — are therefore decoded once more, by zlib
itself, through pdfminer's object parser (which pdfplumber already brings): a stream whose Flate data
fails its check or stops before its end, or a content stream the page points to but the file does
not hold, marks the page as damaged, with how far the stream could be decoded. No page of the 308
PDFs of four-cities is flagged; of 60 copies of one with random damage, every copy read with text
lost but one was flagged, and none read whole was.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1


@dataclass(frozen=True)
class Damage:
    """What is wrong with a page: ``problem`` in a reader's words, and whether it is ``reported`` to the
    user. A damaged program of a font that has a character map is not: the map gives the characters,
    and pdfminer's decoder, reading what it can of the program, loses none of them in 43 of 60 randomly
    damaged copies of bj0003 (``bench/damage_flags.py``); but PDFium drops the glyphs it cannot load,
    so such a page is read by pdfplumber too."""

    problem: str
    reported: bool = True


def damaged_pages(path: Path, password: str = "") -> dict[int, Damage]:
    """Page index -> what is wrong with the streams it is drawn from, for the pages whose streams are
    damaged. A file whose object structure pdfminer cannot parse at all gives no verdict ({}): PDFium's
    reading of it stands, and pages without text are flagged on their own."""
    damaged: dict[int, Damage] = {}
    try:
        with path.open("rb") as fh:
            document = PDFDocument(PDFParser(fh), password=password)
            verdicts: dict[int, str] = {}
            for index, page in enumerate(PDFPage.create_pages(document)):
                damage = _content_problem(page, verdicts)
                if damage is not None:
                    damaged[index] = damage
    except MemoryError:
        raise
    except Exception:  # no verdict on a file pdfminer cannot walk; PDFium has read it
        return damaged
    return damaged


def _content_problem(page: PDFPage, verdicts: dict[int, str]) -> Damage | None:
    streams = [resolve1(s) for s in page.contents]
    if not streams and page.attrs.get("Contents") is not None:
        return Damage("content stream missing: the page's text cannot be found in the file")
    for stream in streams:
        if not isinstance(stream, PDFStream):
            return Damage("content stream missing: the page's text cannot be found in the file")
        problem = _inflate_problem(stream)
        if problem:
            return Damage(
                f"content stream {problem} bytes of drawing instructions: "
                f"part of the page's text may be missing or wrong"
            )
    quiet = None
    for name, stream, reported in _resource_streams(page.resources):
        key = getattr(stream, "objid", None) or id(stream)
        if key not in verdicts:  # a font or form shared by many pages is decoded once
            verdicts[key] = _inflate_problem(stream)
        problem = verdicts[key]
        if problem:
            damage = Damage(f"{name} {problem} bytes: characters of the page may be missing or wrong", reported)
            if reported:
                return damage
            quiet = quiet or damage
    return quiet


def _inflate_problem(stream: PDFStream) -> str:
    """ "damaged after N" or "cut short after N" for a Flate stream zlib cannot decode whole; "" else."""
    filters = stream.get_filters()
    if len(filters) != 1 or filters[0][0] not in LITERALS_FLATE_DECODE or stream.rawdata is None:
        return ""
    inflate = zlib.decompressobj()
    try:
        decoded = len(inflate.decompress(stream.rawdata))
    except zlib.error:
        return f"damaged after {len(_decode_until_error(stream.rawdata)):,}"
    return "" if inflate.eof else f"cut short after {decoded:,}"


def _resource_streams(resources: dict) -> list[tuple[str, PDFStream, bool]]:
    """The streams besides its content that the page's text is read from, named for a reader: each
    font's character map (ToUnicode) and its embedded program, whose own tables give the glyphs (and,
    for a font without a character map, the characters); and the forms (XObjects) the page draws,
    with theirs; each with whether its damage is reported (see :class:`Damage`)."""
    found: list[tuple[str, PDFStream, bool]] = []

    def fonts(holder: dict, where: str) -> None:
        for key, font in (resolve1(holder.get("Font")) or {}).items():
            font = resolve1(font)
            if not isinstance(font, dict):
                continue
            cmap = resolve1(font.get("ToUnicode"))
            if isinstance(cmap, PDFStream):
                found.append((f"{where}font {key}'s character map", cmap, True))
            # the program too: PDFium finds a character's glyph there, and without a map its code
            mapped = isinstance(cmap, PDFStream)
            label = "program" if mapped else "program (no character map)"
            for part in [font, *[resolve1(d) for d in (resolve1(font.get("DescendantFonts")) or [])]]:
                descriptor = resolve1(part.get("FontDescriptor")) if isinstance(part, dict) else None
                for entry in ("FontFile", "FontFile2", "FontFile3"):
                    program = resolve1(descriptor.get(entry)) if isinstance(descriptor, dict) else None
                    if isinstance(program, PDFStream):
                        found.append((f"{where}font {key}'s {label}", program, not mapped))

    def forms(holder: dict, depth: int) -> None:
        fonts(holder, "" if depth == 0 else "a form's ")
        if depth >= 2:
            return
        for key, xobject in (resolve1(holder.get("XObject")) or {}).items():
            xobject = resolve1(xobject)
            if isinstance(xobject, PDFStream) and getattr(xobject.get("Subtype"), "name", "") == "Form":
                found.append((f"form {key}", xobject, True))
                inner = resolve1(xobject.get("Resources"))
                if isinstance(inner, dict):
                    forms(inner, depth + 1)

    if isinstance(resources, dict):
        forms(resources, 0)
    return found


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
