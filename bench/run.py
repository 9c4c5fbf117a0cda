"""Time the naive script and ``textmine run`` on the same corpus, in the same run, and print the ratios.

    python bench/run.py ../shared/corpora/four-cities

Each command runs as its own process (cold start included, as a user runs it), one after the other.
textmine runs with its extraction cache off, with one worker (same cores as the naive script) and
with its default (one worker per core); then once more with the cache, as a rerun after a change of
analysis settings goes. textmine does more than the baseline (cleaning, sentences, group tables, per-group
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
        one = timed([*run, "-o", f"{tmp}/one", "--workers", "1", "--set", "extract.cache=false"], cache)
        default = timed([*run, "-o", f"{tmp}/default"], cache)
        cached = timed([*run, "-o", f"{tmp}/cached"], cache)
    print(f"corpus: {args.corpus}")
    print(f"naive script (pdfplumber + jieba.lcut + Counter + combinations + LdaModel): {naive:7.1f} s  (1.00)")
    print(
        f"textmine run --workers 1                                                  : {one:7.1f} s  ({naive / one:.2f}x)"
    )
    print(
        f"textmine run (one worker per core)                                        : {default:7.1f} s  ({naive / default:.2f}x)"
    )
    print(
        f"textmine run again, texts from the extraction cache                       : {cached:7.1f} s  ({naive / cached:.2f}x)"
    )


if __name__ == "__main__":
    main()
