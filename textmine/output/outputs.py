"""Turn a run's results into files: tables (CSV and one XLSX), networks, charts, tokens, report, run.json.

The whole output folder is built beside its destination and swapped in at the end, so a run that
fails or is interrupted leaves the previous outputs untouched and never a mix of old and new files.
A destination that holds anything other than a previous textmine run is refused, never overwritten.

Layout of the output folder::

    report.html  report.md  report.xlsx  run.json  tokens.jsonl
    texts/       each document's clean text: part-00000.jsonl, … one JSON line a document
    tables/      documents, extraction, skipped, duplicates, keyword and comparison tables, topics (CSV)
    network/     coword.gexf, coword.graphml, nodes.csv, edges.csv; groups/<group>.* per group
    charts/      keywords_by_group, network, topic_shares (PNG; SVG too with report.svg)
"""

from __future__ import annotations

import concurrent.futures
import glob
import hashlib
import itertools
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from ..analysis.compare import SMALL_SAMPLE
from ..analysis.network import MEASURES, edge_rows
from ..analysis.network_analysis import NODE_MEASURES
from ..errors import TextmineError
from ..text.resources import cache_dir
from ..workflow.cache import StepCache, reuse
from ..workflow.pipeline import Stages
from ..workflow.tokens_file import token_lines
from ..writers import process_alive, write_csv, write_json, write_jsonl, write_text, write_xlsx
from . import chart_jobs, network_export
from .record import build_record, extraction_record
from .report import render_html, render_markdown
from .table import Table
from .text_shards import text_record, write_text_shards

if TYPE_CHECKING:
    from ..analysis.compare import Change
    from ..analysis.counting import TokenizedDocument
    from ..analysis.network import StrongestLink
    from ..config import Config
    from ..ingest.corpus import Corpus, Skipped
    from ..ingest.duplicates import DuplicateCluster
    from ..workflow.pipeline import Analysis, Networks, ReadDocument


@dataclass(frozen=True)
class Run:
    """An analysis written to its output folder (:func:`textmine.run`)."""

    analysis: Analysis
    output: Path
    files: list[Path]  # every file written, sorted
    timings: dict[str, float]  # seconds by stage, writing and the total included
    memory: dict[str, int]  # peak resident MB by the end of each stage, writing included


def tables(analysis: "Analysis") -> dict[str, Any]:
    """Every table of a run's report as a pandas DataFrame, by name (``tables/<name>.csv``): the
    columns of the CSV, the values as the run computed them (numbers stay numbers), for notebooks."""
    import pandas as pd

    return {t.name: pd.DataFrame(t.rows, columns=t.header) for t in build_tables(analysis)}


def build_tables(analysis: "Analysis") -> list[Table]:
    """Every table of a run, in the order the workbook shows them."""
    cfg = analysis.config
    groups = list(analysis.counts.keywords_by_group)
    counted = np.asarray(analysis.counts.dtm.counts.sum(axis=1)).ravel()  # the tokens the analysis counts
    tokens_of = {doc_id: int(n) for doc_id, n in zip(analysis.counts.dtm.doc_ids, counted, strict=True)}
    tables = [
        Table(
            "documents",
            "Documents analysed",
            [
                "id",
                "group",
                "year",
                "year_source",
                "title",
                "doc_number",
                "issuer",
                "issued",
                "in_force",
                "format",
                "characters",
                "tokens",
                "file",
            ],
            [
                [
                    r.document.id,
                    r.document.group,
                    r.document.year,
                    r.document.year_source,
                    *[r.document.meta.get(k, "") for k in ("title", "doc_number", "issuer", "issued", "in_force")],
                    r.extracted.format,
                    len(r.text),
                    tokens_of[r.document.id],
                    r.document.file,
                ]
                for r in analysis.reading.read
                if r.document.id in tokens_of  # analysed: not left out by corpus.select
            ],
        ),
        *extraction_tables(
            analysis.reading.read,
            analysis.reading.skipped,
            analysis.reading.duplicates,
            analysis.reading.dropped,
            timing=False,
        ),
        version_table(analysis),
        drafting_table(analysis),
        Table(
            "top_keywords",
            f"Top {cfg.keywords.top_n} keywords of the corpus, by frequency (ties: document frequency, then term)",
            ["rank", "keyword", "freq", "df", "per_10k", "doc_share"],
            [
                [i, t.term, t.freq, t.df, t.per_10k, t.doc_share]
                for i, t in enumerate(analysis.counts.keywords.top(cfg.keywords.top_n), 1)
            ],
        ),
        Table(
            "keywords_by_group",
            f"Top {cfg.keywords.top_n} keywords of each group, by frequency (ties: document frequency, then term)",
            ["group", "rank", "keyword", "freq", "df", "per_10k", "doc_share", "caution"],
            [
                [g, i, t.term, t.freq, t.df, t.per_10k, t.doc_share, analysis.comparison.caution.get(g, "")]
                for g, table in analysis.counts.keywords_by_group.items()
                for i, t in enumerate(table.top(cfg.keywords.top_n), 1)
            ],
        ),
        Table(
            "side_by_side",
            "Top keywords side by side (occurrences per 10,000 tokens)",
            ["rank", *[c for g in groups for c in (g, f"{g} per_10k")]],
            _side_by_side(analysis, cfg.keywords.top_n),
        ),
        Table(
            "frequencies",
            "Every term: frequency in the corpus and in each group",
            ["term", "freq", "df", "per_10k", "doc_share", *[f"{g} freq" for g in groups]],
            _all_frequencies(analysis),
        ),
        links_table(analysis.networks.links, analysis.networks.graphs["all"].graph),
        *network_tables(analysis.networks, readable_density=cfg.network.readable_density),
        Table(
            "distinctive_terms",
            "Terms most distinctive of each group against the others (weighted log-odds z; G², BH q, log ratio, DP), "
            "by z (ties: term)",
            ["group", "rank", *_KEYNESS, "caution"],
            [
                [t.group, i, *[getattr(t, c) for c in _KEYNESS], analysis.comparison.caution.get(t.group, "")]
                for terms in analysis.comparison.distinctive.values()
                for i, t in enumerate(terms, 1)
            ],
        ),
        Table(
            "pairwise_terms",
            "Terms each group uses more than each other group (ordered pairs; same statistics), by z (ties: term)",
            ["group", "against", "rank", *_KEYNESS, "caution"],
            [
                [
                    a,
                    b,
                    i,
                    *[getattr(t, c) for c in _KEYNESS],
                    "; ".join(filter(None, (analysis.comparison.caution.get(a), analysis.comparison.caution.get(b)))),
                ]
                for (a, b), terms in analysis.comparison.pairwise.items()
                for i, t in enumerate(terms, 1)
            ],
        ),
    ]
    tables.append(
        Table(
            "group_similarity",
            "How alike the groups are: cosine of TF-IDF profiles (1 = same), Jensen–Shannon divergence of topic shares (0 = same)",
            ["group", "other", "tfidf_cosine", "topic_js"],
            [
                [a, b, v["tfidf_cosine"], v.get("topic_js", "")]
                for (a, b), v in sorted(analysis.comparison.similarity.items())
            ],
        )
    )
    if analysis.reading.unselected:
        tables.append(
            Table(
                "selection",
                f"Documents corpus.select left out ({analysis.config.corpus.select_mode} of the rules), with the rules they failed",
                ["id", "failed_rules"],
                [[doc_id, "; ".join(rules)] for doc_id, rules in sorted(analysis.reading.unselected.items())],
            )
        )
    tables.append(
        Table(
            "robustness",
            "Do the top lists hinge on a setting? Overlap with the baseline's top list, and Spearman's rho over both",
            ["group", "list", "variant", "overlap", "spearman", "caution"],
            [
                [r.group, r.list, r.variant, r.overlap, r.spearman, analysis.comparison.caution.get(r.group, "")]
                for r in analysis.comparison.robustness
            ],
        )
    )
    tables.append(change_table(analysis.comparison.change, analysis.config.compare.min_documents))
    tables += _dimension_tables(analysis)
    tables += _vocabulary_tables(analysis)
    if analysis.topics is not None:
        from .topic_outputs import topic_tables

        tables += topic_tables(
            analysis.topics, analysed_documents(analysis), analysis.comparison.caution, analysis.config.topics
        )
    return tables


def version_table(analysis: "Analysis") -> Table:
    """Every version of each policy found in two or more, with its date and whether it was analysed."""
    titles = {
        r.document.id: r.document.meta.get("title", "") for r in [*analysis.reading.read, *analysis.reading.dropped]
    }
    analysed = {r.document.id for r in analysis.reading.read}
    return Table(
        "versions",
        f"Versions of one policy (same normalised title or similar text); corpus.versions = {analysis.config.corpus.versions}",
        ["policy", "document", "date", "title", "analysed", "basis"],
        [
            [number, member, date, titles.get(member, ""), "yes" if member in analysed else "no", cluster.basis]
            for number, cluster in enumerate(analysis.reading.versions, 1)
            for member, date in zip(cluster.members, cluster.dates, strict=True)
        ],
    )


def drafting_table(analysis: "Analysis") -> Table:
    """The drafting vocabulary found: frequency, documents, and the rule that listed each term."""
    k = analysis.config.keywords
    how = (
        "reported apart, not counted in keywords, networks, topics or comparisons" if k.drafting == "apart" else "kept"
    )
    return Table(
        "drafting_terms",
        f"Drafting vocabulary (keywords.drafting = {k.drafting}: {how}); most frequent first",
        ["term", "freq", "df", "doc_share", "share_of_tokens", "rule"],
        [
            [t.term, t.freq, t.df, t.doc_share, round(t.freq / analysis.counts.drafting.tokens, 6), t.rule]
            for t in analysis.counts.drafting.terms
        ],
    )


def analysed_documents(analysis: "Analysis") -> dict[str, "TokenizedDocument"]:
    """Each analysed document (its group, year and title) by id."""
    return {d.id: d for d in analysis.text.tokenized}


_KEYNESS = [
    "term",
    "count",
    "rest_count",
    "per_10k",
    "rest_per_10k",
    "log_odds",
    "z",
    "g2",
    "p",
    "q",
    "chi2",
    "log_ratio",
    "dispersion",
    "doc_share",
    "doc_p",
    "doc_q",
    "log_ratio_low",
    "log_ratio_high",
    "documents",
    "top_share",
    "top_document",
]


def change_table(changes: list["Change"], min_documents: int) -> Table:
    """Terms rising and falling between consecutive periods, with counts on both sides; z and log
    ratio are signed later against earlier, so falling terms have negative ones."""
    rows = []
    for (group, earlier, later, direction), items in itertools.groupby(
        changes, key=lambda c: (c.group, c.earlier, c.later, c.direction)
    ):
        for rank, c in enumerate(items, 1):
            t, sign = c.term, 1 if direction == "rising" else -1
            counts = (t.rest_count, t.count) if sign == 1 else (t.count, t.rest_count)
            per_10k = (t.rest_per_10k, t.per_10k) if sign == 1 else (t.per_10k, t.rest_per_10k)
            rows.append(
                [group, earlier, later, direction, rank, t.term, *counts, *per_10k]
                + [sign * t.z, t.g2, t.q, sign * t.log_ratio, *c.documents, c.caution(min_documents)]
            )
    return Table(
        "change_terms",
        "Terms rising and falling between consecutive periods (corpus.periods), per group: weighted log-odds z of the later period against the earlier",
        ["group", "earlier", "later", "direction", "rank", "term", "count_earlier", "count_later"]
        + ["per_10k_earlier", "per_10k_later", "z", "g2", "q", "log_ratio", "documents_earlier", "documents_later"]
        + ["caution"],
        rows,
    )


def links_table(links: list["StrongestLink"], info: dict[str, Any]) -> Table:
    """The reference study's table — keyword, frequency, strongest associated keyword and the count —
    with the strongest partner by the network's association measure beside it."""
    measure = info.get("measure", "count")
    return Table(
        "strongest_links",
        f"Keyword | frequency | strongest associated keyword by co-occurrence count ({info.get('unit', '')}s shared) "
        f"and by {measure}; ties: the more frequent partner, then by term",
        ["keyword", "freq", "strongest_associated_keyword", "weight", f"strongest_by_{measure}", measure],
        [
            [
                x.keyword,
                x.freq,
                x.partner or "",
                x.weight,
                x.associated or "",
                "" if x.association is None else x.association,
            ]
            for x in links
        ],
    )


def structure_verdict(info: dict[str, Any], readable_density: float) -> str:
    """What a network's densities and modularity against its null allow a reader to say, in one line."""
    parts = []
    if info.get("density", 0) > readable_density:
        parts.append(f"too dense to read whole ({info['density']:.0%} of pairs linked); read the backbone")
    if info.get("backbone_density", 0) > readable_density:
        parts.append(f"backbone too dense to read ({info['backbone_density']:.0%} of pairs linked)")
    p = info.get("modularity_p", "")
    if p == "":
        parts.append("modularity not compared with a null (network.null_draws = 0)")
        return "; ".join(parts)
    q, mean, sd, draws = (
        info["modularity"],
        info["null_modularity_mean"],
        info["null_modularity_sd"],
        info["null_draws"],
    )
    against = f"Q {q:.3f} vs {mean:.3f} ± {sd:.3f} in {draws} rewirings"
    if sd > 0:
        against += f", z = {(q - mean) / sd:.1f}"
    none_as_high = round(p * (1 + draws)) == 1
    against += f", p = {p:.2g}" + (f" (none of the {draws} as high)" if none_as_high else "")
    beyond = p < 0.05 and q > mean
    parts.append(f"communities {'beyond' if beyond else 'not beyond'} chance ({against})")
    return "; ".join(parts)


def network_tables(networks: "Networks", *, readable_density: float) -> list[Table]:
    """Edges with every measure, nodes with every measure, communities, and each network's structure
    against its null, for the corpus and each group."""
    graphs = networks.graphs
    measures = list(MEASURES)
    edges = [
        [name, u, v, *[graph.edges[u, v].get(m, "") for m in [*measures, "disparity", "backbone"]]]
        for name, graph in graphs.items()
        for u, v, _ in edge_rows(graph)
    ]
    node_columns = ["freq", "units", *NODE_MEASURES]
    nodes = [
        [name, node, *[graph.nodes[node][c] for c in node_columns]]
        for name, graph in graphs.items()
        for node in sorted(graph.nodes, key=lambda n: (-graph.nodes[n]["freq"], n))
    ]
    communities = []
    for name, graph in graphs.items():
        members: dict[int, list[str]] = {}
        for node in sorted(graph.nodes, key=lambda n: (-graph.nodes[n]["freq"], n)):
            members.setdefault(graph.nodes[node]["community"], []).append(node)
        communities += [
            [name, number, len(m), graph.graph["modularity"], "、".join(m[:10])]
            for number, m in sorted(members.items())
            if number  # 0: the keywords the group never uses, in no community
        ]
    unit = graphs["all"].graph
    how = f"unit {unit['unit']}, {unit['counting']} counting, weight = {unit['measure']}"
    spine = {
        "disparity": f"disparity filter, alpha {unit['alpha']}",
        "top_k": f"each node's {unit['top_k']} strongest links",
        "none": "every link",
    }[unit["backbone"]]
    structure = [
        [
            name,
            sum(1 for _, occurs in graph.nodes(data="occurs", default=True) if occurs),
            graph.number_of_edges(),
            info["density"],
            info["backbone_edges"],
            info["backbone_density"],
            info["communities"],
            info["modularity"],
            info["null_modularity_mean"],
            info["null_modularity_sd"],
            info["modularity_p"],
            structure_verdict(info, readable_density),
        ]
        for name, graph in graphs.items()
        for info in [graph.graph]
    ]
    return [
        Table(
            "network_edges",
            f"Co-word network edges ({how}; min count {unit['min_weight']}; backbone: {spine}; backbone = 1 marks its links)",
            ["group", "source", "target", *measures, "disparity", "backbone"],
            edges,
        ),
        Table(
            "network_nodes",
            "Network nodes: frequency, units, centralities, community",
            ["group", "keyword", *node_columns],
            nodes,
        ),
        Table(
            "network_structure",
            f"Each network's density, its backbone ({spine}) and its communities' modularity against "
            f"{unit['null_draws']} degree-preserving randomisations (p = (1 + #null Q >= Q) / (1 + draws)); "
            f"a network linking more than {readable_density:.0%} of its pairs is too dense to read",
            [
                "group",
                "keywords",
                "links",
                "density",
                "backbone_links",
                "backbone_density",
                "communities",
                "modularity",
                "null_modularity_mean",
                "null_modularity_sd",
                "modularity_p",
                "reading",
            ],
            structure,
        ),
        Table(
            "communities",
            f"Communities (Louvain on the backbone weighted by {unit['measure']}, seeded): size, modularity, top members",
            ["group", "community", "size", "modularity", "top_members"],
            communities,
        ),
    ]


def _dimension_tables(analysis: "Analysis") -> list[Table]:
    """Each group's score on every dimension, and each document's tags with their terms."""
    documents = analysed_documents(analysis)
    position = {(scheme.name, d): i for scheme in analysis.comparison.schemes for i, d in enumerate(scheme.dimensions)}
    return [
        Table(
            "dimension_scores",
            "Policy dimensions per group: hits per 10,000 tokens and share of documents tagged",
            ["scheme", "dimension", "group", "hits", "tokens", "per_10k", "documents", "doc_share", "caution"],
            [
                [
                    s.scheme,
                    s.dimension,
                    s.group,
                    s.hits,
                    s.tokens,
                    s.per_10k,
                    s.documents,
                    s.doc_share,
                    analysis.comparison.caution.get(s.group, ""),
                ]
                for s in sorted(
                    analysis.comparison.group_scores,
                    key=lambda s: (s.scheme, position[(s.scheme, s.dimension)], s.group),
                )
            ],
        ),
        Table(
            "document_tags",
            "Dimension tags of each document (a platform can load this): score and matched terms",
            ["id", "group", "year", "title", "scheme", "dimension", "hits", "per_10k", "matched_terms"],
            [
                [
                    s.doc_id,
                    s.group,
                    documents[s.doc_id].year,
                    documents[s.doc_id].title,
                    s.scheme,
                    s.dimension,
                    s.hits,
                    s.per_10k,
                    "、".join(f"{t}×{n}" for t, n in s.matched),
                ]
                for s in analysis.comparison.document_scores
                if s.tagged
            ],
        ),
    ]


def _vocabulary_tables(analysis: "Analysis") -> list[Table]:
    report = analysis.text.dictionary
    rows = []
    if report is not None:
        rows = [[word, "fixed", f"frequency raised to {freq} so that it stays whole"] for word, freq in report.fixed]
        rows += [[word, "failed", reason] for word, reason in report.failed]
    return [
        Table(
            "synonym_merges",
            "Synonym merges applied: variant → canonical, and how often",
            ["variant", "canonical", "count"],
            [[v, c, n] for (v, c), n in sorted(analysis.text.merges.items(), key=lambda kv: (-kv[1], kv[0]))],
        ),
        Table(
            "synonym_candidates",
            "Possible synonyms to review: same head, alike sentence contexts (PPMI cosine)",
            ["term", "other", "head", "cosine", "freq", "other_freq"],
            [[c.term, c.other, c.head, c.cosine, c.freq, c.other_freq] for c in analysis.text.synonym_candidates],
        ),
        Table(
            "dictionary_self_test",
            "User-dictionary entries that did not segment whole by themselves",
            ["entry", "outcome", "detail"],
            rows,
        ),
    ]


def extraction_tables(
    read: list["ReadDocument"],
    skipped: list["Skipped"],
    duplicates: list["DuplicateCluster"],
    dropped: list["ReadDocument"],
    *,
    timing: bool,
) -> list[Table]:
    """How each file was read, which were skipped and why, and the duplicate clusters. With ``timing``,
    the extraction table also says how long each file took and whether it came from the cache."""
    duplicate_of = {d: c.kept for c in duplicates for d in c.dropped}
    every = sorted([*read, *dropped], key=lambda r: r.document.id)
    timed = ["seconds", "cached"] if timing else []
    return [
        Table(
            "extraction",
            "How each file was read: pages, flags, repairs",
            [
                "id",
                "file",
                "format",
                "pages",
                "characters",
                "encoding",
                "ocr_pages",
                "flags",
                "repairs",
                "furniture_lines",
                "duplicate_of",
                *timed,
            ],
            [
                [
                    r.document.id,
                    r.document.file,
                    r.extracted.format,
                    r.extracted.pages,
                    len(r.text),
                    r.extracted.encoding,
                    r.extracted.ocr_pages,
                    "; ".join(r.extracted.flags),
                    "; ".join(f"{k}={v}" for k, v in sorted(r.extracted.repairs.items())),
                    len(r.extracted.dropped_lines) + r.furniture_removed,
                    duplicate_of.get(r.document.id, ""),
                    *([r.seconds, r.cached] if timing else []),
                ]
                for r in every
            ],
        ),
        Table("skipped", "Files skipped, with the reason", ["file", "reason"], [[s.path, s.reason] for s in skipped]),
        Table(
            "duplicates",
            "Duplicate documents: each cluster counted once, as its first document (kept)",
            ["kept", "duplicate", "kind", "similarity"],
            [[c.kept, d, c.kind, c.similarity] for c in duplicates for d in c.dropped],
        ),
    ]


def write_tables(folder: Path, tables: list[Table]) -> None:
    """Each table as ``tables/<name>.csv``, and all of them as the sheets of ``report.xlsx``."""
    for table in tables:
        write_csv(folder / "tables" / f"{table.name}.csv", table.header, table.rows, atomic=False)
    write_xlsx(folder / "report.xlsx", {t.name: (t.header, t.rows) for t in tables})


def write_texts(folder: Path, read: list["ReadDocument"]) -> None:
    """Each document's clean text, the text every count was made from, as the JSON Lines shards of
    :mod:`textmine.output.text_shards`, one text read from the spool at a time."""
    write_text_shards(folder, (text_record(r) for r in read))


def _side_by_side(analysis: "Analysis", n: int) -> list[list[Any]]:
    tops = [table.top(n) for table in analysis.counts.keywords_by_group.values()]
    rows = []
    for i in range(max(map(len, tops), default=0)):
        row: list[Any] = [i + 1]
        for top in tops:
            row += [top[i].term, top[i].per_10k] if i < len(top) else ["", ""]
        rows.append(row)
    return rows


def _all_frequencies(analysis: "Analysis") -> list[list[Any]]:
    per_group = {g: {t.term: t.freq for t in table.terms} for g, table in analysis.counts.keywords_by_group.items()}
    return [
        [t.term, t.freq, t.df, t.per_10k, t.doc_share, *[per_group[g].get(t.term, 0) for g in per_group]]
        for t in analysis.counts.keywords.terms
    ]


def debug_log(read: list["ReadDocument"], skipped: list["Skipped"]) -> str:
    """What the parsers said, file by file: the library's words behind each skip reason, and the
    warnings they gave on files that were read. Kept off the terminal; here for a bug report."""
    lines = ["# textmine debug log: what the file parsers said, per file", ""]
    for s in skipped:
        if s.detail:
            lines += [f"{s.path}: skipped: {s.reason}", f"    {s.detail}"]
    for r in sorted(read, key=lambda r: r.document.file):
        lines += [f"{r.document.file}: {m}" for m in r.extracted.library_messages]
    if len(lines) == 2:
        lines.append("(nothing)")
    return "\n".join(lines) + "\n"


def write_run(analysis: "Analysis", output: str | Path, *, started: float | None = None) -> Run:
    """Write every output of ``analysis`` into the folder ``output``, swapping the folder in at the
    end. The writing is timed beside the analysis's stages; the run's total counts from ``started``
    (a :func:`time.perf_counter` reading; default: as long before now as the analysis's stages took)."""
    output = Path(output)
    stages = Stages(progress=analysis.config.run.progress)
    stages.seconds.update(analysis.timings)
    stages.peak_mb.update(analysis.memory)
    if started is None:
        started = time.perf_counter() - sum(analysis.timings.values())
    timings: dict[str, float] = {}

    def build(staging: Path) -> None:
        tables = build_tables(analysis)
        files = StepCache(cache_dir()) if analysis.config.run.cache else None
        with stages.stage("write", total=len(tables) + 6, unit="file") as advance:
            seed = analysis.config.run.seed
            positions = corpus_layout(analysis.networks, seed=seed, cache=files)
            # the charts are drawn in worker processes while this thread writes the rest
            with concurrent.futures.ThreadPoolExecutor(max_workers=1) as background:
                drawing = background.submit(
                    chart_jobs.draw_all,
                    chart_list(analysis, positions),
                    staging / "charts",
                    svg=analysis.config.report.svg,
                    workers=analysis.config.run.workers or os.cpu_count() or 1,
                    cache=files,
                )
                write_networks(staging / "network", analysis.networks, seed=seed, positions=positions, cache=files)
                advance(1)
                content = [(t.name, t.header, t.rows) for t in tables]
                reuse(files, ("tables", content), staging, lambda f: write_tables(f, tables))
                advance(len(tables) + 1)
                write_texts(staging / "texts", [*analysis.reading.read, *analysis.reading.dropped])
                write_text(
                    staging / "debug.log",
                    debug_log([*analysis.reading.read, *analysis.reading.dropped], analysis.reading.skipped),
                )
                advance(1)
                write_jsonl(staging / "tokens.jsonl", token_lines(analysis.text.tokenized))
                advance(1)
                if analysis.topics is not None:
                    from .topic_outputs import write_topic_views

                    lam = analysis.config.topics.relevance_lambda
                    reuse(
                        files,
                        ("topic views", analysis.topics, lam),
                        staging,
                        lambda f: write_topic_views(f, analysis.topics, lam=lam),
                    )
                pictures = drawing.result()
            advance(1)
            write_text(staging / "report.html", render_html(analysis, tables, pictures))
            write_text(staging / "report.md", render_markdown(analysis, tables))
            advance(1)
        timings.update({**stages.seconds, "total": round(time.perf_counter() - started, 3)})
        write_json(staging / "run.json", build_record(analysis, _hashes(staging), timings, stages.peak_mb))

    publish(output, build)
    files = sorted(p for p in output.rglob("*") if p.is_file())
    return Run(analysis, output, files, timings, dict(stages.peak_mb))


def write_extraction(
    final: Path,
    config: "Config",
    corpus: "Corpus",
    read: list["ReadDocument"],
    skipped: list["Skipped"],
    duplicates: list["DuplicateCluster"],
    timings: dict[str, float],
) -> None:
    """``textmine extract``'s outputs: texts/, tables (extraction, skipped, duplicates, documents), run.json."""

    def build(staging: Path) -> None:
        write_texts(staging / "texts", read)
        write_text(staging / "debug.log", debug_log(read, skipped))
        documents = Table(
            "documents",
            "Documents read, with the metadata found",
            ["id", "group", "year", "year_source", "title", "doc_number", "issuer", "issued", "in_force", "file"],
            [
                [
                    r.document.id,
                    r.document.group,
                    r.document.year,
                    r.document.year_source,
                    *[r.document.meta.get(k, "") for k in ("title", "doc_number", "issuer", "issued", "in_force")],
                    r.document.file,
                ]
                for r in read
            ],
        )
        for table in [documents, *extraction_tables(read, skipped, duplicates, [], timing=True)]:
            write_csv(staging / f"{table.name}.csv", table.header, table.rows)
        write_json(
            staging / "run.json",
            extraction_record(config, corpus, read, skipped, duplicates, _hashes(staging), timings),
        )

    publish(final, build)


def publish(final: Path, build: Callable[[Path], None]) -> None:
    """Build an output folder beside ``final`` and swap it in only when complete."""
    _check_destination(final)
    _remove_stale(final)
    staging = final.parent / f".{final.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        build(staging)
        _swap_in(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_stale(final: Path) -> None:
    """Remove the staging and swap folders that runs killed before they could clean up (kill -9, a
    power cut) left beside ``final``: those whose process is gone."""
    if not final.parent.is_dir():
        return
    for path in final.parent.glob(f".{glob.escape(final.name)}.*-*"):
        kind, _, pid = path.name.removeprefix(f".{final.name}.").rpartition("-")
        if kind in ("partial", "old") and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _check_destination(final: Path) -> None:
    if final.exists() and (not final.is_dir() or (any(final.iterdir()) and not (final / "run.json").is_file())):
        raise TextmineError(
            f"{final}: exists and is not a textmine output folder (no run.json); choose another output folder"
        )


def _swap_in(staging: Path, final: Path) -> None:
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)


def safe_name(name: str, limit: int = 80) -> str:
    """A file name from a group name: path and shell characters replaced, long names cut by bytes with a hash."""
    clean = re.sub(r'[\x00-\x1f/\\:*?"<>|]', "_", name).strip(" .") or "_"
    if len(clean.encode("utf-8")) <= limit:
        return clean
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    cut = clean.encode("utf-8")[: limit - 9].decode("utf-8", errors="ignore")
    return f"{cut}-{digest}"


def file_names(names: list[str]) -> dict[str, str]:
    """A distinct file name for each of ``names`` (group names, document ids): :func:`safe_name`, and
    where two would collide — names that differ only in characters a file name cannot hold, or only
    in case, which macOS and Windows do not tell apart — a digest of the name added."""
    taken: dict[str, int] = {}
    for name in names:
        key = safe_name(name).casefold()
        taken[key] = taken.get(key, 0) + 1
    out = {}
    for name in names:
        plain = safe_name(name)
        if taken[plain.casefold()] > 1:
            plain = safe_name(f"{name}-{hashlib.sha256(name.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}")
        out[name] = plain
    return out


def _band_file(band: str) -> str:
    """A year band as a file name: "≤2017" → "until_2017", "≥2022" → "2022_on", "2018-2021" as it is."""
    if band.startswith("≤"):
        return safe_name(f"until_{band[1:]}")
    if band.startswith("≥"):
        return safe_name(f"{band[1:]}_on")
    return safe_name(band)


def write_networks(
    folder: Path,
    networks: "Networks",
    *,
    seed: int,
    positions: dict[str, tuple[float, float]],
    cache: StepCache | None = None,
) -> None:
    """Every network in every format, the corpus network laid out by ``positions`` (which its
    pictures share); the comparison graphs as GEXF, GraphML and CSVs. With ``cache``, a network
    exported before (the same graph, counts and seed) is copied from there."""

    def export(where: Path, graph: Any, co: Any, prefix: str = "", layout: Any = None) -> None:
        reuse(
            cache,
            ("network", graph, co, seed, prefix),
            where,
            lambda f: network_export.write_all(f, graph, co, seed=seed, prefix=prefix, positions=layout),
        )

    export(folder, networks.graphs["all"], networks.cooccurrences["all"], layout=positions)
    groups = networks.of("group")
    names = file_names(list(groups))
    for group in groups:
        export(folder / "groups", networks.graphs[group], networks.cooccurrences[group], names[group])
    for name, graph in networks.of("period").items():
        export(folder / "periods", graph, networks.cooccurrences[name], _band_file(name.removeprefix("period ")))

    def comparisons(where: Path) -> None:
        if networks.period_comparison is not None:
            network_export.write_gexf(where / "periods_comparison.gexf", networks.period_comparison)
            network_export.write_gephi_csv(where, networks.period_comparison, prefix="periods_comparison_")
        comparison = networks.comparison
        network_export.write_gexf(where / "comparison.gexf", comparison)
        network_export.write_graphml(where / "comparison.graphml", comparison)
        network_export.write_gephi_csv(where, comparison, prefix="comparison_")

    reuse(cache, ("comparison", networks.comparison, networks.period_comparison), folder, comparisons)


def corpus_layout(networks: "Networks", *, seed: int, cache: StepCache | None = None) -> dict[str, tuple[float, float]]:
    """The corpus network's layout (:func:`network_export.layout`), from ``cache`` when the same
    graph and seed laid it out before."""
    graph = networks.graphs["all"]
    key = cache.key("layout", graph, seed) if cache is not None else None
    hit = cache.get(key) if key is not None else None
    if hit is not None:
        return hit[1]
    positions = network_export.layout(graph, seed=seed)
    if key is not None:
        cache.put(key, {}, positions)
    return positions


def chart_list(analysis: "Analysis", positions: dict[str, tuple[float, float]]) -> list[chart_jobs.Chart]:
    """Every chart of a run. Every network picture uses the corpus network's layout, so a keyword
    stands in the same place in each."""
    cfg = analysis.config
    how = f"{cfg.network.unit}, {cfg.network.measure}"
    found = [
        chart_jobs.Chart(
            "keywords_by_group",
            "keyword_bars",
            (analysis.counts.keywords_by_group,),
            {
                "top_n": cfg.report.chart_top_n,
                "title": "各组高频关键词 Top keywords by group",
                "flagged": tuple(sorted(analysis.comparison.caution)),
            },
            embed="keywords_by_group",
        ),
        chart_jobs.Chart(
            "network",
            "network_picture",
            (analysis.networks.graphs["all"], positions),
            {"title": f"共词网络 Co-word network (top {cfg.network.top_n}; {how})"},
            embed="network",
        ),
    ]
    names = file_names(list(analysis.networks.of("group")))
    for group, graph in analysis.networks.of("group").items():
        found.append(
            chart_jobs.Chart(
                f"network_{names[group]}",
                "network_picture",
                (graph, positions),
                {"title": f"{group} 共词网络 Co-word network ({how})"},
            )
        )
    periods = analysis.networks.of("period")
    panels = (
        ("network_periods", periods, "各时期共词网络 Co-word networks by period", bool(periods)),
        (
            "network_panel",
            analysis.networks.of("group"),
            "各组共词网络 Co-word networks by group",
            len(analysis.networks.of("group")) > 1,
        ),
    )
    for stem, graphs, title, drawn in panels:
        if drawn:
            found.append(
                chart_jobs.Chart(stem, "network_panel", (graphs, positions), {"title": f"{title} ({how})"}, embed=stem)
            )
    if analysis.topics is not None:
        from .topic_outputs import topic_charts

        marked = {g: _marked(g, analysis) for g in analysis.counts.keywords_by_group}
        found.extend(topic_charts(analysis.topics, analysed_documents(analysis), marked))
    per_10k = {(s.group, s.scheme, s.dimension): s.per_10k for s in analysis.comparison.group_scores}
    for number, scheme in enumerate(analysis.comparison.schemes, 1):
        values = {
            _marked(g, analysis): np.array([per_10k[(g, scheme.name, d)] for d in scheme.dimensions])
            for g in analysis.counts.keywords_by_group
        }
        found.append(
            chart_jobs.Chart(
                f"dimensions_{number}",
                "heatmap",
                (values, list(scheme.dimensions)),
                {"title": f"{scheme.name}：每万词命中 hits per 10,000 tokens", "fmt": "{:.1f}"},
                embed=f"dimensions_{number}",
            )
        )
    return found


def _marked(group: str, analysis: "Analysis") -> str:
    """A group's name as charts show it: small samples marked."""
    return f"{group}{SMALL_SAMPLE}" if group in analysis.comparison.caution else group


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
