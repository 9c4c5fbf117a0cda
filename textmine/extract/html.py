"""HTML: decode from bytes honouring the declared charset, drop scripts and page chrome, keep the text."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from ..clean import normalise
from ..errors import ExtractionError
from . import Extracted
from .plain import decode

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w]+)""", re.I)
# Declared charsets that must be read as their superset.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "big5": "big5hkscs"}
_CHROME = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg")
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "title")


def extract_html(path: Path) -> Extracted:
    data = path.read_bytes()
    declared = _CHARSET.search(data[:4096])
    if declared:
        encoding = _SUPERSET.get(declared.group(1).decode("ascii").lower(), declared.group(1).decode("ascii").lower())
        try:
            markup = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            markup, encoding = decode(data)
    else:
        markup, encoding = decode(data)
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(_CHROME):
        tag.decompose()
    root = soup.body or soup
    for tag in root.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for cell in root.find_all(("td", "th")):
        cell.insert_after("\t")
    text = normalise(root.get_text())
    paragraphs = [line for line in text.split("\n") if line]
    if not paragraphs:
        raise ExtractionError("HTML page holds no text")
    return Extracted("\n".join(paragraphs), "html", encoding=encoding)
