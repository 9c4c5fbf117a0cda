"""TXT and Markdown: decode the bytes, remove Markdown markup, rebuild paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import ExtractionError
from ..clean import normalise, paragraphs_of_plain_text
from .extracted import Extracted

# A file that holds this many non-ASCII UTF-8 characters before its first invalid byte was written
# as UTF-8 and then appended to in another encoding: guessing one encoding would garble a part.
MIXED_AFTER = 20


def decode(data: bytes) -> tuple[str, str]:
    """Decode Chinese text bytes; return (text, encoding).

    UTF-8 (with or without BOM) first. Otherwise GB18030 and Big5, which accept much of each other's
    bytes, are both tried and the one whose Han characters are more often common ones wins (GB18030
    on a tie). GB2312 and GBK are never used: GB18030 is their superset and decodes 镕 and the like.
    """
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    valid = data[: utf8_error.start].decode("utf-8-sig", errors="ignore")
    if sum(1 for ch in valid if ord(ch) > 0x7F) >= MIXED_AFTER:
        raise ExtractionError(
            f"mixed encodings: valid UTF-8 up to byte {utf8_error.start} ({len(valid)} characters), then not; "
            "save the file in one encoding"
        )
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_share(text, encoding), encoding == "gb18030", encoding, text))
    if not candidates:
        raise ExtractionError(f"not UTF-8, GB18030 or Big5 text (invalid UTF-8 at byte {utf8_error.start})")
    _, _, encoding, text = max(candidates)
    return text, encoding


def _common_share(text: str, encoding: str) -> float:
    """Share of Han characters that are among the most common ones of that encoding's script.

    GB2312 level 1 (lead bytes B0–D7) holds the 3,755 most common simplified characters; Big5's
    common characters (lead bytes A4–C6) the 5,401 most common traditional ones. Text decoded with
    the wrong codec yields mostly rare characters.
    """
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return 0.0
    common = 0
    for ch in han:
        try:
            lead = ch.encode("gb2312" if encoding == "gb18030" else "big5")[0]
        except UnicodeEncodeError:
            continue
        common += 0xB0 <= lead <= 0xD7 if encoding == "gb18030" else 0xA4 <= lead <= 0xC6
    return common / len(han)


_MD_RULES = [
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"^```.*?$|^~~~.*?$", re.M), ""),
    (re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$", re.M), r"\1"),
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?=\S)", re.M), ""),
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.M), ""),
    (re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", re.M), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\*)"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"</?[a-zA-Z][^>]*>"), ""),
    (re.compile(r"^\s*\|(.*)\|\s*$", re.M), lambda m: m.group(1).replace("|", "\t")),
]


def strip_markdown(text: str) -> str:
    """Markdown to plain text: headings, emphasis, links, lists, quotes, tables and comments."""
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
_FRONT_FIELD = re.compile(r"""^([\w-]+)\s*:\s*["']?(.*?)["']?\s*$""")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """A Markdown file's leading ``---`` block of ``key: value`` lines, and the text after it."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    fields = dict(m.groups() for m in map(_FRONT_FIELD.match, match.group(1).split("\n")) if m)
    return {k: v for k, v in fields.items() if v}, text.lstrip("\ufeff")[match.end() :]


def extract_plain(path: Path) -> Extracted:
    text, encoding = decode(path.read_bytes())
    fmt = path.suffix.lower().lstrip(".")
    meta: dict[str, str] = {}
    if fmt == "md":
        meta, text = split_front_matter(text)
        text = strip_markdown(text)
    paragraphs = paragraphs_of_plain_text(normalise(text))
    return Extracted("\n".join(paragraphs), fmt, encoding=encoding, meta=meta)
