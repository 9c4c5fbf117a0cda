"""DOCX: body paragraphs, text boxes and table cells in document order; headers and footers apart.

Running headers and footers are page furniture, like a PDF's: they are reported in
``dropped_lines``, not mixed into the text. The archive is checked before it is opened, so a zip
bomb is refused instead of filling memory.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table

from ...errors import ExtractionError
from ..clean import normalise
from .extracted import Extracted

MAX_RATIO = 100  # no member of a real DOCX compresses more than this


def extract_docx(path: Path, *, max_unzipped_mb: int) -> Extracted:
    _check_archive(path, max_unzipped_mb)
    try:
        document = docx.Document(str(path))
    except PackageNotFoundError as exc:
        raise ExtractionError("not a Word document: the ZIP archive holds no Word body", detail=str(exc)) from None
    except zipfile.BadZipFile as exc:
        raise _damaged(exc) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_rows(block))
        else:
            lines.append(block.text)
            lines.extend(_text_boxes(block._p))
    furniture = set()
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:
                furniture.update(normalise(p.text) for p in part.paragraphs if p.text.strip())
    text = normalise("\n".join(lines))
    return Extracted(
        "\n".join(line for line in text.split("\n") if line), "docx", dropped_lines=tuple(sorted(furniture))
    )


def _check_archive(path: Path, max_unzipped_mb: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise _damaged(exc) from None
    total = sum(m.file_size for m in members)
    if total > max_unzipped_mb * 1024 * 1024:
        raise ExtractionError(
            f"zip-bomb guard: unzips to {total / 2**20:.0f} MB, more than extract.max_unzipped_mb = {max_unzipped_mb}"
        )
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO and member.file_size > 2**20:
            raise ExtractionError(
                f"zip-bomb guard: {member.filename} expands {member.file_size // member.compress_size}-fold"
            )


def _damaged(exc: zipfile.BadZipFile) -> ExtractionError:
    """A damaged archive's reason in a user's words: which part is corrupt, when the ZIP says."""
    part = re.search(r"for file '([^']+)'", str(exc))
    where = f"its part {part.group(1)} is corrupt" if part else "not a valid ZIP archive"
    return ExtractionError(f"damaged DOCX: {where} (truncated or corrupted file)", detail=f"BadZipFile: {exc}")


def _text_boxes(paragraph) -> list[str]:
    """Text of the text boxes anchored in a paragraph (the drawing's own copy, not its VML fallback)."""
    boxes = []
    for box in paragraph.iter(qn("w:txbxContent")):
        if any(ancestor.tag.endswith("}Fallback") for ancestor in box.iterancestors()):
            continue
        boxes.extend("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in box.iter(qn("w:p")))
    return boxes


def _table_rows(table: Table) -> list[str]:
    """One line per row, cells separated by tabs; a merged cell is read once, not once per grid column."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if cell._tc in seen:  # lxml elements hash by identity; the set keeps them alive
                continue
            seen.add(cell._tc)
            cells.append(" ".join(p.text for p in cell.paragraphs).strip())
        rows.append("\t".join(c for c in cells if c))
    return rows
