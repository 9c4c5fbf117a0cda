import csv
import io

import networkx as nx
import openpyxl

from textmine.writers import write_csv, write_gexf, write_graphml, write_xlsx


def test_csv_has_a_bom_and_inert_formulas(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, ["title", "n"], [['=HYPERLINK("http://x")', 1], ["＋1", -2], ["@SUM(A1)", 3], ["人才公寓", 4]])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["title", "n"],
        ['\'=HYPERLINK("http://x")', "1"],
        ["'＋1", "-2"],
        ["'@SUM(A1)", "3"],
        ["人才公寓", "4"],
    ]


def test_xlsx_keeps_types_and_is_byte_identical_on_rewrite(tmp_path):
    sheets = {"keywords": (["keyword", "freq"], [["=1+1", 3], ["人才\x01公寓", 2.5]])}
    write_xlsx(tmp_path / "a.xlsx", sheets)
    write_xlsx(tmp_path / "b.xlsx", sheets)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["keywords"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["keyword", "freq"],
        ["'=1+1", 3],
        ["人才公寓", 2.5],
    ]


def graph() -> nx.Graph:
    g = nx.Graph()
    g.add_node("人才", label="人才\x00", freq=3, df=2)
    g.add_node("公寓\x0b", label="公寓\x0b", freq=2, df=2)
    g.add_edge("人才", "公寓\x0b", weight=2)
    return g


def test_gexf_and_graphml_read_back_with_clean_chinese_labels(tmp_path):
    write_gexf(tmp_path / "g.gexf", graph())
    write_graphml(tmp_path / "g.graphml", graph())
    text = (tmp_path / "g.gexf").read_text(encoding="utf-8")
    assert "lastmodifieddate" not in text
    for back in (nx.read_gexf(tmp_path / "g.gexf"), nx.read_graphml(tmp_path / "g.graphml")):
        assert sorted(back.nodes) == ["人才", "公寓"]
        assert back.nodes["人才"]["label"] == "人才"
        assert int(back.nodes["人才"]["freq"]) == 3
        assert float(back.edges["人才", "公寓"]["weight"]) == 2
