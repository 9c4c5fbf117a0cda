"""Every network export opened by an independent reader: networkx for GEXF, GraphML and Pajek, csv for
Gephi's spreadsheets, and parsers of the VOSviewer and UCINET DL formats written here from their
published descriptions."""

import csv

import networkx as nx
import pytest

from textmine.analysis.network import build_network, cooccurrence
from textmine.analysis.network_analysis import annotate, compare_groups
from textmine.output.network_export import read_matrix_csv, write_all, write_gexf

from test_network import DOCS, TERMS


@pytest.fixture
def network():
    co = cooccurrence(DOCS, TERMS)
    # every link in the backbone, so the node measures below are those of the whole graph
    graph = build_network(co, freq={"人才": 3, "公寓": 2, "补贴": 2, "创新": 1}, backbone="none")
    annotate(graph, seed=1)
    return graph, co


def read_vosviewer(folder):
    """VOSviewer map file: tab-separated, a header row naming id, label, x, y, cluster and weight<…>
    columns; network file: id, id, strength per line (VOSviewer Manual 1.6, section 4.2)."""
    with (folder / "vosviewer_map.txt").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    labels = {row["id"]: row["label"] for row in rows}
    links = {}
    for line in (folder / "vosviewer_network.txt").read_text(encoding="utf-8").splitlines():
        a, b, strength = line.split("\t")
        links[tuple(sorted((labels[a], labels[b])))] = int(strength)
    return rows, links


def read_dl(path):
    """UCINET DL, FULLMATRIX with LABELS EMBEDDED: header lines up to DATA:, then the column labels,
    then one row per node, its label first (UCINET 6 help, 'DL files')."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].upper().startswith("DL N=")
    n = int(lines[0].split("=")[1])
    data = lines.index("DATA:")
    labels = lines[data + 1].split()
    matrix = {}
    for line in lines[data + 2 : data + 2 + n]:
        label, *values = line.split()
        matrix[label] = dict(zip(labels, map(int, values), strict=True))
    return labels, matrix


def test_every_format_reads_back_the_same_network(tmp_path, network):
    graph, co = network
    write_all(tmp_path, graph, co, seed=1)
    expected = {tuple(sorted((u, v))): d["count"] for u, v, d in graph.edges(data=True)}
    gexf = nx.read_gexf(tmp_path / "coword.gexf", version="1.3")
    assert {tuple(sorted(e)) for e in gexf.edges} == set(expected)
    viz = gexf.nodes["人才"]["viz"]
    assert viz["size"] > gexf.nodes["创新"]["viz"]["size"] and {"x", "y"} <= set(viz["position"]) and "color" in viz
    graphml = nx.read_graphml(tmp_path / "coword.graphml")
    assert {tuple(sorted((u, v))): int(d["count"]) for u, v, d in graphml.edges(data=True)} == expected
    assert graphml.nodes["人才"]["community"] == graph.nodes["人才"]["community"]
    pajek = nx.Graph(nx.read_pajek(tmp_path / "coword.net", encoding="utf-8"))
    assert {tuple(sorted((u, v))): float(d["weight"]) for u, v, d in pajek.edges(data=True)} == expected
    with (tmp_path / "edges.csv").open(encoding="utf-8-sig") as fh:
        edges = list(csv.DictReader(fh))
    assert {tuple(sorted((e["Source"], e["Target"]))): int(e["Weight"]) for e in edges} == expected
    assert {e["Type"] for e in edges} == {"Undirected"}
    with (tmp_path / "nodes.csv").open(encoding="utf-8-sig") as fh:
        assert {row["Id"]: row["Label"] for row in csv.DictReader(fh)} == {t: t for t in TERMS}
    rows, links = read_vosviewer(tmp_path)
    assert links == expected
    assert {r["label"]: int(r["weight<Occurrences>"]) for r in rows} == {"人才": 3, "公寓": 2, "补贴": 2, "创新": 1}
    labels, matrix = read_dl(tmp_path / "coword.dl")
    assert labels == TERMS and matrix["人才"]["补贴"] == 2 and matrix["人才"]["人才"] == 2
    terms, counts = read_matrix_csv(tmp_path / "matrix.csv")
    assert terms == TERMS and counts.tolist() == co.counts.tolist()


def test_labels_with_xml_illegal_characters_are_cleaned(tmp_path):
    graph = nx.Graph()
    graph.add_node("人才\x00", label="人才\x00", freq=3, community=1)
    graph.add_node("公寓\x0b", label="公寓\x0b", freq=2, community=1)
    graph.add_edge("人才\x00", "公寓\x0b", weight=2, count=2)
    write_gexf(tmp_path / "g.gexf", graph, positions={"人才\x00": (0, 0), "公寓\x0b": (1, 1)})
    back = nx.read_gexf(tmp_path / "g.gexf", version="1.3")
    assert sorted(back.nodes) == ["人才", "公寓"] and back.nodes["人才"]["label"] == "人才"
    assert "lastmodifieddate" not in (tmp_path / "g.gexf").read_text(encoding="utf-8")


def test_an_export_missing_a_node_or_not_well_formed_is_an_error_naming_the_file(tmp_path):
    from textmine.errors import TextmineError
    from textmine.output.network_export import _parse_back, write_graphml

    graph = nx.Graph()
    graph.add_node("人才\x00", label="人才", freq=3, community=1)  # the same name once cleaned
    graph.add_node("人才", label="人才", freq=2, community=1)
    graph.add_edge("人才\x00", "人才", weight=2, count=2)
    with pytest.raises(TextmineError, match=r"g\.graphml: read back 1 nodes and 1 edges, wrote 2 and 1"):
        write_graphml(tmp_path / "g.graphml", graph)
    assert list(tmp_path.iterdir()) == []  # written atomically: nothing left half-made
    whole = nx.Graph([("人才", "公寓")])
    nx.write_graphml(whole, tmp_path / "cut.graphml")
    text = (tmp_path / "cut.graphml").read_text(encoding="utf-8")
    (tmp_path / "cut.graphml").write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(TextmineError, match=r"cut\.graphml: the file written is not well-formed XML"):
        _parse_back(tmp_path / "cut.graphml", whole, "cut.graphml")


def test_node_measures_and_communities(network):
    graph, _ = network
    talent = graph.nodes["人才"]
    assert (talent["degree"], talent["weighted_degree"]) == (2, 3)  # 人才–补贴 2, 人才–公寓 1
    assert graph.nodes["公寓"]["betweenness"] > 0  # 公寓 is the only way to 创新
    assert graph.nodes["创新"]["betweenness"] == 0.0
    assert {d["community"] for _, d in graph.nodes(data=True)} == set(range(1, graph.graph["communities"] + 1))
    assert -0.5 <= graph.graph["modularity"] <= 1.0


def test_comparison_graph_carries_each_groups_weights():
    groups = {}
    for name, docs in (("X", DOCS[:2]), ("Y", DOCS[2:])):
        g = build_network(cooccurrence(docs, TERMS), freq={t: 1 for t in TERMS}, measure="count", name=name)
        groups[name] = g
    combined = compare_groups(groups)
    edge = combined.edges["人才", "补贴"]
    assert (edge["count_X"], edge["count_Y"], edge["rate_X"], edge["rate_Y"]) == (2, 0, 100.0, 0.0)
    assert edge["strongest_group"] == "X" and edge["spread"] == 100.0
    assert combined.edges["公寓", "创新"]["strongest_group"] == "Y"
    # a group too small to compare never wins on its rate alone (was: the 10-document Guangzhou won 1,127 edges)
    small = compare_groups(groups, frozenset({"X"}))
    assert small.edges["人才", "补贴"]["strongest_group"] == "Y" and small.graph["small_groups"] == "X"
    assert small.edges["人才", "补贴"]["rate_X"] == 100.0  # its rate is still there to read


def test_interactive_view_is_self_contained_and_escaped(tmp_path, network):
    import json
    import re

    from textmine.output.network_export import interactive_html

    graph, _ = network
    graph.add_node("<script>alert(1)</script>", label="<script>alert(1)</script>", freq=1, community=1)
    html = interactive_html(graph, {n: (0.0, 0.0) for n in graph.nodes}, title="共词网络 <b>测试</b>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script>alert(1)</script>" not in html and "&lt;b&gt;测试&lt;/b&gt;" in html
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S).group(1))
    assert len(data["nodes"]) == graph.number_of_nodes() and len(data["edges"]) == graph.number_of_edges()
    assert {e["source"] + e["target"]: e["count"] for e in data["edges"]}["人才补贴"] == 2


def test_modularity_matches_networkx_and_does_not_depend_on_hashing(network):
    import subprocess
    import sys

    from textmine.analysis.network_analysis import modularity_of

    graph, _ = network
    partition = [{"人才", "补贴"}, {"公寓", "创新"}]
    ours = modularity_of(graph, partition, weight="association_strength")
    assert ours == pytest.approx(nx.community.modularity(graph, partition, weight="association_strength"), abs=1e-12)
    # the same value, to the last bit, in processes that hash strings differently
    script = (
        "import networkx as nx; from textmine.analysis.network_analysis import modularity_of; g = nx.complete_graph("
        "[f'词{i}' for i in range(40)]); [g.edges[e].__setitem__('w', 1 / (1 + len(e[0] + e[1]) * 0.37)) for e in g.edges]; "
        "print(repr(modularity_of(g, [set(list(g)[:20]), set(list(g)[20:])], weight='w')))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        ).stdout
        for seed in (1, 2, 3, 4)
    }
    assert len(outputs) == 1
