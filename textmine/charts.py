"""Charts with Chinese labels: keyword bars per group, the co-word network, topic shares.

Each function takes data and returns a matplotlib Figure; :func:`save` writes PNG and SVG without
timestamps so reruns give identical files. A CJK font is required: without one matplotlib draws
boxes, so :func:`cjk_font` stops with a message naming the package to install.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .counting import KeywordTable  # noqa: E402
from .errors import MissingFontError  # noqa: E402
from .writers import write_bytes  # noqa: E402

# Preferred families, best first; any other family whose name says CJK or SC/TC is a fallback.
_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Sarasa Gothic SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Serif CJK SC",
)


def cjk_font() -> str:
    """The name of an installed font family with Chinese glyphs, or MissingFontError."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return family
    fallback = sorted(n for n in installed if "CJK" in n or n.endswith((" SC", " CN")))
    if fallback:
        return fallback[0]
    raise MissingFontError(
        "no font with Chinese glyphs found, so charts would show boxes; install one "
        "(Debian/Ubuntu: apt-get install fonts-noto-cjk) and run again"
    )


def _style() -> None:
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [cjk_font(), "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.hashsalt": "textmine",  # fixed ids inside SVGs
            "svg.fonttype": "path",  # glyphs as outlines: the SVG shows Chinese without the font
            "figure.dpi": 100,
        }
    )


SMALL = "（样本少 small sample）"


def keyword_bars(
    tables: dict[str, KeywordTable], *, top_n: int, title: str, flagged: frozenset[str] = frozenset()
) -> Figure:
    """One horizontal bar chart per group: its top keywords by occurrences per 10,000 tokens; groups
    in ``flagged`` are marked as small samples."""
    _style()
    groups = list(tables)
    cols = min(len(groups), 4)
    rows = -(-len(groups) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 0.28 * top_n * rows + 1.2), squeeze=False)
    for ax, group in zip(axes.flat, groups, strict=False):  # the grid may have spare axes
        top = tables[group].top(top_n)[::-1]
        ax.barh([t.term for t in top], [t.per_10k for t in top], color="#3b6ea5")
        ax.set_title(f"{group} ({tables[group].documents} 篇){SMALL if group in flagged else ''}", fontsize=10)
        ax.set_xlabel("每万词频次 / per 10,000 tokens", fontsize=8)
        ax.tick_params(axis="y", labelsize=9)
        ax.tick_params(axis="x", labelsize=8)
    for ax in list(axes.flat)[len(groups) :]:
        ax.axis("off")
    fig.suptitle(title, fontsize=13)
    fig.tight_layout()
    return fig


def backbone(graph: nx.Graph, per_node: int) -> nx.Graph:
    """The graph with each node's ``per_node`` heaviest edges only (ties by partner name), for drawing."""
    kept = nx.Graph()
    kept.add_nodes_from(graph.nodes(data=True))
    for node in graph.nodes:
        ranked = sorted(graph[node].items(), key=lambda kv: (-kv[1]["weight"], kv[0]))[:per_node]
        kept.add_edges_from((node, other, data) for other, data in ranked)
    return kept


def _draw_network(ax, graph: nx.Graph, positions: dict, *, per_node: int, label_size: float) -> None:
    from .network_export import community_colour

    shown = backbone(graph, per_node)
    if not shown.number_of_nodes():
        return
    nodes = sorted(shown.nodes)
    freq = np.array([shown.nodes[n]["freq"] for n in nodes], dtype=float)
    sizes = 60 + 1200 * np.sqrt(freq / max(freq.max(), 1))
    colours = [community_colour(int(shown.nodes[n].get("community", 1))) for n in nodes]
    edges = sorted(shown.edges(data=True), key=lambda e: e[2]["weight"])
    if edges:
        weights = np.array([d["weight"] for _, _, d in edges], dtype=float)
        widths = 0.4 + 4.0 * (weights - weights.min()) / max(weights.max() - weights.min(), 1e-9)
        nx.draw_networkx_edges(
            shown,
            positions,
            edgelist=[(u, v) for u, v, _ in edges],
            ax=ax,
            width=widths,
            edge_color="#7d8fa3",
            alpha=0.5,
        )
    nx.draw_networkx_nodes(
        shown,
        positions,
        nodelist=nodes,
        ax=ax,
        node_size=sizes,
        node_color=colours,
        edgecolors="#333333",
        linewidths=0.4,
        alpha=0.9,
    )
    nx.draw_networkx_labels(shown, positions, ax=ax, font_family=cjk_font(), font_size=label_size)


def network_picture(graph: nx.Graph, positions: dict, *, title: str, per_node: int = 3) -> Figure:
    """A co-word network drawn with each node's ``per_node`` strongest links (every link stays in the
    files): node size by frequency, colour by community, edge width by weight."""
    _style()
    fig, ax = plt.subplots(figsize=(12, 10))
    _draw_network(ax, graph, positions, per_node=per_node, label_size=10 if graph.number_of_nodes() <= 80 else 8)
    ax.set_title(
        f"{title}\n颜色 = 社区，每个节点显示最强的 {per_node} 条连线 · colour = community, each node's {per_node} strongest links",
        fontsize=12,
    )
    ax.axis("off")
    fig.tight_layout()
    return fig


def network_panel(graphs: dict[str, nx.Graph], positions: dict, *, title: str, per_node: int = 3) -> Figure:
    """The groups' networks side by side on one layout (the corpus network's), so the same keyword
    stands in the same place in every panel."""
    _style()
    cols = min(len(graphs), 2)
    rows = -(-len(graphs) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(8 * cols, 7 * rows), squeeze=False)
    xs = [x for x, _ in positions.values()] or [0]
    ys = [y for _, y in positions.values()] or [0]
    for ax, (name, graph) in zip(axes.flat, graphs.items(), strict=False):  # the grid may have spare axes
        _draw_network(ax, graph, positions, per_node=per_node, label_size=8)
        ax.set_title(f"{name} ({graph.graph.get('units', 0)} units)", fontsize=12)
        ax.set_xlim(min(xs) * 1.15, max(xs) * 1.15)
        ax.set_ylim(min(ys) * 1.15, max(ys) * 1.15)
        ax.axis("off")
    for ax in list(axes.flat)[len(graphs) :]:
        ax.axis("off")
    fig.suptitle(title, fontsize=14)
    fig.tight_layout()
    return fig


def heatmap(shares: dict[str, np.ndarray], labels: Sequence[str], *, title: str, fmt: str = "{:.2f}") -> Figure:
    """Groups × columns (topics, dimensions): a value per cell, written in it."""
    _style()
    groups = list(shares)
    matrix = np.vstack([shares[g] for g in groups])
    fig, ax = plt.subplots(figsize=(1.2 + 1.1 * len(labels), 1.2 + 0.55 * len(groups)))
    image = ax.imshow(matrix, cmap="YlOrRd", aspect="auto")
    ax.set_xticks(range(len(labels)), [label.replace(" ", "\n", 1) for label in labels], fontsize=8)
    ax.set_yticks(range(len(groups)), groups, fontsize=9)
    for (r, c), value in np.ndenumerate(matrix):
        ax.text(c, r, fmt.format(value), ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, shrink=0.8)
    ax.set_title(title, fontsize=12)
    fig.tight_layout()
    return fig


def save(fig: Figure, stem: Path) -> bytes:
    """Write ``stem.png`` and ``stem.svg``; return the PNG bytes (for embedding in the HTML report)."""
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=110, metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    # never stem.with_suffix: a group named "v1.a" would lose its ".a" and overwrite "v1.b"'s picture
    write_bytes(stem.parent / f"{stem.name}.png", png.getvalue())
    write_bytes(stem.parent / f"{stem.name}.svg", svg.getvalue())
    return png.getvalue()


def topic_selection(scores: Sequence[Any], chosen: int, *, title: str) -> Figure:
    """The K sweep: C_NPMI, C_V, held-out perplexity and stability against K (mean ± sd over seeds),
    the chosen K marked."""
    _style()
    ks = [s.k for s in scores]
    panels = [
        ("c_npmi", "C_NPMI（越高越好 higher is better）"),
        ("c_v", "C_V（越高越好 higher is better）"),
        ("perplexity", "留出困惑度 held-out perplexity（越低越好 lower is better）"),
        ("stability", "稳定性 stability across seeds（1 = 相同 same）"),
    ]
    fig, axes = plt.subplots(2, 2, figsize=(10, 6.5))
    for ax, (name, label) in zip(axes.flat, panels, strict=True):
        mean = [getattr(s, name) for s in scores]
        spread = [getattr(s, f"{name}_sd", 0.0) if name != "stability" else 0.0 for s in scores]
        ax.errorbar(ks, mean, yerr=spread, marker="o", capsize=3, color="#3b6ea5")
        ax.axvline(chosen, color="#c0392b", linestyle="--", linewidth=1)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("K")
        ax.set_xticks(ks)
    fig.suptitle(f"{title}（K = {chosen}）", fontsize=13)
    fig.tight_layout()
    return fig
