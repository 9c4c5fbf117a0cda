"""Keyword frequencies: the document-term matrix and the per-corpus and per-group keyword tables."""

from __future__ import annotations

import functools
import hashlib
import itertools
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse

from ..text import terms


class TokenizedDocument:
    """A document as segmented: its id, group, year and sentences of kept tokens, with the paragraph
    and the article (条; 0 before the first) of each sentence when known, and its title (from the
    manifest or the text; "" when none), carried from reading to every table that names documents.

    Held compactly: the tokens as one array of term numbers (:mod:`textmine.text.terms`), sentence after
    sentence, with where each sentence ends; ``sentences`` makes the lists of strings when asked.
    Immutable; equal when id, group, year, sentences, paragraphs, articles and title are."""

    __slots__ = ("id", "group", "year", "ids", "ends", "_paragraphs", "_articles", "title")

    def __init__(
        self,
        id: str,
        group: str,
        year: int | None,
        sentences: list[list[str]],
        paragraphs: list[int] | None = None,
        articles: list[int] | None = None,
        *,
        title: str = "",
    ) -> None:
        ends = np.cumsum([len(s) for s in sentences], dtype=np.int32)
        ids = terms.numbers([t for s in sentences for t in s])
        self._set(id, group, year, ids, ends, _array(paragraphs), _array(articles), title)

    @classmethod
    def of_ids(
        cls,
        id: str,
        group: str,
        year: int | None,
        ids: np.ndarray,
        ends: np.ndarray,
        paragraphs: np.ndarray | None,
        articles: np.ndarray | None,
        *,
        title: str = "",
    ) -> TokenizedDocument:
        """The document of term numbers ``ids`` whose sentences end at ``ends``."""
        doc = cls.__new__(cls)
        doc._set(id, group, year, ids, ends, paragraphs, articles, title)
        return doc

    def _set(self, *values: object) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"TokenizedDocument is immutable: cannot set {name!r}")

    @property
    def sentences(self) -> list[list[str]]:
        tokens = terms.strings(self.ids)
        return [tokens[a:b] for a, b in itertools.pairwise([0, *self.ends.tolist()])]

    @property
    def tokens(self) -> list[str]:
        """Every token, sentence after sentence."""
        return terms.strings(self.ids)

    @property
    def paragraphs(self) -> list[int] | None:
        return None if self._paragraphs is None else self._paragraphs.tolist()

    @property
    def articles(self) -> list[int] | None:
        return None if self._articles is None else self._articles.tolist()

    @property
    def n_tokens(self) -> int:
        return len(self.ids)

    def without(self, numbers: np.ndarray) -> TokenizedDocument:
        """The document without the terms numbered ``numbers``; a sentence left empty is dropped, with
        its paragraph and article, as segmentation drops one with no kept token."""
        keep = ~np.isin(self.ids, numbers)
        sentence = np.repeat(np.arange(len(self.ends)), np.diff(self.ends, prepend=0))
        remaining = np.bincount(sentence[keep], minlength=len(self.ends))
        alive = remaining > 0
        structure = (None if a is None else a[alive] for a in (self._paragraphs, self._articles))
        ends = np.cumsum(remaining[alive], dtype=np.int32)
        return TokenizedDocument.of_ids(
            self.id, self.group, self.year, self.ids[keep], ends, *structure, title=self.title
        )

    def structure(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The paragraph and the article of each sentence, as held (None when not known)."""
        return self._paragraphs, self._articles

    def loaded(self) -> TokenizedDocument:
        """The document with its arrays in memory: itself (a spooled document reads them from disk
        at each use, :mod:`textmine.workflow.token_spool`); for code that reads several of them."""
        return self

    def _key(self) -> tuple:
        return (self.id, self.group, self.year, self.sentences, self.paragraphs, self.articles, self.title)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TokenizedDocument) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.id, self.group, self.year, self.ids.tobytes()))

    def __repr__(self) -> str:
        return f"TokenizedDocument({self.id!r}, {self.group!r}, {self.year!r}, {self.n_tokens} tokens)"

    def __reduce__(self) -> tuple:
        # the strings, not this process's numbers (another process numbers its terms its own way):
        # each distinct term of the document once, and the tokens as positions in that list
        used, local = np.unique(self.ids, return_inverse=True)
        words = terms.strings(used)
        return (
            _restore,
            (
                self.id,
                self.group,
                self.year,
                self.title,
                words,
                local.astype(np.int32),
                self.ends,
                self._paragraphs,
                self._articles,
            ),
        )


def _restore(
    id: str,
    group: str,
    year: int | None,
    title: str,
    words: list[str],
    local: np.ndarray,
    ends: np.ndarray,
    *structure: np.ndarray | None,
) -> TokenizedDocument:
    return TokenizedDocument.of_ids(id, group, year, terms.numbers(words)[local], ends, *structure, title=title)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _array(values: list[int] | None) -> np.ndarray | None:
    return None if values is None else np.asarray(values, dtype=np.int32)


@dataclass(frozen=True)
class DocTermMatrix:
    """Token counts, documents × terms, with the row ids, groups and the (sorted) vocabulary."""

    doc_ids: tuple[str, ...]
    groups: tuple[str, ...]
    vocab: tuple[str, ...]
    counts: sparse.csr_matrix

    def column(self, term: str) -> int:
        return self._index[term]

    # made once, on first use (cached_property writes the instance's dict: a frozen dataclass allows it)
    @functools.cached_property
    def _index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.vocab)}

    @functools.cached_property
    def lengths(self) -> np.ndarray:
        """Each document's tokens counted (the sums of its row)."""
        return _read_only(np.asarray(self.counts.sum(axis=1), dtype=np.int64).ravel())

    @functools.cached_property
    def document_frequency(self) -> np.ndarray:
        """Each term's documents (the counts stored in its column)."""
        return _read_only(np.bincount(self.counts.indices, minlength=len(self.vocab)))

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 of the vocabulary and every count, in order."""
        digest = hashlib.sha256("\n".join(self.vocab).encode("utf-8"))
        digest.update(repr(self.counts.shape).encode())
        for part in (self.counts.indptr, self.counts.indices, self.counts.data):  # as held: no copy
            digest.update(str(part.dtype).encode() + b":")
            digest.update(memoryview(np.ascontiguousarray(part)))
        return digest.hexdigest()

    def rows_of(self, group: str) -> np.ndarray:
        return np.flatnonzero(np.asarray(self.groups) == group)

    @property
    def group_names(self) -> list[str]:
        return sorted(set(self.groups))


def doc_term_matrix(documents: Iterable[TokenizedDocument]) -> DocTermMatrix:
    """Count every token of every document; the vocabulary is sorted, rows keep the input order.

    Each document's counts become two small arrays as it is counted (``np.unique`` of its term
    numbers), and the rows are laid out as they come (CSR), so the matrix is built in about its own
    size."""
    columns: list[np.ndarray] = []
    values: list[np.ndarray] = []
    ids, groups = [], []
    for doc in documents:
        used, counts = np.unique(doc.ids, return_counts=True)
        columns.append(used)
        values.append(counts.astype(np.int32))  # a document's count of a term: far below 2**31
        ids.append(doc.id)
        groups.append(doc.group)
    numbers = np.unique(np.concatenate(columns)) if columns else np.zeros(0, dtype=np.int32)
    words = terms.strings(numbers)
    alphabetical = sorted(range(len(words)), key=words.__getitem__)
    vocab = [words[i] for i in alphabetical]
    indptr = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in columns], out=indptr[1:])
    small = max(len(vocab), int(indptr[-1])) < 2**31  # scipy's own choice of index type
    column = np.zeros(terms.size(), dtype=np.int32 if small else np.int64)  # indices made in their own type
    column[numbers[alphabetical]] = np.arange(len(words))
    indices = column[np.concatenate(columns)] if columns else np.zeros(0, dtype=column.dtype)
    del columns
    data = np.concatenate(values) if values else np.zeros(0, dtype=np.int32)
    del values
    if small:
        indptr = indptr.astype(np.int32)
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
