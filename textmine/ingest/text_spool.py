"""The documents' texts on disk while a run needs them, not in memory.

A run reads each text a few times (metadata, near-duplicates and versions, segmentation, the
``texts`` folder of the outputs), but holding every text for the whole run made the texts most of
its memory: some 27 KB a document, 2.7 GB for 100,000 documents. A :class:`TextSpool` appends each
text's UTF-8 bytes to one file in a private temporary folder as the text is read, keeps only where it
starts, its length and its SHA-256, and reads it back when asked. The folder goes when the spool is
garbage-collected, or when the process ends; the folder of a run that was killed (and could not
remove it) goes when the next spool starts, its process's id in its name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import weakref
from pathlib import Path
from typing import BinaryIO, Iterator, Mapping, Sequence

from ..writers import process_alive


class TextSpool(Mapping[str, str]):
    """Texts by key, on disk: ``spool[key] = text`` writes, ``spool[key]`` reads it back. A key
    written again points to its new text (the old bytes stay in the file until the spool goes)."""

    def __init__(self) -> None:
        folder = private_folder("textmine-texts-")
        self._file: BinaryIO = open(folder / "texts.bin", "w+b")  # noqa: SIM115 (closed by the finalizer)
        self._lock = threading.Lock()  # one file position for reads and writes
        self._where: dict[str, tuple[int, int]] = {}  # key -> (offset, bytes)
        self._digests: dict[str, str] = {}
        self._end = 0
        self._finalizer = weakref.finalize(self, remove_spool, self._file, folder)

    def __setitem__(self, key: str, text: str) -> None:
        data = text.encode("utf-8")
        with self._lock:
            self._file.seek(self._end)
            self._file.write(data)
            self._where[key] = (self._end, len(data))
            self._end += len(data)
        self._digests[key] = hashlib.sha256(data).hexdigest()

    def __getitem__(self, key: str) -> str:
        offset, size = self._where[key]
        with self._lock:
            self._file.seek(offset)
            return self._file.read(size).decode("utf-8")

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def digest(self, key: str) -> str:
        """The SHA-256 of the text's UTF-8 bytes, in hex."""
        return self._digests[key]

    def only(self, keys: Sequence[str]) -> Mapping[str, str]:
        """The texts of ``keys`` alone, in that order, read as they are asked for."""
        return Subset(self, keys)

    def close(self) -> None:
        """Remove the file now (it goes with the spool otherwise)."""
        self._finalizer()


class Subset(Mapping[str, str]):
    """The items of ``keys`` alone of a mapping, in that order, each value read from it when asked."""

    def __init__(self, spool: Mapping[str, str], keys: Sequence[str]) -> None:
        self._spool, self._keys = spool, list(dict.fromkeys(keys))
        self._known = set(self._keys)

    def __getitem__(self, key: str) -> str:
        if key not in self._known:
            raise KeyError(key)
        return self._spool[key]

    def __contains__(self, key: object) -> bool:
        return key in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class TextsOf(Sequence[str]):
    """The texts of ``keys`` as a sequence, each read when indexed: for a worker pool that sends one
    text at a time, so that they never all stand in memory at once."""

    def __init__(self, spool: Mapping[str, str], keys: Sequence[str]) -> None:
        self._spool, self._keys = spool, list(keys)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self._spool[k] for k in self._keys[index]]
        return self._spool[self._keys[index]]

    def __len__(self) -> int:
        return len(self._keys)


def private_folder(prefix: str) -> Path:
    """A new temporary folder ``<prefix><pid>-…`` for this process's spool, after removing those of
    processes that are gone."""
    _remove_stale(Path(tempfile.gettempdir()), prefix)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


def remove_spool(file: BinaryIO, folder: Path) -> None:
    file.close()
    shutil.rmtree(folder, ignore_errors=True)


def _remove_stale(temporary: Path, prefix: str) -> None:
    """Remove the spool folders under ``temporary`` whose process is gone (killed: kill -9, a
    power cut), those named ``<prefix><pid>-…``."""
    for path in temporary.glob(f"{prefix}*-*"):
        pid = path.name.removeprefix(prefix).partition("-")[0]
        if pid.isdigit() and path.is_dir() and not process_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
