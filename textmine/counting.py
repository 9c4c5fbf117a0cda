"""Keyword frequencies: the document-term matrix and the per-corpus and per-group keyword tables."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class TokenizedDocument:
    """A document as segmented: its id, group, year and sentences of kept tokens."""

    id: str
    group: str
    year: int | None
    sentences: list[list[str]]
    paragraphs: list[int] | None = None  # the paragraph of each sentence
    articles: list[int] | None = None  # the article (条) of each sentence; 0 before the first

    @property
    def n_tokens(self) -> int:
        return sum(map(len, self.sentences))


@dataclass(frozen=True)
class DocTermMatrix:
    """Token counts, documents × terms, with the row ids, groups and the (sorted) vocabulary."""

    doc_ids: tuple[str, ...]
    groups: tuple[str, ...]
    vocab: tuple[str, ...]
    counts: sparse.csr_matrix

    def column(self, term: str) -> int:
        return self._index()[term]

    def _index(self) -> dict[str, int]:
        cache = self.__dict__.get("_cached_index")
        if cache is None:
            cache = {t: i for i, t in enumerate(self.vocab)}
            object.__setattr__(self, "_cached_index", cache)
        return cache

    def rows_of(self, group: str) -> np.ndarray:
        return np.flatnonzero(np.asarray(self.groups) == group)

    @property
    def group_names(self) -> list[str]:
        return sorted(set(self.groups))


def doc_term_matrix(documents: Iterable[TokenizedDocument]) -> DocTermMatrix:
    """Count every token of every document; the vocabulary is sorted, rows keep the input order.

    Each document's counts become two small arrays as it is counted, and the rows are laid out as
    they come (CSR), so the matrix is built in about its own size, not in three Python lists and a
    coordinate copy."""
    index: dict[str, int] = {}
    columns: list[np.ndarray] = []
    values: list[np.ndarray] = []
    ids, groups = [], []
    for doc in documents:
        counts = Counter(token for sentence in doc.sentences for token in sentence)
        columns.append(
            np.fromiter((index.setdefault(t, len(index)) for t in counts), dtype=np.int64, count=len(counts))
        )
        values.append(np.fromiter(counts.values(), dtype=np.int64, count=len(counts)))
        ids.append(doc.id)
        groups.append(doc.group)
    vocab = sorted(index)
    order = np.empty(len(index), dtype=np.int64)
    for new, term in enumerate(vocab):
        order[index[term]] = new
    indptr = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in columns], out=indptr[1:])
    small = max(len(vocab), int(indptr[-1])) < 2**31  # scipy's own choice of index type
    indices = order[np.concatenate(columns)] if columns else np.zeros(0, dtype=np.int64)
    data = np.concatenate(values) if values else np.zeros(0, dtype=np.int64)
    del columns, values
    if small:
        indptr, indices = indptr.astype(np.int32), indices.astype(np.int32)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(ids), len(vocab)))  # a term once a row
    matrix.sort_indices()
    return DocTermMatrix(tuple(ids), tuple(groups), tuple(vocab), matrix)


@dataclass(frozen=True)
class TermFrequency:
    term: str
    freq: int  # occurrences
    df: int  # documents containing the term
    per_10k: float  # occurrences per 10,000 tokens
    doc_share: float  # share of documents containing the term


@dataclass(frozen=True)
class KeywordTable:
    """The terms of a set of documents ranked by frequency (ties: by document frequency, then term)."""

    name: str
    documents: int
    tokens: int
    terms: list[TermFrequency]

    def top(self, n: int) -> list[TermFrequency]:
        return self.terms[:n]


def keyword_table(dtm: DocTermMatrix, *, name: str = "all", rows: Sequence[int] | None = None) -> KeywordTable:
    """Frequencies of every term over ``rows`` of the matrix (all rows when None)."""
    counts = dtm.counts if rows is None else dtm.counts[np.asarray(rows, dtype=np.int64)]
    tf = np.asarray(counts.sum(axis=0)).ravel()
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    tokens, documents = int(tf.sum()), counts.shape[0]
    present = np.flatnonzero(tf)
    # most frequent first, then most documents, then by term: lexsort's last key is its first
    order = present[np.lexsort((np.asarray(dtm.vocab, dtype=str)[present], -df[present], -tf[present]))]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_10k, share = np.round(10_000 * tf / tokens, 4), np.round(df / documents, 4)
    terms = [
        TermFrequency(term=dtm.vocab[j], freq=int(tf[j]), df=int(df[j]), per_10k=per_10k[j], doc_share=share[j])
        for j in order.tolist()
    ]
    return KeywordTable(name, documents, tokens, terms)


def keyword_tables_by_group(dtm: DocTermMatrix) -> dict[str, KeywordTable]:
    return {g: keyword_table(dtm, name=g, rows=dtm.rows_of(g)) for g in dtm.group_names}
