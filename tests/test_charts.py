"""Charts draw Chinese with a real CJK font: pytest turns matplotlib's "Glyph missing" warnings into errors."""

import networkx as nx
import numpy as np
import pytest
from matplotlib import font_manager

from textmine.analysis.counting import (
    TokenizedDocument,
    doc_term_matrix,
    keyword_tables_by_group,
)
from textmine.errors import MissingFontError
from textmine.output import chart_jobs, charts


def tables():
    docs = [
        TokenizedDocument("a", "北京", 2020, [["高层次人才", "人才公寓", "专精特新"]]),
        TokenizedDocument("b", "深圳", 2021, [["前海", "博士后工作站", "人才公寓"]]),
    ]
    return keyword_tables_by_group(doc_term_matrix(docs))


def test_charts_render_chinese_without_missing_glyphs(tmp_path):
    graph = nx.Graph()
    graph.add_node("高层次人才", freq=5, df=2, label="高层次人才")
    graph.add_node("人才公寓", freq=3, df=2, label="人才公寓")
    graph.add_edge("高层次人才", "人才公寓", weight=2, count=2, backbone=1)
    png = charts.save(
        charts.keyword_bars(tables(), top_n=3, title="各组高频关键词", flagged=frozenset({"深圳"})), tmp_path / "bars"
    )
    positions = {"高层次人才": (0.0, 0.0), "人才公寓": (1.0, 1.0)}
    charts.save(charts.network_picture(graph, positions, title="共词网络"), tmp_path / "net")
    charts.save(charts.network_panel({"北京": graph, "深圳": graph}, positions, title="各组"), tmp_path / "panel")
    charts.save(
        charts.heatmap({"北京": np.array([0.7, 0.3])}, ["T1 人才·公寓", "引进 attracting"], title="主题"),
        tmp_path / "heat",
    )
    assert png.startswith(b"\x89PNG") and (tmp_path / "bars.svg").is_file()


def test_same_chart_same_bytes(tmp_path):
    a = charts.save(charts.keyword_bars(tables(), top_n=3, title="一"), tmp_path / "a")
    b = charts.save(charts.keyword_bars(tables(), top_n=3, title="一"), tmp_path / "b")
    assert a == b
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def crowded_network(n=60):
    """Long Chinese labels on nodes packed into a small square: their labels overlap where drawn."""
    rng = np.random.default_rng(7)
    graph = nx.Graph(backbone="top_k", top_k=2, measure="npmi")
    names = [f"高质量发展{i}号人才政策" for i in range(n)]
    for i, name in enumerate(names):
        graph.add_node(name, label=name, freq=int(100 - i), community=1 + i % 4, occurs=True)
    for i in range(n):
        graph.add_edge(names[i], names[(i + 1) % n], weight=0.2, count=3, backbone=1)
    positions = {name: tuple(rng.uniform(-1, 1, 2)) for name in names}
    return graph, positions


def test_network_labels_never_overlap_and_the_picture_is_the_same_each_time(tmp_path):
    graph, positions = crowded_network()
    fig = charts.network_picture(graph, positions, title="共词网络")
    labels = fig.axes[0].texts
    assert charts.overlapping_labels(fig) == 0
    assert sum(t.get_visible() for t in labels) >= 20  # moved apart, not all hidden
    assert fig.get_size_inches()[0] == pytest.approx(charts.A4)
    a = charts.save(fig, tmp_path / "a")
    b = charts.save(charts.network_picture(graph, positions, title="共词网络"), tmp_path / "b")
    assert a == b


def test_only_backbone_links_are_drawn():
    graph, positions = crowded_network(6)
    graph.add_edge("高质量发展0号人才政策", "高质量发展3号人才政策", weight=0.1, count=1, backbone=0)
    fig = charts.network_picture(graph, positions, title="共词网络")
    drawn = [c for c in fig.axes[0].collections if c.__class__.__name__ == "LineCollection"]
    assert len(drawn[0].get_segments()) == 6  # the ring, not the seventh, non-backbone link


def test_no_cjk_font_is_a_clear_error(monkeypatch):
    latin_only = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name and "Hei" not in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    # and none on the system either (the list is scanned again for fonts installed since it was made)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [f.fname for f in latin_only])
    with pytest.raises(MissingFontError, match="apt-get install fonts-noto-cjk"):
        charts.cjk_font()


def test_charts_drawn_in_worker_processes_are_the_charts_drawn_here(tmp_path):
    """draw_all draws in worker processes what save draws in this one, byte for byte, SVG on request."""
    graph = nx.Graph()
    graph.add_node("高层次人才", freq=5, df=2, label="高层次人才")
    graph.add_node("人才公寓", freq=3, df=2, label="人才公寓")
    graph.add_edge("高层次人才", "人才公寓", weight=2)
    positions = {"高层次人才": (0.0, 0.0), "人才公寓": (1.0, 1.0)}
    jobs = [
        chart_jobs.Chart("bars", "keyword_bars", (tables(),), {"top_n": 3, "title": "一"}, embed="bars"),
        chart_jobs.Chart("sub/net", "network_picture", (graph, positions), {"title": "共词网络"}),
    ]
    pictures = chart_jobs.draw_all(jobs, tmp_path / "pool", svg=True, workers=2)
    here = charts.save(charts.keyword_bars(tables(), top_n=3, title="一"), tmp_path / "here" / "bars")
    charts.save(charts.network_picture(graph, positions, title="共词网络"), tmp_path / "here" / "net")
    assert list(pictures) == ["bars"] and pictures["bars"] == here
    for name, drawn in (("bars", "bars"), ("net", "sub/net")):
        for suffix in (".png", ".svg"):
            assert (tmp_path / "pool" / f"{drawn}{suffix}").read_bytes() == (
                tmp_path / "here" / f"{name}{suffix}"
            ).read_bytes()
    chart_jobs.draw_all(jobs[:1], tmp_path / "png", svg=False, workers=1)
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == ["bars.png"]


def test_a_font_installed_after_matplotlib_listed_the_fonts_is_found(tmp_path):
    """matplotlib keeps its list of the system's fonts in its cache folder and never scans again: a
    CJK font installed after its first use (the missing-font message's own advice) must still be found,
    by this process and by the worker processes that draw."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path)}
    stale = (
        "from matplotlib import font_manager as fm; import matplotlib;"
        "fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if not charts_cjk(f.name)];"
        "fm.json_dump(fm.fontManager, matplotlib.get_cachedir() + f'/fontlist-v{fm.FontManager.__version__}.json')"
    ).replace("charts_cjk(f.name)", "('CJK' in f.name or f.name.endswith((' SC', ' CN')))")
    subprocess.run([sys.executable, "-c", stale], env=env, check=True)
    probe = "from textmine.output import charts; from matplotlib import font_manager as fm; print(len(fm.fontManager.ttflist), charts.cjk_font())"
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-300:]
    assert first.stdout.split()[1] == charts.cjk_font().split()[0]
    count = "from matplotlib import font_manager as fm; print(sum('CJK' in f.name for f in fm.fontManager.ttflist))"
    saved = subprocess.run([sys.executable, "-c", count], env=env, capture_output=True, text=True, check=True)
    assert int(saved.stdout) > 0  # the list on disk has them now: a drawing process starts with them
