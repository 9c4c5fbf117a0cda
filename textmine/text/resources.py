"""Word lists: the ones textmine ships and the user's own, read, checked and hashed.

File formats (UTF-8, with or without BOM; ``#`` starts a comment line; blank lines ignored):

- stopwords: one word per line;
- user dictionary: ``word [freq] [tag]`` per line, as jieba's ``load_userdict``;
- synonyms: ``variant<TAB>canonical`` per line (a variant maps to one canonical term).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import CompareConfig, KeywordsConfig, SegmentConfig
from ..errors import ResourceError

_PACKAGE = Path(__file__).resolve().parents[1]  # textmine/, which holds data/ (and stopwords/ when installed)


def shipped_stopwords_dir() -> Path:
    """``stopwords/``: inside the installed package, or at the top of a source checkout."""
    for candidate in (_PACKAGE / "stopwords", _PACKAGE.parent / "stopwords"):
        if candidate.is_dir():
            return candidate
    raise ResourceError("textmine's shipped stopwords/ folder is missing; reinstall textmine")


SHIPPED_USER_DICTS = ("policy_dict.txt",)
SHIPPED_SYNONYMS = ("synonyms.tsv",)
SHIPPED_DRAFTING = ("drafting.txt",)


def shipped_files() -> dict[str, list[Path]]:
    stopwords = sorted(shipped_stopwords_dir().glob("*.txt"))
    return {
        "user_dicts": [_PACKAGE / "data" / name for name in SHIPPED_USER_DICTS],
        "stopwords": stopwords,
        "synonyms": [_PACKAGE / "data" / name for name in SHIPPED_SYNONYMS],
    }


def display_name(path: str | Path) -> str:
    """A shipped list as ``textmine:stopwords/NAME`` (the same on every machine), a user file by its path."""
    resolved = Path(path).resolve()
    for label, folder in (
        ("stopwords", shipped_stopwords_dir()),
        ("data", _PACKAGE / "data"),
        ("data/dimensions", _PACKAGE / "data" / "dimensions"),
    ):
        if resolved.parent == folder.resolve():
            return f"textmine:{label}/{resolved.name}"
    return str(path)


@functools.cache
def radical_table() -> dict[str, str]:
    """Radical → ideograph, from Unicode's EquivalentUnifiedIdeograph data shipped in textmine/data/radicals.txt."""
    table = {}
    for _, line in _lines(_PACKAGE / "data" / "radicals.txt"):
        radical, ideograph = line.split(";")
        table[chr(int(radical, 16))] = chr(int(ideograph, 16))
    return table


def dimension_scheme_files(config: "CompareConfig") -> list[Path]:
    """The shipped dimension schemes (unless turned off), then the user's."""
    shipped = sorted((_PACKAGE / "data" / "dimensions").glob("*.toml")) if config.shipped_dimensions else []
    return [*shipped, *map(Path, config.dimension_schemes)]


def with_terms(lexicon: Lexicon, terms: set[str], files: list[Path], kind: str) -> Lexicon:
    """The lexicon with ``terms`` added as user-dictionary words (those it lacks) and ``files`` recorded."""
    known = {word for word, _, _ in lexicon.user_words}
    added = tuple((t, None, None) for t in sorted(terms - known))
    recorded = tuple((kind, str(p), sha256_of(p)) for p in files)
    return replace(lexicon, user_words=lexicon.user_words + added, files=lexicon.files + recorded)


def default_output(corpus: str | Path, suffix: str = "") -> Path:
    """Where a command writes unless told (``-o``): ``outputs/<corpus folder name><suffix>``."""
    return Path("outputs") / f"{Path(corpus).resolve().name}{suffix}"


def cache_dir() -> Path:
    """Where textmine keeps derived files (jieba's prefix-dictionary cache): $TEXTMINE_CACHE or ~/.cache/textmine."""
    base = os.environ.get("TEXTMINE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "textmine"
    )
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Lexicon:
    """Everything the segmenter needs besides the engine: user words, stopwords, synonyms, and their sources."""

    user_words: tuple[tuple[str, int | None, str | None], ...]
    stopwords: frozenset[str]
    synonyms: dict[str, str]
    files: tuple[tuple[str, str, str], ...]  # (kind, path, sha256)
    drafting: frozenset[str] = frozenset()  # drafting vocabulary: counted apart, not by the segmenter


def drafting_lists(config: KeywordsConfig, *, shipped: bool) -> tuple[frozenset[str], list[Path]]:
    """The words of the drafting lists (textmine's when ``shipped``, then the user's), and their files."""
    paths = [*(_PACKAGE / "data" / name for name in SHIPPED_DRAFTING if shipped), *map(Path, config.drafting_lists)]
    return frozenset(w for path in paths for w in read_word_list(path)), paths


def with_drafting(lexicon: Lexicon, config: KeywordsConfig, *, shipped: bool) -> Lexicon:
    """The lexicon with the drafting lists read and recorded."""
    words, paths = drafting_lists(config, shipped=shipped)
    recorded = tuple(("drafting", str(p), sha256_of(p)) for p in paths)
    return replace(lexicon, drafting=words, files=lexicon.files + recorded)


def load_lexicon(config: SegmentConfig) -> Lexicon:
    """Read the shipped lists (unless ``shipped_lists`` is off) and the user's, in that order."""
    shipped = shipped_files() if config.shipped_lists else {"user_dicts": [], "stopwords": [], "synonyms": []}
    user_dicts = [*shipped["user_dicts"], *map(Path, config.user_dicts)]
    stopword_files = [*shipped["stopwords"], *map(Path, config.stopwords)]
    synonym_files = [*shipped["synonyms"], *map(Path, config.synonyms)]
    words: list[tuple[str, int | None, str | None]] = []
    stopwords: set[str] = set()
    synonyms: dict[str, str] = {}
    files = []
    for path in user_dicts:
        words += read_user_dict(path)
        files.append(("user_dict", str(path), sha256_of(path)))
    for path in stopword_files:
        stopwords |= set(read_word_list(path))
        files.append(("stopwords", str(path), sha256_of(path)))
    for path in synonym_files:
        synonyms.update(read_synonyms(path))
        files.append(("synonyms", str(path), sha256_of(path)))
    _check_chains(synonyms)
    return Lexicon(tuple(words), frozenset(stopwords), synonyms, tuple(files))


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ResourceError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ResourceError(f"{path}: not UTF-8 (byte {exc.start})") from None
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def read_word_list(path: Path) -> list[str]:
    return [line for _, line in _lines(path)]


def read_user_dict(path: Path) -> list[tuple[str, int | None, str | None]]:
    """Entries ``word [freq] [tag]``. A line whose extra fields are not a number and a part-of-speech
    tag is taken whole as the word (e.g. "人才 公寓"), so that the self-test reports it by name."""
    entries = []
    for _, line in _lines(path):
        parts = line.split()
        word, freq, tag = parts[0], None, None
        rest = parts[1:]
        if rest and rest[0].isdigit():
            freq = int(rest.pop(0))
        if rest and re.fullmatch(r"[A-Za-z]{1,4}", rest[0]):
            tag = rest.pop(0)
        if rest:
            word, freq, tag = line, None, None
        entries.append((word, freq, tag))
    return entries


def read_synonyms(path: Path) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for number, line in _lines(path):
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 2 or not all(parts):
            raise ResourceError(f"{path}:{number}: expected 'variant<TAB>canonical', got {line!r}")
        variant, canonical = parts
        if mapping.get(variant, canonical) != canonical:
            raise ResourceError(
                f"{path}:{number}: '{variant}' is mapped to both '{mapping[variant]}' and '{canonical}'"
            )
        mapping[variant] = canonical
    return mapping


def _check_chains(synonyms: dict[str, str]) -> None:
    """A canonical term must not itself be a variant, or merging would depend on the order applied."""
    chained = sorted(f"{v}→{c}→{synonyms[c]}" for v, c in synonyms.items() if c in synonyms)
    if chained:
        raise ResourceError(f"synonym chains (a canonical term is also a variant): {', '.join(chained[:5])}")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
