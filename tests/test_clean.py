import sys
import unicodedata

import pytest

from textmine.ingest.clean import (
    _INVISIBLE,
    drop_known_furniture,
    hard_wrap_width,
    is_page_number,
    join_wrapped,
    normalise,
    page_furniture,
    paragraphs_of_plain_text,
)


@pytest.mark.parametrize("line", ["— 3 —", "- 12 -", "—  —", "第3页", "第 3 页 共 10 页", "3/10", "7", "Page 2 of 9"])
def test_page_number_lines(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["第三条 本市", "2020年", "（一）", "一、总则", "3号楼"])
def test_text_lines_are_not_page_numbers(line):
    assert not is_page_number(line)


def test_normalise_folds_ascii_width_only_and_drops_invisible_characters():
    text = "ＡＩ与１２３，\u200b第一章\u3000总\u3000\u3000则\ufeff\r\n下一行。"
    assert normalise(text) == "AI与123，第一章 总 则\n下一行。"


def test_invisible_set_is_exactly_control_and_format_characters():
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        if ch in "\n\t\r":
            continue
        expected = unicodedata.category(ch) in ("Cc", "Cf")
        assert bool(_INVISIBLE.match(ch)) == expected, hex(cp)


def test_running_headers_and_page_numbers_are_flagged():
    pages = [
        ["上海市人民代表大会常务委员会公报", "上海市人才流动条例", "第一条 为了", "— 1 —"],
        ["上海市人民代表大会常务委员会公报", "（五）负责本条例的实施。", "— 2 —"],
        ["上海市人民代表大会常务委员会公报", "第四十条 本条例自1997年4月1日起施行。", "— 3 —"],
    ]
    flags = page_furniture(pages, share=0.5)
    kept = [line for page, fl in zip(pages, flags, strict=True) for line, f in zip(page, fl, strict=True) if not f]
    assert kept == [
        "上海市人才流动条例",
        "第一条 为了",
        "（五）负责本条例的实施。",
        "第四十条 本条例自1997年4月1日起施行。",
    ]


def test_wrapped_lines_join_without_spaces_and_units_start_paragraphs():
    lines = [
        "第一条 为了加强本市人才流动的管理，规范人才流动秩序，保障单",
        "位和个人合法权益。",
        "第二条 本条例",
        "所称 AI",
        "model 是",
    ]
    wrapped = [True, False, True, True, False]
    assert join_wrapped(lines, wrapped) == [
        "第一条 为了加强本市人才流动的管理，规范人才流动秩序，保障单位和个人合法权益。",
        "第二条 本条例所称 AI model 是",
    ]


def test_hard_wrapped_plain_text_is_rejoined():
    body = "本市行政区域内的中医药医疗、预防保健、科研、教育、文化、产业等活动及其监督管理，适用本条例。" * 4
    width = 30
    lines = ["北京市中医药条例"] + [body[i : i + width] for i in range(0, len(body), width)] + ["第二条 附则。"]
    assert hard_wrap_width(lines) == width - 1
    assert paragraphs_of_plain_text("\n".join(lines)) == ["北京市中医药条例", body, "第二条 附则。"]


def test_plain_text_with_one_paragraph_per_line_is_kept():
    lines = ["第一条 短。", "第二条 这一行长一些，但不是折行。", "第三条 又一行。"]
    assert paragraphs_of_plain_text("\n".join(lines)) == lines


def test_known_furniture_is_dropped_whole_paragraphs_only():
    text = "北京市人民代表大会常务委员会公报\n北京市人民代表大会常务委员会关于某事的决定\n本决定自公布之日起施行。"
    assert drop_known_furniture(text, {"北京市人民代表大会常务委员会公报"}) == (
        "北京市人民代表大会常务委员会关于某事的决定\n本决定自公布之日起施行。",
        1,
    )
