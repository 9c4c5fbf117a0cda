"""The extraction cache: each file's extracted text, keyed by the file's bytes and everything that
shapes its extraction (extraction settings, textmine's and the extractors' versions).

Entries are written atomically as soon as a file is done, so an interrupted run resumes where it
stopped, and a changed setting or library version simply misses the cache and extracts again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from .config import ExtractConfig
from .extract import Extracted
from .record import library_versions
from .writers import write_json

# Settings that change what is extracted; the others (workers, limits, the cache switch) do not.
_NOT_IN_KEY = {"workers", "timeout", "memory_mb", "cache"}
_EXTRACTORS = ("textmine", "pdfplumber", "pdfminer.six", "pypdfium2", "python-docx", "beautifulsoup4", "opencc")


def _extraction_code_digest() -> str:
    """A digest of the code and data that shape extraction, so that changing them misses the cache."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*(package / "extract").glob("*.py"), package / "clean.py", package / "data" / "radicals.txt"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class ExtractionCache:
    def __init__(self, folder: Path, config: ExtractConfig) -> None:
        settings = {k: v for k, v in dataclasses.asdict(config).items() if k not in _NOT_IN_KEY}
        settings["password"] = hashlib.sha256(config.password.encode()).hexdigest()
        versions = library_versions()
        basis = json.dumps(
            {
                "settings": settings,
                "versions": {k: versions.get(k) for k in _EXTRACTORS},
                "code": _extraction_code_digest(),
            },
            sort_keys=True,
        )
        self.salt = hashlib.sha256(basis.encode()).hexdigest()
        self.folder = folder / "extract"

    def _path(self, file_sha256: str) -> Path:
        key = hashlib.sha256(f"{self.salt}:{file_sha256}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def get(self, file_sha256: str) -> Extracted | None:
        path = self._path(file_sha256)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
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
        write_json(self._path(file_sha256), dataclasses.asdict(extracted))
