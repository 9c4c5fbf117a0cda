"""Co-word networks, as in the reference study: keywords are nodes, and two keywords are linked by
the number of documents in which both occur.

The matrix is the binary document–term matrix of the chosen keywords transposed times itself, one
sparse product, not a loop over pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import networkx as nx
import numpy as np

from .counting import DocTermMatrix
from .errors import AnalysisError


def cooccurrence_counts(dtm: DocTermMatrix, terms: Sequence[str], *, rows: Sequence[int] | None = None) -> np.ndarray:
    """Terms × terms: the number of documents (among ``rows``) in which both terms occur.

    The diagonal holds each term's document frequency.
    """
    columns = [dtm.column(t) for t in terms]
    counts = dtm.counts if rows is None else dtm.counts[np.asarray(rows, dtype=np.int64)]
    binary = (counts[:, columns] > 0).astype(np.int64)
    return (binary.T @ binary).toarray()


def cooccurrence_network(
    dtm: DocTermMatrix,
    terms: Sequence[str],
    *,
    rows: Sequence[int] | None = None,
    min_weight: int = 1,
    name: str = "all",
) -> nx.Graph:
    """The co-word network of ``terms`` over the documents ``rows`` (all when None).

    Nodes are the terms that occur in those documents, with ``label``, ``freq`` (occurrences) and
    ``df`` (documents); edges link two terms that share at least ``min_weight`` documents, with
    ``weight`` = the number of documents shared. Node ids are the terms themselves, so the networks
    of different groups built on the same ``terms`` line up node for node.
    """
    if len(terms) < 2:
        raise AnalysisError(f"a co-word network needs at least 2 keywords; got {len(terms)}")
    if min_weight < 1:
        raise AnalysisError(f"The 'min_weight' parameter must be an int >= 1. Got {min_weight} instead.")
    co = cooccurrence_counts(dtm, terms, rows=rows)
    counts = dtm.counts if rows is None else dtm.counts[np.asarray(rows, dtype=np.int64)]
    freq = np.asarray(counts[:, [dtm.column(t) for t in terms]].sum(axis=0)).ravel()
    graph = nx.Graph(name=name, unit="document", weight="number of documents in which both keywords occur")
    for i, term in enumerate(terms):
        if freq[i] > 0:
            graph.add_node(term, label=term, freq=int(freq[i]), df=int(co[i, i]))
    for i in range(len(terms)):
        for j in range(i + 1, len(terms)):
            if co[i, j] >= min_weight:
                graph.add_edge(terms[i], terms[j], weight=int(co[i, j]))
    return graph


@dataclass(frozen=True)
class StrongestLink:
    """A row of the reference study's table: keyword | frequency | strongest associated keyword | weight."""

    keyword: str
    freq: int
    partner: str | None
    weight: int


def strongest_links(graph: nx.Graph) -> list[StrongestLink]:
    """For each node, in order of frequency, its heaviest edge (ties: the more frequent partner, then by name)."""
    rows = []
    nodes = sorted(graph.nodes, key=lambda n: (-graph.nodes[n]["freq"], n))
    for node in nodes:
        edges = [(graph.edges[node, other]["weight"], graph.nodes[other]["freq"], other) for other in graph[node]]
        if edges:
            weight, _, partner = min(edges, key=lambda e: (-e[0], -e[1], e[2]))
            rows.append(StrongestLink(node, graph.nodes[node]["freq"], partner, weight))
        else:
            rows.append(StrongestLink(node, graph.nodes[node]["freq"], None, 0))
    return rows


def edge_rows(graph: nx.Graph) -> list[tuple[str, str, int]]:
    """Edges as (source, target, weight), heaviest first, then by names; source < target."""
    edges = [(*sorted((u, v)), d["weight"]) for u, v, d in graph.edges(data=True)]
    return sorted(edges, key=lambda e: (-e[2], e[0], e[1]))
