"""textmine: Chinese policy documents in, evidence out.

The command line (``textmine run CORPUS``) and this API do the same things::

    import textmine

    config = textmine.load_config(corpus="corpora/four-cities", overrides={"topics.k": 10})
    analysis = textmine.analyse("corpora/four-cities", config=config)  # nothing written (the cache aside)
    analysis.counts.keywords.top(10)   # the corpus's top keywords
    analysis.networks.links            # keyword | frequency | strongest associated keyword | weight
    analysis.comparison.distinctive["beijing"]  # what Beijing stresses against the other cities
    textmine.write_run(analysis, "outputs/four-cities")  # the only way into a folder
    textmine.run("corpora/four-cities", config=config)  # the two: a Run (analysis, folder, files, timings)

Each stage is also callable on its own: :func:`discover`, :func:`extract_file`, :class:`Segmenter`,
:func:`doc_term_matrix`, :func:`keyword_table`, :func:`cooccurrence`, :func:`build_network`,
:func:`topic_corpus`, :func:`fit_lda`, :func:`fit_nmf`, :func:`fit_topics` (K chosen, LDA and NMF), :func:`distinctive_terms`.
"""

import importlib as _importlib
from importlib import metadata as _metadata

__version__ = _metadata.version("textmine")

_EXPORTS = {  # public name -> the module that defines it, imported on first use
    "AnalysisError": "errors",
    "Concordance": "text.vocabulary",
    "concordance": "text.vocabulary",
    "Config": "config",
    "ConfigError": "errors",
    "Cooccurrence": "analysis.network",
    "build_network": "analysis.network",
    "cooccurrence": "analysis.network",
    "Corpus": "ingest.corpus",
    "CorpusError": "errors",
    "discover": "ingest.corpus",
    "distinctive_terms": "analysis.compare",
    "DistinctiveTerm": "analysis.compare",
    "doc_term_matrix": "analysis.counting",
    "DocTermMatrix": "analysis.counting",
    "Document": "ingest.corpus",
    "build_networks": "workflow.pipeline",
    "drop_duplicates": "workflow.pipeline",
    "DuplicateCluster": "ingest.duplicates",
    "extract": "api",
    "Extraction": "api",
    "extract_corpus": "workflow.pipeline",
    "extract_file": "ingest.extract",
    "Extracted": "ingest.extract",
    "ExtractionError": "errors",
    "find_duplicates": "ingest.duplicates",
    "find_new_terms": "workflow.pipeline",
    "fit_lda": "analysis.topics",
    "fit_nmf": "analysis.topics",
    "fit_topics": "workflow.topic_stage",
    "keyword_table": "analysis.counting",
    "tables": "output.outputs",
    "KeywordTable": "analysis.counting",
    "kwic": "workflow.pipeline",
    "Lexicon": "text.resources",
    "load_config": "config",
    "load_lexicon": "text.resources",
    "MissingFontError": "errors",
    "new_terms": "text.vocabulary",
    "NewTerm": "text.vocabulary",
    "policy_metadata": "ingest.metadata",
    "ReadDocument": "workflow.pipeline",
    "read_texts": "output.text_shards",
    "ResourceError": "errors",
    "run": "api",
    "analyse": "workflow.pipeline",
    "Analysis": "workflow.pipeline",
    "Run": "output.outputs",
    "write_run": "output.outputs",
    "segment_corpus": "workflow.pipeline",
    "Segmented": "workflow.pipeline",
    "Segmenter": "text.segment",
    "self_test": "text.segment",
    "SelfTest": "text.segment",
    "split_sentences": "text.segment",
    "strongest_links": "analysis.network",
    "synonym_candidates": "text.vocabulary",
    "SynonymCandidate": "text.vocabulary",
    "TextmineError": "errors",
    "TokenizedDocument": "analysis.counting",
    "TopicCorpus": "analysis.topics",
    "TopicModel": "analysis.topics",
    "topic_corpus": "analysis.topics",
    "Topics": "workflow.topic_stage",
    "year_from_text": "ingest.corpus",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> object:
    """Public names are imported when first used (PEP 562), so that ``import textmine`` and the
    command's start are quick and a stage's heavy libraries load only when it runs."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'textmine' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
