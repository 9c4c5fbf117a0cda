"""What a co-word network says: node measures, communities, and how groups' networks differ.

Node measures use the raw co-occurrence ``count`` as link strength (association measures can be
negative or unbounded, which distances and eigenvectors cannot take): degree, weighted degree
(strength), betweenness and closeness with distance ``1 / count``, eigenvector centrality, PageRank,
and the weighted clustering coefficient. Communities are Louvain's (networkx, seeded, so they are the
same on every run) on association strength, the normalisation VOSviewer clusters on, with their
modularity.
"""

from __future__ import annotations

import math

import networkx as nx

from .errors import AnalysisError

NODE_MEASURES = (
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "pagerank",
    "clustering",
    "community",
)


def annotate(graph: nx.Graph, *, seed: int) -> None:
    """Add every node measure and the community to the nodes; the modularity and the number of
    communities to the graph."""
    if graph.number_of_nodes() == 0:
        graph.graph.update(modularity=0.0, communities=0)
        return
    for _, _, data in graph.edges(data=True):
        data["distance"] = 1.0 / data["count"]
    values = {
        "degree": dict(graph.degree()),
        "weighted_degree": dict(graph.degree(weight="count")),
        "betweenness": nx.betweenness_centrality(graph, weight="distance", normalized=True, seed=seed),
        "closeness": nx.closeness_centrality(graph, distance="distance"),
        "eigenvector": _eigenvector(graph),
        "pagerank": nx.pagerank(graph, weight="count")
        if graph.number_of_edges()
        else {n: 1 / len(graph) for n in graph},
        "clustering": nx.clustering(graph, weight="count"),
    }
    for _, _, data in graph.edges(data=True):
        del data["distance"]
    # a keyword the group never uses (occurs = False) is in no community: community 0
    occurring = graph.subgraph(n for n, occurs in graph.nodes(data="occurs", default=True) if occurs)
    communities = {node: 0 for node in graph.nodes} | communities_of(occurring, seed=seed)
    for node in graph.nodes:
        data = graph.nodes[node]
        for name, by_node in values.items():
            value = by_node[node]
            data[name] = int(value) if name in ("degree", "weighted_degree") else round(float(value), 6)
        data["community"] = communities[node]
    partition = _partition({node: c for node, c in communities.items() if c})
    modularity = modularity_of(occurring, partition, weight="association_strength")
    graph.graph.update(modularity=round(modularity, 6), communities=len(partition))


def modularity_of(graph: nx.Graph, partition: list[set[str]], *, weight: str) -> float:
    """Newman's modularity ``Σ_c [L_c / m − (d_c / 2m)²]``, as networkx's ``modularity`` computes it,
    but with exactly rounded sums (``math.fsum``): networkx sums over Python sets, whose order changes
    with each process's string hashing, so its result differs in the last bits from run to run."""
    m = math.fsum(d[weight] for _, _, d in graph.edges(data=True))
    if m == 0:
        return 0.0
    community = {node: c for c, members in enumerate(partition) for node in members}
    inside: dict[int, list[float]] = {c: [] for c in range(len(partition))}
    degree: dict[int, list[float]] = {c: [] for c in range(len(partition))}
    for u, v, data in graph.edges(data=True):
        degree[community[u]].append(data[weight])
        degree[community[v]].append(data[weight])
        if community[u] == community[v]:
            inside[community[u]].append(data[weight])
    return math.fsum(math.fsum(inside[c]) / m - (math.fsum(degree[c]) / (2 * m)) ** 2 for c in inside)


def _eigenvector(graph: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality per connected component, scaled by the component's share of the nodes."""
    result = {}
    for component in nx.connected_components(graph):
        sub = graph.subgraph(component)
        if len(sub) < 3 or sub.number_of_edges() == 0:
            result.update({n: 0.0 for n in sub})
            continue
        try:
            scores = nx.eigenvector_centrality(sub, weight="count", max_iter=2000, tol=1e-9)
        except nx.PowerIterationFailedConvergence as exc:
            raise AnalysisError(
                f"eigenvector centrality did not converge on the '{graph.graph.get('name')}' network"
            ) from exc
        share = len(sub) / len(graph)
        result.update({n: s * share for n, s in scores.items()})
    return result


def communities_of(graph: nx.Graph, *, seed: int) -> dict[str, int]:
    """Louvain communities numbered 1, 2, … from the largest (ties: by their first member)."""
    if graph.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(graph.nodes), 1)}
    found = nx.community.louvain_communities(graph, weight="association_strength", seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
    return {node: number for number, members in enumerate(ordered, 1) for node in members}


def _partition(communities: dict[str, int]) -> list[set[str]]:
    groups: dict[int, set[str]] = {}
    for node, number in communities.items():
        groups.setdefault(number, set()).add(node)
    return [groups[k] for k in sorted(groups)]


def compare_groups(groups: dict[str, nx.Graph], small: frozenset[str] = frozenset()) -> nx.Graph:
    """One graph of every group's network on the shared keywords, so a single Gephi file shows which
    links each group stresses.

    Each node carries ``freq`` (all groups) and ``freq_<group>``; each edge ``count_<group>``, the
    ``rate_<group>`` (co-occurrences per 100 units of that group, so groups of different sizes
    compare), the ``strongest_group`` (highest rate) and the ``spread`` (highest rate minus lowest);
    ``weight`` is the total count. A group in ``small`` (too few documents) is never the strongest
    group: a rate per 100 units reaches 100 in a group of 10 documents on its own; the graph says
    which groups were passed over (``small_groups``).
    """
    eligible = [g for g in groups if g not in small] or list(groups)
    combined = nx.Graph(name="comparison", groups=", ".join(groups), small_groups=", ".join(sorted(small)))
    for group, graph in groups.items():
        for node, data in graph.nodes(data=True):
            if node not in combined:
                combined.add_node(node, label=node, freq=0, **{f"freq_{g}": 0 for g in groups})
            combined.nodes[node][f"freq_{group}"] = data["freq"]
            combined.nodes[node]["freq"] += data["freq"]
    for group, graph in groups.items():
        for u, v, data in graph.edges(data=True):
            if not combined.has_edge(u, v):
                combined.add_edge(u, v, **{f"count_{g}": 0 for g in groups})
            combined.edges[u, v][f"count_{group}"] = data["count"]
    units = {g: max(graph.graph.get("units", 0), 1) for g, graph in groups.items()}
    for _, _, data in combined.edges(data=True):
        rates = {g: round(100 * data[f"count_{g}"] / units[g], 4) for g in groups}
        data.update({f"rate_{g}": r for g, r in rates.items()})
        data["weight"] = sum(data[f"count_{g}"] for g in groups)
        data["strongest_group"] = min(eligible, key=lambda g: (-rates[g], g))
        data["spread"] = round(max(rates.values()) - min(rates.values()), 4)
    return combined
