"""Builds one file for every extraction fault in ../shared/docs/BAD-INPUTS.md, from the real sample
corpus, and says what textmine must do with it.

    python tests/bad_inputs.py OUTDIR     # write them all, to look at

Each builder takes an output folder and returns the path it wrote. PDFs are derived from a real
gazette PDF of the sample corpus with pikepdf (qpdf): encrypted, truncated, fake-bold (every text
object drawn twice, 0.4 pt apart), two columns (two pages side by side), fonts stripped of their
ToUnicode maps, rasterised (a scan), a page with tens of thousands of text objects.
"""

from __future__ import annotations

import random
import re
import sys
import zipfile
import zlib
from pathlib import Path

import pikepdf

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpora" / "four-cities"
# A two-page Beijing gazette PDF: the 关于议案的若干暂行规定 of 2010 (bj0003), and its true text.
SAMPLE_PDF = CORPUS / "docs" / "beijing" / "关于议案的若干暂行规定(2010-12-23).pdf"
SAMPLE_TRUTH = SHARED / "corpora" / "four-cities-truth" / "bj0003.txt"
SAMPLE_DOCX = (
    CORPUS / "docs" / "beijing" / "北京市人民代表大会常务委员会关于北京市耕地占用税适用税额的决定(2019-07-26).docx"
)


def _contents(page: pikepdf.Page) -> bytes:
    contents = page.obj.Contents
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(c.read_bytes() for c in contents)
    return contents.read_bytes()


def _set_contents(pdf: pikepdf.Pdf, page: pikepdf.Page, data: bytes) -> None:
    page.obj.Contents = pdf.make_stream(data)


def encrypted(out: Path, *, user: str = "secret") -> Path:
    """Needs a user password to open."""
    path = out / "encrypted-user-password.pdf"
    with pikepdf.open(SAMPLE_PDF) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user=user, owner="owner-" + user, R=6))
    return path


def owner_only(out: Path) -> Path:
    """Encrypted with an owner password only: opens without one (printing/copying restricted)."""
    path = out / "encrypted-owner-only.pdf"
    with pikepdf.open(SAMPLE_PDF) as pdf:
        pdf.save(
            path, encryption=pikepdf.Encryption(user="", owner="owner", R=4, allow=pikepdf.Permissions(extract=False))
        )
    return path


def truncated(out: Path) -> Path:
    path = out / "truncated.pdf"
    data = SAMPLE_PDF.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def zero_bytes(out: Path) -> Path:
    path = out / "zero-bytes.pdf"
    path.write_bytes(b"")
    return path


def html_as_pdf(out: Path) -> Path:
    path = out / "portal-page-saved-as.pdf"
    path.write_bytes(b"<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not Found</body></html>")
    return path


def docx_as_pdf(out: Path) -> Path:
    path = out / "word-file-saved-as.pdf"
    path.write_bytes(SAMPLE_DOCX.read_bytes())
    return path


def legacy_doc(out: Path) -> Path:
    """An OLE compound file (Word 97-2003 .doc / WPS) renamed .docx."""
    path = out / "legacy-word.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return path


def fake_bold(out: Path) -> Path:
    """Every text object drawn a second time 0.4 pt to the right, as word processors fake bold."""
    path = out / "fake-bold.pdf"
    with pikepdf.open(SAMPLE_PDF) as pdf:
        for page in pdf.pages:
            data = _contents(page)
            doubled = re.sub(
                rb"BT\n(.*?)\nET",
                lambda m: m.group(0) + b"\nq 1 0 0 1 0.4 0 cm BT\n" + m.group(1) + b"\nET Q",
                data,
                flags=re.S,
            )
            _set_contents(pdf, page, doubled)
        pdf.save(path)
    return path


def two_columns(out: Path) -> Path:
    """Both pages of the sample set side by side, at 60 %, on one landscape page: two columns."""
    path = out / "two-columns.pdf"
    with pikepdf.open(SAMPLE_PDF) as src, pikepdf.new() as pdf:
        width, height = float(src.pages[0].mediabox[2]), float(src.pages[0].mediabox[3])
        scale = 0.6
        page = pdf.add_blank_page(page_size=(2 * width * scale, height * scale))
        for i, source in enumerate(src.pages[:2]):
            form = pdf.copy_foreign(source.as_form_xobject())
            name = page.add_resource(form, pikepdf.Name.XObject, prefix="Col")
            page.contents_add(pdf.make_stream(f"q {scale} 0 0 {scale} {i * width * scale} 0 cm {name} Do Q".encode()))
        pdf.save(path)
    return path


def no_tounicode(out: Path) -> Path:
    """Fonts stripped of their ToUnicode maps: the text layer no longer says which characters it shows."""
    path = out / "no-tounicode.pdf"
    with pikepdf.open(SAMPLE_PDF) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                if "/ToUnicode" in font:
                    del font["/ToUnicode"]
                descriptor = font.get("/FontDescriptor")
                if descriptor is not None:  # the embedded font's own glyph names would give the text away
                    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                        if key in descriptor:
                            del descriptor[key]
        pdf.save(path)
    return path


def scanned(out: Path, dpi: int = 150) -> Path:
    """The sample's pages rendered to images and put back into a PDF with no text layer."""
    import pypdfium2 as pdfium

    path = out / "scanned.pdf"
    document = pdfium.PdfDocument(str(SAMPLE_PDF))
    images = [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    document.close()
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


def many_objects(out: Path, n: int = 40_000) -> Path:
    """One ruled page (a table grid) with tens of thousands of tiny text objects: slow to parse."""
    path = out / "many-objects.pdf"
    with pikepdf.open(SAMPLE_PDF) as pdf:
        page = pdf.pages[0]
        font = next(iter(page.Resources.Font.keys()))
        grid = b"".join(
            f"50 {100 + 40 * i} m 550 {100 + 40 * i} l S 50 {100 + 40 * i} m 50 {100 + 40 * i + 30} l S\n".encode()
            for i in range(6)
        )
        body = grid + b"".join(f"BT {font} 2 Tf {i % 500} {i // 500} Td <01> Tj ET\n".encode() for i in range(n))
        _set_contents(pdf, page, body)
        pdf.save(path)
    return path


def damaged_stream(out: Path, page: int = 0) -> Path:
    """A block of zeros written over the middle of one page's compressed content stream, as a bad
    sector or an interrupted download leaves it: the page's text is partly lost."""
    path = out / f"damaged-stream-page{page + 1}.pdf"
    with pikepdf.open(SAMPLE_PDF) as pdf:
        target = pdf.pages[page]
        compressed = zlib.compress(_contents(target))
        stream = pdf.make_stream(b"")
        stream.write(compressed, filter=pikepdf.Name.FlateDecode)
        target.obj.Contents = stream
        pdf.save(path, compress_streams=False)
    data = bytearray(path.read_bytes())
    start = data.find(compressed)
    assert start > 0, "the compressed stream is stored as written"
    block = min(4096, len(compressed) // 3)
    data[start + len(compressed) // 3 : start + len(compressed) // 3 + block] = bytes(block)
    path.write_bytes(bytes(data))
    return path


def flipped_bits(out: Path, round_: int = 5) -> Path:
    """Bits flipped at random places (seeded), as a failing disk or a bad copy leaves a file; the fifth
    round of this generator damages a font stream that pdfminer then decodes with data loss."""
    rng = random.Random(1)
    data = SAMPLE_PDF.read_bytes()
    for i in range(round_ + 1):
        damaged = bytearray(data)
        if i % 3 == 0:
            start = rng.randrange(len(damaged) - 4096)
            damaged[start : start + 4096] = bytes(4096)
        else:
            for _ in range(rng.choice([1, 5, 20])):
                at = rng.randrange(len(damaged))
                damaged[at] ^= 1 << rng.randrange(8)
    path = out / f"flipped-bits-{round_}.pdf"
    path.write_bytes(bytes(damaged))
    return path


TABLE_ROWS = [["人才类别", "补贴标准（元/月）"], ["领军人才", "5000"], ["青年人才", "2000"]]


def ruled_table(out: Path) -> Path:
    """A page with a ruled table between two paragraphs, drawn by matplotlib with a CJK font."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from textmine.output.charts import cjk_font

    path = out / "ruled-table.pdf"
    with plt.rc_context({"font.family": cjk_font()}):
        fig = plt.figure(figsize=(8.27, 11.69))
        fig.text(0.1, 0.9, "第一条 人才公寓补贴标准如下表：", fontsize=12)
        left, middle, right, rows = 0.1, 0.5, 0.9, [0.85, 0.8, 0.75, 0.7]
        for y in rows:
            fig.add_artist(plt.Line2D([left, right], [y, y], color="black", lw=1))
        for x in (left, middle, right):
            fig.add_artist(plt.Line2D([x, x], [rows[0], rows[-1]], color="black", lw=1))
        for i, row in enumerate(TABLE_ROWS):
            for j, cell in enumerate(row):
                fig.text((left if j == 0 else middle) + 0.02, rows[i] - 0.033, cell, fontsize=11)
        fig.text(0.1, 0.65, "第二条 本办法自发布之日起施行。", fontsize=12)
        fig.savefig(path, metadata={"CreationDate": None})
        plt.close(fig)
    return path


def text_file(out: Path, name: str, data: bytes) -> Path:
    path = out / name
    path.write_bytes(data)
    return path


TRADITIONAL = "第一條 為了促進人才發展，乾安縣設立人才公寓，頭髮整齊，計算機軟體產業。\n"
KANGXI = "⼀、⼈才⺠⽣政策：⽀持⼈才⼯作。\n"  # ⼀ ⼈ ⺠ ⽣ ⽀ ⼯ are radicals, not the ideographs 一 人 民 生 支 工
GLOSSES = "促進經濟發(fā)展，支持人才(rén cái)引進。\n"


def gbk(out: Path) -> Path:
    return text_file(out, "gbk.txt", SAMPLE_TRUTH.read_text(encoding="utf-8").encode("gbk", errors="ignore"))


def big5(out: Path) -> Path:
    return text_file(out, "big5.txt", TRADITIONAL.encode("big5"))


def mixed_encoding(out: Path) -> Path:
    head = SAMPLE_TRUTH.read_text(encoding="utf-8")[:200].encode("utf-8")
    return text_file(out, "mixed-encoding.txt", head + "第二部分用国标码保存。".encode("gb18030"))


def docx_bomb(out: Path, size_mb: int = 300) -> Path:
    """A DOCX whose document.xml inflates to hundreds of megabytes from a few hundred kilobytes."""
    path = out / "zip-bomb.docx"
    with zipfile.ZipFile(SAMPLE_DOCX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<!--" + b"A" * (size_mb * 1024 * 1024) + b"--></w:body>")
            dst.writestr(item.filename, data)
    return path


BUILDERS = [
    encrypted,
    owner_only,
    truncated,
    zero_bytes,
    html_as_pdf,
    docx_as_pdf,
    legacy_doc,
    fake_bold,
    two_columns,
    ruled_table,
    no_tounicode,
    scanned,
    many_objects,
    gbk,
    big5,
    mixed_encoding,
    docx_bomb,
]


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for build in BUILDERS:
        print(build(target))
