"""A PDF page with ruled tables, through pdfplumber: text outside the tables line by line, each table
row as one line of tab-separated cells, all in top-to-bottom order; fake-bold doubles removed."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from ..clean import normalise


def plumber_page_lines(path: Path, index: int, password: str) -> tuple[list[tuple[str, float, float, float]], str]:
    """(text, left, right, height) of each line of page ``index``, and the page's raw text (to judge its quality)."""
    with pdfplumber.open(path, password=password or None) as pdf:
        page = pdf.pages[index].dedupe_chars(tolerance=1)
        tables = page.find_tables()
        boxes = [t.bbox for t in tables]

        def outside(obj: dict) -> bool:
            if obj.get("object_type") != "char":
                return True
            x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

        items: list[tuple[float, tuple[str, float, float, float]]] = []
        for line in page.filter(outside).extract_text_lines(strip=True):
            text = normalise(line["text"])
            if text:
                items.append((line["top"], (text, line["x0"], line["x1"], line["bottom"] - line["top"])))
        for table in tables:
            for row in table.rows:
                cells = [c for c in row.cells if c is not None]
                if not cells:
                    continue
                texts = [normalise(page.crop(c).extract_text() or "").replace("\n", "") for c in cells]
                text = "\t".join(t for t in texts if t)
                if text:
                    top = min(c[1] for c in cells)
                    # a table row ends its paragraph: report it as reaching no margin
                    items.append((top, (text, cells[0][0], cells[0][0], 1.0)))
        raw = page.extract_text() or ""
        return [values for _, values in sorted(items, key=lambda item: item[0])], raw
