"""Communities against their null, densities, and centralities on the backbone."""

import itertools

import networkx as nx
import pytest

from textmine.analysis.network_analysis import _eigenvector, annotate, modularity_null
from textmine.output.outputs import structure_verdict


def planted(n=8):
    """Two cliques of ``n`` keywords joined by one link, every link of weight 1: two communities by construction."""
    graph = nx.Graph(name="planted")
    left, right = [f"甲{i}" for i in range(n)], [f"乙{i}" for i in range(n)]
    for side in (left, right):
        graph.add_edges_from(itertools.combinations(side, 2))
    graph.add_edge(left[0], right[0])
    for node in graph:
        graph.nodes[node].update(label=node, freq=10, occurs=True)
    for _, _, d in graph.edges(data=True):
        d.update(weight=1.0, count=5, backbone=1)
    return graph


def complete(n=10):
    graph = nx.complete_graph([f"词{i}" for i in range(n)])
    for node in graph:
        graph.nodes[node].update(label=node, freq=10, occurs=True)
    for _, _, d in graph.edges(data=True):
        d.update(weight=1.0, count=5, backbone=1)
    return graph


def test_planted_communities_beat_their_null_and_a_complete_graph_does_not():
    graph = planted()
    annotate(graph, seed=3, null_draws=49)
    info = graph.graph
    # two cliques of 28 links each and one bridge: Q = 2 [28/57 − (57/114)²] = 0.4825
    assert info["communities"] == 2
    assert info["modularity"] == pytest.approx(2 * (28 / 57 - (57 / 114) ** 2), abs=1e-6)
    assert info["null_modularity_mean"] < info["modularity"] - 0.1
    assert info["modularity_p"] == pytest.approx(1 / 50)  # no rewiring reaches it: the smallest p 49 draws allow
    assert "communities beyond chance" in structure_verdict(info, 0.25)
    assert "p = 0.02 (none of the 49 as high)" in structure_verdict(info, 0.25)

    dense = complete()
    annotate(dense, seed=3, null_draws=49)
    # no swap can rewire a complete graph and its weights are all equal: the null is the graph itself
    assert dense.graph["modularity_p"] == 1.0 and dense.graph["density"] == 1.0
    verdict = structure_verdict(dense.graph, 0.25)
    assert "too dense to read whole (100% of pairs linked)" in verdict and "not beyond chance" in verdict


def test_null_is_seeded_and_keeps_every_degree():
    graph = planted()
    assert modularity_null(graph, seed=1, draws=5) == modularity_null(graph, seed=1, draws=5)
    assert modularity_null(graph, seed=1, draws=5) != modularity_null(graph, seed=2, draws=5)


def test_measures_are_read_on_the_backbone():
    graph = planted(4)
    graph.add_edge("甲1", "乙1", weight=0.01, count=1, backbone=0)  # in the files, not in the analysis
    annotate(graph, seed=1, null_draws=0)
    assert graph.nodes["甲1"]["degree"] == 3 and graph.graph["backbone_edges"] == graph.number_of_edges() - 1
    assert graph.graph["modularity_p"] == ""  # no null asked for
    assert "not compared with a null" in structure_verdict(graph.graph, 0.25)


def test_eigenvector_centrality_matches_networkx_where_power_iteration_converges():
    graph = nx.karate_club_graph()
    for *_, d in graph.edges(data=True):
        d["count"] = d["weight"]
    ours = _eigenvector(graph)
    theirs = nx.eigenvector_centrality(graph, weight="count", max_iter=5000, tol=1e-12)
    assert all(ours[n] == pytest.approx(theirs[n], abs=1e-6) for n in graph)
    # by hand on a star of 5 leaves: λ = √5, centre 1/√2, each leaf 1/√10 (unit length)
    star = nx.star_graph(5)
    nx.set_edge_attributes(star, 1, "count")
    values = _eigenvector(star)
    assert values[0] == pytest.approx(1 / 2**0.5) and values[1] == pytest.approx(1 / 10**0.5)
