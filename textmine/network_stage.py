"""``textmine network``: the co-word networks alone, from the segmentation a previous run saved.

A run's ``tokens.jsonl`` holds every document's sentences with their paragraph and article, so the
networks can be rebuilt with other units, measures and thresholds in seconds, without reading or
segmenting the corpus again.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from . import chart_jobs
from .config import Config
from .corpus import file_sha256
from .counting import TokenizedDocument, keyword_table, keyword_tables_by_group
from .errors import CorpusError
from .network import strongest_links
from .outputs import corpus_layout, links_table, network_tables, publish, write_networks
from .pipeline import Networks, build_networks, set_apart
from .record import library_versions
from .resources import drafting_lists
from .writers import write_csv, write_json, write_xlsx


def load_tokens(path: Path, *, titles: dict[str, str] | None = None) -> list[TokenizedDocument]:
    """The documents of a run's ``tokens.jsonl``; their titles go into ``titles`` when given."""
    if not path.is_file():
        raise CorpusError(f"{path}: no segmented corpus here; run `textmine run` on the corpus first")
    documents = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            try:
                d = json.loads(line)
                documents.append(
                    TokenizedDocument(
                        d["id"], d["group"], d["year"], d["sentences"], d.get("paragraphs"), d.get("articles")
                    )
                )
                if titles is not None:
                    titles[d["id"]] = d.get("title", "")
            except (json.JSONDecodeError, KeyError) as exc:
                raise CorpusError(f"{path}:{number}: not a textmine tokens line ({exc})") from None
    return documents


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
