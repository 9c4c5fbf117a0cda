"""Text extraction: one function, :func:`extract_file`, from a file's bytes to cleaned paragraphs.

The format is taken from the extension and checked against the file's first bytes, so an HTML page
saved as ``.pdf`` or an old binary ``.doc`` renamed ``.docx`` is refused with a reason instead of
being parsed into junk. Every failure is an :class:`~textmine.errors.ExtractionError` whose message
is the one-line reason shown in the run summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExtractionError

__all__ = ["Extracted", "extract_file", "SUPPORTED"]


@dataclass(frozen=True)
class Extracted:
    """The text of one file, as paragraphs joined by newlines, and how it was obtained."""

    text: str
    format: str
    encoding: str | None = None
    pages: int | None = None
    dropped_lines: tuple[str, ...] = field(default=())  # running headers, footers, page numbers
    meta: dict[str, str] = field(default_factory=dict)  # e.g. a Markdown file's front matter


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


def extract_file(path: str | Path, *, header_share: float = 0.5) -> Extracted:
    """Extract and clean the text of one file; raise ExtractionError with the reason when it cannot."""
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
    kind = _sniff(head)
    if fmt == "pdf":
        if kind != "a PDF":
            raise ExtractionError(f"not a PDF: the file is {kind or 'not a PDF'} by its first bytes")
        from .pdf import extract_pdf

        return extract_pdf(path, header_share=header_share)
    if fmt == "docx":
        if kind != "a ZIP container (DOCX, XLSX, ...)":
            raise ExtractionError(f"not a DOCX: the file is {kind or 'not a ZIP container'} by its first bytes")
        from .word import extract_docx

        return extract_docx(path)
    if kind in ("a PDF", "a ZIP container (DOCX, XLSX, ...)", "a legacy Office file (.doc, .wps, .xls)"):
        raise ExtractionError(f"not a .{fmt} text file: the file is {kind} by its first bytes")
    if fmt in ("html", "htm"):
        from .html import extract_html

        return extract_html(path)
    from .plain import extract_plain

    return extract_plain(path)
