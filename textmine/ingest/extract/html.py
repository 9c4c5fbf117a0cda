"""HTML: decode from bytes honouring the declared charset, drop scripts and page chrome, keep the text."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from ...errors import ExtractionError
from ..clean import normalise
from .extracted import Extracted
from .plain import decode

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w]+)""", re.I)
# Declared charsets that must be read as their superset.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "big5": "big5hkscs"}
_CHROME = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg")
# Portal chrome marked by class or id rather than by tag (government CMSs: "nav", "menu", "footer", ...).
_CHROME_NAMES = re.compile(
    r"(?:^|[-_ ])(?:nav|navbar|menu|footer|header|breadcrumbs?|crumbs?|sidebar|side|banner|copyright|"
    r"share|toolbar|topbar|login|search|related|links?|friend-?links?)(?:$|[-_ ])",
    re.I,
)
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
    for tag in soup.find_all(lambda t: t.name in ("div", "ul", "section", "table", "p", "span") and _is_chrome(t)):
        if not tag.decomposed:
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


def _is_chrome(tag) -> bool:
    names = " ".join([*(tag.get("class") or []), tag.get("id") or ""])
    return bool(names) and bool(_CHROME_NAMES.search(names))
