"""Every extraction row of ../shared/docs/BAD-INPUTS.md: its fixture (built by tests/bad_inputs.py from
the real sample corpus) and its expected outcome. None ends in a traceback."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import docx
import pytest
from rapidfuzz.distance import Levenshtein

from textmine.config import ExtractConfig
from textmine.errors import ExtractionError
from textmine.ingest.extract import extract_file
from textmine.ingest.extract.extracted import Line
from textmine.ingest.extract.pdf import _gutter

import bad_inputs
from conftest import comparable

TRUTH = bad_inputs.SAMPLE_TRUTH.read_text(encoding="utf-8")


def accuracy(text: str, truth: str = TRUTH) -> float:
    a, b = comparable(text), comparable(truth)
    return 1 - Levenshtein.distance(a, b) / len(b)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    return {build.__name__: build(folder) for build in bad_inputs.BUILDERS}


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("encrypted", "encrypted: password required"),
        ("truncated", "unreadable PDF (data format error; truncated or damaged?)"),
        ("zero_bytes", "empty file (0 bytes)"),
        ("html_as_pdf", "not a PDF: the file is an HTML or XML page by its first bytes"),
        ("docx_as_pdf", "not a PDF: the file is a ZIP container (DOCX, XLSX, ...) by its first bytes"),
        ("legacy_doc", "not a DOCX: the file is a legacy Office file (.doc, .wps, .xls) by its first bytes"),
        ("no_tounicode", "no usable text: every page is unmapped glyphs such as (cid:N) (try --ocr)"),
        ("scanned", "no text layer: a scanned PDF (turn on OCR with --ocr to read it)"),
        (
            "mixed_encoding",
            "mixed encodings: valid UTF-8 up to byte 538 (200 characters), then not; save the file in one encoding",
        ),
        ("docx_bomb", "zip-bomb guard: unzips to 301 MB, more than extract.max_unzipped_mb = 200"),
    ],
)
def test_refused_with_the_reason(made, fixture, reason):
    with pytest.raises(ExtractionError) as info:
        extract_file(made[fixture])
    assert str(info.value) == reason


def test_encrypted_with_the_password(made):
    assert accuracy(extract_file(made["encrypted"], ExtractConfig(password="secret")).text) >= 0.999
    with pytest.raises(ExtractionError, match="^encrypted: wrong password$"):
        extract_file(made["encrypted"], ExtractConfig(password="guess"))


def test_owner_password_only_opens(made):
    assert accuracy(extract_file(made["owner_only"]).text) >= 0.999


def test_fake_bold_is_read_once(made):
    extracted = extract_file(made["fake_bold"])
    assert "议议" not in extracted.text and "北北" not in extracted.text
    assert accuracy(extracted.text) >= 0.999


def test_two_columns_are_read_column_by_column(made):
    text = extract_file(made["two_columns"]).text
    # the left column (page 1 of the sample) comes whole before the right one (page 2)
    assert text.index("一、北京市人民代表大会举行会议的时候") < text.index("五、北京市人民代表大会常务委员会组成人员")
    assert accuracy(text.replace("北京市人民代表大会常务委员会公报\n", "", 1)) >= 0.99


def test_the_gutter_is_the_free_position_nearest_the_middle():
    left, right = [Line("左", 72, 281.5, 12)] * 3, [Line("右", 306.2, 523, 12)] * 3
    # a 595-point page: the positions 282..306 are free, 297 and 298 are nearest 297.5, the left one wins
    assert _gutter(left + right, 595.0) == 297.0
    # a heading across the middle pushes the gutter to a free position beside it
    assert _gutter([*left, *right, Line("标题", 250, 297.2, 16)], 595.0) == 298.0
    assert _gutter([*left, *right, Line("标题", 200, 400, 16)], 595.0) is None  # crossed everywhere
    assert _gutter(left + right[:2], 595.0) is None  # two lines on the right: not a column


def test_pdf_table_rows_stay_whole_and_in_order(made):
    extracted = extract_file(made["ruled_table"])
    assert extracted.text.split("\n") == [
        "第一条 人才公寓补贴标准如下表：",
        *["\t".join(row) for row in bad_inputs.TABLE_ROWS],
        "第二条 本办法自发布之日起施行。",
    ]


def test_scanned_pdf_is_read_by_ocr(made):
    if shutil.which("tesseract") is None:
        pytest.fail("Tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim")
    extracted = extract_file(made["scanned"], ExtractConfig(ocr=True))
    assert extracted.ocr_pages == 2
    assert accuracy(extracted.text) >= 0.95
    assert not re.search(
        r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", extracted.text
    )  # Tesseract's spaces between Han characters


def test_gbk_and_big5_text(made):
    gbk = extract_file(made["gbk"])
    assert gbk.encoding == "gb18030" and accuracy(gbk.text) >= 0.999
    big5 = extract_file(made["big5"])
    assert big5.encoding == "big5"
    # phrase-level conversion: 乾安縣 → 乾安县 (not 干安县), 頭髮 → 头发
    assert big5.text == "第一条 为了促进人才发展，乾安县设立人才公寓，头发整齐，计算机软体产业。"
    assert big5.repairs["traditional characters"] == 15
    assert any(flag.startswith("traditional → simplified (OpenCC t2s)") for flag in big5.flags)


def test_traditional_kept_when_asked(made):
    assert extract_file(made["big5"], ExtractConfig(traditional="keep")).text == bad_inputs.TRADITIONAL.strip()


@pytest.mark.parametrize(
    ("text", "expected", "repairs"),
    [
        (bad_inputs.KANGXI, "一、人才民生政策：支持人才工作。", {"radicals": 7}),
        (bad_inputs.GLOSSES, "促进经济发展，支持人才引进。", {"pinyin glosses": 2, "traditional characters": 5}),
        ("零宽\u200b字符\ufeff与ＡＩ、１２３，全角标点保留。", "零宽字符与AI、123，全角标点保留。", {}),
    ],
)
def test_characters_are_repaired_and_counted(tmp_path, text, expected, repairs):
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    extracted = extract_file(path)
    assert extracted.text == expected and extracted.repairs == repairs


def test_characters_outside_jiebas_range_are_flagged(tmp_path):
    path = tmp_path / "rare.txt"
    path.write_text("古籍中的㐀字与𠀀字。", encoding="utf-8")
    assert "2 characters outside jieba's range (CJK Ext. A/B): segmented one by one" in extract_file(path).flags


def test_docx_tables_text_boxes_and_headers(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "北京市人民政府公报"
    document.add_paragraph("第一条 人才公寓的申请条件如下：")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "申请类别"
    table.cell(0, 2).text = "补贴标准"
    table.cell(1, 0).text = "领军人才"
    table.cell(1, 1).text = "一类"
    table.cell(1, 2).text = "每月5000元"
    paragraph = document.add_paragraph("第二条 另见说明框。")
    paragraph._p.append(
        docx.oxml.parse_xml(
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml">'
            "<w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>说明：补贴按年度发放。</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    )
    path = tmp_path / "table.docx"
    document.save(path)
    extracted = extract_file(path)
    assert extracted.text.split("\n") == [
        "第一条 人才公寓的申请条件如下：",
        "申请类别\t补贴标准",
        "领军人才\t一类\t每月5000元",
        "第二条 另见说明框。",
        "说明：补贴按年度发放。",
    ]
    assert extracted.dropped_lines == ("北京市人民政府公报",)


def test_a_slow_file_is_stopped_and_the_run_goes_on(made, tmp_path):
    corpus = tmp_path / "corpus" / "docs" / "beijing"
    corpus.mkdir(parents=True)
    for name in ("many_objects", "fake_bold", "zero_bytes", "encrypted", "big5"):
        shutil.copy(made[name], corpus / made[name].name)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "textmine",
            "extract",
            str(tmp_path / "corpus"),
            "-o",
            str(tmp_path / "out"),
            "--set",
            "extract.timeout=1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "2 read, 3 skipped" in result.stdout
    assert "docs/beijing/many-objects.pdf: timeout: stopped after 1 s" in result.stdout
    assert "docs/beijing/zero-bytes.pdf: empty file (0 bytes)" in result.stdout
    assert "docs/beijing/encrypted-user-password.pdf: encrypted: password required" in result.stdout
