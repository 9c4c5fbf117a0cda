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
from typing import TYPE_CHECKING

from . import chart_jobs
from .config import Config
from .corpus import file_sha256
from .counting import keyword_table, keyword_tables_by_group
from .libraries import library_versions
from .network import strongest_links
from .outputs import corpus_layout, links_table, network_tables, publish, write_networks
from .pipeline import Networks, build_networks, set_apart
from .resources import drafting_lists
from .tokens_file import load_tokens
from .writers import write_csv, write_json, write_xlsx

if TYPE_CHECKING:
    from .topic_stage import Topics


def network_only(tokens: Path, output: Path, config: Config) -> Networks:
    """Build the networks from ``tokens`` (a run's tokens.jsonl) with ``config.network`` and write
    them, their tables, pictures and a run record to ``output``."""
    started = time.perf_counter()
    documents = load_tokens(tokens)
    _, analysed, dtm = set_apart(
        documents, drafting_lists(config.keywords, shipped=config.segment.shipped_lists)[0], config
    )
    networks = build_networks(analysed, keyword_table(dtm), keyword_tables_by_group(dtm), config, dtm)

    def build(staging: Path) -> None:
        positions = corpus_layout(networks, seed=config.run.seed)
        write_networks(staging, networks, seed=config.run.seed, positions=positions)
        graph = networks.graphs["all"]
        links = links_table(strongest_links(graph), graph.graph)
        tables = [links, *network_tables(networks, readable_density=config.network.readable_density)]
        for table in tables:
            write_csv(staging / "tables" / f"{table.name}.csv", table.header, table.rows)
        write_xlsx(staging / "networks.xlsx", {t.name: (t.header, t.rows) for t in tables})
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
        workers = config.run.workers or os.cpu_count() or 1
        chart_jobs.draw_all(pictures, staging / "charts", svg=config.report.svg, workers=workers)
        write_json(
            staging / "run.json",
            {
                "textmine_network": 1,
                "tokens": {"file": str(tokens), "sha256": file_sha256(tokens), "documents": len(documents)},
                "config": {"network": config.to_dict()["network"], "run": {"seed": config.run.seed}},
                "versions": library_versions(),
                "graphs": {name: dict(graph.graph) for name, graph in networks.graphs.items()},
                "timing": {"seconds": round(time.perf_counter() - started, 3)},
            },
        )

    publish(output, build)
    return networks


def topics_only(tokens: Path, output: Path, config: Config) -> "Topics":
    """``textmine topics``: fit the topic models on a run's ``tokens.jsonl`` and write their tables,
    charts, interactive views and a run record to ``output``."""
    from .topic_outputs import topic_charts, topic_tables, write_topic_views
    from .topic_stage import fit_topics

    started = time.perf_counter()
    titles: dict[str, str] = {}
    documents = load_tokens(tokens, titles=titles)
    info = {d.id: (d.group, d.year, titles.get(d.id, "")) for d in documents}
    _, analysed, _ = set_apart(
        documents, drafting_lists(config.keywords, shipped=config.segment.shipped_lists)[0], config
    )
    topics = fit_topics(analysed, config, workers=config.run.workers or os.cpu_count() or 1)
    t = config.topics

    def build(staging: Path) -> None:
        tables = topic_tables(topics, info, {}, t)
        for table in tables:
            write_csv(staging / "tables" / f"{table.name}.csv", table.header, table.rows)
        write_xlsx(staging / "topics.xlsx", {x.name: (x.header, x.rows) for x in tables})
        workers = config.run.workers or os.cpu_count() or 1
        chart_jobs.draw_all(topic_charts(topics, info, {}), staging / "charts", svg=config.report.svg, workers=workers)
        write_topic_views(staging, topics, lam=t.relevance_lambda)
        write_json(
            staging / "run.json",
            {
                "textmine_topics": 1,
                "tokens": {"file": str(tokens), "sha256": file_sha256(tokens), "documents": len(documents)},
                "config": {"topics": config.to_dict()["topics"], "run": {"seed": config.run.seed}},
                "versions": library_versions(),
                "topics": {"k": topics.selection.chosen, "rule": topics.selection.rule},
                "timing": {"seconds": round(time.perf_counter() - started, 3), "fits": topics.seconds},
            },
        )

    publish(output, build)
    return topics
