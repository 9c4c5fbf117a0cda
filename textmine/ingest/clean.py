"""Text cleaning shared by every format: normalisation, page furniture, lines broken inside sentences.

Pure functions on strings and lists of lines; the extractors decide which ones apply to their format.
"""

from __future__ import annotations

import re
from collections import Counter

# Full-width ASCII letters and digits fold to ASCII; full-width punctuation (，。：；) stays, because
# Chinese text uses it and the sentence splitter relies on it.
_FULLWIDTH_FOLD = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
# Control (Cc) and format (Cf) characters, tab and newline excepted: zero-width spaces, BOMs, bidi marks.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_SPACES = re.compile(r"[ \u00a0\u3000\u2002-\u200a\u202f\u205f]+")  # tabs stay: they separate table cells


_VALUE_JUNK = re.compile(_INVISIBLE.pattern + "|[\t\n\r]")


def clean_value(value: str) -> tuple[str, int]:
    """A metadata value (a manifest cell, a file or folder name) without control and format
    characters — tabs and line breaks become spaces — and how many characters were removed or replaced."""
    clean, n = _VALUE_JUNK.subn(lambda m: " " if m.group(0) in "\t\n\r" else "", value)
    return clean.strip(), n


def normalise(text: str) -> str:
    """Unify line ends and spaces, drop format characters, fold full-width letters and digits."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_FULLWIDTH_FOLD)
    text = _INVISIBLE.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip(" \t") for line in text.split("\n"))


_DASHES = "-‐‑‒–—―－─━"
_DECORATED_PAGE_NUMBER = re.compile(
    rf"^(?:[{_DASHES}]+\s*\d{{1,4}}\s*[{_DASHES}]+"  # — 3 —, - 3 -
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?)$"  # 第3页, 第3页 共10页
)
_PAGE_NUMBER = re.compile(
    rf"^(?:[{_DASHES}]*\s*\d{{1,4}}\s*[{_DASHES}]*"  # — 3 —, - 3 -, 3
    rf"|[{_DASHES}]+\s*[{_DASHES}]+"  # —  — (an empty page-number field)
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"  # 第3页, 第3页 共10页
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3 / 10
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)


def is_page_number(line: str) -> bool:
    """True for lines that are only a page number: ``— 3 —``, ``- 3 -``, ``第3页``, ``3/10``, ``7``."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def is_decorated_page_number(line: str) -> bool:
    """A page number no body text looks like (``— 3 —``, ``第3页``): furniture wherever it stands on the page."""
    return bool(_DECORATED_PAGE_NUMBER.match(line.strip()))


def page_furniture(pages: list[list[str]], *, share: float, edge: int = 2) -> list[list[bool]]:
    """Which lines of a paginated text are running headers, footers or page numbers.

    A decorated page number (``— 3 —``) is furniture anywhere; a line among the first or last ``edge``
    lines of a page is furniture when it is a page number, or when the same line (digits ignored)
    stands at the edge of at least ``share`` of the pages and of two pages or more. Returns one flag per line, True for furniture.
    """

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.replace(" ", ""))

    at_edges: Counter[str] = Counter()
    for lines in pages:
        at_edges.update({key(line) for line in lines[:edge] + lines[-edge:] if line})
    needed = max(2, share * len(pages))
    running = {k for k, n in at_edges.items() if n >= needed}
    flags = []
    for lines in pages:
        n = len(lines)
        flags.append(
            [
                is_decorated_page_number(line)
                or ((i < edge or i >= n - edge) and (is_page_number(line) or key(line) in running))
                for i, line in enumerate(lines)
            ]
        )
    return flags


# A line that opens a structural unit always starts a new paragraph.
_UNIT_START = re.compile(
    r"^(?:第[一二三四五六七八九十百千零〇\d]+[编章节条款]"
    r"|[（(][一二三四五六七八九十\d]+[）)]"
    r"|[一二三四五六七八九十]+、"
    r"|\d+[.、．]"
    r"|附件|附则)"
)
_CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"


def opens_unit(line: str) -> bool:
    """A line that starts a paragraph whatever came before: 第…条, （一）, 一、, 1., 附件, or a table row."""
    return bool(_UNIT_START.match(line)) or "\t" in line


def join_wrapped(lines: list[str], wrapped: list[bool]) -> list[str]:
    """Join lines that were broken only because they reached the right margin.

    ``wrapped[i]`` says that line ``i`` ran to the margin, so the next line continues it unless that
    line opens a new unit (第…条, （一）, 一、…). Han characters are joined without a space; a space is
    kept between two Latin words. Returns the paragraphs.
    """
    paragraphs: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        if not line:
            continue
        if current and (opens_unit(line) or not wrapped[i - 1]):
            paragraphs.append(current)
            current = ""
        current = _glue(current, line)
    if current:
        paragraphs.append(current)
    return paragraphs


def _glue(left: str, right: str) -> str:
    if not left:
        return right
    if re.match(rf"[{_CJK}]", left[-1]) or re.match(rf"[{_CJK}]", right[0]):
        return left + right
    return left + " " + right


def hard_wrap_width(lines: list[str]) -> int | None:
    """The width at which a plain text was hard-wrapped, or None when its lines are paragraphs.

    A text is taken as hard-wrapped when at least 30 % of its lines of 10 characters or more have the
    same length (±1) and there are at least 5 of them.
    """
    lengths = [len(line) for line in lines if len(line) >= 10]
    if len(lengths) < 5:
        return None
    counts = Counter(lengths)
    width, _ = max(counts.items(), key=lambda kv: (kv[1] + counts[kv[0] - 1] + counts[kv[0] + 1], kv[0]))
    near = counts[width - 1] + counts[width] + counts[width + 1]
    return width - 1 if near >= 5 and near >= 0.3 * len(lengths) else None


def paragraphs_of_plain_text(text: str) -> list[str]:
    """Paragraphs of a plain text: lines as they are, or re-joined when the text was hard-wrapped."""
    lines = [line for line in text.split("\n") if line]
    width = hard_wrap_width(lines)
    if width is None:
        return lines
    return join_wrapped(lines, [len(line) >= width for line in lines])


def drop_known_furniture(text: str, known: set[str]) -> tuple[str, int]:
    """Remove paragraphs that are running headers seen in other documents of the corpus.

    A one-page gazette PDF shows its header once, so it cannot be found by repetition inside the
    file; the same header dropped from the corpus's longer documents identifies it. Returns the text
    and the number of paragraphs removed.
    """
    kept = [p for p in text.split("\n") if p not in known]
    return "\n".join(kept), text.count("\n") + 1 - len(kept)


def map_radicals(text: str, table: dict[str, str]) -> tuple[str, int]:
    """Replace Kangxi and supplementary radicals (⼀, ⺠) by the ideographs they stand for (一, 民).

    NFKC alone would miss most of the CJK Radicals Supplement and would also turn ， into , — so
    the mapping is Unicode's Equivalent_Unified_Ideograph table, applied to those characters only.
    Returns the text and the number of characters replaced.
    """
    count = sum(text.count(radical) for radical in table if radical in text)
    if not count:
        return text, 0
    return text.translate({ord(k): v for k, v in table.items()}), count


_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ve|ue|vn|a|o|e|i|u|v|n|m)"
    r"[1-5]?"
)
_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])[(（]\s*([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ1-5' ]+?)\s*[)）]")


def strip_pinyin_glosses(text: str) -> tuple[str, int]:
    """Remove pinyin glosses written after characters, as in reposted web text: 發(fā)展 → 發展.

    Only lower-case glosses made entirely of pinyin syllables go, so 人工智能(AI) or 办法(试行) stay.
    Returns the text and the number of glosses removed.
    """
    count = 0

    def drop(match: re.Match[str]) -> str:
        nonlocal count
        words = match.group(1).translate(_TONES).replace("'", " ").split()
        if words and all(_SYLLABLE.fullmatch(w) for w in words):
            count += 1
            return ""
        return match.group(0)

    return _GLOSS.sub(drop, text), count


def beyond_jieba(text: str) -> int:
    """Characters from CJK Extension A and the supplementary planes, which jieba's dictionary and HMM do not cover."""
    return sum(1 for ch in text if "\u3400" <= ch <= "\u4dbf" or ord(ch) >= 0x20000)
