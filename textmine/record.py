"""The run record, ``run.json``: what was run, on what, with which versions, and what came out.

Everything in it is determined by the inputs, the config and the installed versions, except the
``timing`` block; two runs on the same input differ only there.
"""

from __future__ import annotations

import platform
from collections import Counter
from importlib import metadata
from typing import TYPE_CHECKING, Any

from .clean import is_page_number
from .config import CORPUS_CONFIG_NAME
from .resources import display_name

if TYPE_CHECKING:
    from .pipeline import RunResult

LIBRARIES = ("textmine", "pdfplumber", "pdfminer.six", "python-docx", "beautifulsoup4", "jieba", "numpy", "scipy",
             "gensim", "networkx", "openpyxl", "matplotlib", "jinja2", "click", "tqdm")


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build_record(result: "RunResult", outputs: dict[str, str]) -> dict[str, Any]:
    corpus = result.corpus
    groups = {
        g: {"documents": t.documents, "tokens": t.tokens} for g, t in result.keywords_by_group.items()
    }
    corpus_config = corpus.root / CORPUS_CONFIG_NAME
    return {
        "textmine_run": 1,
        "corpus": {
            "name": corpus.name,
            "path": str(corpus.root),
            "manifest": corpus.manifest.name if corpus.manifest else None,
            "config_file": CORPUS_CONFIG_NAME if corpus_config.is_file() else None,
        },
        "config": result.config.to_dict(),
        "seed": result.config.run.seed,
        "versions": library_versions(),
        "resources": [
            {"kind": kind, "file": display_name(path), "sha256": digest} for kind, path, digest in result.lexicon.files
        ],
        "counts": {
            "documents_found": len(corpus.documents) + len(corpus.skipped),
            "documents_read": len(result.read),
            "documents_skipped": len(result.skipped),
            "tokens": result.n_tokens,
            "vocabulary": len(result.dtm.vocab),
            "groups": groups,
            "formats": dict(sorted(Counter(r.extracted.format for r in result.read).items())),
            "year_sources": dict(sorted(Counter(r.document.year_source for r in result.read).items())),
            "pdf_pages": sum(r.extracted.pages or 0 for r in result.read),
            "running_lines_removed": sorted({line for r in result.read for line in r.extracted.dropped_lines
                                             if not is_page_number(line)}),
            "topic_documents_dropped": list(result.topics.dropped) if result.topics else [],
        },
        "skipped": [{"file": s.path, "reason": s.reason} for s in result.skipped],
        "inputs": [
            {"id": r.document.id, "file": r.document.path.relative_to(corpus.root).as_posix(), "sha256": r.sha256}
            for r in result.read
        ],
        "outputs": outputs,
        "timing": {"seconds_per_stage": result.timings},
    }
