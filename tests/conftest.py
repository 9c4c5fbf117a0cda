"""Shared fixtures: the real corpora in ../shared, and small corpora built from them in a temp folder."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FOUR_CITIES = SHARED / "corpora" / "four-cities"
FOUR_CITIES_TRUTH = SHARED / "corpora" / "four-cities-truth"
FIXTURES = SHARED / "fixtures"

if not FOUR_CITIES.is_dir():  # the tests use the real corpora; without them they cannot say anything
    raise RuntimeError(f"the shared corpora are missing: expected {FOUR_CITIES} beside the repository")


def manifest_rows() -> dict[str, dict[str, str]]:
    with (FOUR_CITIES / "manifest.csv").open(encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def truth(doc_id: str) -> str:
    return (FOUR_CITIES_TRUTH / f"{doc_id}.txt").read_text(encoding="utf-8")


_IGNORED = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")


def comparable(text: str) -> str:
    """Text for scoring extraction: whitespace and zero-width characters removed, full-width digits and letters folded."""
    folded = text.translate(
        {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
    )
    return _IGNORED.sub("", folded)


def analysed_tokens(out: Path, *, whole: bool = False) -> list[dict]:
    """A run's documents from its ``tokens.jsonl`` (the whole segmentation with ``whole``), else as the
    analysis counts them: the drafting vocabulary its ``tables/drafting_terms.csv`` lists taken out,
    sentences left empty dropped with their paragraph and article — rebuilt here with plain Python."""
    import json

    docs = [json.loads(line) for line in (out / "tokens.jsonl").read_text(encoding="utf-8").splitlines()]
    if whole:
        return docs
    with (out / "tables" / "drafting_terms.csv").open(encoding="utf-8-sig", newline="") as fh:
        drafting = {row["term"] for row in csv.DictReader(fh)}
    for d in docs:
        kept = [i for i, s in enumerate(d["sentences"]) if any(t not in drafting for t in s)]
        for key in ("paragraphs", "articles"):
            if d.get(key) is not None:
                d[key] = [d[key][i] for i in kept]
        d["sentences"] = [[t for t in d["sentences"][i] if t not in drafting] for i in kept]
    return docs


def make_corpus(root: Path, ids: list[str], extra_files: dict[str, bytes] | None = None) -> Path:
    """A corpus folder holding copies of the given four-cities documents and their manifest rows.

    ``extra_files`` adds files (relative path -> bytes) that are listed in the manifest too, as
    documents of the city named by their folder.
    """
    rows = manifest_rows()
    root.mkdir(parents=True, exist_ok=True)
    selected = [rows[i] for i in ids]
    for row in selected:
        target = root / row["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FOUR_CITIES / row["file"], target)
    fields = list(next(iter(rows.values())).keys())
    for n, (rel, data) in enumerate(sorted((extra_files or {}).items())):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        selected.append(
            {
                **{f: "" for f in fields},
                "id": f"bad{n:02d}",
                "file": rel,
                "city": Path(rel).parent.name,
                "title": Path(rel).stem,
            }
        )
    with (root / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(selected)
    return root


# Small documents of each city, every format present: PDF (one-page and longer), DOCX, TXT (GB18030), Markdown.
SUBSET = [
    "bj0025",
    "bj0003",
    "bj0023",
    "bj0114",
    "bj0166",
    "gz0006",
    "gz0003",
    "gz0005",
    "sh0151",
    "sh0024",
    "sh0073",
    "sh0040",
    "sz0009",
    "sz0011",
    "sz0001",
]


@pytest.fixture(scope="session", autouse=True)
def cache_env(tmp_path_factory: pytest.TempPathFactory):
    """A private cache folder for the whole session, set before any fixture runs textmine, so tests
    never read or write the user's cache (subprocesses inherit it)."""
    path = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TEXTMINE_CACHE", str(path))
        yield path
