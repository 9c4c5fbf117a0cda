"""Time the naive script and ``textmine run`` on the same corpus, in the same run, and print the ratios.

    python bench/run.py ../shared/corpora/four-cities

Each command runs as its own process (cold start included, as a user runs it), one after the other.
textmine runs twice: with one worker (same cores as the naive script) and with its default (one
worker per core). textmine does more than the baseline (cleaning, sentences, group tables, per-group
networks, comparison, charts, report, run record); the ratio is for the whole job.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        naive = timed([sys.executable, str(HERE / "naive.py"), args.corpus])
        one = timed([sys.executable, "-m", "textmine", "run", args.corpus, "-o", f"{tmp}/one", "-q", "--workers", "1"])
        default = timed([sys.executable, "-m", "textmine", "run", args.corpus, "-o", f"{tmp}/default", "-q"])
    print(f"corpus: {args.corpus}")
    print(f"naive script (pdfplumber + jieba.lcut + Counter + combinations + LdaModel): {naive:7.1f} s  (1.00)")
    print(f"textmine run --workers 1                                                  : {one:7.1f} s  ({naive / one:.2f}x)")
    print(f"textmine run (one worker per core)                                        : {default:7.1f} s  ({naive / default:.2f}x)")


if __name__ == "__main__":
    main()
