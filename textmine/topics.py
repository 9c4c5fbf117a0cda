"""Topic model: gensim LDA, single process and seeded, so one seed gives the same topics every run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .errors import AnalysisError


@dataclass(frozen=True)
class TopicModel:
    """A fitted topic model's results, in plain types."""

    k: int
    seed: int
    vocab_size: int
    topics: list[list[tuple[str, float]]]  # per topic: top terms with their probabilities
    doc_ids: tuple[str, ...]  # documents modelled (rows of doc_topics)
    doc_topics: np.ndarray  # documents × topics, rows sum to 1
    dropped: tuple[str, ...]  # documents left with no term after filtering

    def label(self, topic: int, n: int = 3) -> str:
        """A short label: the topic's top ``n`` terms."""
        return "·".join(term for term, _ in self.topics[topic][:n])

    def shares(self, groups: dict[str, str]) -> dict[str, np.ndarray]:
        """Each group's topic shares: the mean topic distribution of its documents (sums to 1)."""
        result = {}
        for group in sorted(set(groups[d] for d in self.doc_ids)):
            rows = [i for i, d in enumerate(self.doc_ids) if groups[d] == group]
            result[group] = self.doc_topics[rows].mean(axis=0)
        return result


def fit_lda(
    documents: Sequence[tuple[str, list[str]]],
    *,
    k: int,
    seed: int,
    passes: int = 10,
    iterations: int = 200,
    chunksize: int = 50,
    min_df: int = 3,
    max_df: float = 0.5,
    top_terms: int = 15,
) -> TopicModel:
    """Fit LDA on ``(doc_id, tokens)`` pairs.

    Terms in fewer than ``min_df`` documents or in more than ``max_df`` of them are left out;
    documents left empty are dropped and listed. gensim's ``LdaModel`` runs in one process with
    ``random_state=seed``: the multicore trainer ignores the seed (gensim #3218).
    """
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    dictionary = Dictionary(tokens for _, tokens in documents)
    dictionary.filter_extremes(no_below=min_df, no_above=max_df, keep_n=None)
    if len(dictionary) < k:
        raise AnalysisError(
            f"the topic model's vocabulary has {len(dictionary)} terms after filtering "
            f"(min_df={min_df}, max_df={max_df}), fewer than k={k} topics; lower topics.k or topics.min_df"
        )
    kept, bows, dropped = [], [], []
    for doc_id, tokens in documents:
        bow = dictionary.doc2bow(tokens)
        if bow:
            kept.append(doc_id)
            bows.append(bow)
        else:
            dropped.append(doc_id)
    if len(bows) < 2:
        raise AnalysisError(f"a topic model needs at least 2 documents with terms; got {len(bows)}")
    model = LdaModel(
        corpus=bows,
        id2word=dictionary,
        num_topics=k,
        random_state=seed,
        passes=passes,
        iterations=iterations,
        alpha="symmetric",
        eta=None,
        eval_every=None,
        chunksize=chunksize,
    )
    doc_topics = np.zeros((len(bows), k))
    for row, bow in enumerate(bows):
        for topic, p in model.get_document_topics(bow, minimum_probability=0.0):
            doc_topics[row, topic] = p
    doc_topics /= doc_topics.sum(axis=1, keepdims=True)
    topics = [[(term, float(p)) for term, p in model.show_topic(t, topn=top_terms)] for t in range(k)]
    if not np.isfinite(doc_topics).all() or not all(np.isfinite(p) for t in topics for _, p in t):
        raise AnalysisError("the topic model produced non-finite values; try fewer topics or more passes")
    return TopicModel(k, seed, len(dictionary), topics, tuple(kept), doc_topics, tuple(dropped))
