import csv
import io
import time

import openpyxl

from textmine.writers import write_csv, write_xlsx


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
    long = "长" * 40_000
    sheets = {
        "keywords": (["keyword", "freq"], [["=1+1", 3], ["人才\x01公寓", 2.5], [long, True], ["nan", float("nan")]])
    }
    write_xlsx(tmp_path / "a.xlsx", sheets)
    time.sleep(1.1)  # a workbook written a second later is still the same bytes
    write_xlsx(tmp_path / "b.xlsx", sheets)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["keywords"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["keyword", "freq"],
        ["'=1+1", 3],
        ["人才公寓", 2.5],
        ["长" * 32_766 + "…", True],  # a cell holds at most 32,767 characters; the row goes on
        ["nan", None],
    ]
