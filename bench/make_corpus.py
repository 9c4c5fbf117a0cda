"""A corpus of N distinct documents made from the real texts, for measuring how a run grows (issue 15).

    python bench/make_corpus.py 10000 /tmp/corpus-10k
    python bench/make_corpus.py 100000 /tmp/corpus-100k --seed 7

The sources are the true texts of ``../shared/corpora/*-truth`` (968 regulations of six cities and
provinces), grouped by their manifest's ``city``. Each new document takes a source document's
title line, length (its number of lines) and group, and fills those lines with lines drawn at
random from the group's other documents (four in five) and from any group (one in five), so that
groups keep a vocabulary of their own and every document is a new text. One document in fifty is a
near-copy of an earlier one (a tenth of its lines replaced), so near-duplicate detection has real
work. Files are plain UTF-8 ``docs/<group>/<id>.txt`` with a ``manifest.csv`` (id, file, city, year,
title); the same N and seed give the same corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parent.parent / "shared" / "corpora"
NEAR_COPY = 50  # one document in this many is a near-copy of an earlier one


def sources() -> list[tuple[str, int, list[str]]]:
    """(group, year, lines) of every true text, in manifest order."""
    found = []
    for manifest in sorted(CORPORA.glob("*/manifest.csv")):
        truth = manifest.parent.parent / f"{manifest.parent.name}-truth"
        if not truth.is_dir():
            continue
        with manifest.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                text = (truth / f"{row['id']}.txt").read_text(encoding="utf-8")
                lines = [line for line in text.splitlines() if line.strip()]
                if len(lines) >= 3:
                    found.append((row["city"], int(row["year"] or 2020), lines))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("documents", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = sources()
    by_group: dict[str, list[str]] = {}
    for group, _, lines in texts:
        by_group.setdefault(group, []).extend(lines[1:])
    everything = [line for group in sorted(by_group) for line in by_group[group]]
    made: list[list[str]] = []
    rows = []
    for number in range(1, args.documents + 1):
        group, year, lines = texts[rng.randrange(len(texts))]
        if made and number % NEAR_COPY == 0:
            body = list(made[rng.randrange(len(made))])
            for i in rng.sample(range(1, len(body)), max(1, len(body) // 10)):
                body[i] = rng.choice(by_group[group])
        else:
            own = by_group[group]
            body = [f"第{number}号{lines[0]}"]  # a title of its own: versions are found by title too
            body += [rng.choice(own) if rng.random() < 0.8 else rng.choice(everything) for _ in lines[1:]]
        made.append(body)
        doc_id = f"d{number:07d}"
        path = args.folder / "docs" / group / f"{doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(body) + "\n", encoding="utf-8")
        rows.append([doc_id, path.relative_to(args.folder).as_posix(), group, year, body[0]])
        if len(made) > 5000:  # near-copies come from the recent documents; memory stays bounded
            made = made[-5000:]
    with (args.folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "file", "city", "year", "title"])
        writer.writerows(rows)
    size = sum(p.stat().st_size for p in (args.folder / "docs").rglob("*.txt"))
    print(f"{args.documents} documents, {size / 1e6:.1f} MB, in {args.folder}")


if __name__ == "__main__":
    main()
