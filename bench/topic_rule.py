"""How often each K rule finds the planted number of themes.

Planted corpora as in ``tests/test_topic_selection.py`` (documents drawn from disjoint theme word
lists and common words; a main and a second theme per document), over several numbers of themes,
theme shares and corpus seeds. For each, the sweep over K = 2..themes+3 with 3 seeds, and the K that
each rule picks: the highest mean C_NPMI (textmine's rule until 2026-12), and the one-standard-error
rule with stability (textmine's rule: :func:`textmine.workflow.topic_selection.choose`), and the most stable K.

    python bench/topic_rule.py            # 12 corpora, about 4 minutes on 2 cores
    python bench/topic_rule.py --passes 5 # the sweep's fits with fewer passes
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_topic_selection import planted  # noqa: E402

from textmine.analysis.topics import topic_corpus  # noqa: E402
from textmine.workflow.topic_selection import choose, sweep  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--min-stability", type=float, default=0.6)
    parser.add_argument("--passes", type=int, default=20, help="passes of each sweep fit (topics.sweep_passes)")
    args = parser.parse_args()
    cases = [(seed, themes, share) for themes in (4, 5, 6) for share in (0.85, 0.6) for seed in (11, 12)]
    hits = {"best C_NPMI": 0, "1 SE + stability": 0, "most stable": 0}
    print(
        f"{'themes':>6} {'share':>5} {'seed':>4} | {'best C_NPMI':>11} {'1 SE + stab':>11} {'most stable':>11} | stability at the planted K"
    )
    started = time.perf_counter()
    for seed, themes, share in cases:
        documents, _ = planted(seed, themes, share)
        corpus = topic_corpus(documents, min_df=3, max_df=0.5)
        ks = list(range(2, themes + 4))
        selection = sweep(corpus, ks, [1, 2, 3], passes=args.passes, iterations=200, chunksize=50, workers=args.workers)
        picks = {
            "best C_NPMI": max(selection.scores, key=lambda s: (s.c_npmi, -s.k)).k,
            "1 SE + stability": choose(selection.scores, seeds=3, min_stability=args.min_stability)[0],
            "most stable": max(selection.scores, key=lambda s: (s.stability, -s.k)).k,
        }
        for rule, k in picks.items():
            hits[rule] += k == themes
        at = next(s for s in selection.scores if s.k == themes)
        print(
            f"{themes:>6} {share:>5} {seed:>4} | {picks['best C_NPMI']:>11} {picks['1 SE + stability']:>11} "
            f"{picks['most stable']:>11} | {at.stability:.2f}"
        )
    print(f"\nplanted K found, of {len(cases)}: " + ", ".join(f"{rule} {n}" for rule, n in hits.items()))
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
