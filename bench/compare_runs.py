"""What changed between two runs of one corpus: distinctive terms kept and new, top keywords set apart
as drafting vocabulary, and how concentrated the strongest-partner columns are.

    python bench/compare_runs.py OLD_OUTPUT NEW_OUTPUT

Both folders are `textmine run` outputs (an older textmine's too: only tables every version writes
are read, and the newer tables when present).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path


def rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def main(old: Path, new: Path) -> None:
    before, after = rows(old / "tables" / "distinctive_terms.csv"), rows(new / "tables" / "distinctive_terms.csv")
    for group in sorted({r["group"] for r in before} | {r["group"] for r in after}):
        was = [r["term"] for r in before if r["group"] == group]
        now = [r["term"] for r in after if r["group"] == group]
        kept = [t for t in was if t in now]
        print(
            f"{group}: listed before {len(was)}, now {len(now)}; kept {len(kept)} ({'、'.join(kept)}); "
            f"new: {'、'.join(t for t in now if t not in was)}"
        )
    drafting = {r["term"] for r in rows(new / "tables" / "drafting_terms.csv")}
    top_before = [r["keyword"] for r in rows(old / "tables" / "top_keywords.csv")]
    print(f"former top {len(top_before)} keywords now drafting vocabulary: {sum(t in drafting for t in top_before)}")
    for name, out in (("before", old), ("now", new)):
        links = rows(out / "tables" / "strongest_links.csv")
        nodes = rows(out / "network" / "nodes.csv")
        ubiquitous = {r["Id"] for r in sorted(nodes, key=lambda r: -int(r["units"]))[:6]}
        columns = [
            c
            for c in (links[0] if links else {})
            if c == "strongest_associated_keyword" or c.startswith("strongest_by_")
        ]
        for column in columns:
            partners = Counter(r[column] for r in links)
            among = sum(r[column] in ubiquitous for r in links)
            print(
                f"{name}, {column}: {among} of {len(links)} partners among the six keywords in most units; "
                f"most frequent {partners.most_common(3)}"
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
