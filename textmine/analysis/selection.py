"""Selecting the documents a study is about, by rules over their tokens, as the reference study kept
only its relevant texts by hand.

A rule is ``TERM>=N`` (the term occurs at least N times among the document's tokens, e.g.
``人才>=5``) or ``dimension:NAME`` (the document is tagged with that policy dimension; NAME may be the
dimension's Chinese name alone, e.g. ``dimension:服务保障``). With ``mode = "any"`` a document is kept
when one rule holds, with ``"all"`` when every rule does. Documents left out are listed with the
rules they failed, in the run record and ``tables/selection.csv``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal, Sequence

from ..errors import ConfigError
from .counting import TokenizedDocument
from .dimensions import DocumentScore

_TERM_RULE = re.compile(r"^\s*(.+?)\s*>=\s*(\d+)\s*$")


@dataclass(frozen=True)
class Rule:
    text: str
    term: str | None = None
    minimum: int = 0
    dimension: str | None = None


def parse_rules(rules: Sequence[str], dimension_names: Sequence[str]) -> list[Rule]:
    parsed = []
    for text in rules:
        if text.strip().startswith("dimension:"):
            wanted = text.split(":", 1)[1].strip()
            matches = [d for d in dimension_names if d == wanted or d.split(" ")[0] == wanted]
            if len(matches) != 1:
                raise ConfigError(
                    f"The 'corpus.select' rule {text!r} names no single dimension; known: {', '.join(dimension_names)}"
                )
            parsed.append(Rule(text, dimension=matches[0]))
            continue
        match = _TERM_RULE.match(text)
        if not match:
            raise ConfigError(f"The 'corpus.select' rules take 'TERM>=N' or 'dimension:NAME'. Got {text!r} instead.")
        parsed.append(Rule(text, term=match.group(1), minimum=int(match.group(2))))
    return parsed


def select(
    documents: Sequence[TokenizedDocument],
    rules: Sequence[Rule],
    scores: Sequence[DocumentScore],
    *,
    mode: Literal["any", "all"] = "any",
) -> tuple[list[TokenizedDocument], dict[str, list[str]]]:
    """The documents kept, and for each one left out the rules it failed."""
    if not rules:
        return list(documents), {}
    tagged = {(s.doc_id, s.dimension) for s in scores if s.tagged}
    kept, dropped = [], {}
    for doc in documents:
        counts = Counter(doc.tokens)
        failed = [
            r.text for r in rules if not (counts[r.term] >= r.minimum if r.term else (doc.id, r.dimension) in tagged)
        ]
        holds = len(failed) < len(rules) if mode == "any" else not failed
        if holds:
            kept.append(doc)
        else:
            dropped[doc.id] = failed
    return kept, dropped
