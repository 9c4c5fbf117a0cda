"""How a run grows with the corpus (issue 15): time, documents/s, MB/s and peak memory per stage.

    python bench/scale.py 1000 4000 10000 [--work /tmp/scale] [--topics] [--add 100]

For each size, ``bench/make_corpus.py`` makes a corpus of that many distinct documents from the
real texts (kept in ``--work`` for the next invocation), then ``textmine run --no-topics`` (or, with
``--topics``, the defaults) runs on it as its own process from an empty cache, and the baseline
``jieba.lcut`` + ``Counter`` runs over the same texts in one process. Per stage: seconds and the
peak resident memory by its end (``run.json`` timing); overall: wall time and the peak of the
process tree (``wait4``). With ``--add K``, a corpus of the size plus K documents (its first
documents are the size's own: the generator is seeded) then runs from the size's cache, as a user
who adds K documents to a corpus runs again: only the K new files are read and segmented. Timing is
never a pass/fail test; these are measurements.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def corpus(size: int, work: Path) -> Path:
    folder = work / f"corpus-{size}"
    if not (folder / "manifest.csv").is_file():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(size), str(folder)], check=True)
    return folder


def run(folder: Path, output: Path, topics: bool, cache: Path) -> tuple[float, float, dict]:
    command = [sys.executable, "-m", "textmine", "run", str(folder), "-q", "-o", str(output)]
    command += [] if topics else ["--no-topics"]
    start = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, "TEXTMINE_CACHE": str(cache)}, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024, json.loads((output / "run.json").read_text(encoding="utf-8"))["timing"]


def naive(folder: Path) -> float:
    """jieba.lcut + Counter over the corpus's texts, in this process (the dictionary loaded first)."""
    import jieba

    jieba.initialize()
    start = time.perf_counter()
    counts: Counter[str] = Counter()
    for path in sorted((folder / "docs").rglob("*.txt")):
        counts.update(w for w in jieba.lcut(path.read_text(encoding="utf-8")) if w.strip())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "textmine-scale")
    parser.add_argument("--topics", action="store_true", help="the defaults (K chosen) instead of --no-topics")
    parser.add_argument("--add", type=int, default=0, help="then K documents more, from the size's cache")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as cache:
            folder = corpus(size, args.work)
            seconds, peak, timing = run(folder, args.work / f"out-{size}", args.topics, Path(cache))
            rows.append((f"{size:,}", folder, seconds, peak, timing, naive(folder)))
            if args.add:
                grown = corpus(size + args.add, args.work)
                seconds, peak, timing = run(grown, args.work / f"out-{size + args.add}", args.topics, Path(cache))
                rows.append((f"{size:,} + {args.add} added", grown, seconds, peak, timing, None))
    print(
        "| documents | MB | wall s | documents/s | MB/s | peak RSS MB | ms per document | jieba.lcut + Counter s | × | stages: s (peak MB by its end) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, folder, seconds, peak, timing, baseline in rows:
        size = sum(1 for _ in (folder / "docs").rglob("*.txt"))
        megabytes = sum(p.stat().st_size for p in (folder / "docs").rglob("*.txt")) / 1e6
        stages = " · ".join(
            f"{name} {s:.1f} ({timing['peak_rss_mb_by_stage'].get(name, 0)})"
            for name, s in timing["seconds_per_stage"].items()
            if name != "total"
        )
        against = f"{baseline:.1f} | {baseline / seconds:.2f}×" if baseline is not None else "— | —"
        print(
            f"| {label} | {megabytes:.0f} | {seconds:.1f} | {size / seconds:.0f} | {megabytes / seconds:.2f} | "
            f"{peak:.0f} | {1000 * seconds / size:.1f} | {against} | {stages} |"
        )


if __name__ == "__main__":
    main()
