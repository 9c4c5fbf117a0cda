"""Charts draw Chinese with a real CJK font: pytest turns matplotlib's "Glyph missing" warnings into errors."""

import networkx as nx
import numpy as np
import pytest
from matplotlib import font_manager

from textmine import charts
from textmine.counting import (
    TokenizedDocument,
    doc_term_matrix,
    keyword_tables_by_group,
)
from textmine.errors import MissingFontError


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
    graph.add_edge("高层次人才", "人才公寓", weight=2)
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


def test_backbone_keeps_each_nodes_strongest_links():
    graph = nx.Graph()
    graph.add_weighted_edges_from([("a", "b", 5), ("a", "c", 4), ("a", "d", 1), ("d", "e", 2)])
    kept = charts.backbone(graph, per_node=1)
    assert sorted(tuple(sorted(e)) for e in kept.edges) == [
        ("a", "b"),
        ("a", "c"),
        ("d", "e"),
    ]  # a–d is no one's strongest


def test_no_cjk_font_is_a_clear_error(monkeypatch):
    latin_only = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name and "Hei" not in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    with pytest.raises(MissingFontError, match="apt-get install fonts-noto-cjk"):
        charts.cjk_font()
