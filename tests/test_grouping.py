import pytest

from textmine.config import CorpusConfig
from textmine.errors import ConfigError, CorpusError
from textmine.grouping import group_name, parse_group_by, period_of, year_bands
from textmine.ingest.corpus import discover

from conftest import FIXTURES, make_corpus, truth


def test_year_bands_are_named_so_no_spreadsheet_reads_a_formula():
    bands = year_bands(["-2015", "2016-2020", "2021-"])
    assert bands == {"≤2015": (0, 2015), "2016-2020": (2016, 2020), "≥2021": (2021, 9999)}
    assert year_bands(["1999"]) == {"1999": (1999, 1999)}
    assert [period_of(y, bands) for y in (1990, 2016, 2020, 2030, None)] == [
        "≤2015",
        "2016-2020",
        "2016-2020",
        "≥2021",
        None,
    ]
    with pytest.raises(ConfigError, match="'2016-2020' and '2019-' overlap"):
        year_bands(["2016-2020", "2019-"])
    with pytest.raises(ConfigError, match="ends before it starts"):
        year_bands(["2020-2016"])
    with pytest.raises(ConfigError, match="year bands like"):
        year_bands(["late"])


def test_a_cross_of_a_column_and_the_period():
    bands = year_bands(["-2015", "2016-"])
    assert parse_group_by("city + period") == ["city", "period"]
    assert group_name({"city": "北京"}, 2018, ["city", "period"], bands) == "北京 · ≥2016"
    assert group_name({"city": "北京"}, None, ["city", "period"], bands) == "北京 · (no year)"
    assert group_name({"city": "北京"}, 2010, ["year"], bands) == "2010"
    with pytest.raises(ConfigError, match="columns joined by"):
        parse_group_by("city++period")


def test_documents_grouped_by_city_and_period(tmp_path):
    ids = ["bj0114", "bj0001", "sh0001", "gz0002"]
    root = make_corpus(tmp_path / "c", ids)
    found = discover(root, CorpusConfig(group_by="city+period", periods=["-2015", "2016-"]))
    groups = {d.id: d.group for d in found.documents}
    years = {d.id: d.year for d in found.documents}
    for doc_id in ids:
        city = {"bj": "beijing", "sh": "shanghai", "gz": "guangzhou"}[doc_id[:2]]
        band = "(no year)" if years[doc_id] is None else "≤2015" if years[doc_id] <= 2015 else "≥2016"
        assert groups[doc_id] == f"{city} · {band}"
    assert groups["bj0001"] == "beijing · ≤2015"  # the manifest dates it 2010
    with pytest.raises(ConfigError, match="set corpus.periods"):
        discover(root, CorpusConfig(group_by="period"))
    with pytest.raises(CorpusError, match="no column 'province'"):
        discover(root, CorpusConfig(group_by="city+province"))


def test_grouped_by_the_issuer_read_from_the_text(tmp_path):
    import shutil

    import textmine

    root = tmp_path / "c"
    (root / "notices").mkdir(parents=True)
    shutil.copy(FIXTURES / "real-pdfs" / "govdoc-cn-397" / "397.pdf", root / "notices" / "397.pdf")
    (root / "notices" / "opinion.txt").write_text(
        "北京市人民政府关于加快建设高水平人才高地的意见\n京政发〔2021〕30号\n各区人民政府，市政府各委、办、局：\n"
        "为深入实施人才强国战略，提出如下意见。\n本意见自印发之日起施行。\n北京市人民政府\n2021年11月5日\n",
        encoding="utf-8",
    )
    (root / "notices" / "regulation.txt").write_text(truth("bj0004"), encoding="utf-8")
    config = textmine.load_config(corpus=root, overrides={"corpus.group_by": "issuer", "run.progress": False})
    read, _ = textmine.extract_corpus(discover(root, config.corpus), config)
    assert {r.document.id: r.document.group for r in read} == {
        "notices/397": "发展改革委办公厅、税务总局办公厅",
        "notices/opinion": "北京市人民政府",
        "notices/regulation": "(none)",  # a regulation names no issuer; never the folder's name
    }
