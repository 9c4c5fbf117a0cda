"""textmine: Chinese policy documents in, evidence out.

The command line (``textmine run CORPUS``) and this API do the same things::

    import textmine

    config = textmine.load_config(corpus="corpora/four-cities", overrides={"topics.k": 10})
    result = textmine.run("corpora/four-cities", output="outputs/four-cities", config=config)
    result.keywords.top(10)            # the corpus's top keywords
    result.links                       # keyword | frequency | strongest associated keyword | weight
    result.distinctive["beijing"]      # what Beijing stresses against the other cities

Each stage is also callable on its own: :func:`discover`, :func:`extract_file`, :class:`Segmenter`,
:func:`doc_term_matrix`, :func:`keyword_table`, :func:`cooccurrence_network`, :func:`fit_lda`,
:func:`distinctive_terms`.
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
from .network import cooccurrence_network, strongest_links  # noqa: E402
from .pipeline import (  # noqa: E402
    ReadDocument,
    RunResult,
    drop_duplicates,
    extract,
    extract_corpus,
    run,
    segment_corpus,
)
from .resources import Lexicon, load_lexicon  # noqa: E402
from .segment import Segmenter, split_sentences  # noqa: E402
from .topics import TopicModel, fit_lda  # noqa: E402

__all__ = [
    "AnalysisError",
    "Config",
    "ConfigError",
    "Corpus",
    "CorpusError",
    "DistinctiveTerm",
    "DuplicateCluster",
    "DocTermMatrix",
    "Document",
    "Extracted",
    "ExtractionError",
    "KeywordTable",
    "Lexicon",
    "MissingFontError",
    "ReadDocument",
    "ResourceError",
    "RunResult",
    "Segmenter",
    "TextmineError",
    "TokenizedDocument",
    "TopicModel",
    "__version__",
    "cooccurrence_network",
    "discover",
    "distinctive_terms",
    "doc_term_matrix",
    "drop_duplicates",
    "extract",
    "extract_corpus",
    "extract_file",
    "find_duplicates",
    "fit_lda",
    "keyword_table",
    "load_lexicon",
    "policy_metadata",
    "load_config",
    "run",
    "segment_corpus",
    "split_sentences",
    "strongest_links",
    "year_from_text",
]
