"""Stage caches: each file's extracted text, keyed by the file's bytes and everything that shapes
its extraction (extraction settings, textmine's and the extractors' versions, the extraction code);
each text's segmentation, keyed by the text and everything that shapes segmentation (settings, the
word lists after the dictionary self-test, the engines' versions, the segmentation code).

Entries are written atomically as soon as a file is done, so an interrupted run resumes where it
stopped, and a changed setting, word list or library version simply misses the cache and does the
work again. Reruns (another grouping, other network or comparison settings) reuse both.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from .config import ExtractConfig, SegmentConfig
from .extract import Extracted
from .record import library_versions
from .resources import Lexicon
from .segment import Segmentation
from .writers import write_json

# Settings that change what is extracted; the others (workers, limits, the cache switch) do not.
_NOT_IN_KEY = {"workers", "timeout", "memory_mb", "cache"}
_EXTRACTORS = ("textmine", "pdfplumber", "pdfminer.six", "pypdfium2", "python-docx", "beautifulsoup4", "opencc")


def code_digest(*names: str) -> str:
    """A digest of the package files and folders ``names``, so that changing the code misses the cache."""
    package = Path(__file__).resolve().parent
    paths = sorted(
        p for name in names for p in ((package / name).glob("*.py") if (package / name).is_dir() else [package / name])
    )
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class JsonCache:
    """JSON entries under ``folder``, keyed by a salt (a digest of ``basis``: what shapes the stage) and
    the digest of one input."""

    def __init__(self, folder: Path, basis: dict[str, Any]) -> None:
        self.salt = hashlib.sha256(json.dumps(basis, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        self.folder = folder

    def _path(self, digest: str) -> Path:
        key = hashlib.sha256(f"{self.salt}:{digest}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def get_json(self, digest: str) -> Any:
        try:
            return json.loads(self._path(digest).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            return None

    def put_json(self, digest: str, value: Any) -> None:
        write_json(self._path(digest), value)


class ExtractionCache(JsonCache):
    def __init__(self, folder: Path, config: ExtractConfig) -> None:
        settings = {k: v for k, v in dataclasses.asdict(config).items() if k not in _NOT_IN_KEY}
        settings["password"] = hashlib.sha256(config.password.encode()).hexdigest()
        versions = library_versions()
        basis = {
            "settings": settings,
            "versions": {k: versions.get(k) for k in _EXTRACTORS},
            "code": code_digest("extract", "clean.py", "data/radicals.txt"),
        }
        super().__init__(folder / "extract", basis)
        self.limits = (config.timeout, config.memory_mb)

    def get(self, file_sha256: str) -> Extracted | None:
        data = self.get_json(file_sha256)
        if data is None:
            return None
        try:
            return Extracted(
                **{
                    f.name: tuple(data[f.name]) if isinstance(data[f.name], list) else data[f.name]
                    for f in dataclasses.fields(Extracted)
                }
            )
        except (KeyError, TypeError):  # an entry from an older layout: extract again
            return None

    def put(self, file_sha256: str, extracted: Extracted) -> None:
        self.put_json(file_sha256, dataclasses.asdict(extracted))

    def get_failure(self, file_sha256: str) -> tuple[str, str] | None:
        """Why the file could not be read last time (reason, detail), with the same settings and limits."""
        data = self.get_json(self._failure_key(file_sha256))
        try:
            return data["reason"], data["detail"]
        except (KeyError, TypeError):
            return None

    def put_failure(self, file_sha256: str, reason: str, detail: str) -> None:
        self.put_json(self._failure_key(file_sha256), {"reason": reason, "detail": detail})

    def _failure_key(self, file_sha256: str) -> str:
        # a file stopped at the time or memory limit may pass with a larger one
        return f"{file_sha256}:failed:timeout={self.limits[0]}:memory_mb={self.limits[1]}"


class SegmentationCache(JsonCache):
    def __init__(self, folder: Path, config: SegmentConfig, lexicon: Lexicon) -> None:
        versions = library_versions()
        words = {
            "user_words": sorted(map(list, lexicon.user_words)),
            "stopwords": sorted(lexicon.stopwords),
            "synonyms": sorted(lexicon.synonyms.items()),
        }
        basis = {
            "settings": dataclasses.asdict(config),
            "lexicon": hashlib.sha256(json.dumps(words, ensure_ascii=False).encode()).hexdigest(),
            "versions": {k: versions.get(k) for k in ("textmine", "rjieba", "jieba")},
            "code": code_digest("segment.py", "engines.py"),
        }
        super().__init__(folder / "segment", basis)

    def get(self, text_sha256: str) -> Segmentation | None:
        data = self.get_json(text_sha256)
        try:
            merged = Counter({(v, c): n for v, c, n in data["merged"]})
            numerals = Counter(dict(data["numerals"]))
            return Segmentation(data["sentences"], data["paragraphs"], data["articles"], merged, numerals)
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, text_sha256: str, segmentation: Segmentation) -> None:
        merged = sorted([v, c, n] for (v, c), n in segmentation.merged.items())
        value = {
            "sentences": segmentation.sentences,
            "paragraphs": segmentation.paragraphs,
            "articles": segmentation.articles,
            "merged": merged,
            "numerals": sorted([t, n] for t, n in segmentation.numerals.items()),
        }
        self.put_json(text_sha256, value)
