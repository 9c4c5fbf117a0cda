"""The run record, ``run.json``: what was run, on what, with which versions, and what came out.

Everything in it is determined by the inputs, the config and the installed versions, except the
``timing`` block; two runs on the same input differ only there.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from ..config import CORPUS_CONFIG_NAME
from ..ingest.clean import is_page_number
from ..text.resources import display_name
from ..workflow.libraries import library_versions

if TYPE_CHECKING:
    from ..config import Config
    from ..ingest.corpus import Corpus, Skipped
    from ..ingest.duplicates import DuplicateCluster
    from ..workflow.pipeline import Analysis, ReadDocument


def extraction_record(
    config: "Config",
    corpus: "Corpus",
    read: list["ReadDocument"],
    skipped: list["Skipped"],
    duplicates: list["DuplicateCluster"],
    outputs: dict[str, str],
    timings: dict[str, float],
) -> dict[str, Any]:
    """What every record holds: corpus, config, versions, inputs and what became of them."""
    corpus_config = corpus.root / CORPUS_CONFIG_NAME
    return {
        "textmine_run": 1,
        "corpus": {
            "name": corpus.name,
            "path": str(corpus.root),
            "manifest": corpus.manifest.name if corpus.manifest else None,
            "config_file": CORPUS_CONFIG_NAME if corpus_config.is_file() else None,
        },
        "config": config.to_dict(),
        "seed": config.run.seed,
        "versions": library_versions(),
        "counts": {
            "documents_found": len(corpus.documents) + len(corpus.skipped),
            "documents_read": len(read),
            "documents_skipped": len(skipped),
            "control_characters_removed_from_metadata": corpus.cleaned,
            "duplicates_counted_once": sum(len(c.dropped) for c in duplicates),
            "formats": dict(sorted(Counter(r.extracted.format for r in read).items())),
            "year_sources": dict(sorted(Counter(r.document.year_source for r in read).items())),
            "pdf_pages": sum(r.extracted.pages or 0 for r in read),
            "ocr_pages": sum(r.extracted.ocr_pages for r in read),
            "repairs": dict(sorted(sum((Counter(r.extracted.repairs) for r in read), Counter()).items())),
            "running_lines_removed": sorted(
                {line for r in read for line in r.extracted.dropped_lines if not is_page_number(line)}
            ),
        },
        "skipped": [{"file": s.path, "reason": s.reason} for s in skipped],
        "duplicates": [
            {"kept": c.kept, "dropped": list(c.dropped), "kind": c.kind, "similarity": c.similarity} for c in duplicates
        ],
        "inputs": [{"id": r.document.id, "file": r.document.file, "sha256": r.sha256} for r in read],
        "outputs": outputs,
        "timing": {
            "seconds_per_stage": timings,
            "seconds_per_file": {r.document.id: r.seconds for r in read if not r.cached},
            "from_cache": sorted(r.document.id for r in read if r.cached),
        },
    }


def build_record(
    analysis: "Analysis", outputs: dict[str, str], timings: dict[str, float], memory: dict[str, int]
) -> dict[str, Any]:
    record = extraction_record(
        analysis.config,
        analysis.reading.corpus,
        [*analysis.reading.read, *analysis.reading.dropped],
        analysis.reading.skipped,
        analysis.reading.duplicates,
        outputs,
        timings,
    )
    record["timing"]["peak_rss_mb_by_stage"] = dict(memory)
    record["counts"].update(
        {
            "documents_analysed": len(analysis.text.tokenized),
            "selection": {
                "rules": analysis.config.corpus.select,
                "mode": analysis.config.corpus.select_mode,
                "left_out": {doc_id: rules for doc_id, rules in sorted(analysis.reading.unselected.items())},
            },
            "tokens": analysis.counts.keywords.tokens,
            "vocabulary": len(analysis.counts.dtm.vocab),
            "groups": {
                g: {"documents": t.documents, "tokens": t.tokens} for g, t in analysis.counts.keywords_by_group.items()
            },
            "topic_documents_dropped": list(analysis.topics.lda.dropped) if analysis.topics else [],
        }
    )
    if analysis.text.dictionary is not None:
        report = analysis.text.dictionary
        record["dictionary_self_test"] = {
            "entries": report.entries,
            "whole": report.whole,
            "fixed": [{"word": w, "freq": f} for w, f in report.fixed],
            "failed": [{"word": w, "reason": r} for w, r in report.failed],
            "share_whole": round(report.share_whole, 4),
        }
    if analysis.topics is not None:
        record["topics"] = {
            "k": analysis.topics.selection.chosen,
            "rule": analysis.topics.selection.rule,
            "seeds": sorted({f.seed for f in analysis.topics.selection.fits}),
            "note": analysis.topics.note,
            "published_coherence": {m: values for m, values in analysis.topics.published.items()},
        }
        record["timing"]["topic_fit_seconds"] = {
            **analysis.topics.seconds,
            "per_fit": {f"K={f.k} seed={f.seed}": f.seconds for f in analysis.topics.selection.fits},
        }
    record["stages_not_run"] = analysis.not_run
    record["counts"]["policy_versions"] = {
        "policies": len(analysis.reading.versions),
        "left_out": sorted(d for c in analysis.reading.versions for d in c.dropped)
        if analysis.config.corpus.versions != "all"
        else [],
    }
    record["counts"]["synonym_merges"] = sum(analysis.text.merges.values())
    record["counts"]["numerals_dropped"] = {
        "tokens": sum(analysis.text.numerals.values()),
        "distinct": len(analysis.text.numerals),
        "most_frequent": [
            [t, n] for t, n in sorted(analysis.text.numerals.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
        ],
    }
    d = analysis.counts.drafting
    record["counts"]["drafting"] = {
        "treatment": analysis.config.keywords.drafting,
        "terms": len(d.terms),
        "tokens": d.drafting_tokens,
        "share_of_tokens": round(d.share, 4),
        "document_share_rule": d.df_rule,
    }
    record["resources"] = [
        {"kind": kind, "file": display_name(path), "sha256": digest}
        for kind, path, digest in analysis.text.lexicon.files
    ]
    return record
