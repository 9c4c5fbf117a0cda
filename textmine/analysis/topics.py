"""Topic models: gensim LDA, single process and seeded, and NMF on TF-IDF (scikit-learn) to compare.

Both read one :class:`TopicCorpus` (terms in fewer than ``min_df`` documents or in more than
``max_df`` of them left out; documents left empty dropped and listed) and give a :class:`TopicModel`
in plain arrays: the topic–term distributions ``phi`` (K × V, rows sum to 1) and the document–topic
distributions (D × K, rows sum to 1). Terms are ranked within a topic by relevance (Sievert &
Shirley 2014, LDAvis): ``λ·log φ_tw + (1 − λ)·log(φ_tw / p_w)``, with ``p_w`` the term's share of
the corpus; λ = 1 ranks by probability, lower λ favours terms specific to the topic (0.6 is the
value their user study found best for interpreting topics).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from scipy import sparse

from ..errors import AnalysisError

RELEVANCE_LAMBDA = 0.6


def one_thread() -> Any:
    """BLAS and OpenMP held to one thread while a model is fitted: sums reduced in another order by
    another number of threads can change a fit's last bits, and so its results, from one machine to
    the next. The cores are used by fitting several models in parallel processes instead."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


@dataclass(frozen=True)
class TopicCorpus:
    """The documents as a topic model sees them."""

    doc_ids: tuple[str, ...]  # documents kept, the rows of ``counts``
    dropped: tuple[str, ...]  # documents with no term left after filtering
    vocab: tuple[str, ...]
    counts: sparse.csr_matrix  # documents × terms
    texts: list[list[str]]  # the kept documents' tokens, unfiltered, for coherence over sliding windows

    def dictionary(self) -> Any:
        """A gensim Dictionary of the vocabulary, in the same term order."""
        from gensim.corpora import Dictionary

        dictionary = Dictionary()
        dictionary.token2id = {term: i for i, term in enumerate(self.vocab)}
        dictionary.id2token = dict(enumerate(self.vocab))
        df = np.asarray((self.counts > 0).sum(axis=0)).ravel()
        dictionary.dfs = {i: int(n) for i, n in enumerate(df)}
        dictionary.num_docs = self.counts.shape[0]
        return dictionary

    def bows(self, rows: Sequence[int] | None = None) -> list[list[tuple[int, int]]]:
        """Rows of ``counts`` as gensim bags of words."""
        counts = self.counts if rows is None else self.counts[np.asarray(rows, dtype=np.int64)]
        return [
            list(zip(counts.indices[a:b].tolist(), counts.data[a:b].tolist(), strict=True))
            for a, b in zip(counts.indptr[:-1], counts.indptr[1:], strict=True)
        ]


def topic_corpus(documents: Sequence[tuple[str, list[str]]], *, min_df: int = 3, max_df: float = 0.5) -> TopicCorpus:
    """Filter the vocabulary of ``(doc_id, tokens)`` pairs by document frequency and count the terms
    kept; terms are sorted, documents keep their order."""
    df: dict[str, int] = {}
    for _, tokens in documents:
        for term in set(tokens):
            df[term] = df.get(term, 0) + 1
    limit = max_df * len(documents)
    vocab = tuple(sorted(t for t, n in df.items() if n >= min_df and n <= limit))
    index = {t: i for i, t in enumerate(vocab)}
    kept, dropped, texts, rows, cols, vals = [], [], [], [], [], []
    for doc_id, tokens in documents:
        counts: dict[int, int] = {}
        for token in tokens:
            column = index.get(token)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            dropped.append(doc_id)
            continue
        for column, n in counts.items():
            rows.append(len(kept))
            cols.append(column)
            vals.append(n)
        kept.append(doc_id)
        texts.append(list(tokens))
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(kept), len(vocab)), dtype=np.int64)
    matrix.sort_indices()
    return TopicCorpus(tuple(kept), tuple(dropped), vocab, matrix, texts)


def check_fit(corpus: TopicCorpus, k: int, min_df: int, max_df: float) -> None:
    """The documented guard rails: enough terms for ``k`` topics, and at least two documents."""
    if len(corpus.vocab) < k:
        raise AnalysisError(
            f"the topic model's vocabulary has {len(corpus.vocab)} terms after filtering "
            f"(min_df={min_df}, max_df={max_df}), fewer than k={k} topics; lower topics.k or topics.min_df"
        )
    if len(corpus.doc_ids) < 2:
        raise AnalysisError(f"a topic model needs at least 2 documents with terms; got {len(corpus.doc_ids)}")


@dataclass(frozen=True)
class TopicModel:
    """A fitted topic model's results, in plain arrays."""

    kind: str  # "lda" or "nmf"
    k: int
    seed: int
    vocab: tuple[str, ...]
    phi: np.ndarray  # topics × terms, rows sum to 1
    doc_ids: tuple[str, ...]  # documents modelled (rows of doc_topics)
    doc_topics: np.ndarray  # documents × topics, rows sum to 1
    dropped: tuple[str, ...]  # documents left with no term after filtering
    term_freq: np.ndarray  # each term's count in the documents modelled
    doc_lengths: np.ndarray  # each document's count of terms modelled
    lam: float = RELEVANCE_LAMBDA  # the relevance λ that ranks terms and makes labels (topics.relevance_lambda)

    def relevance(self, lam: float | None = None) -> np.ndarray:
        """Relevance of every term to every topic (topics × terms), at ``lam`` (default: the model's λ);
        computed once per λ and kept (read-only)."""
        lam = self.lam if lam is None else lam
        cache = self.__dict__.setdefault("_relevance", {})
        if lam not in cache:
            p = self.term_freq / self.term_freq.sum()
            with np.errstate(divide="ignore"):
                log_phi = np.log(self.phi)
            values = lam * log_phi + (1 - lam) * (log_phi - np.log(p))
            values.flags.writeable = False
            cache[lam] = values
        return cache[lam]

    def top_terms(self, topic: int, n: int = 20, lam: float | None = None) -> list[tuple[str, float, float]]:
        """The topic's ``n`` most relevant terms at ``lam`` (default: the model's λ): (term, probability,
        relevance); ties by term. Only the terms at or above the ``n``-th highest relevance are sorted
        (``numpy.partition``), ties at that boundary included, so the list is the full sort's."""
        relevance = self.relevance(lam)[topic]
        present = np.flatnonzero(self.phi[topic] > 0)
        if len(present) > n:
            cut = np.partition(relevance[present], len(present) - n)[len(present) - n]
            present = present[relevance[present] >= cut]
        order = sorted(present, key=lambda w: (-relevance[w], self.vocab[w]))[:n]
        return [(self.vocab[w], float(self.phi[topic, w]), float(relevance[w])) for w in order]

    def label(self, topic: int, n: int = 3) -> str:
        """A short label: the topic's ``n`` most relevant terms at the model's λ."""
        return "·".join(term for term, _, _ in self.top_terms(topic, n))

    @property
    def topic_tokens(self) -> np.ndarray:
        """Tokens each topic accounts for: document lengths spread by the document–topic shares."""
        return self.doc_lengths @ self.doc_topics

    def shares(self, groups: dict[str, Any]) -> dict[Any, np.ndarray]:
        """Each group's topic shares: the mean topic distribution of its documents (sums to 1), in
        the groups' order. Documents whose group is None (a year unknown) are left out."""
        labels = np.asarray([groups[d] for d in self.doc_ids], dtype=object)
        known = sorted({g for g in labels if g is not None})
        return {g: self.doc_topics[labels == g].mean(axis=0) for g in known}

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "k": self.k,
            "seed": self.seed,
            "vocab": list(self.vocab),
            "phi": self.phi.tolist(),
            "doc_ids": list(self.doc_ids),
            "doc_topics": self.doc_topics.tolist(),
            "dropped": list(self.dropped),
            "term_freq": self.term_freq.tolist(),
            "doc_lengths": self.doc_lengths.tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TopicModel":
        return cls(
            data["kind"],
            data["k"],
            data["seed"],
            tuple(data["vocab"]),
            np.asarray(data["phi"], dtype=float),
            tuple(data["doc_ids"]),
            np.asarray(data["doc_topics"], dtype=float),
            tuple(data["dropped"]),
            np.asarray(data["term_freq"], dtype=float),
            np.asarray(data["doc_lengths"], dtype=float),
        )


def lda(
    corpus: TopicCorpus,
    *,
    k: int,
    seed: int,
    passes: int,
    iterations: int,
    chunksize: int,
    rows: Sequence[int] | None = None,
) -> Any:
    """A gensim ``LdaModel`` on ``rows`` of the corpus (all when None), in one process with
    ``random_state=seed``: the multicore trainer ignores the seed (gensim #3218)."""
    from gensim.models import LdaModel

    return LdaModel(
        corpus=corpus.bows(rows),
        id2word=dict(enumerate(corpus.vocab)),
        num_topics=k,
        random_state=seed,
        passes=passes,
        iterations=iterations,
        alpha="symmetric",
        eta=None,
        eval_every=None,
        chunksize=chunksize,
    )


def fit_lda(
    corpus: TopicCorpus, *, k: int, seed: int, passes: int = 20, iterations: int = 200, chunksize: int = 50
) -> TopicModel:
    """LDA on every document of ``corpus``."""
    with one_thread():
        model = lda(corpus, k=k, seed=seed, passes=passes, iterations=iterations, chunksize=chunksize)
        doc_topics = np.zeros((len(corpus.doc_ids), k))
        for row, bow in enumerate(corpus.bows()):
            for topic, p in model.get_document_topics(bow, minimum_probability=0.0):
                doc_topics[row, topic] = p
    return _model("lda", corpus, k, seed, model.get_topics(), doc_topics)


def fit_nmf(corpus: TopicCorpus, *, k: int, seed: int, max_iter: int = 500) -> TopicModel:
    """NMF on the TF-IDF matrix (scikit-learn, ``nndsvda`` start, Frobenius loss). Topic and document
    weights are normalised to sum to 1, so they read like LDA's distributions."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfTransformer

    tfidf = TfidfTransformer().fit_transform(corpus.counts.astype(float))
    nmf = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=max_iter)
    with one_thread():
        weights = nmf.fit_transform(tfidf)
    empty = weights.sum(axis=1) == 0
    weights[empty] = 1.0  # a document NMF gives no weight is spread evenly rather than divided by zero
    return _model("nmf", corpus, k, seed, nmf.components_ + 1e-12, weights)


def _model(kind: str, corpus: TopicCorpus, k: int, seed: int, phi: np.ndarray, doc_topics: np.ndarray) -> TopicModel:
    # float64 from the start (gensim's topics are float32): the cache stores float64, and a model read
    # back from it must be the very model this fit gives, to the last bit
    phi = np.asarray(phi, dtype=np.float64)
    doc_topics = np.asarray(doc_topics, dtype=np.float64)
    phi = phi / phi.sum(axis=1, keepdims=True)
    doc_topics = doc_topics / doc_topics.sum(axis=1, keepdims=True)
    if not (np.isfinite(phi).all() and np.isfinite(doc_topics).all()):
        raise AnalysisError(
            f"the {kind.upper()} topic model produced non-finite values; try fewer topics or more passes"
        )
    lengths = np.asarray(corpus.counts.sum(axis=1), dtype=float).ravel()
    freq = np.asarray(corpus.counts.sum(axis=0), dtype=float).ravel()
    return TopicModel(kind, k, seed, corpus.vocab, phi, corpus.doc_ids, doc_topics, corpus.dropped, freq, lengths)
