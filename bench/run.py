"""The whole job, as a user runs it, against the naive script, in the same invocation, stage by stage,
with peak memory: the table of issue 14.

    python bench/run.py ../shared/corpora/four-cities
    python bench/run.py ../shared/corpora/provinces

Each command runs as its own process, one after the other (cold start included), each textmine run
from an empty cache unless said otherwise:

1. the naive script (``bench/naive.py``: pdfplumber + jieba.lcut + Counter + combinations + gensim
   LdaModel, K = 8, 10 passes), whose own stage times it prints;
2. ``textmine run --no-topics`` (every table, network export, chart and the report written) against
   the naive script's stages up to co-occurrence (its wall time less its LDA);
3. ``textmine run --topics 8 --set topics.passes=10``, one LDA of the naive script's K and passes,
   the whole job, with the C_NPMI of both models' top 10 terms scored on the same texts;
4. ``textmine run`` with the defaults (K chosen by the sweep);
5. that run again with every stage from the cache (report regenerated), again with one setting
   changed (``compare.top_n``: the comparisons and the tables are made again; the texts, tokens,
   topic models, network exports and charts come from the cache), and again after one file of the corpus
   changed (a copy of the corpus, one text file edited).

Peak memory is the largest resident set of the process tree (``wait4``'s ``ru_maxrss``: the process
or the largest of its worker processes). Ratios are naive ÷ textmine: above 1, textmine is faster.
Timing is never a pass/fail test; these are measurements.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def timed(command: list[str], cache: Path | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of the process tree, and standard output of ``command``."""
    env = {**os.environ, "TEXTMINE_CACHE": str(cache)} if cache else None
    out = tempfile.TemporaryFile()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    out.seek(0)
    return seconds, usage.ru_maxrss / 1024, out.read().decode("utf-8", "replace")


def stages(output: Path) -> str:
    per_stage = json.loads((output / "run.json").read_text(encoding="utf-8"))["timing"]["seconds_per_stage"]
    return " · ".join(f"{name} {seconds:.1f}" for name, seconds in per_stage.items() if name != "total")


def coherence(tokens: Path, topics: list[list[str]]) -> float:
    """Mean C_NPMI of ``topics``' first 10 terms that the run's topic vocabulary holds, over the run's
    segmented texts (textmine's vocabulary filter, gensim's CoherenceModel)."""
    from textmine.analysis.topics import topic_corpus
    from textmine.workflow.tokens_file import load_tokens
    from textmine.workflow.topic_selection import coherence_per_topic

    documents = load_tokens(tokens)
    corpus = topic_corpus([(d.id, [w for s in d.sentences for w in s]) for d in documents], min_df=3, max_df=0.5)
    known = set(corpus.vocab)
    kept = [[t for t in topic if t in known][:10] for topic in topics]
    values = coherence_per_topic(corpus, [t for t in kept if len(t) >= 2], ("c_npmi",))["c_npmi"]
    return sum(values) / len(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--keep", type=Path, help="copy the runs' output folders here (to compare two versions)")
    args = parser.parse_args()
    python, textmine = sys.executable, [sys.executable, "-m", "textmine"]
    rows: list[tuple[str, float, float, str, float]] = []  # name, seconds, MB, stages, baseline seconds
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        naive, naive_mb, printed = timed(
            [python, str(HERE / "naive.py"), str(args.corpus), "--terms", str(tmp / "naive_topics.json")]
        )
        naive_stages = dict(re.findall(r"(\w+)=([\d.]+)", printed.split("naive seconds:")[-1]))
        up_to_network = naive - float(naive_stages["topics"])
        rows.append(
            ("naive script, K = 8, 10 passes", naive, naive_mb, printed.split("naive seconds: ")[-1].strip(), naive)
        )

        def run(name: str, output: str, extra: list[str], cache: Path, baseline: float, corpus: Path = args.corpus):
            seconds, mb, _ = timed([*textmine, "run", str(corpus), "-q", "-o", str(tmp / output), *extra], cache)
            rows.append((name, seconds, mb, stages(tmp / output), baseline))

        run("textmine run --no-topics, cold", "keywords", ["--no-topics"], tmp / "c1", up_to_network)
        same = ["--topics", "8", "--set", "topics.passes=10"]
        run("textmine run --topics 8 --set topics.passes=10, cold", "one_lda", same, tmp / "c2", naive)
        run("textmine run (defaults: K chosen), cold", "default", [], tmp / "c3", naive)
        run("the same again, every stage cached", "cached", [], tmp / "c3", naive)
        top = ["--set", "compare.top_n=30"]
        run("warm cache, one setting changed (compare.top_n = 30)", "setting", top, tmp / "c3", naive)
        copy = tmp / "corpus"
        shutil.copytree(args.corpus, copy)
        edited = next(p for p in sorted(copy.rglob("*")) if p.suffix in (".md", ".txt") and "manifest" not in p.name)
        edited.write_text(
            edited.read_text(encoding="utf-8", errors="replace") + "\n本条例自公布之日起施行。\n", encoding="utf-8"
        )
        run("warm cache, one file of the corpus changed", "changed", [], tmp / "c3", naive, corpus=copy)
        published = json.loads((tmp / "one_lda" / "run.json").read_text(encoding="utf-8"))["topics"]
        naive_terms = json.loads((tmp / "naive_topics.json").read_text(encoding="utf-8"))
        ours = published["published_coherence"]["c_npmi"]  # its top 10 terms by probability, the same measure
        scores = (coherence(tmp / "one_lda" / "tokens.jsonl", naive_terms), sum(ours) / len(ours))
        if args.keep:
            for name in ("keywords", "one_lda", "default", "cached", "setting", "changed"):
                shutil.copytree(tmp / name, args.keep / name, dirs_exist_ok=True)
    print(f"corpus: {args.corpus}")
    print("| run | wall s | peak RSS MB | × naive | stages (s) |\n|---|---|---|---|---|")
    for name, seconds, mb, detail, baseline in rows:
        print(f"| {name} | {seconds:.1f} | {mb:.0f} | {baseline / seconds:.1f}× | {detail} |")
    print(
        f"naive up to co-occurrence (wall less its LDA): {up_to_network:.1f} s. C_NPMI of the top 10 terms, K = 8, "
        f"scored on textmine's texts: naive LdaModel {scores[0]:.3f}, textmine {scores[1]:.3f}"
    )


if __name__ == "__main__":
    main()
