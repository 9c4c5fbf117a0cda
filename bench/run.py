"""Time the naive script and ``textmine run`` on the same corpus, in the same run, and print the ratios.

    python bench/run.py ../shared/corpora/four-cities

Each command runs as its own process (cold start included, as a user runs it), one after the other.
textmine runs with the naive script's K and passes, with its cache off and one worker (same cores as
the naive script), then with its default (one worker per core); then once more with every stage from
the cache (the report regenerated), as ``textmine compare`` under another grouping, and with K chosen
by the sweep (its default). textmine does more than the baseline (cleaning, sentences, group tables, per-group
networks, comparison, charts, report, run record); the ratio is for the whole job.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(command: list[str], cache: str | None = None) -> float:
    env = {**os.environ, "TEXTMINE_CACHE": cache} if cache else None
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        naive = timed([sys.executable, str(HERE / "naive.py"), args.corpus])
        cache = f"{tmp}/cache"  # starts empty: the first runs extract every file, as the naive script does
        run = [sys.executable, "-m", "textmine", "run", args.corpus, "-q"]
        same = ["--topics", "8", "--set", "topics.passes=10"]  # the naive script's K and passes
        one = timed([*run, "-o", f"{tmp}/one", "--workers", "1", "--set", "extract.cache=false", *same], cache)
        default = timed([*run, "-o", f"{tmp}/default", *same], cache)
        cached = timed([*run, "-o", f"{tmp}/cached", *same], cache)
        compare = [sys.executable, "-m", "textmine", "compare", args.corpus, "-q", "--by", "city+period"]
        fixed = ["--set", "topics.k=8", "--set", "topics.passes=10"]  # compare takes K as a setting
        regrouped = timed([*compare, "--periods=-2015,2016-2020,2021-", "-o", f"{tmp}/compare", *fixed], cache)
        chosen = timed([*run, "-o", f"{tmp}/chosen"], cache)
    rows = [
        ("naive script (pdfplumber + jieba.lcut + Counter + combinations + LdaModel K=8)", naive),
        ("textmine run --workers 1, no cache, K=8", one),
        ("textmine run (one worker per core), K=8", default),
        ("textmine run again: every stage from the cache, report regenerated", cached),
        ("textmine compare --by city+period (texts, tokens, topics cached)", regrouped),
        ("textmine run choosing K (4..20 step 2 x 3 seeds; texts, tokens cached)", chosen),
    ]
    print(f"corpus: {args.corpus}")
    for name, seconds in rows:
        print(f"{name:<76}: {seconds:7.1f} s  ({naive / seconds:.2f}x)")
    print(
        f"report regenerated from cached stages against the full run: {cached:.1f} s vs {default:.1f} s ({default / cached:.2f}x)"
    )


if __name__ == "__main__":
    main()
