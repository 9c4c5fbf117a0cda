"""Versions of one policy: a regulation and its revision are not two independent documents.

A corpus of local regulations holds many a regulation twice, as first adopted and as revised
(上海市检验检测条例 of 2016 and of 2024), under the same title and with most of the text in common.
Counted as two documents, such a pair doubles its vocabulary's weight in its group and makes one
policy look like two. Two documents are versions of one policy when

- their titles are the same once normalised (spaces, quotes and book-title marks, bracketed notes
  such as （2021年修订） or (2010-12-23), and the words 修订/修正/草案 removed), and the title is
  specific (at least 8 characters: no "通知" alone); or
- their texts are near-identical above ``corpus.version_threshold`` (character 5-gram Jaccard,
  lower than the duplicates' threshold: a revision rewrites some articles).

Documents linked directly or through others form a cluster. Each version is dated by the latest
adoption or issue date its text states (the ``issued`` metadata, e.g. "2024年12月31日 …会议通过"),
else its year; ``corpus.versions`` keeps the latest version (default), the earliest, or all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence

import networkx as nx

from .duplicates import similar_pairs

_TITLE_NOISE = re.compile(r"[\s《》〈〉“”\"'‘’「」]|[（(【\[][^）)】\]]*[）)】\]]|修订|修正|草案|征求意见稿")
MIN_TITLE = 8


@dataclass(frozen=True)
class Version:
    """What deciding between versions needs of a document."""

    id: str
    title: str
    date: str  # sortable: YYYY-MM-DD, or YYYY, or "" when unknown
    text: str = ""  # or given to find_versions in ``texts``


@dataclass(frozen=True)
class VersionCluster:
    kept: str
    members: tuple[str, ...]  # every version, oldest first (ties by id)
    dates: tuple[str, ...]  # their dates, in the same order
    basis: str  # "same title", "similar text (Jaccard 0.71)" or both

    @property
    def dropped(self) -> tuple[str, ...]:
        return tuple(m for m in self.members if m != self.kept)


def normalise_title(title: str) -> str:
    return _TITLE_NOISE.sub("", title)


def find_versions(
    documents: Sequence[Version],
    *,
    threshold: float = 0.7,
    keep: Literal["latest", "earliest", "all"] = "latest",
    seed: int = 1,
    signed: dict[str, Any] | None = None,
    texts: Mapping[str, str] | None = None,
) -> list[VersionCluster]:
    """Clusters of versions of one policy among ``documents``, in the order of their first member
    (``signed``: the texts' MinHash signatures of ``seed``, if made already; ``texts``: the texts
    by id, read as they are needed, in place of each version's own ``text``)."""
    graph = nx.Graph()
    graph.add_nodes_from(d.id for d in documents)
    basis: dict[frozenset[str], set[str]] = {}
    by_title: dict[str, list[str]] = {}
    for d in documents:
        title = normalise_title(d.title)
        if len(title) >= MIN_TITLE:
            by_title.setdefault(title, []).append(d.id)
    for ids in by_title.values():
        for other in ids[1:]:
            graph.add_edge(ids[0], other)
            basis.setdefault(frozenset((ids[0], other)), set()).add("same title")
    for pair, score in similar_pairs(
        texts if texts is not None else {d.id: d.text for d in documents},
        threshold=threshold,
        seed=seed,
        signed=signed,
    ).items():
        graph.add_edge(*sorted(pair))
        basis.setdefault(pair, set()).add(f"similar text (Jaccard {score:.2f})")
    dates = {d.id: d.date for d in documents}
    clusters = []
    for component in nx.connected_components(graph):
        if len(component) < 2:
            continue
        members = tuple(sorted(component, key=lambda m: (dates[m], m)))
        kept = members[0] if keep == "earliest" else members[-1]
        reasons = sorted({r for pair, rs in basis.items() if pair <= component for r in rs})
        clusters.append(VersionCluster(kept, members, tuple(dates[m] for m in members), "; ".join(reasons)))
    return sorted(clusters, key=lambda c: min(c.members))
