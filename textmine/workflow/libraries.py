"""Which libraries textmine runs on, and their installed versions: recorded in every run and part
of every cache key, so that a run says what made it and a cache entry is never used across versions."""

from __future__ import annotations

import functools
import platform
import re
from importlib import metadata


def libraries() -> tuple[str, ...]:
    """textmine and the libraries it requires to run, in the order ``pyproject.toml`` lists them
    (from the installed package's metadata, so the record can never miss one)."""
    try:
        required = metadata.requires("textmine") or []
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        required = []
    return ("textmine", *(re.match(r"[A-Za-z0-9._-]+", r).group() for r in required if "extra ==" not in r))


def library_versions() -> dict[str, str]:
    """Python's version and every library's, by name: looked up once a process (about 15 ms)."""
    return dict(_versions())


@functools.cache
def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in libraries():
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
