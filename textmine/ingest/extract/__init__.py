"""Text extraction: one function, :func:`extract_file`, from a file's bytes to cleaned paragraphs.

The format is taken from the extension and checked against the file's first bytes, so an HTML page
saved as ``.pdf`` or an old binary ``.doc`` renamed ``.docx`` is refused with a reason instead of
being parsed into junk. Every failure is an :class:`~textmine.errors.ExtractionError` whose message
is the one-line reason shown in the run summary.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ...config import ExtractConfig
from ...errors import ExtractionError
from ...text.resources import radical_table
from ..clean import beyond_jieba, map_radicals, strip_pinyin_glosses
from .extracted import Extracted

__all__ = ["Extracted", "extract_file", "SUPPORTED"]


SUPPORTED = ("pdf", "docx", "html", "htm", "txt", "md")

_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a ZIP container (DOCX, XLSX, ...)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc, .wps, .xls)"),
    (b"{\\rtf", "an RTF file"),
)


def _sniff(head: bytes) -> str | None:
    for magic, name in _MAGIC:
        if head.startswith(magic) or (magic == b"%PDF-" and magic in head[:1024]):
            return name
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<?xml")):
        return "an HTML or XML page"
    return None


def extract_file(path: str | Path, config: ExtractConfig | None = None) -> Extracted:
    """Extract and clean the text of one file; raise ExtractionError with the reason when it cannot."""
    config = config or ExtractConfig()
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in SUPPORTED:
        raise ExtractionError(f"unsupported file type '.{fmt}' (supported: {', '.join(SUPPORTED)})")
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise ExtractionError(f"cannot open: {exc.strerror}") from None
    if not head:
        raise ExtractionError("empty file (0 bytes)")
    try:
        extracted = _extract(path, fmt, _sniff(head), config)
    except (ExtractionError, MemoryError):
        raise
    except RecursionError as exc:
        raise ExtractionError(
            f"damaged or malformed {_NAMES.get(fmt, fmt)} file: its structure nests too deeply to be parsed",
            detail=f"RecursionError: {exc}",
        ) from None
    except Exception as exc:  # a parser failing on a damaged file: the library's words go to the debug log
        raise ExtractionError(
            f"damaged or malformed {_NAMES.get(fmt, fmt)} file: its internal structure could not be parsed",
            detail=f"{type(exc).__name__}: {exc}",
        ) from None
    return _repair(extracted, config)


_NAMES = {"pdf": "PDF", "docx": "DOCX", "html": "HTML", "htm": "HTML", "txt": "text", "md": "Markdown"}


def _extract(path: Path, fmt: str, kind: str | None, config: ExtractConfig) -> Extracted:
    if fmt == "pdf":
        if kind != "a PDF":
            raise ExtractionError(f"not a PDF: the file is {kind or 'not a PDF'} by its first bytes")
        from .pdf import extract_pdf

        return extract_pdf(path, config)
    if fmt == "docx":
        if kind != "a ZIP container (DOCX, XLSX, ...)":
            raise ExtractionError(f"not a DOCX: the file is {kind or 'not a ZIP container'} by its first bytes")
        from .word import extract_docx

        return extract_docx(path, max_unzipped_mb=config.max_unzipped_mb)
    if kind in ("a PDF", "a ZIP container (DOCX, XLSX, ...)", "a legacy Office file (.doc, .wps, .xls)"):
        raise ExtractionError(f"not a .{fmt} text file: the file is {kind} by its first bytes")
    if fmt in ("html", "htm"):
        from .html import extract_html

        return extract_html(path)
    from .plain import extract_plain

    return extract_plain(path)


def _repair(extracted: Extracted, config: ExtractConfig) -> Extracted:
    """Fixes every format needs: radicals for ideographs, pinyin glosses, traditional characters."""
    text = extracted.text
    repairs = dict(extracted.repairs)
    flags = list(extracted.flags)
    text, repairs["radicals"] = map_radicals(text, radical_table())
    text, repairs["pinyin glosses"] = strip_pinyin_glosses(text)
    if config.traditional != "keep":
        from .script import TRADITIONAL_SHARE, to_simplified, traditional_share

        converted, changed = to_simplified(text)
        share = traditional_share(text, converted)
        if changed and (config.traditional == "convert" or share >= TRADITIONAL_SHARE):
            flags.append(f"traditional → simplified (OpenCC t2s): {changed} characters, {share:.0%} of Han characters")
            repairs["traditional characters"] = changed
            text = converted
    rare = beyond_jieba(text)
    if rare:
        flags.append(f"{rare} characters outside jieba's range (CJK Ext. A/B): segmented one by one")
    repairs = {k: v for k, v in repairs.items() if v}
    return replace(extracted, text=text, repairs=repairs, flags=tuple(flags))
