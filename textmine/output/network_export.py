"""Co-word networks in every format our users open, each file read back after it is written.

- GEXF 1.3 (Gephi), by networkx's writer, with ``viz`` size (frequency), colour (community) and
  position (a seeded force-directed layout), and without networkx's date stamp;
- GraphML; Gephi's spreadsheet CSVs (``Id,Label,…`` nodes; ``Source,Target,Type,Weight`` edges);
- Pajek ``.net``; VOSviewer map and network files; UCINET DL (full matrix, labels embedded);
- the co-occurrence matrix as CSV and XLSX (for UCINET, SPSS, Excel);
- an interactive HTML view, self-contained (its script inlined, no CDN).

Labels are UTF-8 everywhere and stripped of characters XML forbids; attribute types are one per
attribute. A file that does not read back with the same nodes and edges is an error.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import numpy as np

from ..analysis.network import Cooccurrence, backbone_of, edge_rows
from ..errors import TextmineError
from ..writers import atomic_path, write_csv, write_text, write_xlsx, xml_safe

# Tableau's 20 colours, by community number (community 1 gets the first).
_PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#c7c7c7",
    "#dbdb8d",
    "#9edae5",
]


def community_colour(community: int) -> str:
    return _PALETTE[(community - 1) % len(_PALETTE)]


def layout(graph: nx.Graph, *, seed: int) -> dict[str, tuple[float, float]]:
    """ForceAtlas2 (Jacomy et al. 2014, Gephi's layout; networkx's implementation) of the backbone,
    weighted by the network's measure, seeded, with gravity (so that a component of its own stays
    near the rest) and node sizes by frequency (so that nodes keep apart), scaled to ±500 units:
    the links drawn are the links that place the nodes."""
    if graph.number_of_nodes() == 0:
        return {}
    spine = backbone_of(graph)
    top = max((d.get("freq", 0) for _, d in spine.nodes(data=True)), default=0) or 1
    sizes = {n: 0.02 + 0.06 * (d.get("freq", 0) / top) ** 0.5 for n, d in spine.nodes(data=True)}
    found = nx.forceatlas2_layout(
        spine, weight="weight", seed=seed, max_iter=300, gravity=1.0, scaling_ratio=3.0, node_size=sizes
    )
    extent = max((abs(float(c)) for xy in found.values() for c in xy), default=0.0) or 1.0
    return {n: (round(float(x) * 500 / extent, 3), round(float(y) * 500 / extent, 3)) for n, (x, y) in found.items()}


def _clean(graph: nx.Graph) -> nx.Graph:
    """A copy with XML-illegal characters removed from ids and string attributes, graph attributes kept
    to plain scalars."""
    clean = nx.relabel_nodes(graph, {n: xml_safe(n) for n in graph.nodes}, copy=True)
    for _, data in clean.nodes(data=True):
        data.update({k: xml_safe(v) for k, v in data.items()})
    for _, _, data in clean.edges(data=True):
        data.update({k: xml_safe(v) for k, v in data.items()})
    clean.graph = {k: xml_safe(v) for k, v in graph.graph.items() if isinstance(v, (str, int, float))}
    return clean


def _read_back(path: Path, graph: nx.Graph, reader, name: str) -> None:
    back = reader(path)
    _same_size(name, graph, back.number_of_nodes(), back.number_of_edges())


def _parse_back(path: Path, graph: nx.Graph, name: str) -> None:
    """An XML export parsed again (expat, in C) and its node and edge elements counted: a file Gephi
    can open, holding every node and link. networkx's writers make these files, so rebuilding a
    graph from them with networkx's readers (three times slower; the tests do it) adds nothing."""
    from xml.etree.ElementTree import ParseError, iterparse

    counts = {"node": 0, "edge": 0}
    try:
        for _, element in iterparse(path):
            tag = element.tag.rpartition("}")[2]
            if tag in counts:
                counts[tag] += 1
                element.clear()
    except ParseError as error:
        raise TextmineError(f"{name}: the file written is not well-formed XML ({error})") from None
    _same_size(name, graph, counts["node"], counts["edge"])


def _same_size(name: str, graph: nx.Graph, nodes: int, edges: int) -> None:
    if nodes != graph.number_of_nodes() or edges != graph.number_of_edges():
        raise TextmineError(
            f"{name}: read back {nodes} nodes and {edges} edges, "
            f"wrote {graph.number_of_nodes()} and {graph.number_of_edges()}"
        )


def write_gexf(path: Path, graph: nx.Graph, *, positions: dict[str, tuple[float, float]] | None = None) -> None:
    """GEXF 1.3 with viz attributes when ``positions`` are given (nodes need ``freq`` and ``community``)."""
    from networkx.readwrite.gexf import GEXFWriter

    clean = _clean(graph)
    if positions is not None:
        positions = {xml_safe(node): xy for node, xy in positions.items()}
        top = max((d.get("freq", 1) for _, d in clean.nodes(data=True)), default=1) or 1
        for node, data in clean.nodes(data=True):
            colour = community_colour(int(data.get("community", 1)))
            x, y = positions[node]
            data["viz"] = {
                "size": round(5 + 45 * (data.get("freq", 1) / top) ** 0.5, 3),
                "color": {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0},
                "position": {"x": x, "y": y, "z": 0.0},
            }
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.3")
    writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
    writer.add_graph(clean)
    with atomic_path(path) as tmp:
        tmp.write_text(str(writer), encoding="utf-8")
        _parse_back(tmp, graph, path.name)


def write_graphml(path: Path, graph: nx.Graph) -> None:
    with atomic_path(path) as tmp:
        nx.write_graphml(_clean(graph), tmp, encoding="utf-8", prettyprint=True)
        _parse_back(tmp, graph, path.name)


def write_gephi_csv(folder: Path, graph: nx.Graph, *, prefix: str = "") -> None:
    """Gephi's spreadsheet import: ``nodes.csv`` (Id, Label, attributes) and ``edges.csv`` (Source, Target, Type, Weight, …)."""
    attributes = sorted({k for _, d in graph.nodes(data=True) for k in d} - {"label"})
    nodes = sorted(graph.nodes(data=True), key=lambda nd: (-nd[1].get("freq", 0), nd[0]))
    write_csv(
        folder / f"{prefix}nodes.csv",
        ["Id", "Label", *attributes],
        ([n, d.get("label", n), *(d.get(a, "") for a in attributes)] for n, d in nodes),
    )
    extra = sorted({k for _, _, d in graph.edges(data=True) for k in d} - {"weight"})
    write_csv(
        folder / f"{prefix}edges.csv",
        ["Source", "Target", "Type", "Weight", *extra],
        ([u, v, "Undirected", w, *(graph.edges[u, v].get(k, "") for k in extra)] for u, v, w in edge_rows(graph)),
    )


def _numbered(graph: nx.Graph) -> list[str]:
    """Nodes in the order the numbered formats give them: by frequency, then name."""
    return sorted(graph.nodes, key=lambda n: (-graph.nodes[n].get("freq", 0), n))


def write_pajek(path: Path, graph: nx.Graph) -> None:
    """Pajek ``.net``: ``*Vertices`` with quoted labels, ``*Edges`` with weights (UTF-8)."""
    order = _numbered(graph)
    number = {n: i for i, n in enumerate(order, 1)}
    lines = [f"*Vertices {len(order)}"]
    lines += [f'{number[n]} "{xml_safe(n).replace(chr(34), chr(39))}"' for n in order]
    lines.append("*Edges")
    lines += [f"{number[u]} {number[v]} {w}" for u, v, w in edge_rows(graph)]
    with atomic_path(path) as tmp:
        tmp.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
        _read_back(tmp, graph, lambda p: nx.Graph(nx.read_pajek(p, encoding="utf-8")), path.name)


def write_vosviewer(
    folder: Path, graph: nx.Graph, positions: dict[str, tuple[float, float]], *, prefix: str = ""
) -> None:
    """VOSviewer's map file (id, label, x, y, cluster, weights) and network file (id, id, strength), tab-separated."""
    order = _numbered(graph)
    number = {n: i for i, n in enumerate(order, 1)}
    rows = ["id\tlabel\tx\ty\tcluster\tweight<Links>\tweight<Total link strength>\tweight<Occurrences>"]
    for node in order:
        data = graph.nodes[node]
        x, y = positions.get(node, (0.0, 0.0))
        rows.append(
            f"{number[node]}\t{xml_safe(node)}\t{x / 100:.4f}\t{y / 100:.4f}\t{data.get('community', 1)}\t"
            f"{graph.degree(node)}\t{graph.degree(node, weight='count')}\t{data.get('freq', 0)}"
        )
    write_text(folder / f"{prefix}vosviewer_map.txt", "\n".join(rows) + "\n")
    links = [f"{number[u]}\t{number[v]}\t{graph.edges[u, v]['count']}" for u, v, _ in edge_rows(graph)]
    write_text(folder / f"{prefix}vosviewer_network.txt", "\n".join(links) + ("\n" if links else ""))


def ucinet_dl(co: Cooccurrence) -> str:
    """The co-occurrence counts as a UCINET DL full matrix with embedded labels (the diagonal: each term's units)."""
    labels = [_dl_label(t) for t in co.terms]
    lines = [f"DL N={len(co.terms)}", "FORMAT = FULLMATRIX DIAGONAL PRESENT", "LABELS EMBEDDED", "DATA:"]
    lines.append(" ".join(labels))
    lines += [" ".join([label, *map(str, row)]) for label, row in zip(labels, co.counts.tolist(), strict=True)]
    return "\n".join(lines) + "\n"


def _dl_label(term: str) -> str:
    text = xml_safe(term).replace('"', "'")
    return f'"{text}"' if any(ch in text for ch in " ,") else text


def write_matrix(folder: Path, co: Cooccurrence, *, prefix: str = "") -> None:
    """The co-occurrence matrix as CSV and XLSX, and as UCINET DL."""
    header = ["", *co.terms]
    rows = [[term, *row] for term, row in zip(co.terms, co.counts.tolist(), strict=True)]
    write_csv(folder / f"{prefix}matrix.csv", header, rows)
    write_xlsx(folder / f"{prefix}matrix.xlsx", {"cooccurrence": (header, rows)})
    write_text(folder / f"{prefix}coword.dl", ucinet_dl(co))


def read_matrix_csv(path: Path) -> tuple[list[str], np.ndarray]:
    """Read a matrix written by :func:`write_matrix` (for tests and users' scripts)."""
    with io.open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0][1:], np.array([[int(v) for v in row[1:]] for row in rows[1:]])


def write_all(
    folder: Path,
    graph: nx.Graph,
    co: Cooccurrence,
    *,
    seed: int,
    prefix: str = "",
    positions: dict[str, tuple[float, float]] | None = None,
) -> None:
    """Every format for one network, laid out by ``positions`` (:func:`layout`'s, made here when None)."""
    positions = layout(graph, seed=seed) if positions is None else positions
    stem = prefix or "coword"
    files = counts_as_weight(graph)
    write_gexf(folder / f"{stem}.gexf", files, positions=positions)
    write_graphml(folder / f"{stem}.graphml", files)
    write_pajek(folder / f"{stem}.net", files)
    write_gephi_csv(folder, files, prefix=f"{prefix}_" if prefix else "")
    write_vosviewer(folder, files, positions, prefix=f"{prefix}_" if prefix else "")
    write_matrix(folder, co, prefix=f"{prefix}_" if prefix else "")
    name = graph.graph.get("name", "all")
    write_text(folder / f"{stem}.html", interactive_html(graph, positions, title=f"共词网络 Co-word network: {name}"))


def counts_as_weight(graph: nx.Graph) -> nx.Graph:
    """A copy whose links weigh their co-occurrence count, the reference study's link weight and one
    every tool's layouts accept (an association measure can be negative); every measure, the
    disparity α and the backbone flag stay as link attributes, so Gephi can filter on ``backbone``."""
    files = graph.copy()
    for _, _, data in files.edges(data=True):
        data["weight"] = data["count"]
    return files


def interactive_html(graph: nx.Graph, positions: dict[str, tuple[float, float]], *, title: str) -> str:
    """One self-contained HTML page for a network: the backbone's links (all links on request), labels
    placed so that none overlaps another (a label with no free place shows on hover), zoom and pan,
    details on hover, search by keyword, and a slider that hides links below a weight. The script is
    textmine's own, inlined; no CDN."""
    import jinja2

    from ..workflow.libraries import library_versions

    top = max((d.get("freq", 1) for _, d in graph.nodes(data=True)), default=1) or 1
    nodes = []
    for node in sorted(graph.nodes):
        d = graph.nodes[node]
        x, y = positions.get(node, (0.0, 0.0))
        details = [
            f"频次 freq: {d.get('freq', 0)}",
            f"单元 units: {d.get('units', 0)}",
            f"社区 community: {d.get('community', '')}",
            f"度 degree: {d.get('degree', graph.degree(node))}",
            f"PageRank: {d.get('pagerank', '')}",
        ]
        nodes.append(
            {
                "id": node,
                "label": node,
                "x": x,
                "y": y,
                "size": round(4 + 20 * (d.get("freq", 1) / top) ** 0.5, 2),
                "colour": community_colour(int(d.get("community", 1))),
                "details": details,
            }
        )
    edges = [
        {
            "source": u,
            "target": v,
            "weight": w,
            "count": graph.edges[u, v].get("count", w),
            "backbone": graph.edges[u, v].get("backbone", 1),
        }
        for u, v, w in edge_rows(graph)
    ]
    info = graph.graph
    subtitle = (
        f"{graph.number_of_nodes()} 个关键词 keywords · 单元 unit: {info.get('unit', '')} · "
        f"权重 weight: {info.get('measure', '')} · 骨干 backbone: {info.get('backbone', '')} "
        f"({info.get('backbone_edges', '')} 条连线 links) · 社区 communities: {info.get('communities', '')}"
    )
    environment = jinja2.Environment(loader=jinja2.PackageLoader("textmine", "templates"), autoescape=True)
    return environment.get_template("network.html.j2").render(
        title=title,
        subtitle=subtitle,
        version=library_versions()["textmine"],
        data={"nodes": nodes, "edges": edges, "measure": info.get("measure", "count")},
    )
