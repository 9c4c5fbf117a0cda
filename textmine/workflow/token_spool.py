"""The segmented documents on disk while a run needs them, not in memory.

Held in memory, a document's tokens (4-byte term numbers, sentence ends, paragraphs and articles)
took some 7.5 KB a document on the corpora of ``bench/make_corpus.py`` (14 MB at 1,960 documents,
43 MB at 5,880): 750 MB at 100,000 documents, and again as the network stage made each one without
the drafting vocabulary. A :class:`TokenStore` appends each document's arrays to one file in a
private temporary folder as the document is segmented. A :class:`SpooledDocument` is a
:class:`~textmine.analysis.counting.TokenizedDocument` that holds only its id, group, year, title and its record in
the store, and reads its arrays back each time they are asked for (a read of a few KB the page
cache answers); its ``without`` is another such handle, the words taken out as the arrays are read.
A stage that walks the documents holds one at a time. The folder goes with the store (garbage
collection or the end of the process); that of a run that was killed goes when the next store starts.

:func:`dump` and :func:`load` pickle values holding documents for the caches: a document in memory
as its term numbers into one table of the terms (the strings), a spooled one as a reference to its
store, whose records follow the pickle in the same file, copied a block at a time and renumbered to
the loading process's terms as they are read.
"""

from __future__ import annotations

import pickle
import threading
import weakref
from typing import Any, BinaryIO

import numpy as np

from ..analysis.counting import TokenizedDocument
from ..ingest.text_spool import private_folder, remove_spool
from ..text import terms

_INT = np.dtype("<i4")  # every array of a record, in this order: ids, ends, paragraphs, articles
_ABSENT = -1  # the length recorded for paragraphs or articles not known


class TokenStore:
    """Documents' arrays by record number, in one file: :meth:`add` writes a document and gives its
    handle; :meth:`arrays` reads a record back."""

    def __init__(self) -> None:
        folder = private_folder("textmine-tokens-")
        self._file: BinaryIO = open(folder / "tokens.bin", "w+b")  # noqa: SIM115 (closed by the finalizer)
        self._lock = threading.Lock()  # one file position for reads and writes
        self._records: list[tuple[int, int, int, int, int]] = []  # offset, then each array's length
        self._end = 0
        self._finalizer = weakref.finalize(self, remove_spool, self._file, folder)

    def add(self, document: TokenizedDocument) -> SpooledDocument:
        """Write ``document``'s arrays; its handle, which reads them from here."""
        number = self._append(document.ids, document.ends, *document.structure())
        return SpooledDocument(self, number, document.id, document.group, document.year, title=document.title)

    def _append(self, *arrays: np.ndarray | None) -> int:
        data = b"".join(np.asarray(a, dtype=_INT).tobytes() for a in arrays if a is not None)
        lengths = tuple(_ABSENT if a is None else len(a) for a in arrays)
        with self._lock:
            self._file.seek(self._end)
            self._file.write(data)
            self._records.append((self._end, *lengths))  # type: ignore[arg-type]
            self._end += len(data)
            return len(self._records) - 1

    def arrays(self, number: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Record ``number``'s ids, sentence ends, paragraphs and articles (None when not known), read only."""
        offset, *lengths = self._records[number]
        with self._lock:
            self._file.seek(offset)
            data = self._file.read(_INT.itemsize * sum(max(n, 0) for n in lengths))
        flat = np.frombuffer(data, dtype=_INT)
        found: list[np.ndarray | None] = []
        start = 0
        for n in lengths:
            found.append(None if n == _ABSENT else flat[start : start + n])
            start += max(n, 0)
        return found[0], found[1], found[2], found[3]  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._records)

    def _copy_to(self, file: BinaryIO) -> None:
        """Every record, as held, after a small pickle of what they are: their lengths and the terms
        their numbers stand for."""
        table = _Terms(terms.strings(np.arange(terms.size())))
        pickle.dump((table, [r[1:] for r in self._records], self._end), file, protocol=5)
        with self._lock:
            self._file.flush()
            self._file.seek(0)
            _copy(self._file, file, self._end)

    def _fill_from(self, file: BinaryIO) -> None:
        """The records :meth:`_copy_to` wrote, the terms renumbered to this process's."""
        table, records, size = pickle.load(file)
        if len(self._records):
            raise ValueError("a store is filled once, before it is read")
        for lengths in records:
            data = file.read(_INT.itemsize * sum(max(n, 0) for n in lengths))
            flat = np.frombuffer(data, dtype=_INT)
            if len(flat) != sum(max(n, 0) for n in lengths):
                raise EOFError("the cache file ends inside its documents' tokens")
            parts, start = [], 0
            for n in lengths:
                parts.append(None if n == _ABSENT else flat[start : start + n])
                start += max(n, 0)
            self._append(table[parts[0]], *parts[1:])
        if self._end != size:
            raise ValueError("the documents' tokens in the cache file do not add up")


class SpooledDocument(TokenizedDocument):
    """A document whose arrays stay in a :class:`TokenStore` (read at each use); ``drop``, term
    numbers taken out as they are read (:meth:`without`)."""

    __slots__ = ("_store", "_number", "_drop")

    def __init__(
        self,
        store: TokenStore,
        number: int,
        id: str,
        group: str,
        year: int | None,
        drop: np.ndarray | None = None,
        *,
        title: str = "",
    ) -> None:
        for name, value in (("id", id), ("group", group), ("year", year), ("title", title)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "_number", number)
        object.__setattr__(self, "_drop", drop)

    def _read(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
        arrays = self._store.arrays(self._number)
        if self._drop is None:
            return arrays
        kept = TokenizedDocument.of_ids(self.id, self.group, self.year, *arrays).without(self._drop)
        return kept.ids, kept.ends, *kept.structure()

    @property
    def ids(self) -> np.ndarray:  # type: ignore[override]
        return self._read()[0]

    @property
    def ends(self) -> np.ndarray:  # type: ignore[override]
        return self._read()[1]

    @property
    def _paragraphs(self) -> np.ndarray | None:  # type: ignore[override]
        return self._read()[2]

    @property
    def _articles(self) -> np.ndarray | None:  # type: ignore[override]
        return self._read()[3]

    def structure(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        _, _, paragraphs, articles = self._read()
        return paragraphs, articles

    @property
    def sentences(self) -> list[list[str]]:
        return self.loaded().sentences

    def loaded(self) -> TokenizedDocument:
        """The document with its arrays in memory."""
        return TokenizedDocument.of_ids(self.id, self.group, self.year, *self._read(), title=self.title)

    def without(self, numbers: np.ndarray) -> SpooledDocument:
        drop = numbers if self._drop is None else np.union1d(self._drop, numbers)
        drop = np.asarray(drop, np.int32)
        return SpooledDocument(self._store, self._number, self.id, self.group, self.year, drop, title=self.title)


def dump(value: Any, file: BinaryIO) -> None:
    """Pickle ``value`` into ``file``, its documents as described above.

    A plain pickle is larger and slower: a :class:`~textmine.analysis.counting.TokenizedDocument`'s
    ``__reduce__`` (made to send one document to another process) gives its words as new strings,
    and a pickle holds everything it has pickled until it ends: the whole corpus again, 20 KB a
    document."""
    table = _Terms(terms.strings(np.arange(terms.size())))
    stores: dict[int, tuple[int, TokenStore]] = {}

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            kind = type(obj)
            if kind is TokenizedDocument:
                return _of_table, (table, obj.id, obj.group, obj.year, obj.title, obj.ids, obj.ends, *obj.structure())
            if kind is SpooledDocument:
                store = stores.setdefault(id(obj._store), (len(stores), obj._store))[0]
                drop = None if obj._drop is None else terms.strings(obj._drop)
                return _spooled, (store, obj._number, obj.id, obj.group, obj.year, obj.title, drop)
            return NotImplemented

    Pickler(file, protocol=5).dump(value)
    for _, store in sorted(stores.values(), key=lambda s: s[0]):
        store._copy_to(file)


_loading = threading.local()  # the stores of the file being loaded, by their number in it


def load(file: BinaryIO) -> Any:
    """A value :func:`dump` wrote, its spooled documents in new stores of this process."""
    _loading.stores = {}
    try:
        value = pickle.load(file)
        for number in sorted(_loading.stores):
            _loading.stores[number]._fill_from(file)
    finally:
        del _loading.stores
    return value


def _spooled(
    store: int, number: int, id: str, group: str, year: int | None, title: str, drop: list[str] | None
) -> SpooledDocument:
    held = _loading.stores.setdefault(store, TokenStore())
    numbers = None if drop is None else terms.numbers(drop)
    return SpooledDocument(held, number, id, group, year, numbers, title=title)


class _Terms:
    """A table of terms in a pickle of :func:`dump`: the strings when pickled, each one's number in
    the process that loads it when unpickled."""

    def __init__(self, strings: list[str]) -> None:
        self.strings = strings

    def __reduce__(self) -> tuple:
        return terms.numbers, (self.strings,)


def _of_table(
    table: np.ndarray,
    id: str,
    group: str,
    year: int | None,
    title: str,
    ids: np.ndarray,
    ends: np.ndarray,
    *structure: Any,
) -> TokenizedDocument:
    return TokenizedDocument.of_ids(id, group, year, table[ids], ends, *structure, title=title)


def _copy(source: BinaryIO, target: BinaryIO, size: int, block: int = 1 << 20) -> None:
    while size > 0:
        data = source.read(min(block, size))
        if not data:
            raise EOFError("a token store is shorter than its records")
        target.write(data)
        size -= len(data)
