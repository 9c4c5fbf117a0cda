"""What a co-word network says: node measures, communities, whether they are real, and how groups'
networks differ.

Everything is read on the network's backbone (:func:`textmine.analysis.network.build_network`): the count
network of frequent keywords links nearly every pair, and on a complete graph every degree is the
same and no partition beats chance. Node measures use the raw co-occurrence ``count`` of the backbone's
links as their strength (association measures can be negative or unbounded, which distances and
eigenvectors cannot take): degree, weighted degree (strength), betweenness and closeness with distance
``1 / count``, eigenvector centrality, PageRank, and the weighted clustering coefficient. Communities
are Louvain's (networkx, seeded, so they are the same on every run) on the backbone weighted by the
network's measure (association strength by default), with their modularity.

**Are the communities real?** Modularity is compared with its value on ``null_draws`` randomised
networks: the backbone rewired by degree-preserving double edge swaps (Maslov & Sneppen 2002; a Markov chain of
swaps, as many as the graph allows — none in a complete graph) with its weights shuffled over the rewired edges,
then partitioned by the same Louvain. The graph carries the null's mean and standard deviation and
the permutation p-value ``(1 + #{null Q ≥ Q}) / (1 + draws)`` (Phipson & Smyth 2010). The density
of the whole network and of its backbone say whether a picture of it can be read at all.
"""

from __future__ import annotations

import math
import random
import statistics

import networkx as nx
import numpy as np

from .network import backbone_of

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


def annotate(graph: nx.Graph, *, seed: int, null_draws: int = 0) -> None:
    """Add every node measure (on the backbone) and the community to the nodes; the modularity, the
    number of communities, its null baseline (``null_draws`` randomisations) and the densities to the graph."""
    occurring = [n for n, occurs in graph.nodes(data="occurs", default=True) if occurs]
    graph.graph.update(density=round(_density(graph, occurring), 6))
    spine = backbone_of(graph)
    graph.graph.update(backbone_edges=spine.number_of_edges(), backbone_density=round(_density(spine, occurring), 6))
    if graph.number_of_nodes() == 0:
        graph.graph.update(modularity=0.0, communities=0, **_null_attrs(None))
        return
    for _, _, data in spine.edges(data=True):
        data["distance"] = 1.0 / data["count"]
    values = {
        "degree": dict(spine.degree()),
        "weighted_degree": dict(spine.degree(weight="count")),
        "betweenness": nx.betweenness_centrality(spine, weight="distance", normalized=True, seed=seed),
        "closeness": nx.closeness_centrality(spine, distance="distance"),
        "eigenvector": _eigenvector(spine),
        "pagerank": nx.pagerank(spine, weight="count")
        if spine.number_of_edges()
        else {n: 1 / len(spine) for n in spine},
        "clustering": nx.clustering(spine, weight="count"),
    }
    # a keyword the group never uses (occurs = False) is in no community: community 0
    live = backbone_of(graph, occurring)
    communities = {node: 0 for node in graph.nodes} | communities_of(live, seed=seed)
    for node in graph.nodes:
        data = graph.nodes[node]
        for name, by_node in values.items():
            value = by_node[node]
            data[name] = int(value) if name in ("degree", "weighted_degree") else round(float(value), 6)
        data["community"] = communities[node]
    partition = _partition({node: c for node, c in communities.items() if c})
    modularity = modularity_of(live, partition, weight="weight")
    null = modularity_null(live, seed=seed, draws=null_draws) if null_draws else None
    graph.graph.update(modularity=round(modularity, 6), communities=len(partition), **_null_attrs(null, modularity))


def _density(graph: nx.Graph, nodes: list[str]) -> float:
    n = len(nodes)
    inside = set(nodes)
    links = sum(1 for u, v in graph.edges if u in inside and v in inside)
    return links / (n * (n - 1) / 2) if n > 1 else 0.0


def _null_attrs(null: list[float] | None, modularity: float = 0.0) -> dict[str, float | int | str]:
    if not null:
        return {"null_draws": 0, "null_modularity_mean": "", "null_modularity_sd": "", "modularity_p": ""}
    beyond = sum(q >= modularity - 1e-12 for q in null)
    return {
        "null_draws": len(null),
        "null_modularity_mean": round(statistics.fmean(null), 6),
        "null_modularity_sd": round(statistics.stdev(null), 6) if len(null) > 1 else 0.0,
        "modularity_p": round((1 + beyond) / (1 + len(null)), 6),
    }


def modularity_null(graph: nx.Graph, *, seed: int, draws: int) -> list[float]:
    """Louvain's modularity on ``draws`` randomisations of ``graph`` (weights in ``weight``), each a
    degree-preserving rewiring with the weights shuffled over its edges. The rewirings are one Markov
    chain of double edge swaps: 5 swaps per edge before the first draw, one per edge between draws
    (as many as the graph allows: none in a complete graph). Seeded: the same list on every run."""
    rng = random.Random(seed)
    nodes = sorted(graph.nodes)
    weights = [w for *_, w in sorted((*sorted((u, v)), d["weight"]) for u, v, d in graph.edges(data=True))]
    null = nx.Graph()
    null.add_nodes_from(nodes)
    null.add_edges_from(sorted(tuple(sorted(e)) for e in graph.edges))
    m = null.number_of_edges()
    found = []
    for draw in range(draws):
        if m >= 2 and len(nodes) >= 4:
            try:
                nx.double_edge_swap(
                    null, nswap=(5 if draw == 0 else 1) * m, max_tries=100 * m, seed=rng.randrange(2**32)
                )
            except nx.NetworkXAlgorithmError:  # fewer swaps possible than asked (a dense graph): keep those made
                pass
        rewired = nx.Graph()
        rewired.add_nodes_from(nodes)
        shuffled = weights[:]
        rng.shuffle(shuffled)
        rewired.add_weighted_edges_from(
            (u, v, w) for (u, v), w in zip(sorted(tuple(sorted(e)) for e in null.edges), shuffled, strict=True)
        )
        partition = _partition(communities_of(rewired, seed=seed, weight="weight"))
        found.append(modularity_of(rewired, partition, weight="weight"))
    return found


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
    """Eigenvector centrality per connected component (the leading eigenvector of its weighted
    adjacency matrix, by ``numpy.linalg.eigh``: exact where networkx's power iteration fails to
    converge on a sparse backbone; unit length, as networkx scales it), scaled by the component's
    share of the nodes."""
    result = {}
    for component in nx.connected_components(graph):
        nodes = sorted(component)
        sub = graph.subgraph(nodes)
        if len(sub) < 3 or sub.number_of_edges() == 0:
            result.update({n: 0.0 for n in sub})
            continue
        _, vectors = np.linalg.eigh(nx.to_numpy_array(sub, nodelist=nodes, weight="count"))
        leading = np.abs(vectors[:, -1])
        share = len(sub) / len(graph)
        result.update({n: float(x) * share for n, x in zip(nodes, leading / np.linalg.norm(leading), strict=True)})
    return result


def communities_of(graph: nx.Graph, *, seed: int, weight: str = "weight") -> dict[str, int]:
    """Louvain communities numbered 1, 2, … from the largest (ties: by their first member)."""
    if graph.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(graph.nodes), 1)}
    found = nx.community.louvain_communities(graph, weight=weight, seed=seed)
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
