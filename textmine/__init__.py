"""textmine: Chinese policy documents in, evidence out.

The command line (``textmine run CORPUS``) and this API do the same things::

    import textmine

    config = textmine.load_config(corpus="corpora/four-cities", overrides={"topics.k": 10})
    result = textmine.run("corpora/four-cities", output="outputs/four-cities", config=config)
    result.keywords.top(10)            # the corpus's top keywords
    result.links                       # keyword | frequency | strongest associated keyword | weight
    result.distinctive["beijing"]      # what Beijing stresses against the other cities

Each stage is also callable on its own: :func:`discover`, :func:`extract_file`, :class:`Segmenter`,
:func:`doc_term_matrix`, :func:`keyword_table`, :func:`cooccurrence`, :func:`build_network`,
:func:`topic_corpus`, :func:`fit_lda`, :func:`fit_nmf`, :func:`fit_topics` (K chosen, LDA and NMF), :func:`distinctive_terms`.
"""

from importlib import metadata

__version__ = metadata.version("textmine")

from .compare import DistinctiveTerm, distinctive_terms  # noqa: E402
from .config import Config, load_config  # noqa: E402
from .corpus import Corpus, Document, discover, year_from_text  # noqa: E402
from .counting import (  # noqa: E402
    DocTermMatrix,
    KeywordTable,
    TokenizedDocument,
    doc_term_matrix,
    keyword_table,
)
from .duplicates import DuplicateCluster, find_duplicates  # noqa: E402
from .errors import (  # noqa: E402
    AnalysisError,
    ConfigError,
    CorpusError,
    ExtractionError,
    MissingFontError,
    ResourceError,
    TextmineError,
)
from .extract import Extracted, extract_file  # noqa: E402
from .metadata import policy_metadata  # noqa: E402
from .network import Cooccurrence, build_network, cooccurrence, strongest_links  # noqa: E402
from .pipeline import (  # noqa: E402
    ReadDocument,
    RunResult,
    Segmented,
    build_networks,
    drop_duplicates,
    extract,
    extract_corpus,
    find_new_terms,
    kwic,
    run,
    segment_corpus,
)
from .resources import Lexicon, load_lexicon  # noqa: E402
from .segment import Segmenter, SelfTest, self_test, split_sentences  # noqa: E402
from .topic_stage import Topics, fit_topics  # noqa: E402
from .topics import TopicCorpus, TopicModel, fit_lda, fit_nmf, topic_corpus  # noqa: E402
from .vocabulary import Concordance, NewTerm, SynonymCandidate, concordance, new_terms, synonym_candidates  # noqa: E402

__all__ = [
    "__version__",
    "AnalysisError",
    "Concordance",
    "concordance",
    "Config",
    "ConfigError",
    "Cooccurrence",
    "build_network",
    "cooccurrence",
    "Corpus",
    "CorpusError",
    "discover",
    "distinctive_terms",
    "DistinctiveTerm",
    "doc_term_matrix",
    "DocTermMatrix",
    "Document",
    "build_networks",
    "drop_duplicates",
    "DuplicateCluster",
    "extract",
    "extract_corpus",
    "extract_file",
    "Extracted",
    "ExtractionError",
    "find_duplicates",
    "find_new_terms",
    "fit_lda",
    "fit_nmf",
    "fit_topics",
    "keyword_table",
    "KeywordTable",
    "kwic",
    "Lexicon",
    "load_config",
    "load_lexicon",
    "MissingFontError",
    "new_terms",
    "NewTerm",
    "policy_metadata",
    "ReadDocument",
    "ResourceError",
    "run",
    "RunResult",
    "segment_corpus",
    "Segmented",
    "Segmenter",
    "self_test",
    "SelfTest",
    "split_sentences",
    "strongest_links",
    "synonym_candidates",
    "SynonymCandidate",
    "TextmineError",
    "TokenizedDocument",
    "TopicCorpus",
    "TopicModel",
    "topic_corpus",
    "Topics",
    "year_from_text",
]
