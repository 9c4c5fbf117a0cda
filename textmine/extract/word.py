"""DOCX: body paragraphs and table cells in document order."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from ..clean import normalise
from ..errors import ExtractionError
from . import Extracted


def extract_docx(path: Path) -> Extracted:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise ExtractionError(f"not a readable DOCX ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_rows(block))
        else:
            lines.append(block.text)
    text = normalise("\n".join(lines))
    return Extracted("\n".join(line for line in text.split("\n") if line), "docx")


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
