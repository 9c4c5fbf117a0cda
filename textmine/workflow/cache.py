"""Stage caches: each file's extracted text, keyed by the file's bytes and everything that shapes
its extraction (extraction settings, textmine's and the extractors' versions, the extraction code);
each text's segmentation, keyed by the text and everything that shapes segmentation (settings, the
word lists after the dictionary self-test, the engines' versions, the segmentation code).

A run's whole analysis, and the output files that take longest to make (network exports, charts,
the workbook, the topic views), are kept too (:class:`StepCache`), under a digest of the data and
settings they were made from, textmine's code and the libraries' versions: a rerun on the same
documents and settings loads the analysis, and one that would write the same bytes copies them.

Entries are written atomically as soon as a file is done, so an interrupted run resumes where it
stopped, and a changed setting, word list or library version simply misses the cache and does the
work again. Reruns (another grouping, other network or comparison settings) reuse both.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import pickle
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Callable, TypeVar

import networkx as nx
import numpy as np
from scipy import sparse

from ..config import ExtractConfig, SegmentConfig
from ..ingest.extract import Extracted
from ..text.resources import Lexicon
from ..text.segment import Segmentation
from ..writers import atomic_path, write_bytes
from .libraries import library_versions
from .token_spool import dump, load

T = TypeVar("T")

# Settings that change what is extracted; the limits do not.
_NOT_IN_KEY = {"timeout", "memory_mb"}
_EXTRACTORS = ("textmine", "pdfplumber", "pdfminer-six", "pypdfium2", "python-docx", "beautifulsoup4", "opencc")


def code_digest(*names: str) -> str:
    """A digest of the package files and folders ``names`` (relative to ``textmine/``), so that changing
    the code misses the cache."""
    package = Path(__file__).resolve().parents[1]
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
        # compact: json's C encoder writes it (an indented dump is encoded in Python, 4x slower, and
        # twice the size on disk); nobody reads these files but the cache
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        write_bytes(self._path(digest), text.encode("utf-8"))


class ExtractionCache(JsonCache):
    def __init__(self, folder: Path, config: ExtractConfig) -> None:
        settings = {k: v for k, v in dataclasses.asdict(config).items() if k not in _NOT_IN_KEY}
        settings["password"] = hashlib.sha256(config.password.encode()).hexdigest()
        versions = library_versions()
        basis = {
            "settings": settings,
            "versions": {k: versions.get(k) for k in _EXTRACTORS},
            "code": code_digest("ingest/extract", "ingest/clean.py", "data/radicals.txt"),
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
            "code": code_digest("text/segment.py", "text/engines.py"),
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


class SignatureCache(JsonCache):
    """Each text's MinHash signature (its hash values), keyed by the text and what shapes a signature
    (the permutations' number and seed, datasketch's version, the shingling code): a rerun with other
    settings, or with a few files changed, signs only the texts it has not signed before."""

    def __init__(self, folder: Path, *, num_perm: int, seed: int) -> None:
        basis = {
            "num_perm": num_perm,
            "seed": seed,
            "versions": {k: library_versions().get(k) for k in ("textmine", "datasketch", "numpy")},
            "code": code_digest("ingest/duplicates.py"),
        }
        super().__init__(folder / "minhash", basis)

    def get(self, text_sha256: str) -> np.ndarray | None:
        data = self.get_json(text_sha256)
        if not isinstance(data, list):
            return None
        return np.array(data, dtype=np.uint64)

    def put(self, text_sha256: str, hashvalues: np.ndarray) -> None:
        self.put_json(text_sha256, [int(v) for v in hashvalues])


@functools.cache
def package_digest() -> str:
    """A digest of every file of the textmine package (code, templates, shipped data)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class StepCache:
    """What a step made — files and a value, pickled — under a digest of everything it was made from:
    the step's data and settings (``parts``, by content), textmine's code and every library's version. A
    change to any of them is a different key; a step is never reused across them. Used for the
    output files that take longest to make (``files``) and for a run's whole analysis (``analysis``)."""

    def __init__(self, folder: Path, name: str = "files") -> None:
        basis = {"versions": library_versions(), "code": package_digest()}
        self.salt = hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()
        self.folder = folder / name

    def key(self, *parts: Any) -> str:
        digest = hashlib.sha256(self.salt.encode())
        _feed(digest, parts)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def holds(self, key: str) -> bool:
        return self._path(key).is_file()

    def get(self, key: str) -> tuple[dict[str, bytes], Any] | None:
        try:
            with self._path(key).open("rb") as fh:  # read as it is unpickled: never the whole entry at once
                files, value = load(fh)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
            return None  # missing, or an entry this code cannot read: make the files again
        return files, value

    def put(self, key: str, files: dict[str, bytes], value: Any) -> None:
        """Pickled straight into the file, segmented documents as their term numbers (a run's analysis
        pickled in memory first, the documents' words as strings, was 86 MB more at 2,000 documents)."""
        with atomic_path(self._path(key)) as tmp, tmp.open("wb") as fh:
            dump((files, value), fh)


_ATOMS = frozenset({str, int, float, bool, type(None), bytes})
_REPR_IS_CONTENT = _ATOMS | {np.float64, np.float32, np.int64, np.int32, np.bool_}


def _plain(items: list | tuple) -> bool:
    """Numbers and strings, or rows (lists, tuples) of them: values whose repr is their content."""
    kinds = {type(v) for v in items}
    if kinds <= {list, tuple}:
        kinds = {type(x) for row in items for x in row}
    return kinds <= _REPR_IS_CONTENT


def _feed(digest: Any, value: Any) -> None:
    """Feed ``value`` to ``digest`` by its content alone, so that equal data give equal keys in any
    process (a pickle would not: it records which objects are shared, and a set's order varies with
    the hash seed). Sequences and dicts in their order, sets sorted; dataclasses by their fields;
    NumPy and SciPy arrays by dtype, shape and bytes; networkx graphs by their nodes and edges."""
    kind = type(value)
    if kind in _ATOMS:
        digest.update(b"a" + repr(value).encode("utf-8", "surrogatepass"))
    elif kind in (list, tuple):
        if _plain(value):  # the repr of the whole, fast: a table's rows take one call
            digest.update(b"l" + repr(list(value)).encode("utf-8", "surrogatepass"))
        else:
            digest.update(b"L%d:" % len(value))
            for v in value:
                _feed(digest, v)
    elif isinstance(value, dict):
        digest.update(b"D%d:" % len(value))
        for k, v in value.items():
            _feed(digest, k)
            _feed(digest, v)
    elif isinstance(value, (set, frozenset)):
        parts = []
        for v in value:
            part = hashlib.sha256()
            _feed(part, v)
            parts.append(part.digest())
        digest.update(b"S" + b"".join(sorted(parts)))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(b"C" + kind.__qualname__.encode())
        _feed(digest, [getattr(value, f.name) for f in dataclasses.fields(value)])
    elif isinstance(value, np.ndarray):
        if value.dtype == object:
            _feed(digest, value.tolist())
        else:
            digest.update(b"N" + str(value.dtype).encode() + repr(value.shape).encode())
            digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, np.generic):
        digest.update(b"n" + repr(value).encode())
    elif sparse.issparse(value):
        coo = sparse.coo_array(value)
        digest.update(b"P" + repr(coo.shape).encode())
        _feed(digest, (coo.row, coo.col, coo.data))
    elif isinstance(value, nx.Graph):
        nodes, edges = list(value.nodes(data=True)), list(value.edges(data=True))
        content = (kind.__name__, value.graph, nodes, edges)
        kinds = {type(x) for x in value.graph.values()} | {type(n) for n, _ in nodes}
        kinds |= {type(x) for _, data in nodes for x in data.values()}
        kinds |= {type(x) for *_, data in edges for x in data.values()}
        if kinds <= _REPR_IS_CONTENT:  # numbers and strings: the repr of the whole, fast
            digest.update(b"G" + repr(content).encode("utf-8", "surrogatepass"))
        else:
            _feed(digest, content)
    elif isinstance(value, Path):
        digest.update(b"p" + str(value).encode("utf-8", "surrogateescape"))
    else:  # anything else by its pickle: at worst a rerun misses the cache
        digest.update(b"?" + pickle.dumps(value, protocol=5))


def reuse(cache: StepCache | None, parts: tuple, folder: Path, make: Callable[[Path], T]) -> T:
    """Write ``make(folder)``'s files into ``folder`` and return its value: copied from ``cache`` when
    the same ``parts`` made them before, else made (in a scratch folder) and kept there."""
    key = cache.key(*parts) if cache is not None else None
    hit = cache.get(key) if key is not None else None
    if hit is not None:
        files, value = hit
        for name, data in files.items():
            write_bytes(folder / name, data, atomic=False)  # a folder being built, swapped in whole
        return value
    if cache is None:
        return make(folder)
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".made-", dir=folder))
    try:
        value = make(scratch)
        made = {p.relative_to(scratch).as_posix(): p for p in sorted(scratch.rglob("*")) if p.is_file()}
        files = {name: path.read_bytes() for name, path in made.items()}
        for name, path in made.items():  # moved into place, not written again
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, folder / name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    cache.put(key, files, value)
    return value


# What lives under the cache folder, by subfolder; only these (and jieba's dictionary caches) are ever cleared
PARTS = {
    "extract": "extracted texts and skips",
    "segment": "segmentations",
    "minhash": "near-duplicate signatures",
    "topics": "topic models and sweep fits",
    "compare": "permutation p-values",
    "analysis": "whole analyses",
    "files": "output files: network exports, charts, tables, topic views",
}


def usage(folder: Path) -> dict[str, tuple[int, int]]:
    """Entries and bytes of each part of the cache in ``folder``."""
    found = {}
    for part in PARTS:
        sizes = [p.stat().st_size for p in (folder / part).rglob("*") if p.is_file()]
        found[part] = (len(sizes), sum(sizes))
    jieba = [p.stat().st_size for p in folder.glob("jieba*.cache")]
    found["jieba"] = (len(jieba), sum(jieba))
    return found


def clear(folder: Path) -> int:
    """Remove every part of the cache in ``folder`` (and jieba's dictionary caches), nothing else
    that may be there; returns the bytes freed."""
    freed = sum(size for _, size in usage(folder).values())
    for part in PARTS:
        shutil.rmtree(folder / part, ignore_errors=True)
    for path in folder.glob("jieba*.cache"):
        path.unlink(missing_ok=True)
    return freed
