import pytest

from textmine.config import SegmentConfig
from textmine.errors import ResourceError
from textmine.text.resources import (
    display_name,
    load_lexicon,
    read_synonyms,
    read_user_dict,
    shipped_files,
)


def test_shipped_lists_load_with_sources_and_hashes():
    lexicon = load_lexicon(SegmentConfig())
    assert {"进一步", "万人", "有待", "应当", "本市"} <= lexicon.stopwords  # METHOD.md's and issue 4's examples
    assert ("专精特新", None, "nz") in lexicon.user_words
    assert lexicon.synonyms["高企"] == "高新技术企业"
    assert all(len(digest) == 64 for _, _, digest in lexicon.files)
    for paths in shipped_files().values():
        for path in paths:
            head = path.read_text(encoding="utf-8").splitlines()[:6]
            assert any("Source" in line or "source" in line for line in head), f"{path.name} names no source"
            assert display_name(path).startswith("textmine:")


def test_user_dictionary_format(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("\ufeff# comment\r\n人才公寓 50 n\r\n安家补贴\r\n专精特新 nz\r\n", encoding="utf-8")
    assert read_user_dict(path) == [("人才公寓", 50, "n"), ("安家补贴", None, None), ("专精特新", None, "nz")]
    path.write_text(
        "人才 公寓 n\n", encoding="utf-8"
    )  # a space inside the word: kept whole for the self-test to report
    assert read_user_dict(path) == [("人才 公寓 n", None, None)]


def test_synonym_files_are_checked(tmp_path):
    path = tmp_path / "s.tsv"
    path.write_text("高企 高新技术企业\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="s.tsv:1: expected 'variant<TAB>canonical'"):
        read_synonyms(path)
    path.write_text("甲\t乙\n甲\t丙\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="'甲' is mapped to both '乙' and '丙'"):
        read_synonyms(path)
    path.write_text("甲\t乙\n乙\t丙\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="synonym chains .*甲→乙→丙"):
        load_lexicon(SegmentConfig(shipped_lists=False, synonyms=[str(path)]))


def test_missing_user_file_names_it(tmp_path):
    with pytest.raises(ResourceError, match="nothere.txt: file not found"):
        load_lexicon(SegmentConfig(stopwords=[str(tmp_path / "nothere.txt")]))
