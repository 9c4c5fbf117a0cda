"""Drafting vocabulary: the words of legal-administrative drafting, reported apart from policy vocabulary.

Chinese regulations are written in a fixed register: who acts (人民政府, 主管部门), what binds (依法,
履行职责), what follows a breach (违反 … 责令改正 … 罚款), how the text came into force (常务委员会 …
会议通过 … 施行). These words stand in nearly every regulation and say how a text is drafted, not
what a policy stresses: counted with the policy vocabulary they fill the keyword lists, link every
node of a co-word network to every other, and make a city "distinctive" for its drafting convention
(Shanghai writes 行政管理部门 where Beijing writes 主管部门).

A term is drafting vocabulary when

- it is on a drafting list: textmine's ``data/drafting.txt`` (its sources are in its header) and the
  user's ``keywords.drafting_lists``; or
- it stands in at least ``keywords.drafting_df_share`` of the documents, in a corpus of at least
  ``keywords.drafting_min_documents`` documents (in a handful of documents nearly every word is
  shared, and the share says nothing).

With ``keywords.drafting = "apart"`` these terms leave the tokens that keyword tables, networks,
topics and comparisons count (as stopwords do: a window of co-occurrence spans the tokens left), and
the run reports them in a table of their own with their frequency, document frequency and the rule
that listed them; ``"keep"`` counts them with the rest. The segmentation itself (``tokens.jsonl``)
keeps them, and dimension schemes count every term they name, drafting or not (a scheme that names
法规 counts it). Pure computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence, overload

import numpy as np

from ..text import terms
from .counting import DocTermMatrix, TokenizedDocument


@dataclass(frozen=True)
class DraftingTerm:
    term: str
    freq: int
    df: int
    doc_share: float
    rule: str  # "list", "document share", or "list, document share"


@dataclass(frozen=True)
class Drafting:
    """The drafting terms found in a corpus (most frequent first), and how much of it they are."""

    terms: tuple[DraftingTerm, ...]
    tokens: int  # tokens of the corpus before they were set apart
    documents: int
    df_rule: bool  # whether the document-share rule applied (the corpus was large enough)

    @property
    def words(self) -> frozenset[str]:
        return frozenset(t.term for t in self.terms)

    @property
    def drafting_tokens(self) -> int:
        return sum(t.freq for t in self.terms)

    @property
    def share(self) -> float:
        """The share of the corpus's tokens that are drafting vocabulary."""
        return self.drafting_tokens / self.tokens if self.tokens else 0.0


def find_drafting(dtm: DocTermMatrix, listed: frozenset[str], *, df_share: float, min_documents: int) -> Drafting:
    """The terms of ``dtm`` that are on a drafting list (``listed``) or stand in at least ``df_share``
    of its documents (when it has ``min_documents`` or more, and ``df_share`` > 0)."""
    tf = np.asarray(dtm.counts.sum(axis=0)).ravel()
    df = np.asarray((dtm.counts > 0).sum(axis=0)).ravel()
    n = dtm.counts.shape[0]
    df_rule = df_share > 0 and n >= min_documents
    found = []
    for j, term in enumerate(dtm.vocab):
        rules = []
        if term in listed:
            rules.append("list")
        if df_rule and df[j] >= df_share * n:
            rules.append("document share")
        if rules and tf[j] > 0:
            found.append(DraftingTerm(term, int(tf[j]), int(df[j]), round(df[j] / n, 4), ", ".join(rules)))
    found.sort(key=lambda t: (-t.freq, -t.df, t.term))
    return Drafting(tuple(found), int(tf.sum()), n, df_rule)


def without_terms(documents: Sequence[TokenizedDocument], words: frozenset[str]) -> Sequence[TokenizedDocument]:
    """The documents with ``words`` taken out of their sentences; a sentence left empty is dropped, with
    its paragraph and article, as segmentation drops one with no kept token. Each document is made
    when it is read (:class:`Without`): the corpus is not held a second time, less a few words."""
    if not words:
        return documents
    return Without(documents, np.asarray([n for w in words if (n := terms.number(w)) is not None], dtype=np.int32))


class Without(Sequence[TokenizedDocument]):
    """``documents`` without the terms numbered ``numbers``, a document at a time as it is read."""

    def __init__(self, documents: Sequence[TokenizedDocument], numbers: np.ndarray) -> None:
        self._documents, self._numbers = documents, numbers

    def __len__(self) -> int:
        return len(self._documents)

    @overload
    def __getitem__(self, index: int) -> TokenizedDocument: ...
    @overload
    def __getitem__(self, index: slice) -> list[TokenizedDocument]: ...
    def __getitem__(self, index: int | slice) -> TokenizedDocument | list[TokenizedDocument]:
        if isinstance(index, slice):
            return [doc.without(self._numbers) for doc in self._documents[index]]
        return self._documents[index].without(self._numbers)

    def __iter__(self) -> Iterator[TokenizedDocument]:
        return (doc.without(self._numbers) for doc in self._documents)


def without_columns(dtm: DocTermMatrix, words: frozenset[str]) -> DocTermMatrix:
    """The matrix without the columns of ``words`` (and without terms no document holds any more)."""
    keep = [j for j, t in enumerate(dtm.vocab) if t not in words]
    return DocTermMatrix(dtm.doc_ids, dtm.groups, tuple(dtm.vocab[j] for j in keep), dtm.counts[:, keep].tocsr())
