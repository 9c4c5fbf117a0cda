"""textmine: Chinese policy documents in, evidence out.

The command line (``textmine run CORPUS``) and this API do the same things::

    import textmine

    config = textmine.load_config(corpus="corpora/four-cities", overrides={"topics.k": 10})
    analysis = textmine.analyse("corpora/four-cities", config=config)  # nothing written (the cache aside)
    analysis.counts.keywords.top(10)   # the corpus's top keywords
    analysis.networks.links            # keyword | frequency | strongest associated keyword | weight
    analysis.comparison.distinctive["beijing"]  # what Beijing stresses against the other cities
    textmine.write_run(analysis, Path("outputs/four-cities"))  # the only way into a folder
    textmine.run("corpora/four-cities", config=config)  # the two: a Run (analysis, folder, files, timings)

Each stage is also callable on its own: :func:`discover`, :func:`extract_file`, :class:`Segmenter`,
:func:`doc_term_matrix`, :func:`keyword_table`, :func:`cooccurrence`, :func:`build_network`,
:func:`topic_corpus`, :func:`fit_lda`, :func:`fit_nmf`, :func:`fit_topics` (K chosen, LDA and NMF), :func:`distinctive_terms`.
"""

import importlib as _importlib
import sys as _sys
import types as _types
from importlib import metadata as _metadata

__version__ = _metadata.version("textmine")

_EXPORTS = {  # public name -> the module that defines it, imported on first use
    "AnalysisError": "errors",
    "Concordance": "vocabulary",
    "concordance": "vocabulary",
    "Config": "config",
    "ConfigError": "errors",
    "Cooccurrence": "network",
    "build_network": "network",
    "cooccurrence": "network",
    "Corpus": "corpus",
    "CorpusError": "errors",
    "discover": "corpus",
    "distinctive_terms": "compare",
    "DistinctiveTerm": "compare",
    "doc_term_matrix": "counting",
    "DocTermMatrix": "counting",
    "Document": "corpus",
    "build_networks": "pipeline",
    "drop_duplicates": "pipeline",
    "DuplicateCluster": "duplicates",
    "extract": "api",
    "Extraction": "api",
    "extract_corpus": "pipeline",
    "extract_file": "extract",
    "Extracted": "extract",
    "ExtractionError": "errors",
    "find_duplicates": "duplicates",
    "find_new_terms": "pipeline",
    "fit_lda": "topics",
    "fit_nmf": "topics",
    "fit_topics": "topic_stage",
    "keyword_table": "counting",
    "tables": "outputs",
    "KeywordTable": "counting",
    "kwic": "pipeline",
    "Lexicon": "resources",
    "load_config": "config",
    "load_lexicon": "resources",
    "MissingFontError": "errors",
    "new_terms": "vocabulary",
    "NewTerm": "vocabulary",
    "policy_metadata": "metadata",
    "ReadDocument": "pipeline",
    "ResourceError": "errors",
    "run": "api",
    "analyse": "pipeline",
    "Analysis": "pipeline",
    "Run": "outputs",
    "write_run": "outputs",
    "segment_corpus": "pipeline",
    "Segmented": "pipeline",
    "Segmenter": "segment",
    "self_test": "segment",
    "SelfTest": "segment",
    "split_sentences": "segment",
    "strongest_links": "network",
    "synonym_candidates": "vocabulary",
    "SynonymCandidate": "vocabulary",
    "TextmineError": "errors",
    "TokenizedDocument": "counting",
    "TopicCorpus": "topics",
    "TopicModel": "topics",
    "topic_corpus": "topics",
    "Topics": "topic_stage",
    "year_from_text": "corpus",
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


class _Package(_types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        # importing the subpackage textmine.extract would bind it here, hiding the function textmine.extract
        if name == "extract" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
