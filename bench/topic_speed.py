"""Topic models: fit time and coherence of the candidate trainers on the same documents, and the K
sweep on one and two processes.

    python bench/topic_speed.py outputs/four-cities/tokens.jsonl
    python bench/topic_speed.py outputs/provinces/tokens.jsonl

Every trainer gets the same bags of words (textmine's vocabulary filter: min_df 3, max_df 0.5) and
K = 20; each is scored by the C_NPMI of its topics' top 10 terms, computed once by gensim's
CoherenceModel over the segmented texts. gensim LdaModel (textmine's: seeded, single process,
20 passes), gensim LdaMulticore (2 workers; its seed does not reproduce, gensim #3218),
scikit-learn's LatentDirichletAllocation (batch, 20 iterations, 1 and 2 jobs), tomotopy (200 Gibbs
iterations, when installed: pip install tomotopy) and textmine's NMF. Then textmine's whole K sweep
(K = 4..20 step 2, 3 seeds) with 1 and 2 worker processes: same results, the ratio of times.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from textmine.analysis.topics import fit_nmf, topic_corpus
from textmine.config import load_config
from textmine.workflow.tokens_file import load_tokens
from textmine.workflow.topic_selection import sweep

K = 20


def timed(work):
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def trainers(corpus):
    from gensim.models import LdaModel, LdaMulticore
    from sklearn.decomposition import LatentDirichletAllocation

    bows, id2word = corpus.bows(), dict(enumerate(corpus.vocab))
    common = {"corpus": bows, "id2word": id2word, "num_topics": K, "passes": 20, "iterations": 200, "chunksize": 50}

    def gensim_tops(model):
        return [[corpus.vocab[w] for w, _ in model.get_topic_terms(t, topn=10)] for t in range(K)]

    def matrix_tops(components):
        return [[corpus.vocab[w] for w in np.argsort(-row, kind="stable")[:10]] for row in components]

    yield "gensim LdaModel (textmine)", lambda: gensim_tops(LdaModel(random_state=1, eval_every=None, **common))
    yield (
        "gensim LdaMulticore, 2 workers",
        lambda: gensim_tops(LdaMulticore(workers=2, random_state=1, eval_every=None, **common)),
    )
    for jobs in (1, 2):
        yield (
            f"scikit-learn LDA batch, {jobs} job(s)",
            lambda jobs=jobs: matrix_tops(
                LatentDirichletAllocation(K, learning_method="batch", max_iter=20, random_state=1, n_jobs=jobs)
                .fit(corpus.counts)
                .components_
            ),
        )
    try:
        import tomotopy
    except ImportError:
        print("tomotopy not installed: skipped (pip install tomotopy)")
    else:

        def tomotopy_tops():
            model = tomotopy.LDAModel(k=K, seed=1)
            for tokens in corpus.texts:
                kept = [t for t in tokens if t in set_vocab]
                if kept:
                    model.add_doc(kept)
            model.train(200, workers=1)
            return [[w for w, _ in model.get_topic_words(t, top_n=10)] for t in range(K)]

        set_vocab = set(corpus.vocab)
        yield "tomotopy LDA, 200 iterations, 1 worker", tomotopy_tops
    yield "textmine NMF on TF-IDF", lambda: matrix_tops(fit_nmf(corpus, k=K, seed=1).phi)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tokens", type=Path, help="a run's tokens.jsonl")
    args = parser.parse_args()
    from gensim.models import CoherenceModel

    documents = load_tokens(args.tokens)
    corpus = topic_corpus([(d.id, [w for s in d.sentences for w in s]) for d in documents], min_df=3, max_df=0.5)
    print(
        f"{args.tokens}: {len(corpus.doc_ids)} documents, {corpus.counts.sum():,} tokens modelled, {len(corpus.vocab):,} terms"
    )
    dictionary = corpus.dictionary()
    print(f"{'trainer':<42}{'seconds':>9}{'C_NPMI':>9}")
    for name, work in trainers(corpus):
        tops, seconds = timed(work)
        npmi = CoherenceModel(
            topics=tops, texts=corpus.texts, dictionary=dictionary, coherence="c_npmi", topn=10, processes=1
        ).get_coherence()
        print(f"{name:<42}{seconds:>9.1f}{npmi:>9.4f}", flush=True)
    t = load_config().topics
    ks = list(range(t.k_min, t.k_max + 1, t.k_step))
    settings = {"passes": t.passes, "iterations": t.iterations, "chunksize": t.chunksize}
    runs = {}
    for workers in (1, 2):
        runs[workers] = timed(lambda workers=workers: sweep(corpus, ks, [42, 43, 44], workers=workers, **settings))
        print(
            f"K sweep {ks[0]}..{ks[-1]} x 3 seeds, {workers} process(es): {runs[workers][1]:.1f} s, chosen K = {runs[workers][0].chosen}",
            flush=True,
        )
    same = [f.top_terms for f in runs[1][0].fits] == [f.top_terms for f in runs[2][0].fits]
    print(f"2 processes vs 1: {runs[1][1] / runs[2][1]:.2f}x faster; identical fits: {same}")


if __name__ == "__main__":
    main()
