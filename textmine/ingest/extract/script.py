"""Traditional characters to simplified, at phrase level, with OpenCC (乾安縣 stays 乾安县; a
character-by-character table would make it 干安县)."""

from __future__ import annotations

from functools import cache

from ...errors import ExtractionError

# A text is taken as traditional when this share of its Han characters change under conversion.
TRADITIONAL_SHARE = 0.05


@cache
def _converter():  # one per process
    try:
        import opencc
    except ImportError:
        raise ExtractionError("converting traditional characters needs OpenCC: pip install opencc") from None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, int]:
    """The text converted to simplified characters, and the number of characters that changed."""
    converted = _converter().convert(text)
    changed = sum(1 for a, b in zip(text, converted, strict=False) if a != b) if len(converted) == len(text) else -1
    return converted, changed


def traditional_share(text: str, converted: str) -> float:
    han = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
    if not han or len(converted) != len(text):
        return 0.0
    return sum(1 for i in han if text[i] != converted[i]) / len(han)
