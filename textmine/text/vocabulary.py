"""Tools for the vocabulary a study counts: new terms the dictionary lacks, synonyms worth merging,
and keywords in context.

- :func:`new_terms`: strings of 2–4 adjacent tokens that recur (frequency), hold together (their
  weakest split has a high pointwise mutual information) and stand free (many different neighbours
  on both sides: high left and right branching entropy) — the usual statistics of Chinese new-word
  discovery — and are not in the dictionary yet. Ready to paste into a user dictionary.
- :func:`synonym_candidates`: pairs of frequent terms that share their last characters (the head of a
  Chinese compound: 高层次人才 / 高端人才) and occur with the same other terms.
- :func:`concordance`: every occurrence of a term as a token (variants merged), with its context.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import numpy as np
from scipy import sparse

from ..analysis.counting import TokenizedDocument
from . import terms
from .segment import Segmenter, split_sentences


@dataclass(frozen=True)
class NewTerm:
    term: str
    tokens: str  # how the segmenter cuts it today, e.g. "人才 | 飞地"
    freq: int
    documents: int
    pmi: float  # the lowest PMI over the ways to split it in two
    left_entropy: float
    right_entropy: float
    score: float  # log2(1 + freq) × pmi × min(left, right entropy)


def new_terms(
    texts: Iterable[str],
    segmenter: Segmenter,
    *,
    min_freq: int = 5,
    min_pmi: float = 3.0,
    min_entropy: float = 1.0,
    max_tokens: int = 4,
    top: int = 100,
) -> list[NewTerm]:
    """Multi-token strings worth adding to the dictionary, best first."""
    unigrams: Counter[str] = Counter()
    grams: Counter[tuple[str, ...]] = Counter()
    documents: dict[tuple[str, ...], set[int]] = defaultdict(set)
    sentences = []
    for doc, text in enumerate(texts):
        for sentence in split_sentences(text):
            tokens = [t for t in segmenter.cut(sentence) if t.strip()]
            sentences.append(tokens)
            unigrams.update(tokens)
            for n in range(2, max_tokens + 1):
                for i in range(len(tokens) - n + 1):
                    gram = tuple(tokens[i : i + n])
                    grams[gram] += 1
                    documents[gram].add(doc)
    total = sum(unigrams.values())
    stop = segmenter.lexicon.stopwords
    candidates = {
        g: f
        for g, f in grams.items()
        if f >= min_freq and _plausible(g, stop) and not segmenter.engine.has_word("".join(g))
    }
    left: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    right: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for tokens in sentences:
        for n in range(2, max_tokens + 1):
            for i in range(len(tokens) - n + 1):
                gram = tuple(tokens[i : i + n])
                if gram in candidates:
                    left[gram][tokens[i - 1] if i > 0 else "<s>"] += 1
                    right[gram][tokens[i + n] if i + n < len(tokens) else "</s>"] += 1
    found = []
    for gram, freq in candidates.items():
        pmi = min(_pmi(gram[:k], gram[k:], freq, unigrams, grams, total) for k in range(1, len(gram)))
        lh, rh = _entropy(left[gram]), _entropy(right[gram])
        if pmi >= min_pmi and min(lh, rh) >= min_entropy:
            score = math.log2(1 + freq) * pmi * min(lh, rh)
            found.append(
                NewTerm(
                    "".join(gram),
                    " | ".join(gram),
                    freq,
                    len(documents[gram]),
                    round(pmi, 3),
                    round(lh, 3),
                    round(rh, 3),
                    round(score, 3),
                )
            )
    found.sort(key=lambda t: (-t.score, t.term))
    # a candidate inside a better-scored one (人才 飞地 inside 人才 飞地 建设) is listed once, as the better one
    kept: list[NewTerm] = []
    for term in found:
        if not any(term.term in better.term or better.term in term.term for better in kept):
            kept.append(term)
        if len(kept) == top:
            break
    return kept


def _plausible(gram: tuple[str, ...], stop: frozenset[str]) -> bool:
    text = "".join(gram)
    if not 2 <= len(text) <= 10 or not all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in gram):
        return False
    return gram[0] not in stop and gram[-1] not in stop and len(gram[0]) + len(gram[-1]) > 2


def _count(part: tuple[str, ...], unigrams: Counter[str], grams: Counter[tuple[str, ...]]) -> int:
    return unigrams[part[0]] if len(part) == 1 else grams[part]


def _pmi(
    a: tuple[str, ...],
    b: tuple[str, ...],
    joint: int,
    unigrams: Counter[str],
    grams: Counter[tuple[str, ...]],
    total: int,
) -> float:
    return math.log2(joint * total / (_count(a, unigrams, grams) * _count(b, unigrams, grams)))


def _entropy(neighbours: Counter[str]) -> float:
    n = sum(neighbours.values())
    return -sum(c / n * math.log2(c / n) for c in neighbours.values()) if n else 0.0


@dataclass(frozen=True)
class SynonymCandidate:
    term: str
    other: str
    head: str  # the characters both end with
    cosine: float  # similarity of the two terms' co-occurrence profiles
    freq: int
    other_freq: int


def synonym_candidates(
    documents: Sequence[TokenizedDocument],
    *,
    top_terms: int = 500,
    contexts: int = 3000,
    min_cosine: float = 0.5,
    head_chars: int = 2,
    known: dict[str, str] | None = None,
) -> list[SynonymCandidate]:
    """Pairs among the ``top_terms`` most frequent terms that end with the same ``head_chars`` characters,
    both with a modifier before that head (so 高层次人才 / 高端人才, not 人才 / 高端人才, a broader term),
    whose sentence contexts are alike: the cosine of their PPMI-weighted co-occurrence with the
    ``contexts`` most frequent terms is at least ``min_cosine``. Pairs ``known`` synonyms merge are left out."""
    freq = _frequencies(documents)
    used = np.flatnonzero(freq)
    ranked = [i for _, _, i in sorted(zip((-freq[used]).tolist(), terms.strings(used), used.tolist(), strict=True))]
    if len(ranked) < 2:
        return []
    term_ids, context_ids = ranked[:top_terms], ranked[:contexts]
    co, occurrences, n_sentences = _sentence_cooccurrence(documents, term_ids, context_ids)
    expected = np.outer(occurrences[: len(term_ids)], occurrences) / max(n_sentences, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ppmi = np.where(co > 0, np.maximum(np.log2(co / expected), 0.0), 0.0)
    words = terms.strings(np.array(term_ids))
    freq_of = dict(zip(words, freq[term_ids].tolist(), strict=True))
    by_head: dict[str, list[int]] = defaultdict(list)
    for i, term in enumerate(words):
        if len(term) > head_chars:
            by_head[term[-head_chars:]].append(i)
    known = known or {}
    found = []
    for head, members in by_head.items():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                a, b = words[i], words[j]
                if known.get(a) == b or known.get(b) == a:
                    continue
                mask = np.ones(len(context_ids), dtype=bool)
                mask[[i, j]] = False  # the pair's own co-occurrence says nothing about shared contexts
                u, v = ppmi[i][mask], ppmi[j][mask]
                norm = np.linalg.norm(u) * np.linalg.norm(v)
                cosine = float(u @ v / norm) if norm else 0.0
                if cosine >= min_cosine:
                    found.append(SynonymCandidate(a, b, head, round(cosine, 4), freq_of[a], freq_of[b]))
    return sorted(found, key=lambda c: (-c.cosine, c.term, c.other))


def _frequencies(documents: Sequence[TokenizedDocument]) -> np.ndarray:
    """Each term's frequency over ``documents``, by term number (:mod:`textmine.text.terms`)."""
    freq = np.zeros(terms.size(), dtype=np.int64)
    for batch in _batches(documents):
        freq += np.bincount(np.concatenate([d.ids for d in batch]), minlength=len(freq))
    return freq


def _sentence_cooccurrence(
    documents: Sequence[TokenizedDocument], term_ids: list[int], context_ids: list[int]
) -> tuple[np.ndarray, np.ndarray, int]:
    """In how many sentences each term of ``term_ids`` meets each of ``context_ids`` (terms ×
    contexts), in how many sentences each context term stands, and how many sentences there are.
    Summed a batch of documents at a time: what it holds grows with the contexts, not the corpus."""
    column = np.full(terms.size(), -1, dtype=np.int64)
    column[context_ids] = np.arange(len(context_ids))
    width = len(context_ids)
    co = np.zeros((len(term_ids), width))
    occurrences = np.zeros(width)
    n_sentences = 0
    for batch in _batches(documents):
        rows, cols, sentences = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], 0
        for d in batch:
            sentence = np.repeat(np.arange(len(d.ends)), np.diff(d.ends, prepend=0)) + sentences
            found = column[d.ids]
            rows.append(sentence[found >= 0])
            cols.append(found[found >= 0])
            sentences += len(d.ends)
        pairs = np.unique(np.concatenate(rows) * width + np.concatenate(cols))  # each term once a sentence
        binary = sparse.csr_matrix(
            (np.ones(len(pairs)), (pairs // width, pairs % width)), shape=(sentences, width)
        )  # sentences × contexts: does the sentence hold the term
        co += (binary[:, : len(term_ids)].T @ binary).toarray()
        occurrences += np.asarray(binary.sum(axis=0)).ravel()
        n_sentences += sentences
    return co, occurrences, n_sentences


def _batches(documents: Sequence[TokenizedDocument], tokens: int = 1 << 20) -> Iterator[list[TokenizedDocument]]:
    """The documents in runs of about ``tokens`` tokens."""
    batch, held = [], 0
    for d in documents:
        batch.append(d := d.loaded())
        held += len(d.ids)
        if held >= tokens:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


@dataclass(frozen=True)
class Concordance:
    doc_id: str
    group: str
    year: int | None
    left: str
    match: str
    right: str


def concordance(
    documents: Sequence[tuple[str, str, int | None, str]], term: str, segmenter: Segmenter, *, width: int = 20
) -> list[Concordance]:
    """Every occurrence of ``term`` as a token, or as a variant merged into it, in ``(id, group, year,
    text)`` documents, with ``width`` characters of the same paragraph on each side."""
    synonyms = segmenter.lexicon.synonyms
    lines = []
    for doc_id, group, year, text in documents:
        for paragraph in text.split("\n"):
            if not any(variant in paragraph for variant in [term, *(v for v, c in synonyms.items() if c == term)]):
                continue
            position = 0
            for token in segmenter.cut(paragraph):
                if synonyms.get(token, token) == term:
                    end = position + len(token)
                    lines.append(
                        Concordance(
                            doc_id,
                            group,
                            year,
                            paragraph[max(0, position - width) : position],
                            token,
                            paragraph[end : end + width],
                        )
                    )
                position += len(token)
    return lines
