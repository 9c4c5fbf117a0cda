"""Corpus discovery: which documents a folder holds, their groups and their metadata.

A corpus is a folder. When it holds a manifest (``manifest.csv`` by default), the manifest lists the
documents: its ``file`` column gives each path relative to the folder, ``id`` its id, and every other
column becomes metadata (city, year, title, issuer, doc_type, ...). Without a manifest every file with
a known extension is a document, its id is its path without extension and its group the first folder
level at which the corpus branches (``docs/beijing/a.pdf`` and ``docs/shanghai/b.pdf`` give
``beijing`` and ``shanghai``). Documents are sorted by id. Groups follow ``corpus.group_by``: see
:mod:`textmine.grouping`.

The year comes from the manifest's ``year`` or ``date`` column, else from a date in the file name,
else (after extraction) from the text: see :func:`year_from_text`.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from ..config import CorpusConfig
from ..errors import CorpusError
from ..grouping import DERIVED, check_columns, group_name, parse_group_by, year_bands
from .clean import clean_value


@dataclass(frozen=True)
class Document:
    """One document of a corpus, before its text is read."""

    id: str
    path: Path  # the file as the system names it
    file: str  # its path relative to the corpus, as outputs show it (undecodable name bytes escaped)
    group: str
    year: int | None
    year_source: str  # "manifest", "file name", "text" or "unknown"
    meta: dict[str, str] = field(default_factory=dict)

    def with_year(self, year: int | None, source: str) -> "Document":
        return replace(self, year=year, year_source=source if year is not None else "unknown")

    def regrouped(self, config: CorpusConfig) -> "Document":
        """This document with its group worked out again (after its year or metadata were filled in)."""
        group = group_name(self.meta, self.year, parse_group_by(config.group_by), year_bands(config.periods))
        return replace(self, group=group)


@dataclass(frozen=True)
class Skipped:
    """A file the run could not use, and why."""

    path: str
    reason: str  # in a user's words
    detail: str = ""  # what the library said, for the debug log


@dataclass(frozen=True)
class Corpus:
    """The documents of a corpus folder in a stable order, and the files passed over while finding them."""

    root: Path
    name: str
    documents: tuple[Document, ...]
    skipped: tuple[Skipped, ...]
    manifest: Path | None
    cleaned: int = 0  # control and format characters removed from metadata values and names

    @property
    def groups(self) -> list[str]:
        return sorted({d.group for d in self.documents})


def discover(root: str | Path, config: CorpusConfig | None = None) -> Corpus:
    """Find the documents of the corpus folder ``root``."""
    config = config or CorpusConfig()
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"{root}: not a folder")
    manifest = root / config.manifest
    if manifest.is_file():
        documents, skipped, cleaned = _from_manifest(root, manifest, config)
    else:
        documents, skipped, cleaned = _from_folders(root, config)
        manifest = None
    if not documents:
        raise CorpusError(f"{root}: no documents found (looked for {', '.join(config.formats)} files)")
    ids = [d.id for d in documents]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise CorpusError(f"{root}: document ids occur more than once: {', '.join(duplicated[:5])}")
    return Corpus(
        root=root,
        name=root.resolve().name,
        documents=tuple(sorted(documents, key=lambda d: d.id)),
        skipped=tuple(skipped),
        manifest=manifest,
        cleaned=cleaned,
    )


def shown_name(name: str) -> str:
    """A file name as outputs show it: bytes that are not UTF-8 (which Python keeps as surrogate
    escapes, e.g. a GBK name from a Windows zip) written as ``\\xNN``, the same in every output."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _clean(values: dict[str, str]) -> tuple[dict[str, str], int]:
    """Values without control and format characters (a bell or an escape sequence in a manifest cell
    would reach every table, XML file and report), and how many characters were removed."""
    cleaned, total = {}, 0
    for key, value in values.items():
        cleaned[key], n = clean_value(value)
        total += n
    return cleaned, total


def _from_manifest(root: Path, manifest: Path, config: CorpusConfig) -> tuple[list[Document], list[Skipped], int]:
    try:
        with manifest.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{manifest}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if not rows:
        raise CorpusError(f"{manifest}: the manifest has no rows")
    columns = set(rows[0])
    if "file" not in columns:
        raise CorpusError(f"{manifest}: the manifest needs a 'file' column; it has {', '.join(sorted(columns))}")
    group_by, bands = parse_group_by(config.group_by), year_bands(config.periods)
    check_columns(group_by, columns - {"file", "id"}, bands, str(manifest))
    documents, skipped, cleaned = [], [], 0
    for line, row in enumerate(rows, start=2):
        rel = (row.get("file") or "").strip()
        path = root / rel
        if not rel:
            skipped.append(Skipped(f"{manifest.name}:{line}", "manifest row has no file"))
            continue
        if not path.is_file():
            skipped.append(Skipped(rel, "listed in the manifest but not found"))
            continue
        values, n = _clean({k: v or "" for k, v in row.items() if k != "file" and k is not None})
        cleaned += n
        doc_id = values.pop("id", "") or _id_from_path(PurePosixPath(rel))
        meta = values
        year, source = _year_from_meta(meta)
        if year is None:
            year, source = _year_from_name(path.name)
        group = group_name(meta, year, group_by, bands)
        documents.append(Document(doc_id, path, rel, group, year, source, meta))
    return documents, skipped, cleaned


def _from_folders(root: Path, config: CorpusConfig) -> tuple[list[Document], list[Skipped], int]:
    suffixes = {"." + f.lower().lstrip(".") for f in config.formats}
    group_by, bands = parse_group_by(config.group_by), year_bands(config.periods)
    check_columns(group_by, {c for c in group_by if c not in DERIVED}, bands, str(root))
    files, skipped = _walk(root, suffixes)
    shown = [shown_name(p.relative_to(root).as_posix()) for p in files]
    names, cleaned = _clean(dict(enumerate(shown)))
    rels = [PurePosixPath(names[i]) for i in range(len(files))]
    depth = _branch_depth(rels)
    documents = []
    for path, rel in zip(files, rels, strict=True):
        meta = {"folder": rel.parts[depth] if len(rel.parts) > depth + 1 else "(root)"}
        year, source = _year_from_name(path.name)
        group = group_name(meta, year, group_by, bands)
        documents.append(Document(_id_from_path(rel), path, rel.as_posix(), group, year, source, meta))
    return documents, skipped, cleaned


def _walk(root: Path, suffixes: set[str]) -> tuple[list[Path], list[Skipped]]:
    """The files below ``root`` with one of ``suffixes``, following symbolic links to folders; a
    link back to a folder already walked (a loop, or a second way into the same folder) is not
    followed again and is listed, as are broken links and folders that cannot be read."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    walked: dict[Path, str] = {}

    def shown(path: Path) -> str:
        return shown_name(path.relative_to(root).as_posix()) if path != root else "."

    def visit(folder: Path) -> None:
        real = folder.resolve()
        if real in walked:
            skipped.append(
                Skipped(shown(folder), f"the same folder as {walked[real]} (a symbolic link): not read twice")
            )
            return
        walked[real] = shown(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(shown(folder), f"folder cannot be read: {exc.strerror}"))
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    visit(path)
                elif entry.is_file():
                    if path.suffix.lower() in suffixes:
                        files.append(path)
                elif entry.is_symlink():
                    skipped.append(Skipped(shown(path), "broken symbolic link: its target does not exist"))
            except OSError as exc:
                skipped.append(Skipped(shown(path), f"cannot be read: {exc.strerror}"))

    visit(root)
    return sorted(files), skipped


def _branch_depth(rels: list[PurePosixPath]) -> int:
    """How many leading folders all files share: the groups are the folders one level below."""
    depth = 0
    while True:
        heads = {r.parts[depth] if len(r.parts) > depth + 1 else None for r in rels}
        if len(heads) != 1 or None in heads:
            return depth
        depth += 1


def _id_from_path(rel: PurePosixPath) -> str:
    return str(rel.with_suffix(""))


YEAR_MIN, YEAR_MAX = 1949, 2100


def _valid_year(text: str) -> int | None:
    year = int(text)
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def _year_from_meta(meta: dict[str, str]) -> tuple[int | None, str]:
    for key in ("year", "date"):
        match = re.match(r"\s*(\d{4})", meta.get(key, ""))
        if match and _valid_year(match.group(1)):
            return int(match.group(1)), "manifest"
    return None, "unknown"


_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-_.年](?:0?[1-9]|1[0-2]))")


def _year_from_name(name: str) -> tuple[int | None, str]:
    """A year from a date in a file name, e.g. ``条例(2022-05-25).pdf`` or ``2019年3月通知.docx``."""
    years = [y for y in (_valid_year(m) for m in _NAME_DATE.findall(name)) if y]
    return (max(years), "file name") if years else (None, "unknown")


_CN_DATE = r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_ADOPTION_WORDS = ("通过", "批准", "修正", "修订", "公布", "施行", "发布", "印发")
_BODY_START = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+[章条]")
_IN_FORCE = re.compile(r"自\s*" + _CN_DATE + r"\s*起\s*(?:施行|实施|执行|生效)")


def year_from_text(text: str) -> int | None:
    """The year of a policy text: the latest date in its adoption lines, else its entry into force.

    Adoption lines are the lines before the first 第…章/第…条 that name a date and an act (通过,
    批准, 修正, 修订, 公布, 施行, 发布, 印发), as in "2022年5月25日 北京市…会议通过". Failing
    those, the date of "自2002年7月1日起施行".
    """
    years = []
    for line in text.splitlines()[:40]:
        if _BODY_START.match(line):
            break
        if any(word in line for word in _ADOPTION_WORDS):
            years += [y for y in (_valid_year(m) for m in re.findall(_CN_DATE, line)) if y]
    if years:
        return max(years)
    match = _IN_FORCE.search(text)
    return _valid_year(match.group(1)) if match else None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
