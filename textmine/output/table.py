"""A table of a run's outputs, as the CSV, the workbook and the report show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    name: str  # tables/<name>.csv, and the workbook's sheet
    title: str  # shown in the report and as the XLSX sheet's purpose
    header: list[str]
    rows: list[list[Any]]
