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

pdfminer's walk costs more than a quarter of reading a PDF, so a file is first checked whole, in one
pass over its bytes (:func:`_intact`): when it has a single cross-reference table whose every entry
points at its object, every reference and every page's content stream is an object it holds, and
every Flate stream of the length its dictionary states decodes to its end, no page can be damaged in
the ways the walk looks for, and the walk is left out. Any other file (object streams, incremental
updates, encryption, anything the check does not recognise) is walked as before.
"""

from __future__ import annotations

import re
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
    if _intact(path.read_bytes()):
        return damaged
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


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_OBJECT = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n)")
_END = re.compile(rb"\s*endstream\b")
_LENGTH = re.compile(rb"/Length(?![A-Za-z0-9])\s*(\d+)(\s+\d+\s+R)?")
_NUMBER_OBJECT = re.compile(rb"\s*\d+\s+\d+\s+obj\s*(\d+)\s*endobj")
_FILTER = re.compile(rb"/Filter\s*(/[^\s/\[\]<>()]+|\[[^\]]*\])")
_REFERENCE = re.compile(rb"(\d+)\s+\d+\s+R\b")
_CONTENTS = re.compile(rb"/Contents\s*(\d+\s+\d+\s+R|\[[^\]]*\])")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_NOT_PLAIN = (b"/Prev", b"/XRefStm", b"/Encrypt")  # in the trailer: an update, a hybrid file, encryption


def _intact(data: bytes) -> bool:
    """Whether the file passes every check of :func:`damaged_pages`, told from its bytes alone: True
    only for a file laid out plainly (one cross-reference table, no object streams, no incremental
    update, not encrypted) whose table, references, content streams and Flate streams are all whole
    as pdfminer would read them (a stream's bytes are the ``/Length`` after its ``stream`` line).
    False says nothing but that the page walk must judge."""
    found = _STARTXREF.search(data, max(0, len(data) - 1024))
    if found is None:
        return False
    table = int(found.group(1))
    offsets = _xref_table(data, table)  # {} for a cross-reference stream
    trailer = data[data.find(b"trailer", table) : found.start()]
    if not offsets or any(marker in trailer for marker in _NOT_PLAIN):
        return False
    order = sorted(offsets.items(), key=lambda item: item[1])
    ends = [at for _, at in order[1:]] + [table]
    texts: list[bytes] = [trailer]  # an object in an object stream is not in the table: its references fail
    streams: set[int] = set()
    for (number, at), end in zip(order, ends, strict=True):
        header = _OBJECT.match(data, at)
        if header is None or int(header.group(1)) != number or end <= at:
            return False
        body = data[at:end]
        opening = _STREAM.search(body)
        if opening is None:
            if b"stream" in body:  # a stream this check does not read
                return False
            texts.append(body)
            continue
        dictionary = body[: opening.start() + 2]
        texts.append(dictionary)
        length = _stream_length(data, dictionary, offsets)
        start = at + opening.end()
        if length is None or _END.match(data, start + length) is None:
            return False
        streams.add(number)
        if not _IMAGE.search(dictionary) and not _inflates(data[start : start + length], dictionary):
            return False
    for text in texts:
        if any(int(n) not in offsets for n in _REFERENCE.findall(text)):
            return False
        for contents in _CONTENTS.findall(text):
            if any(int(n) not in streams for n in _REFERENCE.findall(contents)):
                return False
    return True


def _xref_table(data: bytes, at: int) -> dict[int, int]:
    """Object number -> offset of the objects in use of the cross-reference table at ``at``; {} when
    there is no such table or it cannot be read."""
    if not data.startswith(b"xref", at):
        return {}
    end = data.find(b"trailer", at)
    if end < 0:
        return {}
    words = data[at + 4 : end].split()
    offsets: dict[int, int] = {}
    i = 0
    try:
        while i < len(words):
            first, count = int(words[i]), int(words[i + 1])
            entries = words[i + 2 : i + 2 + 3 * count]
            if len(entries) != 3 * count:
                return {}
            for j in range(count):
                offset, _, kind = entries[3 * j : 3 * j + 3]
                if kind == b"n":
                    offsets[first + j] = int(offset)
                elif kind != b"f":
                    return {}
            i += 2 + 3 * count
    except ValueError:
        return {}
    return offsets


def _stream_length(data: bytes, dictionary: bytes, offsets: dict[int, int]) -> int | None:
    """A stream's ``/Length``, direct or as the number object it refers to; None if it cannot be told."""
    lengths = _LENGTH.findall(dictionary)
    if len(lengths) != 1:
        return None
    value, indirect = lengths[0]
    if not indirect:
        return int(value)
    at = offsets.get(int(value))
    held = _NUMBER_OBJECT.match(data, at) if at is not None else None
    return int(held.group(1)) if held else None


def _inflates(raw: bytes, dictionary: bytes) -> bool:
    """Whether a stream :func:`_inflate_problem` would check decodes to its end: True for a stream it
    would not check (not one Flate filter), False for a filter this check cannot read."""
    found = _FILTER.findall(dictionary)
    if not found:
        return b"/Filter" not in dictionary
    names = re.findall(rb"/([^\s/\[\]<>()]+)", found[0])
    if len(found) > 1 or (found[0].startswith(b"[") and b" R" in found[0]):
        return False
    if len(names) != 1 or names[0] not in (b"FlateDecode", b"Fl"):
        return True
    inflate = zlib.decompressobj()
    try:
        inflate.decompress(raw)
    except zlib.error:
        return False
    return inflate.eof
