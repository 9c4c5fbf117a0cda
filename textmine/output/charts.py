"""Charts with Chinese labels: keyword bars per group, the co-word network, topic shares.

Each function takes data and returns a matplotlib Figure; :func:`save` writes PNG (and SVG, on request) without
timestamps so reruns give identical files (:mod:`textmine.output.chart_jobs` draws a run's charts in worker
processes). Only the worker processes that draw import matplotlib. A CJK font is required: without one matplotlib draws
boxes, so :func:`cjk_font` stops with a message naming the package to install.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Collection, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..analysis.compare import SMALL_SAMPLE  # noqa: E402
from ..analysis.counting import KeywordTable  # noqa: E402
from ..errors import MissingFontError  # noqa: E402
from ..writers import write_pictures  # noqa: E402

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
    family = _cjk_family()
    if family is None and _add_new_fonts():
        family = _cjk_family()
    if family is None:
        raise MissingFontError(
            "no font with Chinese glyphs found, so charts would show boxes; install one "
            "(Debian/Ubuntu: apt-get install fonts-noto-cjk) and run again"
        )
    return family


def _cjk_family() -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return family
    fallback = sorted(n for n in installed if "CJK" in n or n.endswith((" SC", " CN")))
    return fallback[0] if fallback else None


def _add_new_fonts() -> bool:
    """Add to matplotlib's list the system's fonts installed after it was made: matplotlib scans the
    system once and keeps the list in its cache folder until its own version changes, so a font
    installed after its first use is never seen. The list is saved back for the processes that draw.
    True when a font was added."""
    known = {f.fname for f in font_manager.fontManager.ttflist}
    new = [path for path in font_manager.findSystemFonts() if path not in known]
    for path in new:
        try:
            font_manager.fontManager.addfont(path)
        except Exception:  # a file FreeType cannot read stays out of the list, as matplotlib's own scan leaves it
            continue
    if new:
        saved = Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")
        font_manager.json_dump(font_manager.fontManager, saved)
    return bool(new)


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


def keyword_bars(tables: dict[str, KeywordTable], *, top_n: int, title: str, flagged: Collection[str] = ()) -> Figure:
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
        ax.set_title(f"{group} ({tables[group].documents} 篇){SMALL_SAMPLE if group in flagged else ''}", fontsize=10)
        ax.set_xlabel("每万词频次 / per 10,000 tokens", fontsize=8)
        ax.tick_params(axis="y", labelsize=9)
        ax.tick_params(axis="x", labelsize=8)
    for ax in list(axes.flat)[len(groups) :]:
        ax.axis("off")
    fig.suptitle(title, fontsize=13)
    fig.tight_layout()
    return fig


A4 = 8.27  # inches: a picture as wide as an A4 page, its labels legible at that width
ADJUST_STEPS = 50


def _draw_network(ax, graph: nx.Graph, positions: dict, *, label_size: float) -> list:
    """The backbone of ``graph`` on ``ax``: node area by frequency, colour by community, link width by
    the network's measure, labels moved apart (adjustText) so that none overlaps another. Returns the
    labels drawn."""
    from adjustText import adjust_text

    from ..analysis.network import backbone_of
    from .network_export import community_colour

    nodes = sorted(n for n, occurs in graph.nodes(data="occurs", default=True) if occurs)
    if not nodes:
        return []
    shown = backbone_of(graph, nodes)
    freq = np.array([shown.nodes[n]["freq"] for n in nodes], dtype=float)
    sizes = 30 + 600 * np.sqrt(freq / max(freq.max(), 1))
    colours = [community_colour(int(shown.nodes[n].get("community", 1))) for n in nodes]
    edges = sorted(shown.edges(data=True), key=lambda e: (e[2]["weight"], e[0], e[1]))
    if edges:
        weights = np.array([d["weight"] for _, _, d in edges], dtype=float)
        widths = 0.3 + 2.5 * (weights - weights.min()) / max(weights.max() - weights.min(), 1e-9)
        nx.draw_networkx_edges(
            shown,
            positions,
            edgelist=[(u, v) for u, v, _ in edges],
            ax=ax,
            width=widths,
            edge_color="#7d8fa3",
            alpha=0.55,
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
    xs = np.array([positions[n][0] for n in nodes])
    ys = np.array([positions[n][1] for n in nodes])
    pad = 0.08 * max(np.ptp(xs), np.ptp(ys), 1.0)
    ax.set_xlim(xs.min() - pad, xs.max() + pad)
    ax.set_ylim(ys.min() - pad, ys.max() + pad)
    labels = [
        ax.text(x, y, n, fontsize=label_size, ha="center", va="center", family=cjk_font(), zorder=5)
        for n, x, y in zip(nodes, xs, ys, strict=True)
    ]
    adjust_text(
        labels,
        x=xs,
        y=ys,
        ax=ax,
        expand=(1.15, 1.35),
        force_text=(0.4, 0.6),
        ensure_inside_axes=True,
        iter_lim=ADJUST_STEPS,  # a step count, never adjustText's default time limit: the same picture on any machine
        arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.4},
    )
    # whatever the steps left overlapping: the less frequent keyword's label gives way (hidden), so
    # no label ever covers another
    renderer = ax.figure.canvas.get_renderer()
    order = sorted(range(len(nodes)), key=lambda i: (-freq[i], nodes[i]))
    kept: list = []
    for i in order:
        box = labels[i].get_window_extent(renderer=renderer)
        if any(box.overlaps(other) for other in kept):
            labels[i].set_visible(False)
        else:
            kept.append(box)
    return [t for t in labels if t.get_visible()]


def overlapping_labels(fig: Figure) -> int:
    """How many pairs of the visible labels on ``fig``'s axes overlap as drawn (their rendered boxes)."""
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer=renderer) for ax in fig.axes for t in ax.texts if t.get_visible()]
    return sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def _backbone_caption(graph: nx.Graph) -> str:
    info = graph.graph
    rule = {
        "disparity": f"显著性 α = {info.get('alpha')} 的骨干 disparity-filter backbone (α = {info.get('alpha')})",
        "top_k": f"每个节点最强的 {info.get('top_k')} 条连线 each node's {info.get('top_k')} strongest links",
        "none": "全部连线 every link",
    }[info.get("backbone", "none")]
    return f"颜色 = 社区 colour = community · 面积 = 词频 area = frequency · {rule} ({info.get('measure', '')})"


def network_picture(graph: nx.Graph, positions: dict, *, title: str) -> Figure:
    """A co-word network as a researcher can publish it: A4 wide, its backbone only (every link stays
    in the files), node area by frequency, colour by community, labels that do not overlap."""
    _style()
    fig, ax = plt.subplots(figsize=(A4, A4 * 0.85))
    _draw_network(ax, graph, positions, label_size=8 if graph.number_of_nodes() <= 80 else 6.5)
    ax.set_title(f"{title}\n{_backbone_caption(graph)}", fontsize=9)
    ax.axis("off")
    fig.tight_layout()
    return fig


def network_panel(graphs: dict[str, nx.Graph], positions: dict, *, title: str) -> Figure:
    """The groups' networks side by side on one layout (the corpus network's), so the same keyword
    stands in the same place in every panel; each panel its own backbone."""
    _style()
    cols = min(len(graphs), 2)
    rows = -(-len(graphs) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(A4 * cols / 2 * 1.3, A4 * 0.6 * rows), squeeze=False)
    for ax, (name, graph) in zip(axes.flat, graphs.items(), strict=False):  # the grid may have spare axes
        _draw_network(ax, graph, positions, label_size=6.5)
        ax.set_title(f"{name} ({graph.graph.get('units', 0)} units)", fontsize=9)
        ax.axis("off")
    for ax in list(axes.flat)[len(graphs) :]:
        ax.axis("off")
    fig.suptitle(f"{title}\n{_backbone_caption(next(iter(graphs.values())))}", fontsize=10)
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


def render(fig: Figure, *, svg: bool = True) -> tuple[bytes, bytes | None]:
    """The figure as PNG bytes and, when ``svg``, SVG bytes, without timestamps; the figure is closed."""
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=110, metadata={"Software": None})
    vector = None
    if svg:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        vector = buffer.getvalue()
    plt.close(fig)
    return png.getvalue(), vector


def save(fig: Figure, stem: Path, *, svg: bool = True) -> bytes:
    """Write ``stem.png`` and, when ``svg``, ``stem.svg``; return the PNG bytes (for embedding in the HTML report)."""
    png, vector = render(fig, svg=svg)
    write_pictures(stem, png, vector)
    return png


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
