import pytest
from rapidfuzz.distance import Levenshtein

from textmine.errors import ExtractionError
from textmine.ingest.extract import extract_file
from textmine.ingest.extract.plain import decode

from conftest import FIXTURES, FOUR_CITIES, comparable, manifest_rows, truth

ROWS = manifest_rows()


def accuracy(extracted: str, expected: str) -> float:
    a, b = comparable(extracted), comparable(expected)
    return 1 - Levenshtein.distance(a, b) / len(b)


# Two documents of each format, from different cities.
KNOWN = {
    "pdf": ["sh0010", "gz0005"],
    "docx": ["bj0023", "sz0011"],
    "txt": ["bj0166", "gz0003"],
    "md": ["sh0073", "sz0016"],
}


@pytest.mark.parametrize(("fmt", "doc_id"), [(f, d) for f, ids in KNOWN.items() for d in ids])
def test_each_format_gives_the_true_text(fmt, doc_id):
    row = ROWS[doc_id]
    assert row["format"] == fmt
    extracted = extract_file(FOUR_CITIES / row["file"])
    assert accuracy(extracted.text, truth(doc_id)) >= 0.999
    if fmt == "md":
        assert "INFO END" not in extracted.text and "#" not in extracted.text
    if fmt == "txt":
        assert extracted.encoding == "gb18030"


def test_pdf_page_furniture_is_gone_and_sentences_are_whole():
    extracted = extract_file(FOUR_CITIES / ROWS["sh0010"]["file"])
    assert extracted.pages == 8
    assert "常务委员会公报" not in extracted.text
    assert "— 1 —" not in extracted.text and "— 8 —" not in extracted.text
    assert "上海市人民代表大会常务委员会公报" in extracted.dropped_lines
    # this sentence is broken over two lines on page 1 of the PDF
    assert "第一条 为了加强本市人才流动的管理，规范人才流动秩序，保障单位和个人合法权益，" in extracted.text


def test_markdown_front_matter_becomes_metadata():
    extracted = extract_file(FOUR_CITIES / ROWS["sz0016"]["file"])
    assert extracted.meta["title"] == "深圳经济特区数字经济产业促进条例"
    assert extracted.meta["publish"].startswith("2022-09-05")
    assert "download_link" not in extracted.text


def test_real_typeset_government_pdf():
    folder = FIXTURES / "real-pdfs" / "govdoc-cn-397"
    extracted = extract_file(folder / "397.pdf")
    # plain pdfplumber extract_text scores 98.97 % here; page numbers are what we remove
    assert accuracy(extracted.text, (folder / "397.txt").read_text(encoding="utf-8")) >= 0.995
    # the red header in reading order: 文件 stands beside the first issuer, between the two lines
    # (PDFium's own order reads it after the second)
    assert comparable(extracted.text).startswith("发展改革委办公厅文件税务总局办公厅发改办财金规〔2019〕860号")


def test_first_pages_laid_out_from_pdfium_are_pdfplumbers_lines():
    """The first page's lines from PDFium's characters are pdfplumber's extract_text_lines, text for
    text, on every 20th PDF of four-cities and the typeset notice."""
    import pypdfium2 as pdfium

    from textmine.ingest.extract.pdf import _geometric_lines
    from textmine.ingest.extract.pdf_tables import plumber_page_lines

    files = sorted(FOUR_CITIES.rglob("*.pdf"))[::20] + [FIXTURES / "real-pdfs" / "govdoc-cn-397" / "397.pdf"]
    for path in files:
        document = pdfium.PdfDocument(path)
        textpage = document[0].get_textpage()
        ours = [line.text for line in _geometric_lines(textpage, textpage.get_text_range())]
        textpage.close()
        document.close()
        assert ours == [values[0] for values in plumber_page_lines(path, 0, "")[0]], path.name


def test_encodings_are_detected():
    text = "第一条 为了加强本市人才流动的管理，镕基。"
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    assert decode(text.encode("gb18030")) == (text, "gb18030")
    traditional = "第一條 為了加強本市人才流動的管理，規範人才流動秩序，保障單位和個人合法權益。"
    assert decode(traditional.encode("big5")) == (traditional, "big5")


def test_html_with_gb2312_charset_and_portal_menus(tmp_path):
    page = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'><title>通知</title>"
        "<script>var x = '菜单';</script></head><body><nav>首页 | 政策文件 | 联系我们</nav>"
        "<div class='top-menu'>网站地图</div><div id='breadcrumb'>当前位置：政策</div>"
        "<div class='article'><h1>关于支持人才公寓建设的通知</h1><p>各区人民政府：</p>"
        "<p>为落实高层次人才安居政策&nbsp;，现通知如下&amp;。镕</p><table><tr><td>补贴</td><td>100万元</td></tr></table></div>"
        "<footer>版权所有</footer><div class='copyright'>主办单位</div></body></html>"
    )
    path = tmp_path / "notice.html"
    path.write_bytes(page.encode("gb18030"))
    extracted = extract_file(path)
    assert extracted.encoding == "gb18030"
    # the <title> stays out: portals repeat the heading there
    assert extracted.text.split("\n") == [
        "关于支持人才公寓建设的通知",
        "各区人民政府：",
        "为落实高层次人才安居政策 ，现通知如下&。镕",
        "补贴\t100万元",
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.pdf", b"", "empty file (0 bytes)"),
        (
            "page.pdf",
            b"<!DOCTYPE html><html><body>404</body></html>",
            "not a PDF: the file is an HTML or XML page by its first bytes",
        ),
        (
            "old.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "not a DOCX: the file is a legacy Office file (.doc, .wps, .xls) by its first bytes",
        ),
        (
            "notes.wps",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "unsupported file type '.wps' (supported: pdf, docx, html, htm, txt, md)",
        ),
        (
            "fake.docx",
            b"PK\x03\x04 not really a zip",
            "damaged DOCX: not a valid ZIP archive (truncated or corrupted file)",
        ),
        ("binary.txt", b"%PDF-1.7\n", "not a .txt text file: the file is a PDF by its first bytes"),
    ],
)
def test_bad_files_fail_with_a_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExtractionError) as info:
        extract_file(path)
    assert str(info.value).startswith(reason)
    assert "\n" not in str(info.value)


def test_truncated_pdf_fails_with_a_reason(tmp_path):
    source = FOUR_CITIES / ROWS["sh0010"]["file"]
    data = source.read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ExtractionError, match=r"^(unreadable PDF|no text layer)"):
        extract_file(path)


def test_pdf_without_a_text_layer_is_flagged(tmp_path):
    pytest.importorskip("PIL")
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (200, 280), "white").save(path, "PDF")
    with pytest.raises(ExtractionError, match="no text layer"):
        extract_file(path)
