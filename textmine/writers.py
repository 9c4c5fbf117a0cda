"""Every file textmine writes goes through here: atomically, reproducibly, safe to open.

- Atomic: each file is written to a temporary name in its folder and renamed into place, so an
  interrupted run never leaves a half-written file.
- Reproducible: no timestamps inside the files (XLSX and GEXF carry none), so two runs on the same
  input give byte-identical files.
- Safe: CSVs are UTF-8 with a BOM so Excel shows Chinese; text cells that a spreadsheet would run
  as a formula (starting with = + - @, also full-width, or a tab or carriage return) are prefixed with
  an apostrophe in CSV and XLSX; characters XML forbids are removed from XLSX.

Network formats (GEXF, GraphML, Pajek, VOSviewer, UCINET) are written by :mod:`textmine.output.network_export`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

Row = Sequence[Any]


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs: what a killed run left behind (its pid in a folder's name) may
    be removed once it does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed to ``path`` when the block ends without error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes(path: Path, data: bytes, *, atomic: bool = True) -> None:
    """``data`` as ``path``; ``atomic=False`` inside a folder that is built whole and swapped in at
    the end (a run's output folder), where the swap is what makes it atomic."""
    if not atomic:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_pictures(stem: Path, png: bytes, svg: bytes | None, *, atomic: bool = True) -> None:
    """``stem.png`` and, when there is one, ``stem.svg``."""
    # never stem.with_suffix: a group named "v1.a" would lose its ".a" and overwrite "v1.b"'s picture
    write_bytes(stem.parent / f"{stem.name}.png", png, atomic=atomic)
    if svg is not None:
        write_bytes(stem.parent / f"{stem.name}.svg", svg, atomic=atomic)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def write_jsonl(path: Path, records: Iterable[Any]) -> None:
    """One JSON object per line, streamed: the records are never all held in memory."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


_FORMULA_START = tuple("=+-@＝＋－＠\t\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would evaluate, made inert with a leading apostrophe; a value
    that is undefined (a float NaN: the spread of one seed, NPMI of a pair in every unit) empty."""
    kind = type(value)  # the exact types first: this runs for every cell of every table
    if kind is int:
        return value
    if (kind is str or isinstance(value, str)) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value


def write_csv(path: Path, header: Row, rows: Iterable[Row], *, atomic: bool = True) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    write_bytes(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"), atomic=atomic)


_FIXED_DATE = datetime.datetime(1980, 1, 1)  # the earliest time a ZIP entry can hold
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    return _XML_ILLEGAL.sub("", value) if isinstance(value, str) else value


def write_xlsx(path: Path, sheets: dict[str, tuple[Row, Iterable[Row]]]) -> None:
    """One workbook, a sheet per table; text stays text, numbers stay numbers, no timestamps.

    XlsxWriter in constant-memory mode (each row written as it comes, twice as fast as openpyxl here);
    strings are never read as numbers, formulas or links, and the creation date is fixed, so a rerun
    gives the same bytes (XlsxWriter dates the ZIP entries 1980-01-01 itself)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties({"created": _FIXED_DATE})
    bold = workbook.add_format({"bold": True})
    for name, (header, rows) in sheets.items():
        sheet = workbook.add_worksheet(_sheet_title(name))
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, [_cell(h) for h in header], bold)
        for number, row in enumerate(rows, 1):
            sheet.write_row(number, 0, [_cell(v) for v in row])
    workbook.close()
    write_bytes(path, buffer.getvalue())


EXCEL_CELL_LIMIT = 32_767  # characters a cell can hold (Excel's specifications and limits)


def _cell(value: Any) -> Any:
    """A value as the workbook holds it: inert, XML-safe, and a text cut to what a cell can hold
    (the CSV keeps it whole), ending in "…" where it was cut."""
    value = xml_safe(spreadsheet_safe(value))
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        return value[: EXCEL_CELL_LIMIT - 1] + "…"
    return value


def _sheet_title(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31]
