"""The topic models' tables, charts and interactive views. LDA's tables are ``topic_*``, NMF's
``nmf_topic_*``; topics are numbered T1…TK the same way in every table, chart and view."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import jinja2
import numpy as np

from ..analysis.compare import jensen_shannon
from ..workflow.libraries import library_versions
from ..writers import write_text
from . import chart_jobs
from .table import Table

if TYPE_CHECKING:
    from ..analysis.counting import TokenizedDocument
    from ..analysis.topics import TopicModel
    from ..config import TopicsConfig
    from ..workflow.topic_stage import Topics


def prefix(model: "TopicModel") -> str:
    return "topic_" if model.kind == "lda" else "nmf_topic_"


def topic_tables(
    topics: "Topics", documents: Mapping[str, "TokenizedDocument"], caution: dict[str, str], settings: "TopicsConfig"
) -> list[Table]:
    """Every topic table; ``documents``, each document by id (its group, year and title)."""
    s = topics.selection
    tables = [
        Table(
            "topic_selection",
            f"Choosing K: scores per number of topics, mean and sd over seeds; chosen K = {s.chosen} ({s.rule})",
            [
                "k",
                "c_npmi",
                "c_npmi_sd",
                "c_v",
                "c_v_sd",
                "u_mass",
                "u_mass_sd",
                "perplexity",
                "perplexity_sd",
                "stability",
                "stability_min",
                "chosen",
            ],
            [
                [
                    x.k,
                    x.c_npmi,
                    x.c_npmi_sd,
                    x.c_v,
                    x.c_v_sd,
                    x.u_mass,
                    x.u_mass_sd,
                    x.perplexity,
                    x.perplexity_sd,
                    x.stability,
                    x.stability_min,
                    "yes" if x.k == s.chosen else "",
                ]
                for x in s.scores
            ],
        ),
        Table(
            "topic_fits",
            "Every LDA fit of the K sweep (90 % of the documents; every tenth held out for perplexity)",
            ["k", "seed", "c_npmi", "c_v", "u_mass", "perplexity", "top_terms"],
            [
                [f.k, f.seed, f.c_npmi, f.c_v, f.u_mass, round(f.perplexity, 4), " ".join(f.top_terms[0])]
                for f in s.fits
            ],
        ),
    ]
    if topics.published:
        published = topics.published
        tables.append(
            Table(
                "topic_coherence",
                "The published LDA model's own coherence per topic (top 10 terms by probability, as the sweep scores its fits)",
                ["topic", "label", "c_npmi", "c_v"],
                [
                    [f"T{t + 1}", topics.lda.label(t), published["c_npmi"][t], published["c_v"][t]]
                    for t in range(topics.lda.k)
                ],
            )
        )
    for model in topics.models:
        tables += _model_tables(model, documents, caution, settings)
    if topics.nmf is not None:
        tables.append(alignment_table(topics.lda, topics.nmf))
    return tables


def _model_tables(
    model: "TopicModel", documents: Mapping[str, "TokenizedDocument"], caution: dict[str, str], settings: "TopicsConfig"
) -> list[Table]:
    top_terms, lam, representative = settings.top_terms, settings.relevance_lambda, settings.representative
    p, name = prefix(model), model.kind.upper()
    ids = [f"T{t + 1}" for t in range(model.k)]
    labels = [model.label(t) for t in range(model.k)]
    lift = np.log(model.phi / (model.term_freq / model.term_freq.sum()))
    index = {term: i for i, term in enumerate(model.vocab)}
    terms = Table(
        f"{p}terms",
        f"{name} topics (K = {model.k}, seed {model.seed}): top {top_terms} terms by relevance at λ = {lam}, with probability and log lift",
        ["topic", "label", "rank", "term", "probability", "relevance", "log_lift"],
        [
            [ids[t], labels[t], r, term, round(prob, 6), round(rel, 4), round(float(lift[t, index[term]]), 4)]
            for t in range(model.k)
            for r, (term, prob, rel) in enumerate(model.top_terms(t, top_terms, lam), 1)
        ],
    )
    rows = []
    for t in range(model.k):
        order = sorted(range(len(model.doc_ids)), key=lambda i: (-model.doc_topics[i, t], model.doc_ids[i]))[
            :representative
        ]
        for r, i in enumerate(order, 1):
            d = documents[model.doc_ids[i]]
            rows.append([ids[t], labels[t], r, d.id, d.group, d.year, d.title, round(float(model.doc_topics[i, t]), 4)])
    representatives = Table(
        f"{p}documents",
        f"{name}: the {representative} documents with each topic's highest share",
        ["topic", "label", "rank", "id", "group", "year", "title", "share"],
        rows,
    )
    groups = {d: documents[d].group for d in model.doc_ids}
    shares = model.shares(groups)
    counts = Counter(groups.values())
    by_group = Table(
        f"{p}shares",
        f"{name}: each group's share of each topic (mean document–topic distribution; rows sum to 1)",
        ["group", "documents", *ids, "caution"],
        [[g, counts[g], *[round(float(x), 6) for x in v], caution.get(g, "")] for g, v in shares.items()],
    )
    years = {d: documents[d].year for d in model.doc_ids}
    documents_per_year = Counter(years.values())
    by_year = Table(
        f"{p}years",
        f"{name}: topic shares per year (mean over the year's documents)",
        ["year", "documents", *ids],
        [[year, documents_per_year[year], *[round(float(x), 6) for x in v]] for year, v in model.shares(years).items()],
    )
    matrix = Table(
        f"{p}document_topics" if model.kind == "lda" else "nmf_document_topics",
        f"{name}: document–topic distribution",
        ["id", "group", "year", *ids],
        [
            [d, documents[d].group, documents[d].year, *[round(float(x), 6) for x in row]]
            for d, row in zip(model.doc_ids, model.doc_topics, strict=True)
        ],
    )
    if model.kind == "lda":
        matrix = Table("document_topics", matrix.title, matrix.header, matrix.rows)
    return [terms, representatives, by_group, by_year, matrix]


def alignment_table(lda: "TopicModel", nmf: "TopicModel") -> Table:
    """LDA's topics matched one to one with NMF's (Hungarian, on top-10 term overlap), with the overlap
    and the correlation of their document shares: do the two models find the same topics?"""
    from scipy.optimize import linear_sum_assignment  # 0.3 s to import, so only here

    tops = {
        (kind, t): {term for term, _, _ in model.top_terms(t, 10)}
        for kind, model in (("lda", lda), ("nmf", nmf))
        for t in range(model.k)
    }
    overlap = np.array(
        [
            [len(tops["lda", a] & tops["nmf", b]) / len(tops["lda", a] | tops["nmf", b]) for b in range(nmf.k)]
            for a in range(lda.k)
        ]
    )
    rows, cols = linear_sum_assignment(-overlap)
    common = [nmf.doc_ids.index(d) for d in lda.doc_ids]
    result = []
    for a, b in zip(rows, cols, strict=True):
        x, y = lda.doc_topics[:, a], nmf.doc_topics[common, b]
        r = float(np.corrcoef(x, y)[0, 1]) if x.std() and y.std() else 0.0
        result.append(
            [f"T{a + 1}", lda.label(a), f"T{b + 1}", nmf.label(b), round(float(overlap[a, b]), 4), round(r, 4)]
        )
    return Table(
        "topic_alignment",
        "LDA topics matched to NMF topics: Jaccard overlap of their top 10 terms and correlation of their document shares",
        ["lda_topic", "lda_label", "nmf_topic", "nmf_label", "top10_jaccard", "document_share_r"],
        result,
    )


def topic_charts(
    topics: "Topics", documents: Mapping[str, "TokenizedDocument"], marked: dict[str, str]
) -> list[chart_jobs.Chart]:
    """The sweep chart and, per model, a group × topic and a year × topic heatmap."""
    s = topics.selection
    found = [
        chart_jobs.Chart(
            "topic_selection",
            "topic_selection",
            (s.scores, s.chosen),
            {"title": "主题数选择 Choosing the number of topics"},
            embed="topic_selection",
        )
    ]
    for model in topics.models:
        p, name = prefix(model), model.kind.upper()
        labels = [f"T{t + 1} {model.label(t, 2)}" for t in range(model.k)]
        shares = model.shares({d: documents[d].group for d in model.doc_ids})
        found.append(
            chart_jobs.Chart(
                f"{p}shares",
                "heatmap",
                ({marked.get(g, g): v for g, v in shares.items()}, labels),
                {"title": f"各组主题占比 Topic shares by group ({name})"},
                embed=f"{p}shares",
            )
        )
        by_year = {str(y): v for y, v in model.shares({d: documents[d].year for d in model.doc_ids}).items()}
        if by_year:
            found.append(
                chart_jobs.Chart(
                    f"{p}years",
                    "heatmap",
                    (by_year, labels),
                    {"title": f"各年份主题占比 Topic shares by year ({name})"},
                    embed=f"{p}years",
                )
            )
    return found


def view_data(model: "TopicModel", *, lam: float, n: int = 30) -> dict[str, Any]:
    """What the interactive view needs: topic positions (classical MDS of the Jensen–Shannon
    divergences between topics), sizes, and each topic's candidate terms for any λ."""
    k = model.k
    divergence = np.array([[jensen_shannon(model.phi[a], model.phi[b]) for b in range(k)] for a in range(k)])
    positions = _mds(divergence)
    tokens = model.topic_tokens
    p_w = model.term_freq / model.term_freq.sum()
    relevance = [model.relevance(grid / 10) for grid in range(11)]
    topics = []
    for t in range(k):
        candidates: set[int] = set()
        for grid in range(11):  # λ = 0, 0.1, ..., 1: every term the view can show at some λ
            candidates.update(np.argsort(-relevance[grid][t], kind="stable")[:n].tolist())
        terms = sorted(candidates, key=lambda w: (-model.phi[t, w], model.vocab[w]))
        topics.append(
            {
                "id": f"T{t + 1}",
                "label": model.label(t),
                "x": round(float(positions[t, 0]), 5),
                "y": round(float(positions[t, 1]), 5),
                "share": round(float(tokens[t] / tokens.sum()), 5),
                "terms": [
                    [
                        model.vocab[w],
                        round(float(model.phi[t, w]), 7),
                        round(float(p_w[w]), 7),
                        int(model.term_freq[w]),
                        round(float(model.phi[t, w] * tokens[t]), 1),
                    ]
                    for w in terms
                ],
            }
        )
    return {"kind": model.kind.upper(), "k": k, "lambda": lam, "n": n, "topics": topics}


def _mds(d: np.ndarray) -> np.ndarray:
    """Classical multidimensional scaling to two dimensions (principal coordinates of ``d``)."""
    k = d.shape[0]
    if k < 3:
        return np.column_stack([np.linspace(-1, 1, k), np.zeros(k)])
    j = np.eye(k) - 1 / k
    b = -0.5 * j @ (d**2) @ j
    values, vectors = np.linalg.eigh(b)
    order = np.argsort(values)[::-1][:2]
    coords = vectors[:, order] * np.sqrt(np.maximum(values[order], 0))
    signs = np.where(coords[np.argmax(np.abs(coords), axis=0), range(2)] < 0, -1, 1)  # a fixed orientation
    return coords * signs


def write_topic_views(folder: Path, topics: "Topics", *, lam: float) -> None:
    """``topics.html`` (LDA) and ``nmf_topics.html``: self-contained views in the spirit of LDAvis."""
    environment = jinja2.Environment(loader=jinja2.PackageLoader("textmine", "templates"), autoescape=True)
    template = environment.get_template("topics.html.j2")
    for model in topics.models:
        data = view_data(model, lam=lam)
        title = f"主题模型 Topics ({data['kind']}, K = {model.k})"
        html = template.render(title=title, version=library_versions()["textmine"], data=data)
        write_text(folder / ("topics.html" if model.kind == "lda" else "nmf_topics.html"), html)
