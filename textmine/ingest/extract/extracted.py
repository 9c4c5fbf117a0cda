"""What extraction gives: :class:`Extracted`, a file's text and how it was obtained, and
:class:`Line`, a line of a PDF page with its position (from PDFium or from OCR)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Extracted:
    """The text of one file, as paragraphs joined by newlines, and how it was obtained."""

    text: str
    format: str
    encoding: str | None = None
    pages: int | None = None
    dropped_lines: tuple[str, ...] = field(default=())  # running headers, footers, page numbers
    meta: dict[str, str] = field(default_factory=dict)  # e.g. a Markdown file's front matter
    flags: tuple[str, ...] = ()  # what a reader should know: scanned or junk pages, tables, conversions
    ocr_pages: int = 0
    repairs: dict[str, int] = field(default_factory=dict)  # characters or glosses fixed, by kind
    library_messages: tuple[str, ...] = ()  # warnings the parsers gave, for the debug log


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    size: float  # the line's height, about its font size
    column: int = 0  # 0, or 1 for the right column of a two-column page
