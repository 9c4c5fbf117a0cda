import csv
import shutil

import pytest

from textmine.config import CorpusConfig
from textmine.errors import CorpusError
from textmine.ingest.corpus import discover, year_from_text

from conftest import FOUR_CITIES, make_corpus


def test_four_cities_from_its_manifest():
    corpus = discover(FOUR_CITIES)
    assert len(corpus.documents) == 447 and not corpus.skipped
    counts = {g: sum(d.group == g for d in corpus.documents) for g in corpus.groups}
    assert counts == {"beijing": 187, "guangzhou": 10, "shanghai": 233, "shenzhen": 17}
    ids = [d.id for d in corpus.documents]
    assert ids == sorted(ids)
    first = corpus.documents[0]
    assert first.id == "bj0001"
    assert first.meta["title"] == "中关村国家自主创新示范区条例"
    assert first.meta["doc_type"] == "地方性法规"
    assert (first.year, first.year_source) == (2010, "manifest")


def test_year_from_the_file_name_when_the_manifest_has_none(tmp_path):
    root = make_corpus(tmp_path / "c", ["bj0004", "sh0010"])
    manifest = root / "manifest.csv"
    rows = list(csv.DictReader(manifest.open(encoding="utf-8")))
    for row in rows:
        row["year"] = row["date"] = ""
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    docs = {d.id: d for d in discover(root).documents}
    assert (docs["bj0004"].year, docs["bj0004"].year_source) == (
        2022,
        "file name",
    )  # 北京中轴线文化遗产保护条例(2022-05-25).txt
    assert (docs["sh0010"].year, docs["sh0010"].year_source) == (None, "unknown")  # found later, in the text


def test_year_from_the_text():
    adopted = "北京市某条例\n2010年12月23日 北京市第十三届人民代表大会常务委员会第二十二次会议通过　根据2019年3月29日修正\n第一章 总则\n第一条 2030年1月1日"
    assert year_from_text(adopted) == 2019
    in_force = "上海市人才流动条例\n第一条 为了……\n第四十条 本条例自1997年4月1日起施行。"
    assert year_from_text(in_force) == 1997
    assert year_from_text("没有日期的文本。") is None


def test_groups_from_folders_without_a_manifest(tmp_path):
    make_corpus(tmp_path / "c", ["bj0114", "bj0166", "sh0040"])
    (tmp_path / "c" / "manifest.csv").unlink()
    corpus = discover(tmp_path / "c")
    # every file sits under docs/<city>/: the groups are the folders where the tree branches
    assert [(d.id, d.group) for d in corpus.documents] == [
        ("docs/beijing/北京市实施《集会游行示威法》办法", "beijing"),
        ("docs/beijing/北京市科学技术普及条例", "beijing"),
        ("docs/shanghai/上海市促进浦东新区运用区块链赋能电子单证应用若干规定(2024-12-31)", "shanghai"),
    ]
    assert corpus.documents[2].year == 2024 and corpus.documents[2].year_source == "file name"


def test_manifest_rows_whose_file_is_missing_are_skipped(tmp_path):
    root = make_corpus(tmp_path / "c", ["bj0114", "bj0166"])
    shutil.rmtree(root / "docs" / "beijing")
    (root / "docs" / "beijing").mkdir()
    shutil.copyfile(
        FOUR_CITIES / "docs/beijing/北京市科学技术普及条例.txt", root / "docs/beijing/北京市科学技术普及条例.txt"
    )
    corpus = discover(root)
    assert [d.id for d in corpus.documents] == ["bj0166"]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("docs/beijing/北京市实施《集会游行示威法》办法.md", "listed in the manifest but not found")
    ]


def test_group_column_must_exist(tmp_path):
    root = make_corpus(tmp_path / "c", ["bj0114"])
    with pytest.raises(CorpusError, match="no column 'province' to group by"):
        discover(root, CorpusConfig(group_by="province"))


def test_not_a_folder(tmp_path):
    with pytest.raises(CorpusError, match="not a folder"):
        discover(tmp_path / "missing")
