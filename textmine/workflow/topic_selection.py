"""How many topics: LDA fitted over a range of K with several seeds, scored, and K chosen by a stated rule.

Each (K, seed) is fitted on 90 % of the documents (every tenth document is held out) in its own
worker process — gensim's LDA is single-process and seeded, so each fit is reproducible and the
sweep still uses every core. Each fit is scored by

- coherence of its topics' top 10 terms over the corpus: C_NPMI and C_V (sliding windows over the
  segmented texts, counted by :mod:`textmine.analysis.coherence`) and U_Mass (document co-occurrence), scored
  by gensim's ``CoherenceModel`` once for all fits;
- held-out perplexity, ``2^(−bound)`` of gensim's per-word likelihood bound on the held-out documents;

and each K by the stability of its topics across seeds: the top 10 terms of two fits' topics are
matched one to one (Hungarian algorithm) to maximise their Jaccard overlap, and the mean overlap over
all pairs of seeds is reported (Greene, O'Callaghan & Cunningham 2014).

The rule, **one standard error and stability**: take the K with the highest mean C_NPMI across
seeds and the standard error of that mean (its sd over seeds / √seeds); among the K whose mean
C_NPMI lies within one standard error of it — no better than the best by any measure the seeds can
tell apart — keep those whose topics are stable across seeds (stability ≥ ``min_stability``) and
choose the smallest (the one-standard-error rule of Breiman et al. 1984, as for choosing a model's
size in cross-validation; Hastie, Tibshirani & Friedman 2009, §7.10). When no K within one standard
error is stable, the best-scoring K is chosen and the selection says that no K is stable, so that
the topics are read as the unstable partition they are. With one seed there is no standard error
and no stability: the highest mean C_NPMI. Validated on planted corpora
(``tests/test_topic_selection.py``, ``bench/topic_rule.py``).
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable

import numpy as np

from ..analysis.coherence import WINDOWS, coherence
from ..analysis.topics import TopicCorpus, TopicModel, fit_lda, fit_nmf, lda, one_thread
from ..errors import AnalysisError
from .workers import IsolatedPool

RULE = (
    "the smallest K whose mean C_NPMI (top 10 terms) is within one standard error of the best and whose "
    "stability across seeds is at least {min_stability}"
)
NO_STABLE = (
    "highest mean C_NPMI (top 10 terms) across seeds: no K within one standard error of it has a stability "
    "of {min_stability} or more, so the topics are not stable across seeds"
)
ONE_SEED = "highest mean C_NPMI (top 10 terms); one seed, so no standard error and no stability"
TOP = 10  # terms per topic scored for coherence and stability


@dataclass(frozen=True)
class Fit:
    """One (K, seed) fit of the sweep."""

    k: int
    seed: int
    perplexity: float  # on the held-out documents; nan without any
    top_terms: list[list[str]]  # per topic, its top 10 terms by probability
    seconds: float
    c_npmi: float = math.nan
    c_v: float = math.nan
    u_mass: float = math.nan


@dataclass(frozen=True)
class KScore:
    """One K's scores: the mean and standard deviation over seeds, and the stability across them."""

    k: int
    c_npmi: float
    c_npmi_sd: float
    c_v: float
    c_v_sd: float
    u_mass: float
    u_mass_sd: float
    perplexity: float
    perplexity_sd: float
    stability: float  # mean matched top-10 Jaccard over pairs of seeds (1 = the same topics every time)
    stability_min: float


@dataclass(frozen=True)
class Selection:
    scores: list[KScore]
    fits: list[Fit]
    chosen: int
    rule: str  # the rule that chose K, or that the user fixed it

    @property
    def advice(self) -> str:
        """A caution when the chosen K is at an end of the range tried: a better K may lie beyond it."""
        ks = [s.k for s in self.scores]
        if len(ks) < 2:
            return ""
        if self.chosen == max(ks):
            return f"K = {self.chosen} is the largest tried: raise topics.k_max to see whether a larger K scores better"
        if self.chosen == min(ks):
            return (
                f"K = {self.chosen} is the smallest tried: lower topics.k_min to see whether a smaller K scores better"
            )
        return ""

    def to_json(self) -> dict[str, Any]:
        return {
            "scores": [asdict(s) for s in self.scores],
            "fits": [asdict(f) for f in self.fits],
            "chosen": self.chosen,
            "rule": self.rule,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Selection":
        return cls(
            [KScore(**s) for s in data["scores"]], [Fit(**f) for f in data["fits"]], data["chosen"], data["rule"]
        )


def holdout_rows(n: int) -> tuple[list[int], list[int]]:
    """Training and held-out rows: every tenth document is held out (none when fewer than 20)."""
    if n < 20:
        return list(range(n)), []
    return [i for i in range(n) if i % 10], [i for i in range(n) if not i % 10]


_corpus: TopicCorpus | None = None
_settings: dict[str, int] = {}


def _init(corpus: TopicCorpus, settings: dict[str, int]) -> None:
    global _corpus, _settings  # the corpus reaches each worker once, not with every task
    _corpus, _settings = corpus, settings


def _fit_one(task: tuple[str, int, int]) -> "Fit | TopicModel":
    """One task of the sweep's pool: ``("sweep", K, seed)``, a fit on the training rows scored on the
    held-out ones, or ``("lda" | "nmf", K, seed)``, a model of every document to publish."""
    kind, k, seed = task
    if kind == "lda":
        return fit_lda(_corpus, k=k, seed=seed, **_settings)
    if kind == "nmf":
        return fit_nmf(_corpus, k=k, seed=seed)
    started = time.perf_counter()
    train, held = holdout_rows(len(_corpus.doc_ids))
    with one_thread():
        model = lda(_corpus, k=k, seed=seed, rows=train, **_settings)
        perplexity = float(2 ** (-model.log_perplexity(_corpus.bows(held)))) if held else math.nan
    tops = [[_corpus.vocab[w] for w, _ in model.get_topic_terms(t, topn=TOP)] for t in range(k)]
    return Fit(k, seed, perplexity, tops, round(time.perf_counter() - started, 3))


def stability(a: list[list[str]], b: list[list[str]]) -> float:
    """Mean Jaccard overlap of two fits' topics' top terms, topics matched one to one to maximise it."""
    from scipy.optimize import linear_sum_assignment  # 0.3 s to import, so only here

    overlap = np.array([[len(set(x) & set(y)) / len(set(x) | set(y)) for y in b] for x in a])
    rows, cols = linear_sum_assignment(-overlap)
    return float(overlap[rows, cols].mean())


def sweep(
    corpus: TopicCorpus,
    ks: list[int],
    seeds: list[int],
    *,
    passes: int,
    iterations: int,
    chunksize: int,
    workers: int = 1,
    fixed: bool = False,
    min_stability: float = 0.6,
    done: dict[tuple[int, int], Fit] | None = None,
    on_fit: Callable[[Fit | TopicModel], None] | None = None,
    publish: tuple[str, ...] = (),
    seed: int = 0,
) -> Selection:
    """Fit and score every (K, seed); choose K by :func:`choose` unless ``fixed`` (one K, given by the user).
    Fits in ``done`` (by (K, seed), e.g. from an interrupted sweep) are taken as they are; ``on_fit``
    is called with each new fit as it is ready, so that a caller can keep it.

    The models named in ``publish`` (``"lda"``, ``"nmf"``) — every document, ``seed`` — are fitted in
    the same pool as the sweep and handed to ``on_fit`` as they are ready, like the fits: with
    ``fixed``, among the sweep's tasks (K is known before it); else side by side once K is chosen,
    by workers kept from the sweep."""
    settings = {"passes": passes, "iterations": iterations, "chunksize": chunksize}
    pool = IsolatedPool(_fit_one, workers=workers, initializer=_init, initargs=(corpus, settings), keep=True)
    try:
        return _sweep(pool, corpus, ks, seeds, fixed, min_stability, dict(done or {}), on_fit, publish, seed)
    finally:
        pool.close()


def _sweep(
    pool: IsolatedPool,
    corpus: TopicCorpus,
    ks: list[int],
    seeds: list[int],
    fixed: bool,
    min_stability: float,
    done: dict[tuple[int, int], Fit],
    on_fit: Callable[[Fit | TopicModel], None] | None,
    publish: tuple[str, ...],
    seed: int,
) -> Selection:
    extra = [(kind, ks[0], seed) for kind in publish] if fixed else []
    # the longest fits first (the published LDA of every document, then the largest K), so that the
    # last to finish are short and no core waits long at the end (longest-processing-time-first
    # scheduling); the fits do not depend on the order
    tasks = sorted(
        [*extra, *(("sweep", k, s) for k in ks for s in seeds if (k, s) not in done)],
        key=lambda task: (task[0] != "lda", -task[1], task[0] == "nmf"),
    )
    _run(pool, tasks, done, on_fit)
    fits = _with_coherence(corpus, [done[(k, s)] for k in ks for s in seeds])
    scores = []
    for k in ks:
        mine = [f for f in fits if f.k == k]
        pairs = [stability(a.top_terms, b.top_terms) for a, b in itertools.combinations(mine, 2)]
        scores.append(
            KScore(
                k,
                *_mean_sd([f.c_npmi for f in mine]),
                *_mean_sd([f.c_v for f in mine]),
                *_mean_sd([f.u_mass for f in mine]),
                *_mean_sd([f.perplexity for f in mine]),
                round(float(np.mean(pairs)), 4) if pairs else math.nan,
                round(float(np.min(pairs)), 4) if pairs else math.nan,
            )
        )
    if fixed:
        return Selection(scores, fits, ks[0], "fixed by the user (topics.k)")
    chosen, rule = choose(scores, seeds=len(seeds), min_stability=min_stability)
    _run(pool, [(kind, chosen, seed) for kind in publish], done, on_fit)
    return Selection(scores, fits, chosen, rule)


def _run(
    pool: IsolatedPool,
    tasks: list[tuple[str, int, int]],
    done: dict[tuple[int, int], Fit],
    on_fit: Callable[[Fit | TopicModel], None] | None,
) -> None:
    """The tasks of :func:`_fit_one` in ``pool``: a sweep's fits go into ``done``; every result to ``on_fit``."""
    for task, outcome in zip(tasks, pool.map(tasks), strict=True):
        if not outcome.ok:
            raise AnalysisError(f"topic model K={task[1]} seed={task[2]} failed: {outcome.error}")
        if task[0] == "sweep":
            done[task[1:]] = outcome.value
        if on_fit is not None:
            on_fit(outcome.value)


def choose(scores: list[KScore], *, seeds: int, min_stability: float) -> tuple[int, str]:
    """The K of the one-standard-error-and-stability rule (module docstring), and the rule as applied."""
    best = max(scores, key=lambda s: (s.c_npmi, -s.k))
    if seeds < 2 or math.isnan(best.c_npmi_sd):
        return best.k, ONE_SEED
    floor = best.c_npmi - best.c_npmi_sd / math.sqrt(seeds)
    near = sorted((s for s in scores if s.c_npmi >= floor), key=lambda s: s.k)
    stable = [s for s in near if s.stability >= min_stability]
    if stable:
        return stable[0].k, RULE.format(min_stability=min_stability)
    return best.k, NO_STABLE.format(min_stability=min_stability)


def _with_coherence(corpus: TopicCorpus, fits: list[Fit]) -> list[Fit]:
    """The fits with the mean coherence of their topics, all topics scored in one pass per measure."""
    per_topic = coherence_per_topic(corpus, [t for f in fits for t in f.top_terms])
    result, start = [], 0
    for f in fits:
        end = start + len(f.top_terms)
        means = {m: round(float(np.mean(values[start:end])), 6) for m, values in per_topic.items()}
        result.append(replace(f, **means))
        start = end
    return result


def coherence_per_topic(
    corpus: TopicCorpus, topics: list[list[str]], measures: tuple[str, ...] = ("c_npmi", "c_v", "u_mass")
) -> dict[str, list[float]]:
    """gensim's coherence of each topic's terms: C_NPMI and C_V over sliding windows of the segmented
    texts (windows counted by :mod:`textmine.analysis.coherence`), U_Mass over document co-occurrence."""
    from gensim.models import CoherenceModel

    dictionary = corpus.dictionary()
    scores = {}
    for measure in measures:
        if measure in WINDOWS:
            scores[measure] = coherence(topics, corpus.texts, dictionary, measure, TOP)
            continue
        model = CoherenceModel(
            topics=topics, dictionary=dictionary, corpus=corpus.bows(), coherence=measure, topn=TOP, processes=1
        )
        scores[measure] = [float(v) for v in model.get_coherence_per_topic()]
    return scores


def _mean_sd(values: list[float]) -> tuple[float, float]:
    array = np.asarray(values, dtype=float)
    if np.isnan(array).all():
        return math.nan, math.nan
    known = int(np.sum(~np.isnan(array)))  # the sample standard deviation over the seeds (ddof = 1)
    return round(float(np.nanmean(array)), 6), round(float(np.nanstd(array, ddof=1)), 6) if known > 1 else math.nan
