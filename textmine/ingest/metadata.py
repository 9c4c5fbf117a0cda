"""Policy metadata read from the text itself: title, document number (文号), issuing body, date of
issue and date of entry into force. Used where the manifest does not give them.

Chinese official documents follow a fixed layout (GB/T 9704): the issuers' names and 文件 in the
red header, the document number on a line of its own (京政发〔2018〕12号), the title (关于…的通知),
the addressees, the body, then the issuer's name and the date of issue at the end. Regulations
open with their title and adoption lines (2022年5月25日 …会议通过) and close with 自…起施行.
"""

from __future__ import annotations

import re

_HEAD = 15  # paragraphs at the top in which the header, number and title stand
_DATE = r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_DOC_NUMBER = re.compile(
    r"^[\u4e00-\u9fff]{1,15}\s*[〔［\[【(（]\s*(?:19|20)\d{2}\s*[〕］\]】)）]\s*第?\s*\d{1,5}\s*号$"
)
_TITLE_END = (
    "通知",
    "意见",
    "办法",
    "决定",
    "规定",
    "方案",
    "批复",
    "函",
    "报告",
    "细则",
    "规划",
    "计划",
    "条例",
    "措施",
    "公告",
    "通告",
    "指引",
    "纲要",
    "标准",
    "目录",
    "清单",
    "规则",
    "章程",
    "决议",
)
_ORG_END = (
    "人民政府",
    "办公厅",
    "办公室",
    "委员会",
    "常务委员会",
    "人民代表大会",
    "局",
    "厅",
    "部",
    "委",
    "院",
    "署",
    "中心",
    "政府",
)
_IN_FORCE = re.compile(r"自\s*(?:" + _DATE + r"|(公布|发布|印发)之日)\s*起\s*(?:施行|实施|执行|生效)")


def _iso(match: re.Match[str], offset: int = 1) -> str:
    year, month, day = (int(match.group(offset + i)) for i in range(3))
    return f"{year:04d}-{month:02d}-{day:02d}"


def policy_metadata(text: str) -> dict[str, str]:
    """What the text says about itself; keys present only when found:
    ``title``, ``doc_number``, ``issuer``, ``issued`` and ``in_force`` (ISO dates)."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    head = paragraphs[:_HEAD]
    found: dict[str, str] = {}
    number_at = next((i for i, p in enumerate(head) if _DOC_NUMBER.match(p.replace(" ", ""))), None)
    if number_at is not None:
        found["doc_number"] = head[number_at].replace(" ", "")
    title = _title(head, number_at)
    if title:
        found["title"] = title
    issuer = _issuer(paragraphs, head, number_at)
    if issuer:
        found["issuer"] = issuer
    issued = _issued(paragraphs)
    if issued:
        found["issued"] = issued
    in_force = _IN_FORCE.search(text)
    if in_force:
        if in_force.group(1):
            found["in_force"] = _iso(in_force)
        elif issued:
            found["in_force"] = issued
    return found


_ABOUT = re.compile(r"^关于.{2,80}?(?:" + "|".join(_TITLE_END) + ")")


def _title(head: list[str], number_at: int | None) -> str | None:
    """关于…的通知 after the document number; else a short line ending like a title; else the first line."""
    start = number_at + 1 if number_at is not None else 0
    for paragraph in head[start:]:
        about = _ABOUT.match(paragraph)
        if about:
            return about.group(0)
        if len(paragraph) <= 60 and paragraph.endswith(_TITLE_END) and not re.search(r"[。；：，]", paragraph):
            return paragraph
    first = head[0] if head else ""
    return first if first and len(first) <= 60 and not re.search(r"[。；：]", first) else None


def _issuer(paragraphs: list[str], head: list[str], number_at: int | None) -> str | None:
    if number_at:  # the red header above the document number
        names = [re.sub(r"\s*文件$", "", p.replace(" ", "")).replace("文件", "") for p in head[:number_at]]
        names = [n for n in names if n.endswith(_ORG_END)]
        if names:
            return "、".join(names)
    tail = paragraphs[-6:]
    for i, paragraph in enumerate(tail):
        if re.fullmatch(_DATE, paragraph.replace(" ", "")) and i > 0:
            signers = [
                p.replace(" ", "")
                for p in tail[max(0, i - 3) : i]
                if len(p) <= 40 and p.replace(" ", "").endswith(_ORG_END)
            ]
            if signers:
                return "、".join(signers)
    return None


def _issued(paragraphs: list[str]) -> str | None:
    """The date line that closes a document, else the latest date of its adoption lines."""
    for paragraph in reversed(paragraphs[-6:]):
        match = re.fullmatch(r"[（(]?" + _DATE + r"[）)]?", paragraph.replace(" ", ""))
        if match:
            return _iso(match)
    dates = []
    for paragraph in paragraphs[:8]:
        if re.match(r"^\s*第[一二三四五六七八九十百零〇\d]+[章条]", paragraph):
            break
        if any(word in paragraph for word in ("通过", "批准", "修正", "修订", "公布", "发布", "印发")):
            dates += [_iso(m) for m in re.finditer(_DATE, paragraph)]
    return max(dates) if dates else None
