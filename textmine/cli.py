"""The ``textmine`` command: a thin face over :mod:`textmine`'s Python API.

Library errors become a one-line message on stderr and exit status 2; no traceback reaches a user.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import describe, load_config, to_toml
from .errors import TextmineError
from .pipeline import RunResult, run


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


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TextmineError as exc:
            click.echo(f"textmine: error: {exc}", err=True)
            sys.exit(2)
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
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output folder. [default: outputs/<corpus folder name>]")
@click.option("-c", "--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A textmine.toml to use (after CORPUS/textmine.toml, before the options below).")
@click.option("--group-by", help="Manifest column whose values are the groups compared. [default: city]")
@click.option("--top-n", type=int, help="Number of keywords in the tables and nodes in the network.")
@click.option("--topics", "k", type=int, help="Number of LDA topics.")
@click.option("--no-topics", is_flag=True, help="Skip the topic model.")
@click.option("--seed", type=int, help="Seed for the topic model and the network layout.")
@click.option("--workers", type=int, help="Worker processes for reading and segmenting; 0 = one per core.")
@click.option("--set", "settings", multiple=True, metavar="SECTION.KEY=VALUE", help="Set any config key; repeatable.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars and no summary.")
def run_command(corpus: Path, output: Path | None, config_file: Path | None, group_by: str | None, top_n: int | None,
                k: int | None, no_topics: bool, seed: int | None, workers: int | None, settings: tuple[str, ...],
                quiet: bool) -> None:
    """Run the whole analysis on the documents in CORPUS: extract, segment, count keywords, build
    co-word networks, fit a topic model, compare groups, and write the report, tables and run
    record (run.json) to the output folder."""
    overrides = _parse_set(settings)
    flags = {"corpus.group_by": group_by, "keywords.top_n": top_n, "network.top_n": top_n, "topics.k": k,
             "run.seed": seed, "extract.workers": workers}
    overrides.update({key: value for key, value in flags.items() if value is not None})
    if no_topics:
        overrides["topics.enabled"] = False
    if quiet:
        overrides["run.progress"] = False
    config = load_config(corpus=corpus, config_file=config_file, overrides=overrides)
    result = run(corpus, output=output, config=config)
    if not quiet:
        click.echo(summary(result))


@main.command("config")
@click.argument("corpus", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-c", "--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A textmine.toml to merge in.")
def config_command(corpus: Path | None, config_file: Path | None) -> None:
    """Print the resolved configuration (defaults, CORPUS/textmine.toml, --config) as TOML; save it
    as textmine.toml to start your own."""
    click.echo(to_toml(load_config(corpus=corpus, config_file=config_file)), nl=False)


def summary(result: RunResult) -> str:
    """The closing summary of a run, a few lines for the terminal."""
    found = len(result.read) + len(result.skipped)
    groups = ", ".join(f"{g} {t.documents}" for g, t in result.keywords_by_group.items())
    lines = [
        f"textmine run: {result.corpus.name} -> {result.output}",
        f"  documents  {found} found, {len(result.read)} read, {len(result.skipped)} skipped",
    ]
    lines += [f"  skipped    {s.path}: {s.reason}" for s in result.skipped]
    lines += [
        f"  groups     {groups}",
        f"  tokens     {result.n_tokens:,} (vocabulary {len(result.dtm.vocab):,})",
        "  time       " + " · ".join(f"{name} {sec:.1f}s" for name, sec in result.timings.items()),
        f"  report     {result.output / 'report.html'}",
    ]
    return "\n".join(lines)
