"""Co-word networks: keywords are nodes; two keywords are linked by how often they occur together.

**Units.** Two keywords co-occur when they stand in the same unit: the document (the reference
study's choice), the paragraph, the sentence, the article (条; the text before the first 条 is a unit
of its own), or a window of ``window`` consecutive tokens inside a sentence. **Counting.** Binary: a
pair counts once per unit in which both occur (and a term's frequency is the number of units holding
it). Full: every pair of occurrences counts, ``n_i × n_j`` per unit (a window counts each pair of
tokens less than ``window`` apart). Either way the counts are one sparse product of the
unit–term matrix with itself, not a loop over pairs.

**Measures** beside the raw count ``c_ij``, with ``s_i`` the diagonal (units holding term ``i``, or
its occurrences under full counting) and ``N`` the number of units:

- Jaccard ``c / (s_i + s_j − c)``; cosine (Salton) ``c / sqrt(s_i s_j)``; inclusion ``c / min(s_i, s_j)``
- association strength ``N c / (s_i s_j)`` (van Eck & Waltman 2009's formula, with ``s_i`` the units
  holding term ``i``): observed over expected co-occurrence, 1 = independence. VOSviewer computes its
  own association strength from total link strengths (Waltman, van Eck & Noyons 2010), so the
  VOSviewer files carry the raw counts for it to normalise, not this measure
- PMI ``log2(N c / (s_i s_j))``; NPMI ``PMI / −log2(c / N)``, in [−1, 1]

Pure computation; writing the networks is :mod:`textmine.output.network_export`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

import networkx as nx
import numpy as np
from scipy import sparse

from ..errors import AnalysisError
from .counting import DocTermMatrix, TokenizedDocument

Unit = Literal["document", "paragraph", "sentence", "article", "window"]
Counting = Literal["binary", "full"]
MEASURES = ("count", "jaccard", "cosine", "inclusion", "association_strength", "pmi", "npmi")


@dataclass(frozen=True)
class Cooccurrence:
    """Terms × terms co-occurrence counts, with the diagonal ``s_i`` and the number of units."""

    terms: tuple[str, ...]
    counts: np.ndarray
    n_units: int
    unit: str
    counting: str

    def measure(self, name: str) -> np.ndarray:
        """The association ``name`` for every pair (the diagonal is meaningless and left at 0); NaN
        where it is undefined (NPMI of a pair found in every unit), never a 0 that reads "independent"."""
        c = self.counts.astype(float)
        s = np.diag(c).copy()
        si, sj = s[:, None], s[None, :]
        n = float(self.n_units)
        with np.errstate(divide="ignore", invalid="ignore"):
            if name == "count":
                values = c
            elif name == "jaccard":
                values = c / (si + sj - c)
            elif name == "cosine":
                values = c / np.sqrt(si * sj)
            elif name == "inclusion":
                values = c / np.minimum(si, sj)
            elif name == "association_strength":
                values = n * c / (si * sj)
            elif name == "pmi":
                values = np.log2(n * c / (si * sj))
            elif name == "npmi":
                values = np.log2(n * c / (si * sj)) / -np.log2(c / n)
            else:
                raise AnalysisError(f"The 'measure' must be one of {', '.join(MEASURES)}. Got {name!r} instead.")
        values = np.nan_to_num(np.where(c > 0, values, 0.0), nan=0.0, posinf=0.0, neginf=0.0)
        if name == "npmi":  # a pair in every unit: PMI and −log2 p(i, j) are both 0, NPMI 0/0 is undefined
            values[(c > 0) & (c >= n)] = np.nan
        np.fill_diagonal(values, 0.0)
        return values


def unit_term_matrix(documents: Sequence[TokenizedDocument], terms: Sequence[str], unit: Unit) -> sparse.csr_matrix:
    """Occurrences of ``terms`` in each unit (rows), for the document, paragraph, sentence or article unit."""
    column = {t: j for j, t in enumerate(terms)}
    rows, cols, values = [], [], []
    n_units = 0
    for doc in documents:
        doc = doc.loaded()
        keys = _unit_keys(doc, unit)
        index: dict[object, int] = {}
        counts: dict[tuple[int, int], int] = {}
        for key, sentence in zip(keys, doc.sentences, strict=True):
            row = index.setdefault(key, n_units + len(index))
            for token in sentence:
                j = column.get(token)
                if j is not None:
                    counts[(row, j)] = counts.get((row, j), 0) + 1
        n_units += len(index)
        for (row, j), n in counts.items():
            rows.append(row)
            cols.append(j)
            values.append(n)
    return sparse.csr_matrix((values, (rows, cols)), shape=(n_units, len(terms)), dtype=np.int64)


def _unit_keys(doc: TokenizedDocument, unit: Unit) -> list[object]:
    if unit == "document":
        return [0] * len(doc.sentences)
    if unit == "sentence":
        return list(range(len(doc.sentences)))
    structure = doc.paragraphs if unit == "paragraph" else doc.articles
    if structure is None:
        raise AnalysisError(f"the '{unit}' unit needs the paragraph and article of each sentence (segment again)")
    return list(structure)


def cooccurrence(
    documents: Sequence[TokenizedDocument],
    terms: Sequence[str],
    *,
    unit: Unit = "document",
    counting: Counting = "binary",
    window: int = 5,
    dtm: DocTermMatrix | None = None,
) -> Cooccurrence:
    """Count how often each pair of ``terms`` co-occurs in ``documents``. For the document unit, a
    document–term matrix of the same documents (``dtm``) saves walking every token again."""
    if unit == "window":
        counts, n_units = _window_counts(documents, terms, window, counting)
        return Cooccurrence(tuple(terms), counts, n_units, f"window of {window} tokens", counting)
    if unit == "document" and dtm is not None:
        if dtm.doc_ids != tuple(d.id for d in documents):
            raise AnalysisError("the document-term matrix given does not hold the same documents")
        matrix = dtm.counts[:, [dtm.column(t) for t in terms]]
    else:
        matrix = unit_term_matrix(documents, terms, unit)
    occurrences = np.asarray(matrix.sum(axis=0)).ravel()
    # int64 either way: a product of counts summed over the units can pass what int32 holds
    matrix = (matrix > 0).astype(np.int64) if counting == "binary" else matrix.astype(np.int64)
    counts = (matrix.T @ matrix).toarray()
    if counting == "full":  # the diagonal of a product of counts is a sum of squares: use the occurrences
        np.fill_diagonal(counts, occurrences)
    return Cooccurrence(tuple(terms), counts, matrix.shape[0], unit, counting)


def _window_counts(
    documents: Sequence[TokenizedDocument], terms: Sequence[str], window: int, counting: Counting
) -> tuple[np.ndarray, int]:
    """Pairs of tokens fewer than ``window`` positions apart in a sentence. Binary: each window (the
    ``window`` tokens starting at each position) counts a pair once; full: every pair of positions."""
    if window < 2:
        raise AnalysisError(f"The 'window' parameter must be an int >= 2. Got {window} instead.")
    column = {t: j for j, t in enumerate(terms)}
    counts = np.zeros((len(terms), len(terms)), dtype=np.int64)
    n_units = 0
    for doc in documents:
        for sentence in doc.sentences:
            ids = [column.get(t) for t in sentence]
            if counting == "full":
                for i, a in enumerate(ids):
                    if a is None:
                        continue
                    counts[a, a] += 1
                    for b in ids[i + 1 : i + window]:
                        if b is not None and b != a:
                            counts[a, b] += 1
                            counts[b, a] += 1
                n_units += len(ids)
            else:
                for start in range(max(len(ids) - window + 1, 1)):
                    present = sorted({x for x in ids[start : start + window] if x is not None})
                    for x, a in enumerate(present):
                        counts[a, a] += 1
                        for b in present[x + 1 :]:
                            counts[a, b] += 1
                            counts[b, a] += 1
                    n_units += 1
    return counts, n_units


BACKBONES = ("disparity", "top_k", "none")


def disparity(weights: np.ndarray) -> np.ndarray:
    """The disparity filter's significance of every edge (Serrano, Boguñá & Vespignani 2009, PNAS 106:6483).

    For node ``i`` with ``k_i`` edges and strength ``s_i = Σ_j w_ij``, an edge's share ``p_ij = w_ij / s_i``
    is tested against the null that the node's strength is spread uniformly at random over its edges:
    ``α_ij = (1 − p_ij)^(k_i − 1)``, the probability of a share at least as large. A node with one edge
    says nothing (``α = 1`` from its side). An edge's ``α`` is the smaller of its two ends' (it is kept
    when significant for either). ``weights``: symmetric, non-negative, 0 where there is no edge; the
    result is 1 where there is none.
    """
    w = np.where(np.isfinite(weights) & (weights > 0), weights, 0.0)
    k = (w > 0).sum(axis=1)
    s = w.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(s[:, None] > 0, w / s[:, None], 0.0)
    alpha = np.where((w > 0) & (k[:, None] > 1), (1.0 - share) ** (k[:, None] - 1), 1.0)
    return np.minimum(alpha, alpha.T)


def build_network(
    co: Cooccurrence,
    *,
    freq: dict[str, int],
    measure: str = "association_strength",
    min_weight: int = 1,
    backbone: str = "disparity",
    alpha: float = 0.05,
    top_k: int = 3,
    name: str = "all",
) -> nx.Graph:
    """The network of a co-occurrence matrix, with its backbone marked.

    Nodes: every term, with ``label``, ``freq`` (occurrences), ``units`` (units holding it) and
    ``occurs`` (False for a term no unit holds, which has no edge). Edges: every pair with a raw count
    of at least ``min_weight``; each carries ``count`` and every measure, ``weight`` (the chosen
    ``measure``), ``disparity`` (its disparity-filter α on that measure) and ``backbone`` (1 or 0).

    The backbone is what the analysis reads (communities, centralities, pictures): a count network
    of frequent keywords links nearly every pair, and its counts mostly repeat how common each term
    is. ``backbone = "disparity"``: edges whose α is below ``alpha`` (see :func:`disparity`);
    ``"top_k"``: edges among the ``top_k`` strongest (by the measure) of at least one of their ends;
    ``"none"``: every edge. Only edges of positive weight can be in it (a PMI below 0 says the pair
    co-occurs less than chance).
    """
    if min_weight < 1:
        raise AnalysisError(f"The 'min_weight' parameter must be an int >= 1. Got {min_weight} instead.")
    if backbone not in BACKBONES:
        raise AnalysisError(f"The 'backbone' must be one of {', '.join(BACKBONES)}. Got {backbone!r} instead.")
    values = {m: co.measure(m) for m in MEASURES}
    strength = values[measure] if measure in values else co.measure(measure)
    present = [i for i, _ in enumerate(co.terms) if co.counts[i, i] > 0]
    keep = (co.counts >= min_weight) & (co.counts > 0)
    np.fill_diagonal(keep, False)
    undefined = keep & np.isnan(strength)  # no weight to draw an edge with: left out, and counted
    keep &= ~undefined
    positive = np.where(keep & (strength > 0), strength, 0.0)
    alphas = disparity(positive)
    if backbone == "disparity":
        spine = (positive > 0) & (alphas < alpha)
    elif backbone == "top_k":
        best = np.zeros_like(keep)
        for i in present:
            order = sorted(np.flatnonzero(positive[i] > 0), key=lambda j: (-positive[i, j], co.terms[j]))[:top_k]
            best[i, order] = True
        spine = best | best.T
    else:
        spine = positive > 0
    graph = nx.Graph(
        name=name,
        unit=co.unit,
        counting=co.counting,
        units=co.n_units,
        measure=measure,
        min_weight=min_weight,
        backbone=backbone,
        alpha=alpha,
        top_k=top_k,
        undefined_weights=int(undefined.sum() // 2),
    )
    # every keyword is a node, in every group's network too: the files of the groups overlay in Gephi
    # node for node; a keyword the group's units never hold is kept with occurs = False and no edge
    for i, term in enumerate(co.terms):
        units = int(co.counts[i, i])
        graph.add_node(term, label=term, freq=int(freq.get(term, 0)), units=units, occurs=units > 0)
    for i in present:
        for j in np.flatnonzero(keep[i]):
            if j > i:
                attrs = {
                    m: (int(values[m][i, j]) if m == "count" else round(float(values[m][i, j]), 6))
                    for m in MEASURES
                    if not np.isnan(values[m][i, j])  # an undefined measure is absent, shown empty
                }
                graph.add_edge(
                    co.terms[i],
                    co.terms[j],
                    weight=attrs[measure],
                    disparity=round(float(alphas[i, j]), 6),
                    backbone=int(spine[i, j]),
                    **attrs,
                )
    return graph


def backbone_of(graph: nx.Graph, nodes: Sequence[str] | None = None) -> nx.Graph:
    """A new graph of ``graph``'s backbone links among ``nodes`` (default: every node, each kept even
    when left with no link), built in a fixed order — nodes as given, links sorted with their ends
    sorted — so that what is computed or drawn from it never depends on set or hash order (a
    networkx subgraph view iterates a set of its nodes)."""
    chosen = list(graph.nodes if nodes is None else nodes)
    inside = set(chosen)
    spine = nx.Graph(**graph.graph)
    spine.add_nodes_from((n, graph.nodes[n]) for n in chosen)
    links = sorted(
        (*sorted((u, v)), d)
        for u, v, d in graph.edges(data=True)
        if d.get("backbone", 1) and u in inside and v in inside
    )
    spine.add_edges_from(links)
    return spine


@dataclass(frozen=True)
class StrongestLink:
    """A row of the reference study's table — keyword | frequency | strongest associated keyword |
    weight (the co-occurrence count) — and the strongest partner by the association measure."""

    keyword: str
    freq: int
    partner: str | None  # by count
    weight: float  # the count
    associated: str | None  # by the network's measure
    association: float | None


def strongest_links(graph: nx.Graph) -> list[StrongestLink]:
    """For each node, in order of frequency, its heaviest edge by count (the reference study's column)
    and by the network's measure. Ties: the more frequent partner, then by name."""
    rows = []
    for node in sorted(graph.nodes, key=lambda n: (-graph.nodes[n]["freq"], n)):
        freq = graph.nodes[node]["freq"]
        by_count = _strongest(graph, node, "count")
        by_measure = _strongest(graph, node, "weight")
        rows.append(
            StrongestLink(
                node,
                freq,
                by_count[0] if by_count else None,
                by_count[1] if by_count else 0,
                by_measure[0] if by_measure else None,
                by_measure[1] if by_measure else None,
            )
        )
    return rows


def _strongest(graph: nx.Graph, node: str, key: str) -> tuple[str, float] | None:
    edges = [(graph.edges[node, other][key], graph.nodes[other]["freq"], other) for other in graph[node]]
    if not edges:
        return None
    weight, _, partner = min(edges, key=lambda e: (-e[0], -e[1], e[2]))
    return partner, weight


def edge_rows(graph: nx.Graph) -> list[tuple[str, str, float]]:
    """Edges as (source, target, weight), heaviest first, then by names; source < target."""
    edges = [(*sorted((u, v)), d["weight"]) for u, v, d in graph.edges(data=True)]
    return sorted(edges, key=lambda e: (-e[2], e[0], e[1]))
