"""Chinese segmentation: sentences of filtered, synonym-merged tokens.

A :class:`Segmenter` owns its engine (rjieba by default, or jieba; see :mod:`textmine.text.engines`),
loads the user dictionaries once, and turns a text into sentences of tokens. Sentences end at
Chinese and Western sentence punctuation and at paragraph breaks, so that co-occurrence windows
never cross a sentence. A token is kept when it has at least ``min_chars`` characters, contains a
Han character, its part of speech is among ``pos_keep`` (when set), and, after synonym merging, it
is not a stopword; article and chapter numbers (第十一条, 第三章, 第四届, 第二次) are structure and never
kept, nor the fragment the engine leaves when it cuts 第八十条 as 第八 | 十条. Numeral-plus-unit tokens — amounts, durations, multiples and counts written in Chinese numerals
(一万元, 三十日, 五倍, 四十八条) and the bare money units left when a figure in Arabic digits is cut
off (5万元 → 万元) — are numeral spelling, not vocabulary: with ``numerals = "drop"`` (the default)
they are dropped and counted, so that 万元 in one city and 一万元 in another are not a difference.

:func:`self_test` checks that every user-dictionary entry comes out as one token in context, raises
the frequency of those that do not, and reports the ones no frequency can save.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace

from ..config import SegmentConfig
from .engines import Engine, make_engine
from .resources import Lexicon, cache_dir

_SENTENCE_END = re.compile(r"[。！？!?…]+|\n+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百千零〇两\d]+条")
# Structure, not content: 第十一条, 第三章, 第二款 — numbering that every regulation repeats.
_NUMBERING = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+[条章节款项编目部届次]?$")  # 第八 of 第八 | 十条 too
_NUMERAL = "零〇一二三四五六七八九十百千万亿两半"
_UNITS = (
    "元|万元|亿元|千元|百元|日|天|年|个月|月|周|小时|分钟|周岁|岁|倍|人|名|个|次|项|户|家|条|款|章|节"
    "|米|平方米|公里|千米|公斤|千克|吨|亩|公顷|层|份"
)
_NUMERAL_UNIT = re.compile(rf"^(?:[{_NUMERAL}]+(?:{_UNITS})|[万亿千百]元)$")
_NOT_ONE_TOKEN = re.compile(r"[\s\u3000，。、；：！？,.;:!?（）()《》“”\"'\[\]【】]")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, split after 。！？!?… and at line breaks; empty pieces dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


class Segmenter:
    """Segments text into sentences of kept tokens; build it once and reuse it for every document."""

    def __init__(self, lexicon: Lexicon, config: SegmentConfig | None = None) -> None:
        self.lexicon = lexicon
        self.config = config or SegmentConfig()
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        """The engine with the user dictionaries loaded (built on first use)."""
        if self._engine is None:
            engine = make_engine(self.config.engine, str(cache_dir()))
            for word, freq, tag in self.lexicon.user_words:
                if not _NOT_ONE_TOKEN.search(word):
                    engine.add_word(word, freq, tag)
            self._engine = engine
        return self._engine

    def load(self) -> "Segmenter":
        """Build the engine and load the dictionaries now rather than on first use; returns self."""
        _ = self.engine
        return self

    def cut(self, text: str) -> list[str]:
        """Raw tokens of a text, before merging and filtering."""
        return self.engine.cut(text, self.config.hmm)

    def tag(self, text: str) -> list[tuple[str, str]]:
        """Raw (token, part of speech) pairs of a text, before merging and filtering."""
        return self.engine.tag(text, self.config.hmm)

    def keep(self, token: str, pos: str | None = None) -> str | None:
        """The token as counted (synonyms merged), or None when it is filtered out."""
        if (
            pos is not None
            and self.config.pos_keep
            and not any(fnmatch.fnmatchcase(pos, p) for p in self.config.pos_keep)
        ):
            return None
        token = self.lexicon.synonyms.get(token, token)
        if len(token) < self.config.min_chars or token in self.lexicon.stopwords or not _HAN.search(token):
            return None
        if _NUMBERING.match(token) or (self.config.numerals == "drop" and _NUMERAL_UNIT.match(token)):
            return None
        return sys.intern(token)

    def numeral(self, token: str) -> bool:
        """Whether ``token`` (synonyms merged) is a numeral-plus-unit token this segmenter drops."""
        token = self.lexicon.synonyms.get(token, token)
        return (
            self.config.numerals == "drop"
            and len(token) >= self.config.min_chars
            and token not in self.lexicon.stopwords
            and bool(_NUMERAL_UNIT.match(token))
        )

    def segment(self, text: str) -> "Segmentation":
        """The text as sentences of kept tokens (sentences left empty dropped), each with the paragraph
        and the article (条) it stands in, how often each synonym merge was applied, and the
        numeral-plus-unit tokens dropped."""
        synonyms = self.lexicon.synonyms
        merged: Counter[tuple[str, str]] = Counter()
        numerals: Counter[str] = Counter()
        sentences, paragraphs, articles = [], [], []
        article = 0  # 0: the text before the first 第…条 (title, adoption lines, preamble)
        for number, paragraph in enumerate(p for p in text.split("\n") if p.strip()):
            if _ARTICLE.match(paragraph):
                article += 1
            for sentence in split_sentences(paragraph):
                pairs = self.tag(sentence) if self.config.pos_keep else [(t, None) for t in self.cut(sentence)]
                tokens = []
                for token, pos in pairs:
                    kept = self.keep(token, pos)
                    if kept:
                        tokens.append(kept)
                        if token in synonyms:
                            merged[(token, kept)] += 1
                    elif self.numeral(token):
                        numerals[synonyms.get(token, token)] += 1
                if tokens:
                    sentences.append(tokens)
                    paragraphs.append(number)
                    articles.append(article)
        return Segmentation(sentences, paragraphs, articles, merged, numerals)

    def sentences(self, text: str) -> list[list[str]]:
        """The text as sentences of kept tokens; sentences left with no token are dropped."""
        return self.segment(text).sentences


@dataclass(frozen=True)
class Segmentation:
    """One text segmented: sentences of kept tokens, the paragraph and article of each sentence, the
    synonym merges applied ``(variant, canonical) -> count`` and the numeral tokens dropped ``token -> count``."""

    sentences: list[list[str]]
    paragraphs: list[int]
    articles: list[int]
    merged: Counter[tuple[str, str]]
    numerals: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class SelfTest:
    """How the user dictionaries' entries segment: whole, whole after a frequency fix, or not at all."""

    entries: int
    whole: int
    fixed: tuple[tuple[str, int], ...]  # (word, frequency that keeps it whole)
    failed: tuple[tuple[str, str], ...]  # (word, reason)

    @property
    def share_whole(self) -> float:
        return (self.whole + len(self.fixed)) / self.entries if self.entries else 1.0


# Contexts an entry must survive as one token: alone, after a verb, inside a typical clause.
_CONTEXTS = ("{w}", "支持{w}发展", "关于{w}的若干规定", "加强{w}建设")


def _whole(engine: Engine, word: str, hmm: bool) -> bool:
    return all(word in engine.cut(context.format(w=word), hmm) for context in _CONTEXTS)


def self_test(segmenter: Segmenter) -> tuple[SelfTest, Lexicon]:
    """Check every user-dictionary entry; return the report and the lexicon with fixed frequencies."""
    engine, hmm = segmenter.engine, segmenter.config.hmm
    whole, fixed, failed = 0, [], []
    frequencies: dict[str, int] = {}
    for word, freq, tag in segmenter.lexicon.user_words:
        if _NOT_ONE_TOKEN.search(word):
            failed.append((word, "holds a space or punctuation, so it can never be one token"))
            continue
        if _whole(engine, word, hmm):
            whole += 1
            continue
        suggested = max(engine.suggest_freq(word), freq or 0)
        for candidate in (suggested, suggested * 10, suggested * 100):
            engine.add_word(word, candidate, tag)
            if _whole(engine, word, hmm):
                fixed.append((word, candidate))
                frequencies[word] = candidate
                break
        else:
            failed.append((word, f"does not come out whole even at frequency {suggested * 100}"))
    words = tuple((w, frequencies.get(w, f), t) for w, f, t in segmenter.lexicon.user_words)
    report = SelfTest(len(segmenter.lexicon.user_words), whole, tuple(fixed), tuple(failed))
    return report, replace(segmenter.lexicon, user_words=words)
