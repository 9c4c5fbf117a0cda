"""A run's ``tokens.jsonl``: every document's sentences, with its paragraph and article, one JSON
line a document — what ``textmine network`` and ``textmine topics`` rebuild their stage from,
without reading or segmenting the corpus again. The lines written and the reader side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

from ..analysis.counting import TokenizedDocument
from ..errors import CorpusError
from ..text.resources import default_output


def token_lines(documents: Iterable[TokenizedDocument]) -> Iterator[dict]:
    """The lines of ``tokens.jsonl`` for ``documents``."""
    for d in (document.loaded() for document in documents):
        yield {
            "id": d.id,
            "group": d.group,
            "year": d.year,
            "title": d.title,
            "sentences": d.sentences,
            "paragraphs": d.paragraphs,
            "articles": d.articles,
        }


def load_tokens(path: Path) -> list[TokenizedDocument]:
    """The documents of a run's ``tokens.jsonl``, with their titles."""
    if not path.is_file():
        raise CorpusError(f"{path}: no segmented corpus here; run `textmine run` on the corpus first")
    documents = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            try:
                d = json.loads(line)
                documents.append(
                    TokenizedDocument(
                        d["id"],
                        d["group"],
                        d["year"],
                        d["sentences"],
                        d.get("paragraphs"),
                        d.get("articles"),
                        title=d.get("title", ""),
                    )
                )
            except (json.JSONDecodeError, KeyError) as exc:
                raise CorpusError(f"{path}:{number}: not a textmine tokens line ({exc})") from None
    return documents


def tokens_path(source: Path | None, corpus: Path) -> Path:
    """Where a run's tokens.jsonl is: in ``source``, or in the default output folder of ``corpus``."""
    return (source or default_output(corpus)) / "tokens.jsonl"
