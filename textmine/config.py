"""One validated configuration for a run.

Defaults live here, in the dataclasses below; a corpus folder may carry its own ``textmine.toml``; a
file given with ``--config`` comes next; command-line options override all of them. Unknown sections
or keys are an error naming the key, and every value is checked for type and range. The resolved
config is saved in ``run.json`` beside the outputs.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import ConfigError, TextmineError
from .grouping import parse_group_by, year_bands

CORPUS_CONFIG_NAME = "textmine.toml"


def _opt(default: Any, help: str, **limits: Any) -> Any:
    """A config field with its help text and limits (``min``, ``max``)."""
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata={"help": help, **limits})
    return field(default=default, metadata={"help": help, **limits})


@dataclass
class CorpusConfig:
    group_by: str = _opt(
        "city",
        "groups compared: a manifest column (without a manifest: first-level folders), year, period, or a cross like city+period",
    )
    periods: list[str] = _opt(
        [],
        'year bands for group_by = period and for terms rising and falling over time (e.g. ["-2015", "2016-2020", "2021-"])',
    )
    manifest: str = _opt("manifest.csv", "name of the manifest file inside the corpus folder, used when present")
    formats: list[str] = _opt(
        ["pdf", "docx", "html", "htm", "txt", "md"], "file extensions read when a folder has no manifest"
    )
    duplicates: Literal["drop", "keep"] = _opt(
        "drop", "duplicate documents (same or nearly the same text): count each cluster once (drop), or keep all"
    )
    select: list[str] = _opt(
        [], "keep only documents meeting these rules: TERM>=N (e.g. 人才>=5) or dimension:NAME; empty = all"
    )
    select_mode: Literal["any", "all"] = _opt("any", "a document is kept when any rule holds, or only when all do")
    near_duplicate_threshold: float = _opt(
        0.9, "Jaccard similarity of character 5-grams from which two documents are near-duplicates", min=0.5, max=1.0
    )
    versions: Literal["latest", "earliest", "all"] = _opt(
        "latest",
        "versions of one policy (same normalised title, or similar text): analyse the latest, the earliest, or all",
    )
    version_threshold: float = _opt(
        0.7,
        "Jaccard similarity of character 5-grams from which two documents are versions of one policy",
        min=0.3,
        max=1.0,
    )


@dataclass
class ExtractConfig:
    header_share: float = _opt(
        0.5,
        "a line at the top or bottom of at least this share of a PDF's pages is a running header or footer",
        min=0.0,
        max=1.0,
    )
    timeout: float = _opt(120.0, "seconds one file may take to extract before it is stopped and skipped", min=1.0)
    memory_mb: int = _opt(
        2048, "memory one extraction worker may use, in MB, before the file is stopped and skipped", min=256
    )
    password: str = _opt("", "password for encrypted PDFs (files that need another one are skipped)")
    max_junk_share: float = _opt(
        0.1,
        "a PDF page whose text is more than this share of unmapped glyphs ((cid:N), U+FFFD) is left out and flagged",
        min=0.0,
        max=1.0,
    )
    ocr: bool = _opt(False, "read scanned PDF pages with Tesseract OCR (Debian: tesseract-ocr, tesseract-ocr-chi-sim)")
    ocr_lang: str = _opt("chi_sim", "Tesseract language(s) for OCR, e.g. chi_sim or chi_sim+eng")
    ocr_dpi: int = _opt(300, "resolution at which scanned pages are rendered for OCR", min=72)
    traditional: Literal["auto", "convert", "keep"] = _opt(
        "auto", "traditional characters: convert documents detected as traditional (auto), convert all, or keep"
    )
    max_unzipped_mb: int = _opt(200, "a DOCX that unzips to more than this many MB is refused (zip-bomb guard)", min=1)


@dataclass
class SegmentConfig:
    engine: Literal["rjieba", "jieba"] = _opt(
        "rjieba", "segmentation engine: rjieba (jieba-rs, fast) or jieba (exact reproduction of older studies)"
    )
    hmm: bool = _opt(True, "let the HMM find words not in the dictionary")
    pos_keep: list[str] = _opt(
        [], "parts of speech kept, as jieba tags or patterns (e.g. n*, v, vn, i, l); empty = all"
    )
    shipped_lists: bool = _opt(
        True, "use textmine's policy dictionary, stopwords, synonyms and drafting-vocabulary list"
    )
    user_dicts: list[str] = _opt([], "extra user dictionaries (jieba format: word [freq] [tag] per line)")
    stopwords: list[str] = _opt([], "extra stopword files (one word per line)")
    synonyms: list[str] = _opt([], "extra synonym files (variant<TAB>canonical per line)")
    min_chars: int = _opt(2, "shortest token kept, in characters", min=1)
    numerals: Literal["drop", "keep"] = _opt(
        "drop",
        "numeral-plus-unit tokens (一万元, 万元, 三十日, 五倍): dropped and counted in run.json, or kept as terms",
    )


@dataclass
class KeywordsConfig:
    top_n: int = _opt(50, "number of top keywords in the keyword tables", min=1)
    drafting: Literal["apart", "keep"] = _opt(
        "apart",
        "drafting vocabulary (依法, 责令, 罚款, 主管部门 …): reported apart and left out of keywords, networks, topics and comparisons, or kept",
    )
    drafting_lists: list[str] = _opt(
        [], "extra drafting-vocabulary lists (one word per line), besides textmine's when segment.shipped_lists"
    )
    drafting_df_share: float = _opt(
        0.8,
        "a term in at least this share of the documents is drafting vocabulary too; 0 = the lists alone",
        min=0.0,
        max=1.0,
    )
    drafting_min_documents: int = _opt(
        10, "the document-share rule applies only to corpora of at least this many documents", min=1
    )


@dataclass
class NetworkConfig:
    unit: Literal["document", "paragraph", "sentence", "article", "window"] = _opt(
        "document",
        "co-occurrence unit: two keywords co-occur when they stand in the same document, paragraph, sentence, article (条) or window",
    )
    window: int = _opt(
        5, "window size in tokens, for unit = window (pairs fewer than this many tokens apart in a sentence)", min=2
    )
    counting: Literal["binary", "full"] = _opt(
        "binary", "binary: a pair counts once per unit holding both; full: every pair of occurrences counts"
    )
    measure: Literal["count", "jaccard", "cosine", "inclusion", "association_strength", "pmi", "npmi"] = _opt(
        "npmi",
        "link weight of the backbone, communities and pictures: raw count or an association measure (every measure is written on every link)",
    )
    top_n: int = _opt(50, "number of top keywords that become nodes", min=2)
    rank_by: Literal["freq", "df"] = _opt("freq", "choose the nodes by frequency or by document frequency")
    min_weight: int = _opt(1, "links whose raw count is below this are dropped", min=1)
    backbone: Literal["disparity", "top_k", "none"] = _opt(
        "top_k",
        "the links the analysis reads: the disparity filter's significant ones, each node's top_k strongest, or all",
    )
    alpha: float = _opt(
        0.05,
        "significance level of the disparity filter (Serrano et al. 2009) for backbone = disparity",
        min=0.0,
        max=1.0,
    )
    top_k: int = _opt(4, "for backbone = top_k: each node's k strongest links (by the measure)", min=1)
    null_draws: int = _opt(
        49,
        "degree-preserving randomisations of each backbone that modularity is compared with; 0 = no comparison",
        min=0,
    )
    readable_density: float = _opt(
        0.25,
        "a network linking more than this share of its pairs of keywords is reported as too dense to read",
        min=0.0,
        max=1.0,
    )
    periods: list[str] = _opt(
        [], 'year bands with a network each, like the groups\' (e.g. ["-2017", "2018-2023"]); empty = corpus.periods'
    )


@dataclass
class TopicsConfig:
    enabled: bool = _opt(True, "fit topic models")
    k: int = _opt(
        0,
        "number of topics; 0 = choose it from k_min..k_max: the smallest K within one standard error of the best mean C_NPMI whose topics are stable",
        min=0,
    )
    k_min: int = _opt(4, "smallest number of topics tried when k = 0", min=2)
    k_max: int = _opt(20, "largest number of topics tried when k = 0", min=2)
    k_step: int = _opt(2, "step between the numbers of topics tried", min=1)
    seeds: int = _opt(3, "seeds fitted per number of topics, for the spread of the scores and the stability", min=1)
    min_stability: float = _opt(
        0.6,
        "a K is chosen only when its topics are this stable across seeds (mean matched top-10 Jaccard)",
        min=0.0,
        max=1.0,
    )
    passes: int = _opt(20, "passes of gensim LDA over the corpus", min=1)
    iterations: int = _opt(200, "gensim LDA iterations per document and pass", min=1)
    chunksize: int = _opt(
        50, "documents per online update; smaller chunks update more often and escape poor starts", min=1
    )
    min_df: int = _opt(3, "terms in fewer documents than this are left out of the topic model", min=1)
    max_df: float = _opt(
        0.5, "terms in a larger share of documents than this are left out of the topic model", min=0.0, max=1.0
    )
    top_terms: int = _opt(20, "terms listed per topic", min=1)
    relevance_lambda: float = _opt(
        0.6,
        "λ of the relevance that ranks a topic's terms (1 = by probability; lower = more specific)",
        min=0.0,
        max=1.0,
    )
    representative: int = _opt(5, "documents listed per topic, those with its highest share", min=1)
    nmf: bool = _opt(
        True, "also fit NMF on TF-IDF (scikit-learn) with the same K, to check findings against a second model"
    )


@dataclass
class CompareConfig:
    top_n: int = _opt(20, "distinctive terms listed per group", min=1)
    prior_scale: float = _opt(
        1000.0, "pseudo-counts of the informative Dirichlet prior (alpha_0) in the weighted log-odds", min=0.001
    )
    min_freq: int = _opt(10, "terms with fewer occurrences in the whole corpus are not tested", min=1)
    resamples: int = _opt(
        1000,
        "relabellings of the documents in the permutation test, and resamples in the bootstrap interval; 0 = no document-level test",
        min=0,
    )
    max_resamples: int = _opt(
        20000,
        "a term with fewer than 10 relabellings as extreme as observed is relabelled further, up to this many (sequential p-values)",
        min=0,
    )
    alpha: float = _opt(
        0.05, "a term is listed as a group's emphasis only when its document-level BH q is below this", min=0.0
    )
    min_term_documents: int = _opt(
        3, "a term is listed as a group's emphasis only when at least this many of the group's documents use it", min=1
    )
    shipped_dimensions: bool = _opt(
        True, "score the three shipped dimension schemes (talent work chain, four pressures, policy instruments)"
    )
    dimension_schemes: list[str] = _opt([], "extra dimension schemes (TOML: name, source, [dimensions] of term lists)")
    min_documents: int = _opt(
        20, "groups with fewer documents are flagged as a small sample in every table and chart", min=1
    )
    min_tokens: int = _opt(
        20000, "groups with fewer tokens are flagged as a small sample in every table and chart", min=1
    )
    tag_min_hits: int = _opt(
        2, "a document is tagged with a dimension when its terms occur at least this often in it", min=1
    )


@dataclass
class ReportConfig:
    title: str = _opt("", "report title; empty = the corpus folder's name")
    chart_top_n: int = _opt(15, "keywords per group in the keyword chart", min=1)
    svg: bool = _opt(False, "also write every chart as SVG (vector, for print and editing); PNG always")


@dataclass
class RunConfig:
    seed: int = _opt(42, "seed for every random choice (topic model, network layout)", min=0)
    progress: bool = _opt(True, "show a progress bar per stage")
    workers: int = _opt(
        0,
        "worker processes for extraction, segmentation, the topic sweep and the charts, and threads for the permutation tests; 0 = one per core",
        min=0,
    )
    scheduler: str = _opt(
        "",
        "a dask.distributed scheduler (tcp://HOST:8786) whose workers read and segment the files; empty = this machine",
    )
    cache: bool = _opt(
        True,
        "keep extracted texts, segmentation, topic fits, p-values, the whole analysis and the slowest output files in the cache, keyed by content and settings, so reruns skip them",
    )


@dataclass
class Config:
    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    keywords: KeywordsConfig = field(default_factory=KeywordsConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    topics: TopicsConfig = field(default_factory=TopicsConfig)
    compare: CompareConfig = field(default_factory=CompareConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    run: RunConfig = field(default_factory=RunConfig)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return dataclasses.asdict(self)


# keys that moved to another section, refused under the old name with the new one
MOVED = {"extract.workers": "run.workers", "extract.cache": "run.cache"}

PATH_KEYS = {
    ("segment", "user_dicts"),
    ("segment", "stopwords"),
    ("segment", "synonyms"),
    ("compare", "dimension_schemes"),
    ("keywords", "drafting_lists"),
}


def load_config(
    *,
    corpus: str | Path | None = None,
    config_file: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> Config:
    """Resolve the config: defaults, then ``CORPUS/textmine.toml``, then ``config_file``, then ``overrides``.

    ``overrides`` maps dotted keys to values, e.g. ``{"topics.k": 12}``. Relative paths in a file are
    taken from that file's folder; in ``overrides``, from the current folder.
    """
    merged: dict[str, dict[str, Any]] = {}
    if corpus is not None:
        corpus_file = Path(corpus) / CORPUS_CONFIG_NAME
        if corpus_file.is_file():
            _merge(merged, _read_toml(corpus_file), origin=str(corpus_file))
    if config_file is not None:
        _merge(merged, _read_toml(Path(config_file)), origin=str(config_file))
    if overrides:
        nested: dict[str, dict[str, Any]] = {}
        for dotted, value in overrides.items():
            section, _, key = dotted.partition(".")
            nested.setdefault(section, {})[key] = value
        _merge(merged, _absolute_paths(nested, Path.cwd()), origin="command line")
    return _build(merged)


def read_toml(path: Path, *, what: str, error: type[TextmineError] = ConfigError) -> dict[str, Any]:
    """A TOML file as a dict; a missing or malformed file raises ``error`` naming the file and ``what`` it is."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise error(f"{path}: {what} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    return _absolute_paths(read_toml(path, what="config file"), path.resolve().parent)


def _absolute_paths(data: dict[str, Any], base: Path) -> dict[str, Any]:
    for section, key in PATH_KEYS:
        values = data.get(section, {}).get(key) if isinstance(data.get(section), dict) else None
        if isinstance(values, list):
            data[section][key] = [str((base / v).resolve()) if isinstance(v, str) else v for v in values]
    return data


def _merge(into: dict[str, dict[str, Any]], data: dict[str, Any], *, origin: str) -> None:
    sections = {f.name: f.type for f in dataclasses.fields(Config)}
    for section, values in data.items():
        if section not in sections:
            raise ConfigError(f"{origin}: unknown config section [{section}]; known: {', '.join(sections)}")
        if not isinstance(values, dict):
            raise ConfigError(f"{origin}: [{section}] must be a table of keys")
        known = {f.name for f in dataclasses.fields(_section_class(section))}
        for key, value in values.items():
            if f"{section}.{key}" in MOVED:
                new = MOVED[f"{section}.{key}"]
                raise ConfigError(
                    f"{origin}: '{section}.{key}' is now '{new}' (it governs every stage, not extraction alone); "
                    f"write it in [{new.split('.')[0]}] as {new.split('.')[1]} = {json.dumps(value)}"
                )
            if key not in known:
                raise ConfigError(
                    f"{origin}: unknown config key '{section}.{key}'; known in [{section}]: {', '.join(sorted(known))}"
                )
            into.setdefault(section, {})[key] = value


def _section_class(section: str) -> type:
    hints = typing.get_type_hints(Config)
    return hints[section]


def _build(merged: dict[str, dict[str, Any]]) -> Config:
    sections = {}
    for f in dataclasses.fields(Config):
        cls = _section_class(f.name)
        values = merged.get(f.name, {})
        hints = typing.get_type_hints(cls)
        kwargs = {}
        for sub in dataclasses.fields(cls):
            if sub.name in values:
                kwargs[sub.name] = _check(f"{f.name}.{sub.name}", values[sub.name], hints[sub.name], sub.metadata)
        sections[f.name] = cls(**kwargs)
    return _cross_checked(Config(**sections))


def _cross_checked(config: Config) -> Config:
    """The settings that parse further or must agree with one another, checked as the config loads,
    so that a typo fails before any work (as scikit-learn validates parameters): the group columns,
    both sets of year bands, the range of K and the scheduler's address. The ``corpus.select`` rules are checked against the
    schemes' dimensions once the schemes are read, still before any file of the corpus."""
    parse_group_by(config.corpus.group_by)
    year_bands(config.corpus.periods, "corpus.periods")
    year_bands(config.network.periods, "network.periods")
    if config.topics.enabled:
        candidate_ks(config.topics)
    scheduler = config.run.scheduler
    if scheduler and not re.fullmatch(r"(tcp|tls)://[^\s/]+:\d+", scheduler):
        raise ConfigError(
            f"run.scheduler must be a Dask scheduler's address, like tcp://10.0.0.5:8786. Got {scheduler!r}"
        )
    return config


def candidate_ks(t: TopicsConfig) -> list[int]:
    """The numbers of topics to fit: ``topics.k``, or ``k_min..k_max`` by ``k_step`` when it is 0."""
    if t.k:
        return [t.k]
    if t.k_min > t.k_max:
        raise ConfigError(f"topics.k_min ({t.k_min}) is larger than topics.k_max ({t.k_max})")
    return list(range(t.k_min, t.k_max + 1, t.k_step))


def _check(name: str, value: Any, hint: Any, limits: typing.Mapping[str, Any]) -> Any:
    origin = typing.get_origin(hint)
    if origin is Literal:
        allowed = typing.get_args(hint)
        if value not in allowed:
            raise ConfigError(
                f"The '{name}' option must be one of {', '.join(map(repr, allowed))}. Got {value!r} instead."
            )
        return value
    if origin is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"The '{name}' option must be a list of strings. Got {value!r} instead.")
        return list(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"The '{name}' option must be true or false. Got {value!r} instead.")
        return value
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if hint in (int, float):
        if isinstance(value, bool) or not isinstance(value, hint):
            raise ConfigError(
                f"The '{name}' option must be {'an int' if hint is int else 'a number'}. Got {value!r} instead."
            )
        low, high = limits.get("min"), limits.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            bound = f">= {low}" if high is None else f"between {low} and {high}"
            raise ConfigError(f"The '{name}' option must be {bound}. Got {value!r} instead.")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"The '{name}' option must be a string. Got {value!r} instead.")
        return value
    raise TypeError(f"unsupported config type {hint!r} for {name}")  # a bug in this module, not user input


def describe() -> list[tuple[str, str, Any, str]]:
    """Every option as (section, key, default, help), for ``--help`` and the README's reference."""
    rows = []
    for f in dataclasses.fields(Config):
        cls = _section_class(f.name)
        default = cls()
        for sub in dataclasses.fields(cls):
            rows.append((f.name, sub.name, getattr(default, sub.name), sub.metadata["help"]))
    return rows


def to_toml(config: Config) -> str:
    """The config as TOML text that ``load_config`` reads back unchanged (written by tomli-w)."""
    import tomli_w

    return tomli_w.dumps(config.to_dict())
