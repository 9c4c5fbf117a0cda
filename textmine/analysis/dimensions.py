"""Policy dimensions: coding schemes of terms per dimension, scored per document and per group.

A scheme is a TOML file with a ``name``, a ``source`` and a ``[dimensions]`` table mapping each
dimension to its terms (textmine ships the three schemes of the reference study: the talent work
chain, the four pressures behind talent loss, and Rothwell & Zegveld's policy instruments). The
terms join the user dictionary, so they come out of segmentation whole (and pass its self-test).

A document's score on a dimension is its hits (occurrences of the dimension's terms among its
tokens) per 10,000 tokens; the document is tagged with the dimension when it has at least
``min_hits`` hits. A group's score is its hits per 10,000 of its tokens, beside the share of its
documents tagged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..config import read_toml
from ..errors import ResourceError
from .counting import TokenizedDocument


@dataclass(frozen=True)
class Scheme:
    name: str
    source: str
    dimensions: dict[str, tuple[str, ...]]
    file: str

    @property
    def terms(self) -> set[str]:
        return {t for terms in self.dimensions.values() for t in terms}


def read_scheme(path: Path) -> Scheme:
    data = read_toml(path, what="dimension scheme", error=ResourceError)
    dimensions = data.get("dimensions")
    if not isinstance(data.get("name"), str) or not isinstance(dimensions, dict) or not dimensions:
        raise ResourceError(f'{path}: a dimension scheme needs name = "…" and a [dimensions] table of term lists')
    for dimension, terms in dimensions.items():
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            raise ResourceError(f"{path}: dimension '{dimension}' must be a non-empty list of terms")
    return Scheme(
        data["name"],
        str(data.get("source", "")),
        {d: tuple(t.strip() for t in ts) for d, ts in dimensions.items()},
        str(path),
    )


@dataclass(frozen=True)
class DocumentScore:
    doc_id: str
    group: str
    scheme: str
    dimension: str
    hits: int
    per_10k: float
    tagged: bool
    matched: tuple[tuple[str, int], ...]  # the terms found, with their counts, most frequent first


@dataclass(frozen=True)
class GroupScore:
    group: str
    scheme: str
    dimension: str
    hits: int
    tokens: int
    per_10k: float
    documents: int
    doc_share: float  # share of the group's documents tagged with the dimension


def score(
    documents: Sequence[TokenizedDocument], schemes: Sequence[Scheme], *, min_hits: int = 2
) -> tuple[list[DocumentScore], list[GroupScore]]:
    """Every document's and every group's score on every dimension of every scheme."""
    doc_scores: list[DocumentScore] = []
    for doc in documents:
        counts = Counter(doc.tokens)
        tokens = sum(counts.values())
        for scheme in schemes:
            for dimension, terms in scheme.dimensions.items():
                matched = sorted(((t, counts[t]) for t in set(terms) if counts[t]), key=lambda tc: (-tc[1], tc[0]))
                hits = sum(n for _, n in matched)
                doc_scores.append(
                    DocumentScore(
                        doc.id,
                        doc.group,
                        scheme.name,
                        dimension,
                        hits,
                        round(10_000 * hits / tokens, 4) if tokens else 0.0,
                        hits >= min_hits,
                        tuple(matched),
                    )
                )
    tokens_of: Counter[str] = Counter()
    docs_of: Counter[str] = Counter()
    for doc in documents:
        tokens_of[doc.group] += doc.n_tokens
        docs_of[doc.group] += 1
    totals: dict[tuple[str, str, str], list[int]] = {}
    for s in doc_scores:
        entry = totals.setdefault((s.group, s.scheme, s.dimension), [0, 0])
        entry[0] += s.hits
        entry[1] += s.tagged
    group_scores = [
        GroupScore(
            group,
            scheme,
            dimension,
            hits,
            tokens_of[group],
            round(10_000 * hits / tokens_of[group], 4) if tokens_of[group] else 0.0,
            docs_of[group],
            round(tagged / docs_of[group], 4),
        )
        for (group, scheme, dimension), (hits, tagged) in sorted(totals.items())
    ]
    return doc_scores, group_scores
