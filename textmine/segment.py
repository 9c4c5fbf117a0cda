"""Chinese segmentation: sentences of filtered, synonym-merged tokens.

A :class:`Segmenter` owns its own ``jieba.Tokenizer`` (never jieba's global one) with its prefix
cache in textmine's cache folder, loads the user dictionaries once, and turns a text into sentences
of tokens. Sentences end at Chinese and Western sentence punctuation and at paragraph breaks, so
that co-occurrence windows never cross a sentence. A token is kept when it has at least
``min_chars`` characters, contains a Han character and, after synonym merging, is not a stopword.
"""

from __future__ import annotations

import logging
import re
import sys

import jieba

from .config import SegmentConfig
from .resources import Lexicon, cache_dir

_SENTENCE_END = re.compile(r"[。！？!?…]+|\n+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

logging.getLogger("jieba").setLevel(logging.WARNING)  # jieba logs its dictionary loading at DEBUG


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, split after 。！？!?… and at line breaks; empty pieces dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


class Segmenter:
    """Segments text into sentences of kept tokens; build it once and reuse it for every document."""

    def __init__(self, lexicon: Lexicon, config: SegmentConfig | None = None) -> None:
        self.lexicon = lexicon
        self.config = config or SegmentConfig()
        self._jieba: jieba.Tokenizer | None = None

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        """The jieba tokenizer with the user dictionaries loaded (built on first use)."""
        if self._jieba is None:
            tokenizer = jieba.Tokenizer()
            tokenizer.tmp_dir = str(cache_dir())
            tokenizer.initialize()
            for word, freq, tag in self.lexicon.user_words:
                tokenizer.add_word(word, freq, tag)
            self._jieba = tokenizer
        return self._jieba

    def load(self) -> "Segmenter":
        """Build the tokenizer and load the dictionaries now rather than on first use; returns self."""
        _ = self.tokenizer
        return self

    def cut(self, text: str) -> list[str]:
        """Raw jieba tokens of a text, before merging and filtering."""
        return self.tokenizer.lcut(text, HMM=self.config.hmm)

    def keep(self, token: str) -> str | None:
        """The token as counted (synonyms merged), or None when it is filtered out."""
        token = self.lexicon.synonyms.get(token, token)
        if len(token) < self.config.min_chars or token in self.lexicon.stopwords or not _HAN.search(token):
            return None
        return sys.intern(token)

    def sentences(self, text: str) -> list[list[str]]:
        """The text as sentences of kept tokens; sentences left with no token are dropped."""
        result = []
        for sentence in split_sentences(text):
            tokens = [kept for kept in map(self.keep, self.cut(sentence)) if kept]
            if tokens:
                result.append(tokens)
        return result
