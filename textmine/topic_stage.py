"""The topics stage: choose K (or take the user's), fit LDA on every document with the run's seed,
and NMF with the same K to compare; cached, so a rerun with other groups or settings elsewhere does
not fit again. ``textmine topics`` runs it alone from a run's ``tokens.jsonl``."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .cache import JsonCache, code_digest
from .config import Config, TopicsConfig
from .counting import TokenizedDocument
from .errors import ConfigError
from .record import library_versions
from .resources import cache_dir
from .topic_selection import Selection, sweep
from .topics import TopicCorpus, TopicModel, check_fit, fit_lda, fit_nmf, topic_corpus


@dataclass(frozen=True)
class Topics:
    """The topic models of a run: how K was chosen, the LDA model, and NMF to compare."""

    selection: Selection
    lda: TopicModel
    nmf: TopicModel | None
    seconds: dict[str, float]  # fit times: sweep, lda, nmf

    @property
    def models(self) -> list[TopicModel]:
        return [self.lda, *([self.nmf] if self.nmf is not None else [])]


def candidate_ks(t: TopicsConfig) -> list[int]:
    if t.k:
        return [t.k]
    if t.k_min > t.k_max:
        raise ConfigError(f"topics.k_min ({t.k_min}) is larger than topics.k_max ({t.k_max})")
    return list(range(t.k_min, t.k_max + 1, t.k_step))


def fit_topics(documents: Sequence[TokenizedDocument], config: Config, *, workers: int = 1) -> Topics:
    """Fit the topic models of ``config.topics`` on ``documents``, from the cache when they were fitted before."""
    t, seed = config.topics, config.run.seed
    pairs = [(d.id, [w for s in d.sentences for w in s]) for d in documents]
    corpus = topic_corpus(pairs, min_df=t.min_df, max_df=t.max_df)
    ks = candidate_ks(t)
    usable = [k for k in ks if k <= len(corpus.vocab)]
    check_fit(corpus, min(ks), t.min_df, t.max_df)
    cache = _cache(t, seed) if config.extract.cache else None
    key = _digest(pairs)
    if cache is not None and (hit := cache.get_json(key)) is not None:
        return Topics(
            Selection.from_json(hit["selection"]),
            TopicModel.from_json(hit["lda"]),
            TopicModel.from_json(hit["nmf"]) if hit["nmf"] else None,
            hit["seconds"],
        )
    topics = _fit(corpus, usable, t, seed, workers)
    if cache is not None:
        cache.put_json(
            key,
            {
                "selection": topics.selection.to_json(),
                "lda": topics.lda.to_json(),
                "nmf": topics.nmf.to_json() if topics.nmf else None,
                "seconds": topics.seconds,
            },
        )
    return topics


def _fit(corpus: TopicCorpus, ks: list[int], t: TopicsConfig, seed: int, workers: int) -> Topics:
    started = time.perf_counter()
    seeds = [seed + i for i in range(t.seeds)]
    settings = {"passes": t.passes, "iterations": t.iterations, "chunksize": t.chunksize}
    selection = sweep(corpus, ks, seeds, workers=workers, fixed=bool(t.k), **settings)
    seconds = {"sweep": round(time.perf_counter() - started, 3)}
    started = time.perf_counter()
    lda = fit_lda(corpus, k=selection.chosen, seed=seed, **settings)
    seconds["lda"] = round(time.perf_counter() - started, 3)
    nmf = None
    if t.nmf:
        started = time.perf_counter()
        nmf = fit_nmf(corpus, k=selection.chosen, seed=seed)
        seconds["nmf"] = round(time.perf_counter() - started, 3)
    return Topics(selection, lda, nmf, seconds)


def _cache(t: TopicsConfig, seed: int) -> JsonCache:
    versions = library_versions()
    basis = {
        "settings": {**t.__dict__, "seed": seed},
        "versions": {k: versions.get(k) for k in ("textmine", "gensim", "scikit-learn", "numpy", "scipy")},
        "code": code_digest("topics.py", "topic_selection.py", "topic_stage.py"),
    }
    return JsonCache(cache_dir() / "topics", basis)


def _digest(pairs: list[tuple[str, list[str]]]) -> str:
    digest = hashlib.sha256()
    for doc_id, tokens in pairs:
        digest.update(json.dumps([doc_id, tokens], ensure_ascii=False).encode())
    return digest.hexdigest()


def tokens_path(source: Path | None, corpus: Path) -> Path:
    """Where a run's tokens.jsonl is: in ``source``, or in the default output folder of ``corpus``."""
    return (source or Path("outputs") / corpus.resolve().name) / "tokens.jsonl"
