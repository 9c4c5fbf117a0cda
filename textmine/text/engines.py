"""Segmentation engines behind one interface: jieba-rs (``rjieba``, the default: same dictionary and
algorithm as jieba, some 15–20 times faster) and jieba itself (for exact reproduction of older
studies). Each engine object owns its tokenizer; nothing touches jieba's global one.
"""

from __future__ import annotations

import logging
from typing import Protocol

from ..errors import ConfigError

logging.getLogger("jieba").setLevel(logging.WARNING)  # jieba logs its dictionary loading at DEBUG


class Engine(Protocol):
    name: str

    def cut(self, text: str, hmm: bool) -> list[str]: ...

    def tag(self, text: str, hmm: bool) -> list[tuple[str, str]]: ...

    def add_word(self, word: str, freq: int | None, tag: str | None) -> None: ...

    def suggest_freq(self, word: str) -> int: ...

    def has_word(self, word: str) -> bool: ...


class RjiebaEngine:
    """jieba-rs through rjieba: jieba's dictionary and algorithm, in Rust."""

    name = "rjieba"

    def __init__(self) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._jieba.cut(text, hmm=hmm)

    def tag(self, text: str, hmm: bool) -> list[tuple[str, str]]:
        return self._jieba.tag(text, hmm=hmm)

    def add_word(self, word: str, freq: int | None, tag: str | None) -> None:
        self._jieba.add_word(word, freq, tag)

    def suggest_freq(self, word: str) -> int:
        return self._jieba.suggest_freq(word)

    def has_word(self, word: str) -> bool:
        return self._jieba.has_word(word)


class JiebaEngine:
    """jieba 0.42 with its own ``Tokenizer`` and prefix-dictionary cache in textmine's cache folder."""

    name = "jieba"

    def __init__(self, cache_folder: str) -> None:
        import jieba
        import jieba.posseg

        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.tmp_dir = cache_folder
        self._tokenizer.initialize()
        self._tagger = jieba.posseg.POSTokenizer(self._tokenizer)

    @property
    def tokenizer(self):  # the jieba.Tokenizer, for callers that need jieba itself
        return self._tokenizer

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._tokenizer.lcut(text, HMM=hmm)

    def tag(self, text: str, hmm: bool) -> list[tuple[str, str]]:
        return [(pair.word, pair.flag) for pair in self._tagger.lcut(text, HMM=hmm)]

    def add_word(self, word: str, freq: int | None, tag: str | None) -> None:
        self._tokenizer.add_word(word, freq, tag)
        if tag:  # posseg keeps its own table of user tags
            self._tagger.word_tag_tab[word] = tag

    def suggest_freq(self, word: str) -> int:
        return self._tokenizer.suggest_freq(word, tune=False)

    def has_word(self, word: str) -> bool:
        return self._tokenizer.FREQ.get(word, 0) > 0  # FREQ also holds every word's prefixes, at 0


def make_engine(name: str, cache_folder: str) -> Engine:
    if name == "rjieba":
        return RjiebaEngine()
    if name == "jieba":
        return JiebaEngine(cache_folder)
    raise ConfigError(f"The 'segment.engine' option must be one of 'rjieba', 'jieba'. Got {name!r} instead.")
