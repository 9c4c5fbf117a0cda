"""The ``textmine`` command: a thin face over :mod:`textmine`'s Python API.

Library errors become a one-line message on stderr and exit status 2; no traceback reaches a user.
"""

from __future__ import annotations

import sys
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import click

from . import __version__
from .api import extract, run
from .config import describe, load_config, to_toml
from .errors import TextmineError
from .output.outputs import Run, safe_name
from .stage_alone import network_only, topics_only
from .text.resources import default_output
from .workflow.pipeline import find_new_terms, kwic
from .workflow.tokens_file import tokens_path
from .writers import write_csv, write_text


def _parse_set(values: tuple[str, ...]) -> dict[str, Any]:
    overrides = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or "." not in key:
            raise click.BadParameter(f"expected SECTION.KEY=VALUE, got {item!r}", param_hint="--set")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw  # a bare word is a string
        overrides[key.strip()] = value
    return overrides


def _options_help() -> str:
    lines = ["Config keys (for textmine.toml or --set SECTION.KEY=VALUE; see also: textmine config):", "", "\b"]
    for section, key, default, text in describe():
        lines.append(f"  {section}.{key} = {default!r}: {text}")
    return "\n".join(lines)


# Options several commands share (click makes a new parameter each time one is applied).
_CORPUS = click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
_CONFIG = click.option(
    "-c",
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A textmine.toml to use (after CORPUS/textmine.toml, before the options below).",
)
_WORKERS = click.option("--workers", type=int, help="Worker processes for reading and segmenting; 0 = one per core.")
_SCHEDULER = click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="Read and segment the files on this Dask cluster (run.scheduler); the analysis runs here.",
)
_PASSWORD = click.option("--password", help="Password for encrypted PDFs.")
_OCR = click.option(
    "--ocr",
    is_flag=True,
    help="Read scanned PDF pages with Tesseract OCR (needs tesseract-ocr and tesseract-ocr-chi-sim).",
)
_SET = click.option(
    "--set", "settings", multiple=True, metavar="SECTION.KEY=VALUE", help="Set any config key; repeatable."
)
_QUIET = click.option("-q", "--quiet", is_flag=True, help="No progress bars and no summary.")
_FROM = click.option(
    "--from",
    "source",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The output folder of an earlier `textmine run` on CORPUS. [default: outputs/<corpus folder name>]",
)


def _output(default: str) -> Any:
    return click.option("-o", "--output", type=click.Path(path_type=Path), help=f"Output folder. [default: {default}]")


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TextmineError as exc:
            click.echo(f"textmine: error: {exc}", err=True)
            sys.exit(2)
        except OSError as exc:  # disk full, no permission: nothing half-written was left in place
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(
                f"textmine: error: cannot write or read {where}{exc.strerror or exc}; earlier outputs are untouched",
                err=True,
            )
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("textmine: interrupted; outputs of earlier runs are untouched", err=True)
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="textmine")
def main() -> None:
    """textmine: Chinese policy documents in, keyword tables, co-word networks, topics and a city
    comparison report out.

    Start with: textmine run CORPUS_FOLDER
    """


@main.command("run", epilog=_options_help())
@_CORPUS
@_output("outputs/<corpus folder name>")
@_CONFIG
@click.option("--group-by", help="Manifest column whose values are the groups compared. [default: city]")
@click.option("--top-n", type=int, help="Number of keywords in the tables and nodes in the network.")
@click.option("--topics", "k", type=int, help="Number of LDA topics.")
@click.option("--no-topics", is_flag=True, help="Skip the topic model.")
@click.option("--seed", type=int, help="Seed for the topic model and the network layout.")
@_WORKERS
@_SCHEDULER
@_PASSWORD
@_OCR
@click.option(
    "--keep-duplicates", is_flag=True, help="Analyse duplicate documents too, instead of counting each cluster once."
)
@_SET
@_QUIET
def run_command(
    corpus: Path,
    output: Path | None,
    config_file: Path | None,
    group_by: str | None,
    top_n: int | None,
    k: int | None,
    no_topics: bool,
    seed: int | None,
    workers: int | None,
    scheduler: str | None,
    password: str | None,
    ocr: bool,
    keep_duplicates: bool,
    settings: tuple[str, ...],
    quiet: bool,
) -> None:
    """Run the whole analysis on the documents in CORPUS: extract, segment, count keywords, build
    co-word networks, fit a topic model, compare groups, and write the report, tables and run
    record (run.json) to the output folder."""
    flags = {
        "corpus.group_by": group_by,
        "keywords.top_n": top_n,
        "network.top_n": top_n,
        "topics.k": k,
        "run.seed": seed,
        "topics.enabled": False if no_topics else None,
        "run.scheduler": scheduler,
    }
    config = _config(
        corpus,
        config_file,
        settings,
        quiet=quiet,
        flags=flags,
        workers=workers,
        password=password,
        ocr=ocr,
        keep_duplicates=keep_duplicates,
    )
    result = run(corpus, output=output, config=config)
    if not quiet:
        click.echo(summary(result))


def _config(
    corpus: Path,
    config_file: Path | None,
    settings: tuple[str, ...],
    *,
    quiet: bool = False,
    flags: dict[str, Any] | None = None,
    workers: int | None = None,
    password: str | None = None,
    ocr: bool = False,
    keep_duplicates: bool = False,
) -> Any:
    """The config a command runs with: the file's (or the defaults), then ``--set`` settings, then
    the command's own flags (a flag left unset changes nothing)."""
    overrides = _parse_set(settings)
    flags = {
        **(flags or {}),
        "run.workers": workers,
        "extract.password": password,
        "extract.ocr": True if ocr else None,
        "corpus.duplicates": "keep" if keep_duplicates else None,
        "run.progress": False if quiet else None,
    }
    overrides.update({key: value for key, value in flags.items() if value is not None})
    return load_config(corpus=corpus, config_file=config_file, overrides=overrides)


@main.command("compare")
@_CORPUS
@click.option(
    "--by",
    "group_by",
    default="city",
    show_default=True,
    help="Groups to compare: a manifest column, year, period, or a cross such as city+period.",
)
@click.option(
    "--periods",
    help='Year bands, comma-separated, for --by period and for terms rising and falling (e.g. "-2015,2016-2020,2021-").',
)
@_output("outputs/<corpus folder name>-by-<groups>")
@_CONFIG
@click.option("--top-n", type=int, help="Distinctive terms listed per group.")
@click.option("--min-freq", type=int, help="Terms with fewer occurrences in the corpus are not tested.")
@_WORKERS
@_SET
@_QUIET
def compare_command(
    corpus: Path,
    group_by: str,
    periods: str | None,
    output: Path | None,
    config_file: Path | None,
    top_n: int | None,
    min_freq: int | None,
    workers: int | None,
    settings: tuple[str, ...],
    quiet: bool,
) -> None:
    """Compare the groups of CORPUS (cities by default): keywords per 10,000 tokens, distinctive terms
    (log-odds z, G², log ratio, BH q), pairwise comparisons, policy dimensions, similarity, terms rising
    and falling between periods, robustness, and the report. Texts, segmentation and the topic model
    come from the cache of an earlier run on CORPUS, so only the comparison is computed again."""
    flags = {
        "corpus.group_by": group_by,
        "corpus.periods": [p.strip() for p in periods.split(",")] if periods else None,
        "compare.top_n": top_n,
        "compare.min_freq": min_freq,
    }
    config = _config(corpus, config_file, settings, quiet=quiet, flags=flags, workers=workers)
    out = output or default_output(corpus, f"-by-{safe_name(group_by)}")
    result = run(corpus, output=out, config=config)
    if not quiet:
        click.echo(summary(result))
        for group, terms in result.analysis.comparison.distinctive.items():
            click.echo(f"  {_pad(group, 14)}" + "、".join(t.term for t in terms[:8]))


@main.command("extract")
@_CORPUS
@_output("outputs/<corpus folder name>-texts")
@_CONFIG
@_WORKERS
@_SCHEDULER
@_PASSWORD
@_OCR
@_SET
@_QUIET
def extract_command(
    corpus: Path,
    output: Path | None,
    config_file: Path | None,
    workers: int | None,
    scheduler: str | None,
    password: str | None,
    ocr: bool,
    settings: tuple[str, ...],
    quiet: bool,
) -> None:
    """Extract the text of every document in CORPUS and write the clean texts (texts/part-00000.jsonl, …:
    one JSON line a document), a per-file quality table (extraction.csv: pages, flags, encoding, OCR pages, repairs, seconds), the
    files skipped with reasons, the duplicate clusters and the metadata found, to inspect before
    analysing."""
    flags = {"run.scheduler": scheduler}
    config = _config(
        corpus, config_file, settings, quiet=quiet, flags=flags, workers=workers, password=password, ocr=ocr
    )
    done = extract(corpus, output=output, config=config)
    if not quiet:
        lines = [
            f"textmine extract: {corpus} -> {done.output}",
            f"  documents  {len(done.read)} read, {len(done.skipped)} skipped",
            *(f"  skipped    {s.path}: {s.reason}" for s in done.skipped),
        ]
        click.echo("\n".join(lines))


def _from_tokens(
    corpus: Path,
    source: Path | None,
    output: Path | None,
    config_file: Path | None,
    settings: tuple[str, ...],
    flags: dict[str, Any],
    stage: str,
) -> tuple[Any, Path, Path]:
    """The config, the earlier run's tokens.jsonl and the output folder of a stage run on its own."""
    overrides = _parse_set(settings)
    overrides.update({key: value for key, value in flags.items() if value is not None})
    config = load_config(corpus=corpus, config_file=config_file, overrides=overrides)
    out = output or default_output(corpus, f"-{stage}")
    return config, tokens_path(source, corpus), out


@main.command("network")
@_CORPUS
@_FROM
@_output("outputs/<corpus folder name>-network")
@_CONFIG
@click.option(
    "--unit", type=click.Choice(["document", "paragraph", "sentence", "article", "window"]), help="Co-occurrence unit."
)
@click.option("--window", type=int, help="Window size in tokens, for --unit window.")
@click.option("--counting", type=click.Choice(["binary", "full"]), help="Binary or full counting.")
@click.option(
    "--measure",
    type=click.Choice(["count", "jaccard", "cosine", "inclusion", "association_strength", "pmi", "npmi"]),
    help="Link weight of the backbone and communities: raw count or an association measure.",
)
@click.option("--top-n", type=int, help="Number of keywords that become nodes.")
@click.option(
    "--rank-by", type=click.Choice(["freq", "df"]), help="Choose the nodes by frequency or document frequency."
)
@click.option("--min-weight", type=int, help="Drop edges whose raw count is below this.")
@click.option(
    "--backbone", type=click.Choice(["disparity", "top_k", "none"]), help="The links the analysis reads and draws."
)
@click.option("--top-k", type=int, help="For --backbone top_k: each node's k strongest links.")
@click.option("--alpha", type=float, help="For --backbone disparity: the filter's significance level.")
@click.option("--seed", type=int, help="Seed for communities and layouts.")
@_SET
def network_command(
    corpus: Path,
    source: Path | None,
    output: Path | None,
    config_file: Path | None,
    unit: str | None,
    window: int | None,
    counting: str | None,
    measure: str | None,
    top_n: int | None,
    rank_by: str | None,
    min_weight: int | None,
    backbone: str | None,
    top_k: int | None,
    alpha: float | None,
    seed: int | None,
    settings: tuple[str, ...],
) -> None:
    """Rebuild the co-word networks of CORPUS from the segmentation an earlier `textmine run` saved
    (tokens.jsonl), with other units, measures or thresholds, without reading the corpus again: every
    export format, node measures, communities, the group comparison graph, tables and pictures."""
    flags = {
        "network.unit": unit,
        "network.window": window,
        "network.counting": counting,
        "network.measure": measure,
        "network.top_n": top_n,
        "network.rank_by": rank_by,
        "network.min_weight": min_weight,
        "network.backbone": backbone,
        "network.top_k": top_k,
        "network.alpha": alpha,
        "run.seed": seed,
    }
    config, tokens, out = _from_tokens(corpus, source, output, config_file, settings, flags, "network")
    networks = network_only(tokens, out, config)
    graph = networks.graphs["all"]
    click.echo(
        f"textmine network: {tokens} -> {out}\n  {graph.number_of_nodes()} keywords, {graph.number_of_edges()} links "
        f"(unit {graph.graph['unit']}, {graph.graph['counting']}, weight = {graph.graph['measure']}), "
        f"backbone {graph.graph['backbone']} of {graph.graph['backbone_edges']} links, "
        f"{graph.graph['communities']} communities, modularity {graph.graph['modularity']}"
        + (
            f" (null {graph.graph['null_modularity_mean']} ± {graph.graph['null_modularity_sd']}, p = {graph.graph['modularity_p']})"
            if graph.graph["null_draws"]
            else ""
        )
    )


@main.command("topics")
@_CORPUS
@_FROM
@_output("outputs/<corpus folder name>-topics")
@_CONFIG
@click.option("-k", "--topics", "k", type=int, help="Number of topics; 0 = choose it by the highest mean C_NPMI.")
@click.option("--k-min", type=int, help="Smallest number of topics tried.")
@click.option("--k-max", type=int, help="Largest number of topics tried.")
@click.option("--seeds", type=int, help="Seeds fitted per number of topics.")
@click.option("--seed", type=int, help="Seed of the final model (the sweep uses it and the next ones).")
@click.option("--no-nmf", is_flag=True, help="Skip the NMF comparison model.")
@_WORKERS
@_SET
def topics_command(
    corpus: Path,
    source: Path | None,
    output: Path | None,
    config_file: Path | None,
    k: int | None,
    k_min: int | None,
    k_max: int | None,
    seeds: int | None,
    seed: int | None,
    no_nmf: bool,
    workers: int | None,
    settings: tuple[str, ...],
) -> None:
    """Fit the topic models of CORPUS on the segmentation an earlier `textmine run` saved (tokens.jsonl):
    choose K over a range by coherence (or take --topics), with held-out perplexity and stability across
    seeds; LDA and NMF topic tables, representative documents, shares per group and year, charts, and
    interactive views (topics.html, nmf_topics.html)."""
    flags = {
        "topics.k": k,
        "topics.k_min": k_min,
        "topics.k_max": k_max,
        "topics.seeds": seeds,
        "run.seed": seed,
        "topics.nmf": False if no_nmf else None,
        "run.workers": workers,
    }
    config, tokens, out = _from_tokens(corpus, source, output, config_file, settings, flags, "topics")
    topics = topics_only(tokens, out, config)
    sel = topics.selection
    click.echo(f"textmine topics: {tokens} -> {out}\n  K = {sel.chosen} ({sel.rule})")
    if sel.advice:
        click.echo(f"  note: {sel.advice}")
    click.echo(f"  {'K':>3} {'C_NPMI':>8} {'C_V':>7} {'U_Mass':>8} {'perplexity':>11} {'stability':>10}")
    for x in sel.scores:
        mark = " <" if x.k == sel.chosen else ""
        click.echo(
            f"  {x.k:>3} {x.c_npmi:>8.4f} {x.c_v:>7.4f} {x.u_mass:>8.3f} {x.perplexity:>11.1f} {x.stability:>10.3f}{mark}"
        )
    for t in range(topics.lda.k):
        click.echo(f"  T{t + 1:<3}{topics.lda.label(t)}")


@main.command("terms")
@_CORPUS
@click.option("--top", type=int, default=100, show_default=True, help="Number of candidate terms listed.")
@click.option("--min-freq", type=int, default=5, show_default=True, help="Fewest occurrences a candidate needs.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the candidates to this CSV, with a user-dictionary file beside it (.txt).",
)
@_CONFIG
def terms_command(corpus: Path, top: int, min_freq: int, output: Path | None, config_file: Path | None) -> None:
    """Propose new terms for the user dictionary: strings of 2-4 adjacent tokens in CORPUS that recur,
    hold together (high PMI over their weakest split) and stand free (high left and right branching
    entropy), and that the dictionary does not hold yet, best first."""
    config = load_config(corpus=corpus, config_file=config_file, overrides={"run.progress": False})
    found = find_new_terms(corpus, config=config, top=top, min_freq=min_freq)
    click.echo(f"{'term':<14}{'cut today':<24}{'freq':>6}{'docs':>6}{'pmi':>8}{'H left':>8}{'H right':>8}{'score':>9}")
    for t in found:
        click.echo(
            f"{t.term:<14}{t.tokens:<24}{t.freq:>6}{t.documents:>6}{t.pmi:>8.2f}{t.left_entropy:>8.2f}"
            f"{t.right_entropy:>8.2f}{t.score:>9.1f}"
        )
    if output:
        write_csv(
            output,
            ["term", "cut_today", "freq", "documents", "pmi", "left_entropy", "right_entropy", "score"],
            [[t.term, t.tokens, t.freq, t.documents, t.pmi, t.left_entropy, t.right_entropy, t.score] for t in found],
        )
        write_text(
            output.with_suffix(".txt"),
            "# textmine terms: new terms proposed for a user dictionary\n" + "".join(f"{t.term} n\n" for t in found),
        )
        click.echo(f"written: {output} and {output.with_suffix('.txt')} (paste into a user dictionary)")


@main.command("kwic")
@_CORPUS
@click.argument("term")
@click.option("--width", type=int, default=20, show_default=True, help="Characters of context on each side.")
@click.option("--limit", type=int, default=0, help="Show at most this many lines (0: all); the CSV holds all.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Also write every line to this CSV."
)
@_CONFIG
def kwic_command(
    corpus: Path, term: str, width: int, limit: int, output: Path | None, config_file: Path | None
) -> None:
    """Show every occurrence of TERM in CORPUS in its context (keyword in context), with the document
    id, group and year, so you can check what a keyword really means. TERM is matched as a token, its
    synonyms' variants included."""
    config = load_config(corpus=corpus, config_file=config_file, overrides={"run.progress": False})
    lines = kwic(corpus, term, config=config, width=width)
    for line in lines[: limit or None]:
        click.echo(
            f"{line.doc_id:<10}{line.group:<12}{line.year or '':<6}{line.left:>{width}} [{line.match}] {line.right}"
        )
    click.echo(f"{len(lines)} occurrences of {term} in {len({line.doc_id for line in lines})} documents")
    if output:
        write_csv(
            output,
            ["id", "group", "year", "left", "match", "right"],
            [[x.doc_id, x.group, x.year, x.left, x.match, x.right] for x in lines],
        )


@main.command("config")
@click.argument("corpus", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-c",
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A textmine.toml to merge in.",
)
def config_command(corpus: Path | None, config_file: Path | None) -> None:
    """Print the resolved configuration (defaults, CORPUS/textmine.toml, --config) as TOML; save it
    as textmine.toml to start your own."""
    click.echo(to_toml(load_config(corpus=corpus, config_file=config_file)), nl=False)


@main.command("cache")
@click.option("--clear", "empty", is_flag=True, help="Delete what textmine keeps there (nothing else in the folder).")
def cache_command(empty: bool) -> None:
    """Show where textmine keeps its cache ($TEXTMINE_CACHE, else ~/.cache/textmine) and what each part
    holds; with --clear, delete it. Each variant of the settings a run is made with keeps its own
    analysis and output files there; reruns are fast because of it, and it grows until cleared."""
    from .text.resources import cache_dir
    from .workflow.cache import PARTS, clear, usage

    folder = cache_dir()
    if empty:
        click.echo(f"textmine cache: removed {clear(folder) / 1e6:,.1f} MB from {folder}")
        return
    lines = [f"textmine cache: {folder}"]
    held = usage(folder)
    for part, (entries, size) in held.items():
        what = PARTS.get(part, "jieba's prefix dictionaries")
        lines.append(f"  {part:<9} {entries:>7,} entries {size / 1e6:>9,.1f} MB  {what}")
    lines.append(
        f"  {'total':<9} {sum(e for e, _ in held.values()):>7,} entries {sum(s for _, s in held.values()) / 1e6:>9,.1f} MB"
    )
    click.echo("\n".join(lines))


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, columns: int) -> str:
    return text + " " * max(1, columns - _width(text))


def summary(written: Run) -> str:
    """The closing summary of a run, a few lines for the terminal."""
    analysis = written.analysis
    groups = ", ".join(f"{g} {t.documents}" for g, t in analysis.counts.keywords_by_group.items())
    found = len(analysis.reading.read) + len(analysis.reading.dropped) + len(analysis.reading.skipped)
    lines = [
        f"textmine run: {analysis.reading.corpus.name} -> {written.output}",
        f"  documents  {found} found, {len(analysis.reading.read) + len(analysis.reading.dropped)} read, {len(analysis.reading.skipped)} skipped"
        + (f", {len(analysis.reading.unselected)} left out by corpus.select" if analysis.reading.unselected else ""),
    ]
    lines += [f"  skipped    {s.path}: {s.reason}" for s in analysis.reading.skipped]
    if analysis.reading.corpus.cleaned:
        lines.append(
            f"  cleaned    {analysis.reading.corpus.cleaned} control characters removed from names and manifest values"
        )
    lines += [
        f"  groups     {groups}",
        f"  tokens     {analysis.counts.keywords.tokens:,} (vocabulary {len(analysis.counts.dtm.vocab):,})",
        f"  duplicates {sum(len(c.dropped) for c in analysis.reading.duplicates)} documents in {len(analysis.reading.duplicates)} clusters "
        f"{'counted once' if analysis.config.corpus.duplicates == 'drop' else 'kept'} (tables/duplicates.csv)",
        f"  versions   {len(analysis.reading.versions)} policies in two or more versions, "
        + (
            "every version kept"
            if analysis.config.corpus.versions == "all"
            else f"the {analysis.config.corpus.versions} analysed: {sum(len(c.dropped) for c in analysis.reading.versions)} left out"
        )
        + " (tables/versions.csv)",
    ]
    if analysis.topics is not None and analysis.topics.note:
        lines.append(f"  topics     {analysis.topics.note}")
    lines += [f"  {stage:<10} not run: {reason}" for stage, reason in analysis.not_run.items()]
    lines += [
        "  time       " + " · ".join(f"{name} {sec:.1f}s" for name, sec in written.timings.items()),
        *_memory_line(written.memory),
        f"  report     {written.output / 'report.html'}",
    ]
    return "\n".join(lines)


def _memory_line(memory: dict[str, int]) -> list[str]:
    """The run's peak memory and the stage that reached it (the first to reach the peak)."""
    if not memory:
        return []
    peak = max(memory.values())
    stage = next(name for name, mb in memory.items() if mb == peak)
    return [f"  memory     peak {peak:,} MB resident (largest process), reached in {stage}"]
