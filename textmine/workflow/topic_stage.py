"""The topics stage: choose K (or take the user's), fit LDA on every document with the run's seed,
and NMF with the same K to compare; cached, so a rerun with other groups or settings elsewhere does
not fit again. ``textmine topics`` runs it alone from a run's ``tokens.jsonl``."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Sequence

import numpy as np

from ..analysis.counting import TokenizedDocument
from ..analysis.topics import TopicCorpus, TopicModel, topic_corpus
from ..config import Config, TopicsConfig, candidate_ks
from ..errors import AnalysisError
from ..text.resources import cache_dir
from .cache import JsonCache, code_digest
from .libraries import library_versions
from .topic_selection import TOP, Fit, Selection, coherence_per_topic, sweep


@dataclass(frozen=True)
class Topics:
    """The topic models of a run: how K was chosen, the LDA model, and NMF to compare."""

    selection: Selection
    lda: TopicModel
    nmf: TopicModel | None
    seconds: dict[str, float]  # fit times: sweep, lda, nmf
    note: str = ""  # how the data limited the numbers of topics tried, when it did
    # the published LDA model's own coherence, per topic (top 10 terms by probability, as the sweep scores)
    published: dict[str, list[float]] = field(default_factory=dict)

    @property
    def published_summary(self) -> str:
        """One line on the published model's coherence: its means, and how many topics score below 0."""
        if not self.published:
            return ""
        npmi, cv = self.published["c_npmi"], self.published["c_v"]
        negative = sum(v < 0 for v in npmi)
        return (
            f"the published model (all documents, seed {self.lda.seed}): mean C_NPMI {np.mean(npmi):.3f}, "
            f"mean C_V {np.mean(cv):.3f}; {negative} of {len(npmi)} topics with a negative C_NPMI"
        )

    @property
    def models(self) -> list[TopicModel]:
        return [self.lda, *([self.nmf] if self.nmf is not None else [])]


def usable_ks(ks: list[int], corpus: TopicCorpus, t: TopicsConfig) -> tuple[list[int], str]:
    """The numbers of topics the data allows among ``ks`` — at most one per document and per term,
    at least 2 — and a note saying how the data limited them ("" when it did not). Raises
    AnalysisError when not even two topics can be fitted."""
    n_docs, n_terms = len(corpus.doc_ids), len(corpus.vocab)
    limit = min(n_docs, n_terms)
    data = (
        f"{n_terms} terms and {n_docs} documents holding them after filtering "
        f"(topics.min_df={t.min_df}, topics.max_df={t.max_df}; {_documents(n_docs + len(corpus.dropped))} in all)"
    )
    if limit < 2:
        advice = "lower topics.min_df or raise topics.max_df" if n_terms < 2 else "add documents"
        raise AnalysisError(f"too little data for a topic model: {data}; at least 2 of each are needed ({advice})")
    kept = [k for k in ks if k <= limit] or [limit]
    if kept == ks:
        return ks, ""
    asked = f"K = {ks[0]}" if len(ks) == 1 else f"K = {ks[0]}..{ks[-1]}"
    tried = f"K = {kept[0]}" if len(kept) == 1 else f"K = {kept[0]}..{kept[-1]}"
    return kept, f"{asked} asked, {tried} fitted: the data has {data}, and K cannot exceed either"


def _documents(n: int) -> str:
    return f"{n} document" if n == 1 else f"{n} documents"


def fit_topics(
    documents: Sequence[TokenizedDocument], config: Config, *, workers: int = 1, progress: Any = None
) -> Topics:
    """Fit the topic models of ``config.topics`` on ``documents``, from the cache when they were fitted
    before. The numbers of topics are limited to what the data allows (see :func:`usable_ks`).
    ``progress`` (a stage's :class:`~textmine.workflow.pipeline.Progress`) is told the fits planned — every
    (K, seed) of the sweep, then the published LDA and NMF — and each as it is done."""
    t, seed = config.topics, config.run.seed
    pairs = [(d.id, d.tokens) for d in documents]
    corpus = topic_corpus(pairs, min_df=t.min_df, max_df=t.max_df)
    ks, note = usable_ks(candidate_ks(t), corpus, t)
    cache = _cache(t, seed) if config.run.cache else None
    key = _digest(pairs)
    if cache is not None and (hit := cache.get_json(key)) is not None:
        return _at_lambda(
            Topics(
                Selection.from_json(hit["selection"]),
                TopicModel.from_json(hit["lda"]),
                TopicModel.from_json(hit["nmf"]) if hit["nmf"] else None,
                hit["seconds"],
                note,
                hit["published"],
            ),
            t.relevance_lambda,
        )
    fits = _fit_cache(t, key) if config.run.cache else None
    topics = replace(_fit(corpus, ks, t, seed, workers, fits, progress), note=note)
    if cache is not None:
        cache.put_json(
            key,
            {
                "selection": topics.selection.to_json(),
                "lda": topics.lda.to_json(),
                "nmf": topics.nmf.to_json() if topics.nmf else None,
                "seconds": topics.seconds,
                "published": topics.published,
            },
        )
    return _at_lambda(topics, t.relevance_lambda)


def _at_lambda(topics: Topics, lam: float) -> Topics:
    """The models ranking terms and labelling topics at the configured relevance λ."""
    nmf = replace(topics.nmf, lam=lam) if topics.nmf is not None else None
    return replace(topics, lda=replace(topics.lda, lam=lam), nmf=nmf)


def _fit(
    corpus: TopicCorpus,
    ks: list[int],
    t: TopicsConfig,
    seed: int,
    workers: int,
    fits: "FitCache | None",
    progress: Any = None,
) -> Topics:
    started = time.perf_counter()
    seeds = [seed + i for i in range(t.seeds)]
    settings = {"passes": t.passes, "iterations": t.iterations, "chunksize": t.chunksize}
    done = fits.get(ks, seeds) if fits is not None else {}
    step = progress or (lambda steps=1: None)
    if progress is not None:
        progress.plan(len(ks) * len(seeds) + 1 + bool(t.nmf))
        progress(len(done))

    models: dict[str, TopicModel] = {}  # the published models, as the sweep fits them

    def on_fit(fit: Fit | TopicModel) -> None:
        if isinstance(fit, TopicModel):
            models[fit.kind] = fit
        elif fits is not None:
            fits.put(fit)
        step(1)

    selection = sweep(
        corpus,
        ks,
        seeds,
        workers=workers,
        fixed=bool(t.k),
        min_stability=t.min_stability,
        done=done,
        on_fit=on_fit,
        publish=("lda", "nmf") if t.nmf else ("lda",),
        seed=seed,
        **settings,
    )
    seconds = {"sweep": round(time.perf_counter() - started, 3)}  # with the published models, fitted in its pool
    started = time.perf_counter()
    lda, nmf = models["lda"], models.get("nmf")
    top = [[lda.vocab[w] for w in np.argsort(-lda.phi[t], kind="stable")[:TOP]] for t in range(lda.k)]
    published = {
        m: [round(v, 6) for v in values] for m, values in coherence_per_topic(corpus, top, ("c_npmi", "c_v")).items()
    }
    seconds["published_coherence"] = round(time.perf_counter() - started, 3)
    return Topics(selection, lda, nmf, seconds, published=published)


def _cache(t: TopicsConfig, seed: int) -> JsonCache:
    versions = library_versions()
    basis = {
        "settings": {**t.__dict__, "seed": seed},
        "versions": {k: versions.get(k) for k in ("textmine", "gensim", "scikit-learn", "numpy", "scipy")},
        "code": code_digest("analysis/topics.py", "workflow/topic_selection.py", "workflow/topic_stage.py"),
    }
    return JsonCache(cache_dir() / "topics", basis)


class FitCache:
    """The sweep's fits one by one, keyed by the documents and what shapes one fit, so that an
    interrupted sweep resumes with the fits it had finished, and another K range reuses the Ks it shares."""

    def __init__(self, cache: JsonCache, documents: str) -> None:
        self.cache, self.documents = cache, documents

    def get(self, ks: list[int], seeds: list[int]) -> dict[tuple[int, int], Fit]:
        found = {}
        for k in ks:
            for seed in seeds:
                data = self.cache.get_json(f"{self.documents}:K={k}:seed={seed}")
                if data is not None:
                    found[(k, seed)] = Fit(**data)
        return found

    def put(self, fit: Fit) -> None:
        self.cache.put_json(f"{self.documents}:K={fit.k}:seed={fit.seed}", asdict(fit))


def _fit_cache(t: TopicsConfig, documents: str) -> FitCache:
    versions = library_versions()
    basis = {
        "fit": {"passes": t.passes, "iterations": t.iterations, "chunksize": t.chunksize},
        "vocabulary": {"min_df": t.min_df, "max_df": t.max_df},
        "versions": {k: versions.get(k) for k in ("textmine", "gensim", "numpy", "scipy")},
        "code": code_digest("analysis/topics.py", "workflow/topic_selection.py"),
    }
    return FitCache(JsonCache(cache_dir() / "topics" / "fits", basis), documents)


def _digest(pairs: list[tuple[str, list[str]]]) -> str:
    digest = hashlib.sha256()
    for doc_id, tokens in pairs:
        digest.update(json.dumps([doc_id, tokens], ensure_ascii=False).encode())
    return digest.hexdigest()
