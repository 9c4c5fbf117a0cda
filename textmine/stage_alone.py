"""``textmine network`` and ``textmine topics``: one stage alone, from the segmentation a previous
run saved.

A run's ``tokens.jsonl`` holds every document's sentences with their paragraph and article, so the
networks can be rebuilt with other units, measures and thresholds in seconds, and the topic models
fitted with other settings, without reading or segmenting the corpus again.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .analysis.counting import DocTermMatrix, TokenizedDocument, keyword_table, keyword_tables_by_group
from .config import Config
from .ingest.corpus import file_sha256
from .output import chart_jobs
from .output.outputs import corpus_layout, links_table, network_tables, publish, write_networks
from .output.table import Table
from .text.resources import drafting_lists
from .workflow.libraries import library_versions
from .workflow.pipeline import Networks, build_networks, set_apart
from .workflow.tokens_file import load_tokens
from .writers import write_csv, write_json, write_xlsx

if TYPE_CHECKING:
    from .workflow.topic_stage import Topics


def network_only(tokens: Path, output: Path, config: Config) -> Networks:
    """Build the networks from ``tokens`` (a run's tokens.jsonl) with ``config.network`` and write
    them, their tables, pictures and a run record to ``output``."""
    started = time.perf_counter()
    documents, analysed, dtm = _documents(tokens, config)
    networks = build_networks(analysed, keyword_table(dtm), keyword_tables_by_group(dtm), config, dtm)

    def build(staging: Path) -> None:
        positions = corpus_layout(networks, seed=config.run.seed)
        write_networks(staging, networks, seed=config.run.seed, positions=positions)
        graph = networks.graphs["all"]
        links = links_table(networks.links, graph.graph)
        tables = [links, *network_tables(networks, readable_density=config.network.readable_density)]
        how = f"{config.network.unit}, {config.network.measure}"
        pictures = [
            chart_jobs.Chart(
                "network",
                "network_picture",
                (networks.graphs["all"], positions),
                {"title": f"共词网络 Co-word network ({how})"},
            )
        ]
        for kind, panel in (("group", networks.of("group")), ("period", networks.of("period"))):
            if len(panel) > 1:
                title = f"共词网络 Co-word networks by {kind} ({how})"
                pictures.append(
                    chart_jobs.Chart(f"network_{kind}s", "network_panel", (panel, positions), {"title": title})
                )
        _write(staging, "networks.xlsx", tables, pictures, config)
        graphs = {name: dict(graph.graph) for name, graph in networks.graphs.items()}
        write_json(staging / "run.json", _record("network", tokens, documents, config, started, {"graphs": graphs}))

    publish(output, build)
    return networks


def topics_only(tokens: Path, output: Path, config: Config) -> "Topics":
    """``textmine topics``: fit the topic models on a run's ``tokens.jsonl`` and write their tables,
    charts, interactive views and a run record to ``output``."""
    from .output.topic_outputs import topic_charts, topic_tables, write_topic_views
    from .workflow.topic_stage import fit_topics

    started = time.perf_counter()
    documents, analysed, _ = _documents(tokens, config)
    by_id = {d.id: d for d in documents}
    topics = fit_topics(analysed, config, workers=_workers(config))

    def build(staging: Path) -> None:
        _write(
            staging,
            "topics.xlsx",
            topic_tables(topics, by_id, {}, config.topics),
            topic_charts(topics, by_id, {}),
            config,
        )
        write_topic_views(staging, topics, lam=config.topics.relevance_lambda)
        selection = {"topics": {"k": topics.selection.chosen, "rule": topics.selection.rule}}
        record = _record("topics", tokens, documents, config, started, selection, {"fits": topics.seconds})
        write_json(staging / "run.json", record)

    publish(output, build)
    return topics


def _documents(tokens: Path, config: Config) -> tuple[list[TokenizedDocument], list[TokenizedDocument], DocTermMatrix]:
    """A run's documents from its tokens.jsonl, as segmented and as the analysis counts them (the
    drafting vocabulary set apart as the run's settings say), with their document–term matrix."""
    documents = load_tokens(tokens)
    _, analysed, dtm = set_apart(
        documents, drafting_lists(config.keywords, shipped=config.segment.shipped_lists)[0], config
    )
    return documents, analysed, dtm


def _workers(config: Config) -> int:
    return config.run.workers or os.cpu_count() or 1


def _write(staging: Path, workbook: str, tables: list[Table], charts: list[chart_jobs.Chart], config: Config) -> None:
    """A stage's tables, as CSVs and one workbook, and its charts."""
    for table in tables:
        write_csv(staging / "tables" / f"{table.name}.csv", table.header, table.rows)
    write_xlsx(staging / workbook, {t.name: (t.header, t.rows) for t in tables})
    chart_jobs.draw_all(charts, staging / "charts", svg=config.report.svg, workers=_workers(config))


def _record(
    stage: str,
    tokens: Path,
    documents: list[TokenizedDocument],
    config: Config,
    started: float,
    results: dict[str, Any],
    timing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The stand-alone stage's run.json: the tokens it read, its settings, the versions, its results."""
    return {
        f"textmine_{stage}": 1,
        "tokens": {"file": str(tokens), "sha256": file_sha256(tokens), "documents": len(documents)},
        "config": {stage: config.to_dict()[stage], "run": {"seed": config.run.seed}},
        "versions": library_versions(),
        **results,
        "timing": {"seconds": round(time.perf_counter() - started, 3), **(timing or {})},
    }
