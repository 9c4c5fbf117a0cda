"""Which group a document is compared in: a manifest column, its year, its period, or a cross of them.

``corpus.group_by`` names one column (``city``, ``doc_type``, ``issuer``...) or a cross joined by
``+`` (``city+period``). Two names are derived rather than read: ``year`` (the document's year,
from the manifest, the file name or the text) and ``period`` (the band of ``corpus.periods`` the
year falls in); ``issuer`` and the other fields of :func:`textmine.ingest.metadata.policy_metadata` come
from the text when the manifest has no such column. A cross's group is its values joined by " · "
(``beijing · 2016-2020``). Without a manifest, any other column name stands for the first-level
folder.
"""

from __future__ import annotations

import re

from .errors import ConfigError, CorpusError

DERIVED = ("year", "period")
FROM_TEXT = ("issuer", "doc_number", "issued", "in_force", "title")  # read from the text when the manifest lacks them
NO_YEAR = "(no year)"
NO_PERIOD = "(no period)"
JOIN = " · "


def parse_group_by(spec: str) -> list[str]:
    """The columns of ``corpus.group_by``: ``"city+period"`` gives ``["city", "period"]``."""
    columns = [part.strip() for part in re.split(r"[+×]", spec)]
    if not all(columns) or len(set(columns)) != len(columns):
        raise ConfigError(f"corpus.group_by: expected a column or columns joined by '+', got {spec!r}")
    return columns


def year_bands(periods: list[str], option: str = "corpus.periods") -> dict[str, tuple[int, int]]:
    """``["-2017", "2018-2023", "2024-"]`` as inclusive year ranges, named ``≤2017``, ``2018-2023`` and
    ``≥2024`` (names a spreadsheet does not take for formulas); a band open at one end is open. Bands
    must not overlap."""
    bands: dict[str, tuple[int, int]] = {}
    for text in periods:
        match = re.fullmatch(r"\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*", text)
        if not match or not (match.group(1) or match.group(3)) or (not match.group(2) and match.group(3)):
            raise ConfigError(
                f"The '{option}' option takes year bands like '2016-2017', '-2017' or '2018-'. Got {text!r}."
            )
        low = int(match.group(1)) if match.group(1) else 0
        high = int(match.group(3)) if match.group(3) else (9999 if match.group(2) else low)
        if low > high:
            raise ConfigError(f"{option}: the band {text!r} ends before it starts")
        for name, (other_low, other_high) in bands.items():
            if low <= other_high and other_low <= high:
                raise ConfigError(f"{option}: the bands {name!r} and {text.strip()!r} overlap")
        name = f"≤{high}" if not match.group(1) else f"≥{low}" if high == 9999 else text.strip().replace(" ", "")
        bands[name] = (low, high)
    return bands


def period_of(year: int | None, bands: dict[str, tuple[int, int]]) -> str | None:
    """The band ``year`` falls in, or None."""
    if year is None:
        return None
    return next((name for name, (low, high) in bands.items() if low <= year <= high), None)


def group_name(meta: dict[str, str], year: int | None, columns: list[str], bands: dict[str, tuple[int, int]]) -> str:
    """The group of a document with metadata ``meta`` and ``year`` under the columns of ``corpus.group_by``."""
    parts = []
    for column in columns:
        if column == "year":
            parts.append(str(year) if year is not None else NO_YEAR)
        elif column == "period":
            parts.append(period_of(year, bands) or (NO_YEAR if year is None else NO_PERIOD))
        else:
            value = meta.get(column) or (meta.get("folder") if column not in FROM_TEXT else None)
            parts.append(value or "(none)")
    return JOIN.join(parts)


def check_columns(columns: list[str], available: set[str], bands: dict[str, tuple[int, int]], where: str) -> None:
    """Every column to group by exists (derived ones aside), and ``period`` has bands to use."""
    missing = [c for c in columns if c not in DERIVED and c not in FROM_TEXT and c not in available]
    if missing:
        raise CorpusError(
            f"{where}: no column '{missing[0]}' to group by (corpus.group_by); it has "
            f"{', '.join(sorted(available | set(DERIVED)))}"
        )
    if "period" in columns and not bands:
        raise ConfigError('corpus.group_by uses period: set corpus.periods, e.g. ["-2015", "2016-2020", "2021-"]')
