"""The terms of this process, each numbered once: segmented documents hold their tokens as these
numbers (4 bytes a token in a numpy array) instead of Python lists of strings (some 16 bytes a token
with the lists' own overhead), so that what a corpus's tokens take grows with the vocabulary plus 4
bytes a token. The same idea as spaCy's ``StringStore``; numbers are never written out or sent to
another process, only the strings (see ``TokenizedDocument.__reduce__``)."""

from __future__ import annotations

import threading

import numpy as np

_strings: list[str] = []  # number -> term
_numbers: dict[str, int] = {}  # term -> number
_lock = threading.Lock()  # one number a term, whichever thread asks first


def numbers(tokens: list[str]) -> np.ndarray:
    """The numbers of ``tokens`` (int32), new terms numbered as they come."""
    with _lock:
        found = [_numbers.get(t) for t in tokens]
        if None in found:
            for i, t in enumerate(tokens):
                if found[i] is None:
                    found[i] = _numbers.setdefault(t, len(_strings))
                    if found[i] == len(_strings):
                        _strings.append(t)
    return np.fromiter(found, dtype=np.int32, count=len(found))


def number(term: str) -> int | None:
    """The number of ``term``, or None when no document of this process holds it."""
    return _numbers.get(term)


def strings(ids: np.ndarray) -> list[str]:
    """The terms numbered ``ids``, each the one string object of its term."""
    table = _strings
    return [table[i] for i in ids.tolist()]


def size() -> int:
    """How many terms are numbered (every number is below it)."""
    return len(_strings)
