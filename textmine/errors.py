"""textmine's exceptions, all in one place.

    TextmineError                 anything textmine raises on purpose
    ├── ConfigError               a config file or option is invalid (names the key)
    ├── CorpusError               the corpus folder or its manifest cannot be used
    ├── ExtractionError           one file cannot be read (names the reason); the run skips it
    ├── ResourceError             a dictionary, stopword or synonym file is unusable
    ├── AnalysisError             a stage cannot run on this data (e.g. too few documents for K topics)
    └── MissingFontError          no CJK font is installed, so charts would show boxes

The CLI turns each into a one-line message and a non-zero exit; nothing reaches a user as a traceback.
"""

from __future__ import annotations


class TextmineError(Exception):
    """Base class of every error textmine raises on purpose."""


class ConfigError(TextmineError):
    """A config file or option is invalid."""


class CorpusError(TextmineError):
    """The corpus folder or its manifest cannot be used."""


class ExtractionError(TextmineError):
    """One file cannot be read; the message is the reason, in a user's words, and the run skips the
    file. ``detail`` holds what the library said, for the run's debug log."""

    def __init__(self, reason: str, *, detail: str = "") -> None:
        super().__init__(reason)
        self.detail = detail


class ResourceError(TextmineError):
    """A dictionary, stopword or synonym file is unusable."""


class AnalysisError(TextmineError):
    """A stage cannot run on the data it was given."""


class MissingFontError(TextmineError):
    """No font with Chinese glyphs was found for the charts."""
