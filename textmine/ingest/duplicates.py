"""Duplicate documents: the same text twice (exact) or nearly (a repost with another header).

Exact duplicates share the hash of their text with all whitespace removed. Near-duplicates are
found with MinHash over character 5-grams (datasketch) and locality-sensitive hashing (datasketch's
bands, the candidates found by sorting each band's values with NumPy), then confirmed with the exact Jaccard similarity of their 5-gram sets, so the threshold means what it
says. The 5-grams reach MinHash as 32-bit polynomial hashes computed with NumPy over the text's
code points, not as strings hashed one by one with SHA-1 (datasketch's default, 14 s a run on
four-cities); a collision of two 5-grams' hashes can only make a candidate, never a finding. Documents linked directly or through others form a cluster; the cluster's first document by
id is kept, the others are reported and, unless configured otherwise, left out of the analysis.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import networkx as nx
import numpy as np

from .text_spool import Subset

_SPACE = re.compile(r"\s+")
SHINGLE = 5
CANDIDATE_MARGIN = 0.1
PERMUTATIONS = 128  # of each MinHash signature


@dataclass(frozen=True)
class DuplicateCluster:
    kept: str
    dropped: tuple[str, ...]
    kind: str  # "exact" when every member has the same text, else "near"
    similarity: float  # the lowest confirmed Jaccard similarity inside the cluster


def _shingles(text: str) -> set[str]:
    compact = _SPACE.sub("", text)
    return {compact[i : i + SHINGLE] for i in range(max(len(compact) - SHINGLE + 1, 1))}


_MULTIPLIER = np.uint64(1_000_003)  # the polynomial's base: above every code point
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top 32 bits of the product are well spread


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 32-bit hashes of the text's character 5-grams (whitespace removed), sorted: each
    5-gram's code points as a polynomial modulo 2^64, multiplied by a golden-ratio constant and its
    top 32 bits kept. A text shorter than a 5-gram is one shingle, as in :func:`_shingles`."""
    points = np.frombuffer(_SPACE.sub("", text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = max(len(points) - SHINGLE + 1, 1)
    values = np.zeros(count, dtype=np.uint64)
    for offset in range(min(SHINGLE, len(points))):
        values = values * _MULTIPLIER + points[offset : offset + count]
    return np.unique((values * _MIX) >> np.uint64(32))


def jaccard(a: str, b: str) -> float:
    x, y = _shingles(a), _shingles(b)
    return len(x & y) / len(x | y) if x or y else 1.0


def signatures(
    texts: Mapping[str, str],
    *,
    num_perm: int = PERMUTATIONS,
    seed: int = 1,
    known: Mapping[str, np.ndarray] | None = None,
) -> dict[str, Any]:
    """Each text's MinHash signature (datasketch) of its 5-gram hashes, by id: made once, for both
    the versions and the duplicates of a corpus. The permutations are drawn once for all texts (the
    same as each signature draws from ``seed``), and each signature is kept lean: its hash values
    alone, 0.75 KB a document instead of 2 KB. ``known``: the hash values of some of the texts'
    signatures, made before with the same ``num_perm`` and ``seed`` (by id); those texts are not read."""
    from datasketch import LeanMinHash, MinHash

    first = MinHash(num_perm=num_perm, seed=seed, hashfunc=int)
    known = known or {}
    found = {}
    for doc_id in texts:
        if doc_id in known:
            found[doc_id] = LeanMinHash(seed=seed, hashvalues=known[doc_id], scheme=first.scheme)
            continue
        signature = MinHash(
            num_perm=num_perm, seed=seed, hashfunc=int, permutations=first.permutations, scheme=first.scheme
        )
        signature.update_batch(shingle_hashes(texts[doc_id]).tolist())
        found[doc_id] = LeanMinHash(signature)
    return found


def similar_pairs(
    texts: Mapping[str, str],
    *,
    threshold: float,
    num_perm: int = PERMUTATIONS,
    seed: int = 1,
    signed: dict[str, Any] | None = None,
) -> dict[frozenset[str], float]:
    """The pairs of ``texts`` (id -> text) whose character 5-gram Jaccard similarity is at least
    ``threshold``: candidates from MinHash LSH, each confirmed with the exact Jaccard similarity.
    ``signed``: the texts' :func:`signatures` (of ``num_perm`` and ``seed``), if made already."""
    from datasketch import MinHashLSH

    signed = signed if signed is not None else signatures(texts, num_perm=num_perm, seed=seed)
    # candidates from a threshold 0.1 lower: a pair just above ``threshold`` is otherwise missed about
    # half the time (LSH's curve is steep, not a step), and every candidate is confirmed exactly anyway
    lsh = MinHashLSH(threshold=max(threshold - CANDIDATE_MARGIN, 0.05), num_perm=num_perm)  # its bands alone
    ids = sorted(texts)
    matrix = np.array([signed[doc_id].hashvalues for doc_id in ids], dtype=np.uint64).reshape(len(ids), num_perm)
    found = {}
    for later, earlier in candidates(matrix, bands=lsh.b, rows=lsh.r):
        score = jaccard(texts[ids[later]], texts[ids[earlier]])
        if score >= threshold:
            found[frozenset((ids[earlier], ids[later]))] = score
    return found


def candidates(matrix: np.ndarray, *, bands: int, rows: int) -> np.ndarray:
    """LSH's candidate pairs among the signatures ``matrix`` (documents × hash values): the pairs of
    documents whose hash values agree on the ``rows`` values of one of the ``bands`` bands at least,
    as datasketch's ``MinHashLSH`` of those bands finds them, each pair once, as rows ``(later,
    earlier)`` sorted by the later document, then the earlier (the order in which inserting the
    documents one by one and querying each before it is inserted meets them).

    Each band's values are sorted as one byte string per document, and the runs of equal ones give
    the pairs: a few bytes a document at a time, where ``MinHashLSH`` keeps a set and a key per band
    and document (3.1 KB a document at 128 permutations and 9 bands, measured on 20,000)."""
    n = len(matrix)
    keys = []
    for band in range(bands):
        values = np.ascontiguousarray(matrix[:, band * rows : (band + 1) * rows])
        strings = values.view(np.dtype((np.void, values.itemsize * rows))).ravel()
        order = np.argsort(strings, kind="stable")
        ranked = strings[order]
        starts = np.flatnonzero(np.concatenate([[True], ranked[1:] != ranked[:-1]]))
        sizes = np.diff(np.append(starts, n))
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
            members = np.sort(order[start : start + size]).astype(np.int64)
            first, second = np.triu_indices(size, 1)
            keys.append(members[second] * n + members[first])
    if not keys:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.unique(np.concatenate(keys))
    return np.stack([pairs // n, pairs % n], axis=1)


def find_duplicates(
    documents: Sequence[tuple[str, str]] | Mapping[str, str],
    *,
    threshold: float = 0.9,
    num_perm: int = PERMUTATIONS,
    seed: int = 1,
    signed: dict[str, Any] | None = None,
) -> list[DuplicateCluster]:
    """Clusters of duplicate documents among ``(id, text)`` pairs (or a mapping of id to text, read
    as each text is needed), in order of their kept id (``signed``: their :func:`signatures`, if
    made already)."""
    texts = documents if isinstance(documents, Mapping) else dict(documents)
    links = nx.Graph()
    links.add_nodes_from(sorted(texts))
    by_hash: dict[str, str] = {}
    similarity: dict[frozenset[str], float] = {}
    for doc_id in sorted(texts):  # one text at a time: a run's texts are read back from disk as asked for
        digest = hashlib.sha256(_SPACE.sub("", texts[doc_id]).encode("utf-8")).hexdigest()
        if digest in by_hash:
            links.add_edge(by_hash[digest], doc_id)
            similarity[frozenset((by_hash[digest], doc_id))] = 1.0
        else:
            by_hash[digest] = doc_id
    for pair, score in similar_pairs(
        Subset(texts, list(by_hash.values())), threshold=threshold, num_perm=num_perm, seed=seed, signed=signed
    ).items():
        links.add_edge(*sorted(pair))
        similarity[pair] = score
    # each cluster is kept as its first document by id
    members = {group[0]: group for group in (sorted(c) for c in nx.connected_components(links))}
    clusters = []
    for kept, group in sorted(members.items()):
        if len(group) < 2:
            continue
        scores = [s for pair, s in similarity.items() if pair <= set(group)]
        low = min(scores)
        clusters.append(
            DuplicateCluster(
                kept, tuple(d for d in group if d != kept), "exact" if low == 1.0 else "near", round(low, 4)
            )
        )
    return clusters
