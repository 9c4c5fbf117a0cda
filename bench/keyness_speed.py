"""Time of the document-level keyness test against the token-level statistics alone, same run.

    python bench/keyness_speed.py outputs/four-cities/tokens.jsonl

Prints, for each group against the rest, each ordered pair and the robustness variants: seconds
with the token-level statistics only (compare.resamples = 0) and with the permutation test and
bootstrap interval (the defaults), and how many terms each group lists either way.
"""

from __future__ import annotations

import json
import sys
import time

from textmine.analysis.compare import DocumentTest, distinctive_terms, pairwise_terms
from textmine.analysis.counting import TokenizedDocument
from textmine.analysis.robustness import robustness
from textmine.config import load_config
from textmine.text.resources import drafting_lists
from textmine.workflow.pipeline import set_apart


def main(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        docs = [TokenizedDocument(d["id"], d["group"], d["year"], d["sentences"]) for d in map(json.loads, fh)]
    config = load_config()  # as textmine run counts: the drafting vocabulary set apart
    _, _, dtm = set_apart(docs, drafting_lists(config.keywords, shipped=True)[0], config)
    print(f"{len(docs)} documents, {dtm.counts.sum():,} tokens, groups {', '.join(dtm.group_names)}")
    test = DocumentTest()
    steps = {
        "group vs rest": lambda t: distinctive_terms(dtm, test=t),
        "ordered pairs": lambda t: pairwise_terms(dtm, test=t),
        "robustness variants": lambda t: robustness(dtm, top_n=20, min_freq=10, prior_scale=1000.0, test=t),
    }
    listed = {}
    for name, step in steps.items():
        seconds = []
        for t in (None, test):
            started = time.perf_counter()
            result = step(t)
            seconds.append(time.perf_counter() - started)
            if name == "group vs rest":
                listed["document-level" if t else "token-level"] = {g: len(v) for g, v in result.items()}
        print(
            f"{name:<20} token-level {seconds[0]:6.2f} s   document-level {seconds[1]:6.2f} s   ({seconds[1] / seconds[0]:.1f}×)"
        )
    for kind, counts in listed.items():
        print(f"terms listed, {kind}: " + ", ".join(f"{g} {n}" for g, n in counts.items()))


if __name__ == "__main__":
    main(sys.argv[1])
