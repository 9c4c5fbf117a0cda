"""The whole job: corpus folder in, analysis and report out.

:func:`analyse` chains the stages — discover, extract, segment, count, network, topics, compare —
times each, shows a progress bar per stage, and returns an :class:`Analysis` holding every result
in plain types, grouped by stage; :func:`textmine.output.outputs.write_run` writes it. Files are read and segmented in worker processes (each worker builds its segmenter
once); results come back in corpus order, so the output does not depend on the number of workers.
A file that cannot be read is skipped with its reason and the run goes on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import networkx as nx
from tqdm import tqdm

from ..analysis.compare import (
    ALL,
    Change,
    DistinctiveTerm,
    DocumentTest,
    change_terms,
    distinctive_terms,
    group_similarity,
    jensen_shannon,
    pairwise_terms,
    small_groups,
)
from ..analysis.counting import (
    DocTermMatrix,
    KeywordTable,
    TokenizedDocument,
    doc_term_matrix,
    keyword_table,
    keyword_tables_by_group,
)
from ..analysis.dimensions import DocumentScore, GroupScore, Scheme, read_scheme, score
from ..analysis.drafting import Drafting, find_drafting, without_columns, without_terms
from ..analysis.network import Cooccurrence, StrongestLink, build_network, cooccurrence, strongest_links
from ..analysis.network_analysis import annotate, compare_groups
from ..analysis.resampling import return_freed_memory
from ..analysis.robustness import Robustness, robustness
from ..analysis.selection import parse_rules, select
from ..config import Config, ExtractConfig, load_config
from ..errors import AnalysisError, CorpusError, ExtractionError
from ..grouping import DERIVED, group_name, parse_group_by, period_of, year_bands
from ..ingest.clean import drop_known_furniture, is_page_number
from ..ingest.corpus import Corpus, Document, Skipped, discover, file_sha256, year_from_text
from ..ingest.duplicates import PERMUTATIONS, DuplicateCluster, find_duplicates, signatures
from ..ingest.extract import Extracted, extract_file
from ..ingest.metadata import policy_metadata
from ..ingest.text_spool import TextsOf, TextSpool
from ..ingest.versions import Version, VersionCluster, find_versions
from ..text.resources import Lexicon, cache_dir, dimension_scheme_files, load_lexicon, with_drafting, with_terms
from ..text.segment import Segmentation, Segmenter, SelfTest, self_test
from ..text.vocabulary import Concordance, NewTerm, concordance, new_terms, synonym_candidates
from .cache import ExtractionCache, JsonCache, SegmentationCache, SignatureCache, StepCache, code_digest
from .cluster import ClusterPool, connect
from .libraries import library_versions
from .token_spool import TokenStore
from .topic_stage import Topics, fit_topics
from .workers import IsolatedPool


@dataclass
class ReadDocument:
    """A document whose text was extracted. The text waits on disk in ``texts``, the run's
    :class:`TextSpool`, and is read when asked for (:attr:`text`); ``extracted`` says how it was
    obtained, its own ``text`` left empty."""

    document: Document
    extracted: Extracted
    sha256: str  # of the file
    texts: TextSpool
    seconds: float = 0.0  # extraction time; 0 when the text came from the cache
    cached: bool = False
    furniture_removed: int = 0

    @property
    def text(self) -> str:
        return self.texts[self.document.id]

    @property
    def text_sha256(self) -> str:
        return self.texts.digest(self.document.id)


@dataclass(frozen=True)
class Reading:
    """What the run read: the corpus found, the documents analysed, and those it left out and why."""

    corpus: Corpus
    read: list[ReadDocument]  # the documents analysed
    skipped: list[Skipped]  # files that could not be read, with the reason
    dropped: list[ReadDocument] = field(default_factory=list)  # duplicates and other versions left out
    duplicates: list[DuplicateCluster] = field(default_factory=list)
    versions: list[VersionCluster] = field(default_factory=list)
    # documents corpus.select left out, and the rules each failed
    unselected: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Text:
    """The segmentation: the word lists used, each document's tokens, and what the lists changed."""

    lexicon: Lexicon
    tokenized: list[TokenizedDocument]  # as segmented, drafting vocabulary included (tokens.jsonl)
    dictionary: SelfTest | None = None  # the user dictionaries' self-test
    merges: Counter[tuple[str, str]] = field(default_factory=Counter)  # synonym merges: (variant, canonical) -> n
    numerals: Counter[str] = field(default_factory=Counter)  # numeral-plus-unit tokens dropped: token -> n
    synonym_candidates: list = field(default_factory=list)  # SynonymCandidate pairs worth a look


@dataclass(frozen=True)
class Counts:
    """The counts the analysis works on."""

    dtm: DocTermMatrix  # without the drafting vocabulary unless keywords.drafting = "keep"
    drafting: Drafting  # the drafting vocabulary found, set apart unless keywords.drafting = "keep"
    keywords: KeywordTable
    keywords_by_group: dict[str, KeywordTable]


@dataclass(frozen=True)
class Comparison:
    """How the groups differ: distinctive terms (against the rest and pair by pair), their robustness,
    the dimension scores, change between periods, similarity, and the groups too small to trust."""

    distinctive: dict[str, list[DistinctiveTerm]]
    pairwise: dict[tuple[str, str], list[DistinctiveTerm]] = field(default_factory=dict)
    robustness: list[Robustness] = field(default_factory=list)
    schemes: list[Scheme] = field(default_factory=list)
    document_scores: list[DocumentScore] = field(default_factory=list)
    group_scores: list[GroupScore] = field(default_factory=list)
    change: list[Change] = field(default_factory=list)  # terms rising and falling between corpus.periods
    similarity: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    caution: dict[str, str] = field(default_factory=dict)  # groups too small to compare with confidence, and why


@dataclass(frozen=True)
class Analysis:
    """Everything :func:`analyse` computed, by stage; the writers and the report read from here."""

    config: Config
    reading: Reading
    text: Text
    counts: Counts
    networks: Networks  # the corpus network, each group's and each period's, their comparison, the links
    topics: Topics | None
    comparison: Comparison
    not_run: dict[str, str] = field(default_factory=dict)  # stages the data did not allow, and why
    timings: dict[str, float] = field(default_factory=dict)  # seconds by stage, up to the analysis's end
    memory: dict[str, int] = field(default_factory=dict)  # peak resident MB by the end of each stage


class Stages:
    """Times each stage and shows its progress bar on stderr."""

    def __init__(self, *, progress: bool) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}
        self.peak_mb: dict[str, int] = {}  # by the end of each stage: see peak_rss_mb

    @contextlib.contextmanager
    def stage(self, name: str, total: int = 1, unit: str = "step") -> Iterator["Progress"]:
        bar = tqdm(
            total=total,
            desc=f"{name:<9}",
            unit=unit,
            disable=not self.progress,
            file=sys.stderr,
            leave=True,
            dynamic_ncols=True,
        )
        start = time.perf_counter()
        try:
            yield Progress(bar)
            bar.update(bar.total - bar.n)
        finally:
            bar.close()
            self.seconds[name] = round(time.perf_counter() - start, 3)
            self.peak_mb[name] = peak_rss_mb()
            return_freed_memory()


def peak_rss_mb() -> int:
    """The largest resident set, in MB, that this process or any worker process it has waited for
    has had so far (``getrusage``'s ``ru_maxrss``): a peak, so it grows or stays from stage to stage."""
    import resource

    kilobytes = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return round(kilobytes / (1024 * 1024 if sys.platform == "darwin" else 1024))  # macOS counts bytes


class Progress:
    """A stage's progress bar: called with the steps done; ``plan`` sets how many there are once the
    stage knows (the bar then shows an estimate of the time left)."""

    def __init__(self, bar: tqdm) -> None:
        self.bar = bar

    def __call__(self, steps: int = 1) -> None:
        self.bar.update(steps)

    def plan(self, total: int) -> None:
        self.bar.total = total
        self.bar.refresh()


@dataclass(frozen=True)
class _Extraction:
    """What a worker says of one file: its text, or the reason (and the library's words) it has none."""

    extracted: Extracted | None
    reason: str = ""
    detail: str = ""
    seconds: float = 0.0


def _extract_one(args: tuple[str, ExtractConfig]) -> _Extraction:
    path, config = args
    started = time.perf_counter()
    with library_messages() as messages:
        try:
            extracted = extract_file(path, config)
        except ExtractionError as exc:
            return _Extraction(None, str(exc), exc.detail, time.perf_counter() - started)
    return _Extraction(replace(extracted, library_messages=tuple(messages)), seconds=time.perf_counter() - started)


@contextlib.contextmanager
def library_messages(limit: int = 20) -> Iterator[list[str]]:
    """Collect what the parsers warn or log (pdfminer's "Cannot set gray non-stroke color", ...) into
    a list, at most ``limit`` distinct lines, instead of letting it reach the terminal: for the run's
    debug log, never for a user's screen."""
    messages: list[str] = []

    def keep(line: str) -> None:
        if line not in messages and len(messages) < limit:
            messages.append(line)

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            keep(f"{record.name}: {record.getMessage()}".splitlines()[0][:300])

    root = logging.getLogger()
    handler, level = Collect(logging.WARNING), root.level
    root.addHandler(handler)
    root.setLevel(min(level, logging.WARNING) if level else logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield messages
        for w in caught:
            keep(f"{w.category.__name__}: {w.message}".splitlines()[0][:300])
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


_worker_segmenter: Segmenter | None = None


def _init_segmenter(lexicon: Lexicon, config: Config) -> None:
    global _worker_segmenter  # one segmenter per worker process, built once
    _worker_segmenter = Segmenter(lexicon, config.segment).load()  # the dictionary loads now, not in the first task


def _segment_one(text: str) -> Segmentation:
    # _init_segmenter has run in this process (the pool's initializer, or inline with one worker)
    return _worker_segmenter.segment(text)


def analyse(corpus: str | Path, *, config: Config | None = None, stages: Stages | None = None) -> Analysis:
    """Read and analyse the corpus folder ``corpus``: every stage but writing, nothing written but
    the cache. :func:`textmine.run` is this and :func:`textmine.output.outputs.write_run`.

    With the cache on, the analysis (everything between reading the files and writing the outputs) is
    kept under a digest of what it depends on — each document's metadata and text, the settings, the
    word lists and schemes, textmine's code, the libraries' versions — and a rerun on the same loads
    it: the outputs are those a fresh run writes, byte for byte but for the timing in run.json."""
    config = config or load_config(corpus=corpus)
    stages = stages or Stages(progress=config.run.progress)
    with stages.stage("discover"):
        found = discover(corpus, config.corpus)
        schemes, lexicon = schemes_and_lexicon(config)
        check_settings(config, schemes)

    everything, skipped = extract_corpus(found, config, stages=stages)
    if not everything:
        raise CorpusError(f"{found.root}: no file could be read: {_reasons([*found.skipped, *skipped])}")
    memo = StepCache(cache_dir(), "analysis") if config.run.cache else None
    key = memo.key(*_analysis_inputs(everything, lexicon, schemes, config)) if memo else ""
    hit = None
    if memo and memo.holds(key):
        with stages.stage("from cache"):
            hit = memo.get(key)
    if hit is not None:
        kept, parts = hit[1]
    else:
        kept, parts = _analyse(everything, lexicon, schemes, config, stages)
        if memo:
            memo.put(key, {}, (kept, parts))
    reading = Reading(
        found,
        [r for r in everything if r.document.id in kept],
        [*found.skipped, *skipped],
        [r for r in everything if r.document.id not in kept],
        parts.pop("duplicates"),
        parts.pop("versions"),
        parts.pop("unselected"),
    )
    return Analysis(config, reading, **parts, timings=dict(stages.seconds), memory=dict(stages.peak_mb))


def _signatures(read: list[ReadDocument], config: Config) -> dict[str, Any]:
    """The MinHash signatures of ``read``'s texts (:func:`~textmine.ingest.duplicates.signatures`), those
    signed before taken from the cache."""
    if not config.run.cache:
        return signatures(_texts_of(read), seed=config.run.seed)
    cache = SignatureCache(cache_dir(), num_perm=PERMUTATIONS, seed=config.run.seed)
    digests = {r.document.id: r.text_sha256 for r in read}
    known = {doc_id: hit for doc_id, digest in digests.items() if (hit := cache.get(digest)) is not None}
    signed = signatures(_texts_of(read), num_perm=PERMUTATIONS, seed=config.run.seed, known=known)
    for doc_id, signature in signed.items():
        if doc_id not in known:
            cache.put(digests[doc_id], signature.hashvalues)
    return signed


def _texts_of(read: list[ReadDocument]) -> Mapping[str, str]:
    """The texts of ``read`` by id, each read from disk when it is asked for."""
    return read[0].texts.only([r.document.id for r in read]) if read else {}


def _reasons(skipped: list[Skipped], shown: int = 3) -> str:
    """The first files skipped and why, in a line: "a.pdf: truncated; b.txt: empty file (and 5 more)"."""
    line = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:shown])
    return line + (f" (and {len(skipped) - shown} more)" if len(skipped) > shown else "")


def check_settings(config: Config, schemes: list[Scheme]) -> None:
    """The ``corpus.select`` rules parsed against the schemes' dimensions, so that a typo fails
    before any file is read, not minutes into a run (the other settings that parse further are
    checked as the config loads)."""
    if config.corpus.select:
        parse_rules(config.corpus.select, [d for s in schemes for d in s.dimensions])


# Settings that shape no result: how many processes, the limits (a file they stop is among the
# documents' inputs as missing), the cache switch, the progress bars, and the report's presentation.
_NOT_ANALYSIS = {
    "extract": {"timeout", "memory_mb"},
    "run": {"progress", "workers", "scheduler", "cache"},
    "report": "all",
}


def _analysis_inputs(
    read: list[ReadDocument], lexicon: Lexicon, schemes: list[Scheme], config: Config
) -> tuple[str, list, tuple, list]:
    """What a run's analysis depends on besides the code and libraries (which the cache adds): the
    settings as JSON, each document as read (metadata, file digest, text digest and what was found in it),
    the word lists (by their files' digests), and the dimension schemes."""
    settings = {
        section: {k: v for k, v in values.items() if k not in _NOT_ANALYSIS.get(section, ())}
        for section, values in config.to_dict().items()
        if _NOT_ANALYSIS.get(section) != "all"
    }
    documents = [(r.document, r.sha256, r.text_sha256, r.extracted, r.furniture_removed) for r in read]
    words = (lexicon.files, sorted(lexicon.drafting))
    return (
        json.dumps(settings, sort_keys=True, default=str),
        documents,
        words,
        [dataclasses.astuple(s) for s in schemes],
    )


def _analyse(
    everything: list[ReadDocument], lexicon: Lexicon, schemes: list[Scheme], config: Config, stages: Stages
) -> tuple[frozenset[str], dict]:
    """Every result of a run from its documents as read: the ids of the documents analysed (versions
    and duplicates left out), and the parts of the :class:`Analysis`."""
    with stages.stage("duplicates"):  # versions of one policy and near-duplicates, by MinHash
        signed = _signatures(everything, config)
        read, versions = drop_versions(everything, config, signed)
        read, duplicates = drop_duplicates(read, config, signed)
    segmented = segment_corpus(read, lexicon, config, stages=stages)
    tokenized, unselected = _select(segmented.documents, schemes, config)

    with stages.stage("count"):
        drafting, analysed, dtm = set_apart(tokenized, lexicon.drafting, config)
        keywords = keyword_table(dtm)
        by_group = keyword_tables_by_group(dtm)
    with stages.stage("network"):
        networks = build_networks(analysed, keywords, by_group, config, dtm)
    topics, not_run = None, {}
    if config.topics.enabled:
        with stages.stage("topics", unit="fit") as advance:
            try:
                topics = fit_topics(analysed, config, workers=_workers(config), progress=advance)
            except AnalysisError as exc:  # too little data: the other stages' results still stand
                not_run["topics"] = str(exc)
    with stages.stage("compare"):
        c = config.compare
        test = document_test(config)
        distinctive = distinctive_terms(dtm, prior_scale=c.prior_scale, min_freq=c.min_freq, top_n=c.top_n, test=test)
        pairwise = pairwise_terms(dtm, prior_scale=c.prior_scale, min_freq=c.min_freq, top_n=c.top_n, test=test)
        document_scores, group_scores = score(tokenized, schemes, min_hits=c.tag_min_hits)
        robust = robustness(dtm, top_n=c.top_n, min_freq=c.min_freq, prior_scale=c.prior_scale, test=test)
        caution = small_groups(
            {g: (t.documents, t.tokens) for g, t in by_group.items()},
            min_documents=c.min_documents,
            min_tokens=c.min_tokens,
        )
        change = _changes(dtm, {r.document.id: r.document for r in read}, config)
        similarity = {pair: {"tfidf_cosine": value} for pair, value in group_similarity(dtm).items()}
        if topics is not None:
            shares = topics.lda.shares({d.id: d.group for d in tokenized})
            for (a, b), values in similarity.items():
                values["topic_js"] = jensen_shannon(shares[a], shares[b])

    parts = dict(
        versions=versions,
        duplicates=duplicates,
        unselected=unselected,
        text=Text(
            lexicon,
            tokenized,
            segmented.dictionary,
            segmented.merges,
            segmented.numerals,
            synonym_candidates(analysed, known=lexicon.synonyms),
        ),
        counts=Counts(dtm, drafting, keywords, by_group),
        networks=networks,
        topics=topics,
        comparison=Comparison(
            distinctive, pairwise, robust, schemes, document_scores, group_scores, change, similarity, caution
        ),
        not_run=not_run,
    )
    return frozenset(r.document.id for r in read), parts


@dataclass(frozen=True)
class Networks:
    """The corpus network, one per group on the same keywords, their co-occurrence matrices, the
    comparison graph holding every group's weights, and each keyword's strongest link in the corpus."""

    graphs: dict[str, nx.Graph]  # "all", then each group, then each period ("period 2016-2017")
    cooccurrences: dict[str, Cooccurrence]
    comparison: nx.Graph
    period_comparison: nx.Graph | None = None
    links: list[StrongestLink] = field(default_factory=list)  # of the corpus network

    def of(self, kind: str) -> dict[str, nx.Graph]:
        """The groups' graphs (``kind="group"``) or the periods' (``kind="period"``)."""
        periods = {name: g for name, g in self.graphs.items() if name.startswith("period ")}
        if kind == "period":
            return periods
        return {name: g for name, g in self.graphs.items() if name != "all" and name not in periods}


def set_apart(
    documents: list[TokenizedDocument], listed: frozenset[str], config: Config
) -> tuple[Drafting, Sequence[TokenizedDocument], DocTermMatrix]:
    """The drafting vocabulary of ``documents`` (on the ``listed`` words or above the document share),
    and the documents and their document–term matrix as the analysis counts them: without it when
    ``keywords.drafting = "apart"``, whole when ``"keep"``. The same for a run and for the stages run
    alone from its ``tokens.jsonl``, which holds the whole segmentation."""
    k = config.keywords
    dtm = doc_term_matrix(documents)
    drafting = find_drafting(dtm, listed, df_share=k.drafting_df_share, min_documents=k.drafting_min_documents)
    if k.drafting == "keep":
        return drafting, documents, dtm
    return drafting, without_terms(documents, drafting.words), without_columns(dtm, drafting.words)


def build_networks(
    tokenized: Sequence[TokenizedDocument],
    keywords: KeywordTable,
    by_group: dict[str, KeywordTable],
    config: Config,
    dtm: DocTermMatrix | None = None,
) -> Networks:
    """Count, build and annotate (node measures, communities) the networks on the corpus's top keywords."""
    n = config.network
    ranked = sorted(keywords.terms, key=lambda t: (-t.df, -t.freq, t.term)) if n.rank_by == "df" else keywords.terms
    terms = [t.term for t in ranked[: n.top_n]]
    bands = {
        f"period {name}": band
        for name, band in year_bands(
            n.periods or config.corpus.periods, "network.periods" if n.periods else "corpus.periods"
        ).items()
    }
    tokenized = list(tokenized)  # each document made once for this stage, for every group and band
    documents = {"all": tokenized, **{g: [d for d in tokenized if d.group == g] for g in by_group}}
    documents.update(
        {
            name: [d for d in tokenized if d.year is not None and low <= d.year <= high]
            for name, (low, high) in bands.items()
        }
    )
    tables = {"all": keywords, **by_group}
    for name in bands:
        if not documents[name]:
            raise AnalysisError(f"network.periods: no document's year falls in {name.removeprefix('period ')}")
        dtm = dtm or doc_term_matrix(tokenized)  # made once, for every band
        rows = _rows(dtm, [d.id for d in documents[name]])
        tables[name] = keyword_table(rows, name=name)
    graphs, matrices = {}, {}
    for name, table in tables.items():
        rows = dtm if dtm is None or name == "all" else _rows(dtm, [d.id for d in documents[name]])
        co = cooccurrence(documents[name], terms, unit=n.unit, counting=n.counting, window=n.window, dtm=rows)
        graph = build_network(
            co,
            freq={t.term: t.freq for t in table.terms},
            measure=n.measure,
            min_weight=n.min_weight,
            backbone=n.backbone,
            alpha=n.alpha,
            top_k=n.top_k,
            name=name,
        )
        annotate(graph, seed=config.run.seed, null_draws=n.null_draws)
        graphs[name], matrices[name] = graph, co
    periods = {name: graphs[name] for name in bands}
    small = frozenset(g for g, t in by_group.items() if t.documents < config.compare.min_documents)
    return Networks(
        graphs,
        matrices,
        compare_groups({g: graphs[g] for g in by_group}, small),
        compare_groups(periods) if periods else None,
        strongest_links(graphs["all"]),
    )


def _changes(dtm: DocTermMatrix, documents: dict[str, Document], config: Config) -> list[Change]:
    """Terms rising and falling between the bands of ``corpus.periods``, in the corpus and in each
    group (the groups of ``corpus.group_by`` without their period or year)."""
    bands = year_bands(config.corpus.periods)
    if len(bands) < 2:
        return []
    columns = [c for c in parse_group_by(config.corpus.group_by) if c not in DERIVED]
    rows = [documents[d] for d in dtm.doc_ids]
    bases = [group_name(d.meta, d.year, columns, bands) if columns else ALL for d in rows]
    c = config.compare
    return change_terms(
        dtm,
        bases,
        [period_of(d.year, bands) for d in rows],
        list(bands),
        prior_scale=c.prior_scale,
        min_freq=c.min_freq,
        top_n=c.top_n,
        test=document_test(config),
    )


def document_test(config: Config) -> DocumentTest | None:
    """The document-level rule of ``config.compare`` (None when ``compare.resamples`` is 0)."""
    c = config.compare
    if not c.resamples:
        return None
    store = None
    if config.run.cache:  # permutation p-values kept between runs, as every other stage's results
        versions = library_versions()
        basis = {
            "versions": {k: versions.get(k) for k in ("textmine", "numpy", "scipy")},
            "code": code_digest("analysis/compare.py", "analysis/resampling.py"),
        }
        store = JsonCache(cache_dir() / "compare", basis)
    return DocumentTest(
        c.resamples,
        c.alpha,
        c.min_term_documents,
        config.run.seed,
        c.max_resamples,
        store=store,
        threads=_workers(config),
    )


def _select(
    documents: list[TokenizedDocument], schemes: list[Scheme], config: Config
) -> tuple[list[TokenizedDocument], dict[str, list[str]]]:
    """The documents ``corpus.select`` keeps, and the rules each other one failed."""
    if not config.corpus.select:
        return documents, {}
    rules = parse_rules(config.corpus.select, [d for s in schemes for d in s.dimensions])
    scores = (
        score(documents, schemes, min_hits=config.compare.tag_min_hits)[0] if any(r.dimension for r in rules) else []
    )
    kept, unselected = select(documents, rules, scores, mode=config.corpus.select_mode)
    if not kept:
        raise AnalysisError(
            f"corpus.select keeps no document ({config.corpus.select_mode} of {', '.join(config.corpus.select)})"
        )
    return kept, unselected


def _rows(dtm: DocTermMatrix, ids: list[str]) -> DocTermMatrix:
    """The matrix restricted to the documents ``ids``, in that order."""
    index = {d: i for i, d in enumerate(dtm.doc_ids)}
    rows = [index[d] for d in ids]
    return DocTermMatrix(tuple(ids), tuple(dtm.groups[i] for i in rows), dtm.vocab, dtm.counts[rows])


def schemes_and_lexicon(config: Config) -> tuple[list[Scheme], Lexicon]:
    """The dimension schemes, and the lexicon with their terms added as user-dictionary words."""
    files = dimension_scheme_files(config.compare)
    schemes = [read_scheme(path) for path in files]
    lexicon = with_terms(load_lexicon(config.segment), {t for s in schemes for t in s.terms}, files, "dimensions")
    return schemes, with_drafting(lexicon, config.keywords, shipped=config.segment.shipped_lists)


def _read_corpus(
    corpus: str | Path, config: Config | None, stages: Stages | None = None
) -> tuple[Config, list[ReadDocument], Segmenter]:
    """The documents of a corpus as a run reads them (cached extraction, duplicates counted once), and a
    loaded segmenter whose dictionary has passed its self-test."""
    config = config or load_config(corpus=corpus)
    read, _ = extract_corpus(discover(corpus, config.corpus), config, stages=stages)
    read, _ = drop_versions(read, config)
    read, _ = drop_duplicates(read, config)
    _, lexicon = self_test(Segmenter(schemes_and_lexicon(config)[1], config.segment))
    return config, read, Segmenter(lexicon, config.segment).load()


def find_new_terms(
    corpus: str | Path, *, config: Config | None = None, top: int = 100, min_freq: int = 5
) -> list[NewTerm]:
    """``textmine terms``: frequent multi-token strings of the corpus that are not in the dictionary."""
    _, read, segmenter = _read_corpus(corpus, config)
    return new_terms((r.text for r in read), segmenter, top=top, min_freq=min_freq)


def kwic(corpus: str | Path, term: str, *, config: Config | None = None, width: int = 20) -> list[Concordance]:
    """``textmine kwic``: every occurrence of ``term`` in the corpus with its context, document, group and year."""
    _, read, segmenter = _read_corpus(corpus, config)
    documents = [(r.document.id, r.document.group, r.document.year, r.text) for r in read]
    return concordance(documents, term, segmenter, width=width)


def extract_corpus(
    found: Corpus, config: Config, *, stages: Stages | None = None
) -> tuple[list[ReadDocument], list[Skipped]]:
    """Extract every document of ``found``; return those read and those skipped, with reasons.

    Files already extracted with the same settings come from the cache; the others are extracted in
    worker processes, each file under ``extract.timeout`` seconds and ``extract.memory_mb``. Also
    removes running headers of one-page PDFs known from the corpus's longer PDFs, and fills in each
    document's year from the text when the manifest and file name gave none.
    """
    stages = stages or Stages(progress=False)
    settings = config.extract
    if config.run.scheduler:  # even when every file comes from the cache: a wrong address fails now
        connect(config.run.scheduler).close()
    cache = ExtractionCache(cache_dir(), settings) if config.run.cache else None
    read, skipped = [], []
    texts, empty = TextSpool(), set()

    def keep(document: Document, extracted: Extracted) -> Extracted:
        """The text to the spool, the rest kept."""
        texts[document.id] = extracted.text
        if not extracted.text.strip():
            empty.add(document.id)
        return replace(extracted, text="")

    with stages.stage("extract", total=len(found.documents), unit="file") as advance:
        digests = {d.id: file_sha256(d.path) for d in found.documents}
        done: dict[str, Extracted | Skipped] = {}
        for d in found.documents:
            hit = (cache.get(digests[d.id]) or cache.get_failure(digests[d.id])) if cache else None
            if hit is not None:
                done[d.id] = keep(d, hit) if isinstance(hit, Extracted) else Skipped(d.file, *hit)
        todo = [d for d in found.documents if d.id not in done]
        advance(len(found.documents) - len(todo))
        pool = _pool(_extract_one, config, timeout=settings.timeout, memory_mb=settings.memory_mb)
        seconds: dict[str, float] = {}
        for document, outcome in zip(
            todo, pool.map([(str(d.path.absolute()), settings) for d in todo], on_done=advance), strict=True
        ):
            result = outcome.value if outcome.ok else _Extraction(None, *_failure(outcome.error))
            seconds[document.id] = result.seconds
            if result.extracted is not None:
                if cache:
                    cache.put(digests[document.id], result.extracted)
                done[document.id] = keep(document, result.extracted)
            else:  # a skip is an outcome too: the same file is not tried again with the same settings
                done[document.id] = Skipped(document.file, result.reason, result.detail)
                if cache:
                    cache.put_failure(digests[document.id], result.reason, result.detail)
        for document in found.documents:
            extracted = done[document.id]
            if isinstance(extracted, Skipped):
                skipped.append(extracted)
                continue
            if document.id in empty:
                skipped.append(Skipped(document.file, "no text after extraction"))
                continue
            read.append(
                ReadDocument(
                    document,
                    extracted,
                    digests[document.id],
                    texts,
                    round(seconds.get(document.id, 0.0), 3),
                    cached=document.id not in seconds,
                )
            )
    skipped.sort(key=lambda s: s.path)
    _drop_corpus_furniture(read)
    for r in read:
        text = r.text
        found_meta = policy_metadata(text)
        r.document = replace(
            r.document, meta={**found_meta, **{k: v for k, v in r.document.meta.items() if v}}
        )  # manifest first
        if r.document.year is None:
            r.document = _infer_year(r.document, r.extracted, text)
        r.document = r.document.regrouped(config.corpus)  # a year or issuer found in the text may change it
    return read, skipped


def drop_versions(
    read: list[ReadDocument], config: Config, signed: dict[str, Any] | None = None
) -> tuple[list[ReadDocument], list[VersionCluster]]:
    """Find the versions of one policy; unless ``corpus.versions = "all"``, keep one of each (the
    latest by default, dated by the issue date its text states, else its year)."""
    clusters = find_versions(
        [
            Version(
                r.document.id,
                r.document.meta.get("title", ""),
                r.document.meta.get("issued") or (str(r.document.year) if r.document.year else ""),
            )
            for r in read
        ],
        threshold=config.corpus.version_threshold,
        keep="latest" if config.corpus.versions == "all" else config.corpus.versions,
        seed=config.run.seed,
        signed=signed,
        texts=_texts_of(read),
    )
    if config.corpus.versions == "all":
        return read, clusters
    dropped = {d for c in clusters for d in c.dropped}
    return [r for r in read if r.document.id not in dropped], clusters


def drop_duplicates(
    read: list[ReadDocument], config: Config, signed: dict[str, Any] | None = None
) -> tuple[list[ReadDocument], list[DuplicateCluster]]:
    """Find duplicate clusters; unless ``corpus.duplicates = "keep"``, keep one document of each."""
    clusters = find_duplicates(
        _texts_of(read),
        threshold=config.corpus.near_duplicate_threshold,
        seed=config.run.seed,
        signed=signed,
    )
    if config.corpus.duplicates == "keep":
        return read, clusters
    dropped = {d for c in clusters for d in c.dropped}
    return [r for r in read if r.document.id not in dropped], clusters


def _failure(error: str | None) -> tuple[str, str]:
    """A worker's failure as a skip reason and detail: limits as they are, anything else unexpected."""
    if error and error.startswith(("timeout", "memory limit", "worker process died")):
        return error, ""
    return "unreadable: the reader failed unexpectedly on this file", error or ""


def _drop_corpus_furniture(read: list[ReadDocument]) -> None:
    """One-page PDFs show a running header once; the headers found in the corpus's longer PDFs identify it."""
    seen = Counter(line for r in read for line in r.extracted.dropped_lines if not is_page_number(line))
    known = {line for line, n in seen.items() if n >= 2}
    if not known:
        return
    for r in read:
        if r.extracted.format == "pdf":
            text, removed = drop_known_furniture(r.text, known)
            if removed:
                r.texts[r.document.id] = text
                r.furniture_removed = removed


def _workers(config: Config) -> int:
    return config.run.workers or os.cpu_count() or 1


def _pool(func: Any, config: Config, **limits: Any) -> IsolatedPool | ClusterPool:
    """Where files are read and segmented: worker processes here, or the Dask cluster of ``run.scheduler``."""
    if config.run.scheduler:
        return ClusterPool(config.run.scheduler, func, **limits)
    return IsolatedPool(func, workers=_workers(config), **limits)


def _infer_year(document: Document, extracted: Extracted, text: str) -> Document:
    for key in ("publish", "date", "effective_date"):
        value = extracted.meta.get(key, "")
        if value[:4].isdigit():
            return document.with_year(int(value[:4]), "front matter")
    return document.with_year(year_from_text(text), "text")


@dataclass
class Segmented:
    """The segmented corpus, the synonym merges applied, and the user dictionaries' self-test."""

    documents: list[TokenizedDocument]
    merges: Counter[tuple[str, str]]
    dictionary: SelfTest
    numerals: Counter[str]  # numeral-plus-unit tokens dropped (segment.numerals = "drop")


def segment_corpus(
    read: list[ReadDocument], lexicon: Lexicon, config: Config, *, stages: Stages | None = None
) -> Segmented:
    """Self-test the user dictionaries (fixing frequencies where that helps), then segment the documents
    in worker processes that each build one segmenter; corpus order is kept."""
    stages = stages or Stages(progress=False)
    dictionary, lexicon = self_test(Segmenter(lexicon, config.segment))
    cache = SegmentationCache(cache_dir(), config.segment, lexicon) if config.run.cache else None
    digests = [r.text_sha256 for r in read]
    documents: dict[int, TokenizedDocument] = {}
    found: dict[int, tuple[Counter, Counter]] = {}  # each document's synonym merges and numerals

    store = TokenStore()

    def keep(i: int, result: Segmentation) -> None:  # on disk from here on (textmine/workflow/token_spool.py)
        d = read[i].document
        title = d.meta.get("title", "")
        made = TokenizedDocument(
            d.id, d.group, d.year, result.sentences, result.paragraphs, result.articles, title=title
        )
        documents[i] = store.add(made)
        found[i] = (result.merged, result.numerals)

    with stages.stage("segment", total=len(read), unit="doc") as advance:
        if cache:
            for i, digest in enumerate(digests):
                if (result := cache.get(digest)) is not None:
                    keep(i, result)
            advance(len(documents))
        todo = [i for i in range(len(read)) if i not in documents]
        pool = _pool(_segment_one, config, initializer=_init_segmenter, initargs=(lexicon, config))
        for i, outcome in zip(
            todo, pool.map(TextsOf(_texts_of(read), [read[i].document.id for i in todo]), on_done=advance), strict=True
        ):
            if not outcome.ok:
                raise AnalysisError(f"segmentation failed for {read[i].document.id}: {outcome.error}")
            if cache:
                cache.put(digests[i], outcome.value)
            keep(i, outcome.value)
    merges: Counter[tuple[str, str]] = Counter()
    numerals: Counter[str] = Counter()
    for i in range(len(read)):
        merges.update(found[i][0])
        numerals.update(found[i][1])
    return Segmented([documents[i] for i in range(len(read))], merges, dictionary, numerals)
