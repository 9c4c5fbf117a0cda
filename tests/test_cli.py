"""The command line end to end, through its real entry point, on a subset of the real corpus."""

from __future__ import annotations

import csv
import itertools
import json
import math
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import openpyxl
import pytest

from textmine.cli import main

from conftest import SUBSET, analysed_tokens, make_corpus

BAD = {"docs/beijing/empty.pdf": b"", "docs/shanghai/portal-page.pdf": b"<!DOCTYPE html><html><body>404</body></html>"}
TITLE = "<script>alert(1)</script> 四城市"


def textmine(*args: str, cache: Path | None = None) -> subprocess.CompletedProcess:
    """The command as a user runs it; with ``cache``, in that cache folder instead of the session's."""
    env = {**os.environ, "TEXTMINE_CACHE": str(cache)} if cache is not None else None
    return subprocess.run(
        [sys.executable, "-m", "textmine", *args], capture_output=True, text=True, timeout=600, env=env
    )


# The subset's groups (3 to 5 documents) are too small for any term to pass the document-level test,
# so its tables list terms by the token-level statistics these tests recount; the document-level
# test is recounted on a larger corpus in test_keyness.py.
RUN_ARGS = ["--topics", "3", "--workers", "2", "--set", f"report.title={json.dumps(TITLE, ensure_ascii=False)}"]
RUN_ARGS += ["--set", "compare.resamples=0"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """A first run from an empty cache of its own, and a second run that takes every stage from that cache."""
    base = tmp_path_factory.mktemp("e2e")
    corpus = make_corpus(base / "corpus", SUBSET, BAD)
    first = textmine("run", str(corpus), "-o", str(base / "out1"), *RUN_ARGS, cache=base / "cache")
    second = textmine("run", str(corpus), "-o", str(base / "out2"), "--quiet", *RUN_ARGS, cache=base / "cache")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    return base / "out1", base / "out2", first


def run_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def tokens(out: Path, *, whole: bool = False) -> list[dict]:
    """The documents as the analysis counts them (drafting vocabulary out), or ``whole`` as segmented."""
    return analysed_tokens(out, whole=whole)


def test_summary_and_run_record(runs):
    out, _, first = runs
    assert "17 found, 15 read, 2 skipped" in first.stdout
    assert "docs/beijing/empty.pdf: empty file (0 bytes)" in first.stdout
    assert (
        "docs/shanghai/portal-page.pdf: not a PDF: the file is an HTML or XML page by its first bytes" in first.stdout
    )
    assert "Traceback" not in first.stderr
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["counts"]["documents_read"] == 15
    assert record["counts"]["formats"] == {"docx": 3, "md": 3, "pdf": 6, "txt": 3}
    assert {s["file"] for s in record["skipped"]} == set(BAD)
    assert record["config"]["topics"]["k"] == 3 and record["seed"] == 42
    assert record["versions"]["jieba"] and record["versions"]["textmine"]
    shipped = {r["file"] for r in record["resources"]}
    assert {
        "textmine:stopwords/general-zh.txt",
        "textmine:data/policy_dict.txt",
        "textmine:data/synonyms.tsv",
    } <= shipped
    for item in record["inputs"]:
        assert len(item["sha256"]) == 64
    assert set(record["timing"]["seconds_per_stage"]) >= {
        "extract",
        "duplicates",
        "segment",
        "topics",
        "write",
        "total",
    }
    # the peak resident memory by the end of each stage: a peak, so it never falls; the summary names it
    peaks = record["timing"]["peak_rss_mb_by_stage"]
    assert list(peaks) == [s for s in record["timing"]["seconds_per_stage"] if s != "total"]
    assert 50 < min(peaks.values()) and list(peaks.values()) == sorted(peaks.values())
    assert re.search(
        rf"  memory     peak {max(peaks.values()):,} MB resident \(largest process\), reached in \w+", first.stdout
    )
    assert "running_lines_removed" in record["counts"]
    assert "北京市人民代表大会常务委员会公报" in record["counts"]["running_lines_removed"]
    # bj0025 is one page: its gazette header is known from bj0003, which repeats it on every page
    bj0025 = next(d for d in tokens(out) if d["id"] == "bj0025")
    assert bj0025["sentences"][0][:3] != ["北京市", "人民代表大会", "常务委员会公报"]
    documents = {r["id"]: r for r in read_csv(out / "tables" / "documents.csv")}
    assert int(documents["bj0025"]["characters"]) < 400


def test_texts_are_every_document_read_in_json_lines_shards(runs):
    """``texts/``: one shard for the sample, a line per document read (the duplicates kept apart too),
    each with the metadata of documents.csv and the document's true text."""
    from rapidfuzz.distance import Levenshtein

    from textmine import read_texts

    from conftest import comparable, truth

    out, _, _ = runs
    assert [p.name for p in (out / "texts").iterdir()] == ["part-00000.jsonl"]
    records = list(read_texts(out))
    extraction = {r["id"]: r for r in read_csv(out / "tables" / "extraction.csv")}
    documents = {r["id"]: r for r in read_csv(out / "tables" / "documents.csv")}
    assert sorted(r["id"] for r in records) == sorted(extraction) and len(records) == 15
    for r in records:
        if r["id"] in documents:
            row = documents[r["id"]]
            assert (r["group"], str(r["year"]), r["file"]) == (row["group"], row["year"], row["file"])
        a, b = comparable(r["text"]), comparable(truth(r["id"]))
        assert 1 - Levenshtein.distance(a, b) / len(b) >= 0.99, r["id"]


def test_frequencies_recomputed_from_tokens(runs):
    out, _, _ = runs
    docs = tokens(out)
    tf = Counter(t for d in docs for s in d["sentences"] for t in s)
    df = Counter(t for d in docs for t in {t for s in d["sentences"] for t in s})
    total = sum(tf.values())
    table = read_csv(out / "tables" / "frequencies.csv")
    assert len(table) == len(tf)
    for row in table:
        term = row["term"]
        assert int(row["freq"]) == tf[term] and int(row["df"]) == df[term]
        assert float(row["per_10k"]) == pytest.approx(10_000 * tf[term] / total, abs=1e-4)
    by_group = read_csv(out / "tables" / "keywords_by_group.csv")
    gz_docs = [d for d in docs if d["group"] == "guangzhou"]
    gz = Counter(t for d in gz_docs for s in d["sentences"] for t in s)
    gz_df = Counter(t for d in gz_docs for t in {t for s in d["sentences"] for t in s})
    top = [r for r in by_group if r["group"] == "guangzhou"][:10]
    # ranked by frequency, then document frequency, then the term itself
    expected = sorted(gz, key=lambda t: (-gz[t], -gz_df[t], t))[:10]
    assert [(r["keyword"], int(r["freq"]), int(r["df"])) for r in top] == [(t, gz[t], gz_df[t]) for t in expected]


def test_network_weights_recomputed_from_tokens(runs):
    out, _, _ = runs
    docs = tokens(out)
    nodes = [r["Id"] for r in read_csv(out / "network" / "nodes.csv")]
    top = [r["keyword"] for r in read_csv(out / "tables" / "top_keywords.csv")]
    assert sorted(nodes) == sorted(top)
    pairs = Counter()
    for d in docs:
        present = sorted({t for s in d["sentences"] for t in s} & set(nodes))
        pairs.update(itertools.combinations(present, 2))
    edges = {(r["Source"], r["Target"]): int(r["Weight"]) for r in read_csv(out / "network" / "edges.csv")}
    assert edges == {pair: n for pair, n in pairs.items()}
    assert all(r["Type"] == "Undirected" for r in read_csv(out / "network" / "edges.csv"))
    gexf = nx.read_gexf(out / "network" / "coword.gexf")
    assert {tuple(sorted((u, v))): int(float(d["weight"])) for u, v, d in gexf.edges(data=True)} == edges
    links = read_csv(out / "tables" / "strongest_links.csv")
    for row in links[:10]:
        best = max(w for (u, v), w in edges.items() if row["keyword"] in (u, v))
        assert int(row["weight"]) == best
    beijing = nx.read_graphml(out / "network" / "groups" / "beijing.graphml")
    bj_pairs = Counter()
    for d in docs:
        if d["group"] == "beijing":
            bj_pairs.update(itertools.combinations(sorted({t for s in d["sentences"] for t in s} & set(nodes)), 2))
    assert {tuple(sorted((u, v))): int(d["weight"]) for u, v, d in beijing.edges(data=True)} == dict(bj_pairs)


def test_distinctive_terms_recomputed_from_tokens(runs):
    out, _, _ = runs
    docs = tokens(out)
    tf = Counter(t for d in docs for s in d["sentences"] for t in s)
    total = sum(tf.values())
    rows = [r for r in read_csv(out / "tables" / "distinctive_terms.csv") if r["group"] == "shanghai"]
    mine = Counter(t for d in docs if d["group"] == "shanghai" for s in d["sentences"] for t in s)
    n_i = sum(mine.values())
    n_j = total - n_i
    for row in rows[:5]:
        term = row["term"]
        a = 1000.0 * tf[term] / total
        y_i, y_j = mine[term], tf[term] - mine[term]
        delta = math.log((y_i + a) / (n_i + 1000 - y_i - a)) - math.log((y_j + a) / (n_j + 1000 - y_j - a))
        assert float(row["z"]) == pytest.approx(delta / math.sqrt(1 / (y_i + a) + 1 / (y_j + a)), abs=1e-4)
    assert [float(r["z"]) for r in rows] == sorted((float(r["z"]) for r in rows), reverse=True)
    # G² of the 2×2 table and the log ratio, recomputed for the top term
    top = rows[0]
    a, b = mine[top["term"]], tf[top["term"]] - mine[top["term"]]
    cells = [
        (a, n_i * (a + b) / total),
        (b, n_j * (a + b) / total),
        (n_i - a, n_i * (total - a - b) / total),
        (n_j - b, n_j * (total - a - b) / total),
    ]
    assert float(top["g2"]) == pytest.approx(2 * sum(o * math.log(o / e) for o, e in cells if o > 0), abs=1e-3)
    assert float(top["log_ratio"]) == pytest.approx(math.log2((max(a, 0.5) / n_i) / (max(b, 0.5) / n_j)), abs=1e-3)
    pairs = read_csv(out / "tables" / "pairwise_terms.csv")
    assert {(r["group"], r["against"]) for r in pairs} == {
        (x, y)
        for x in ("beijing", "guangzhou", "shanghai", "shenzhen")
        for y in ("beijing", "guangzhou", "shanghai", "shenzhen")
        if x != y
    }


def test_dimension_scores_recomputed_from_tokens(runs):
    out, _, _ = runs
    docs = tokens(out, whole=True)  # a scheme counts every term it names, drafting or not
    rows = read_csv(out / "tables" / "dimension_scores.csv")
    terms = ["资金", "资助", "经费", "专项资金", "培训", "人才培养", "基础设施", "信息服务", "公共服务平台", "技术支持"]
    for group in ("beijing", "shanghai"):
        mine = [t for d in docs if d["group"] == group for s in d["sentences"] for t in s]
        hits = sum(t in terms for t in mine)
        row = next(r for r in rows if r["group"] == group and r["dimension"] == "供给型 supply")
        assert (int(row["hits"]), int(row["tokens"])) == (hits, len(mine))
        assert float(row["per_10k"]) == pytest.approx(10_000 * hits / len(mine), abs=1e-4)
    tags = read_csv(out / "tables" / "document_tags.csv")
    assert tags and all(int(t["hits"]) >= 2 for t in tags)


def test_small_groups_are_flagged_and_groups_compared(runs):
    out, _, _ = runs
    by_group = read_csv(out / "tables" / "keywords_by_group.csv")
    # every group of the subset has a few documents, fewer than the 20 a confident comparison wants
    sizes = Counter(r["group"] for r in read_csv(out / "tables" / "documents.csv"))
    assert sorted(sizes.values()) == [3, 3, 4, 5]
    assert {r["group"]: r["caution"].split(",")[0] for r in by_group} == {
        g: f"small sample: {n} documents < 20" for g, n in sizes.items()
    }
    similarity = read_csv(out / "tables" / "group_similarity.csv")
    assert len(similarity) == 6 and all(
        0 <= float(r["tfidf_cosine"]) <= 1 and 0 <= float(r["topic_js"]) <= 1 for r in similarity
    )


def test_robustness_table_covers_every_group_and_variant(runs):
    out, _, _ = runs
    rows = read_csv(out / "tables" / "robustness.csv")
    variants = {(r["list"], r["variant"]) for r in rows}
    assert len(variants) == 7 and len(rows) == 7 * 4
    assert all(0 <= float(r["overlap"]) <= 1 and -1 <= float(r["spearman"]) <= 1 for r in rows)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "稳健性 Robustness" in html


def test_topic_tables(runs):
    out, _, _ = runs
    shares = read_csv(out / "tables" / "topic_shares.csv")
    assert [r["group"] for r in shares] == ["beijing", "guangzhou", "shanghai", "shenzhen"]
    for row in shares:
        assert sum(float(row[f"T{t}"]) for t in (1, 2, 3)) == pytest.approx(1.0, abs=1e-5)
    terms = read_csv(out / "tables" / "topic_terms.csv")
    assert {r["topic"] for r in terms} == {"T1", "T2", "T3"}
    selection = read_csv(out / "tables" / "topic_selection.csv")
    assert [(r["k"], r["chosen"]) for r in selection] == [("3", "yes")]
    docs = {d["id"]: d for d in tokens(out)}
    for row in read_csv(out / "tables" / "topic_documents.csv"):
        assert row["title"] == docs[row["id"]]["title"] and row["group"] == docs[row["id"]]["group"]
    assert (out / "topics.html").is_file() and (out / "nmf_topics.html").is_file()
    assert {r["nmf_topic"] for r in read_csv(out / "tables" / "topic_alignment.csv")} == {"T1", "T2", "T3"}


def test_topics_command_gives_identical_tables_with_one_or_two_workers(runs, tmp_path):
    out, _, _ = runs
    corpus = str(out.parent / "corpus")
    common = ["--from", str(out), "--k-min", "2", "--k-max", "4", "--seeds", "2", "--set", "topics.k_step=1"]
    common += ["--set", "run.cache=false"]  # fitted, not read from the cache
    one = textmine("topics", corpus, "-o", str(tmp_path / "one"), "--workers", "1", *common)
    two = textmine("topics", corpus, "-o", str(tmp_path / "two"), "--workers", "2", *common)
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert "K = " in one.stdout and "C_NPMI" in one.stdout
    for table in sorted((tmp_path / "one" / "tables").glob("*.csv")):
        assert table.read_bytes() == (tmp_path / "two" / "tables" / table.name).read_bytes(), table.name
    selection = read_csv(tmp_path / "one" / "tables" / "topic_selection.csv")
    assert [r["k"] for r in selection] == ["2", "3", "4"]
    best = max(selection, key=lambda r: (float(r["c_npmi"]), -int(r["k"])))
    assert [r["k"] for r in selection if r["chosen"] == "yes"] == [best["k"]]
    assert len(read_csv(tmp_path / "one" / "tables" / "topic_fits.csv")) == 6


def test_report_is_self_contained_escaped_and_chinese(runs):
    out, _, _ = runs
    html = (out / "report.html").read_text(encoding="utf-8")
    for title in ("语料概览", "高频关键词", "共词网络", "各组特征词", "主题模型", "研究方法", "运行记录"):
        assert title in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; 四城市" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    # keywords, network, network panel, three dimension heatmaps, choosing K, topic shares by group and by year
    assert html.count("data:image/png;base64,") == 9
    assert "政策维度 Policy dimensions" in html and "人才工作链 Talent work chain" in html
    assert "样本为 15 份政策文本" in html and "The sample is 15 policy documents" in html
    assert (
        "两词出现在同一文档中即为共现（二值计数，最小共现次数 1），连线以标准化点互信息" in html
    )  # the methods state the settings used
    assert "每个关键词保留标准化点互信息最强的 4 条连线作为骨干" in html
    assert "co-occur when they stand in the same document (binary counting; minimum co-occurrence count 1)" in html
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## 共词网络 Co-word network" in md and "![network](charts/network.png)" in md
    for chart in (
        "keywords_by_group",
        "network",
        "network_panel",
        "topic_shares",
        "network_beijing",
        "network_guangzhou",
        "network_shanghai",
        "network_shenzhen",
    ):
        assert (out / "charts" / f"{chart}.png").stat().st_size > 10_000
    assert not list((out / "charts").glob("*.svg"))  # SVG only on request (report.svg)


def test_markdown_has_every_section_and_the_methods_name_what_was_used(runs):
    out, _, _ = runs
    html = (out / "report.html").read_text(encoding="utf-8")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    titles = re.findall(r'<h2 id="[^"]+">([^<]+)</h2>', html)
    assert (
        len(titles) >= 10 and [t for t in titles if f"## {t}" not in markdown] == []
    )  # was: no dimensions, robustness
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    versions = record["versions"]
    assert f"segmented with rjieba {versions['rjieba']} (jieba-rs)" in html  # was: "jieba" whatever the engine
    assert f"PDF text read with PDFium, pypdfium2 {versions['pypdfium2']}" in html  # was: "read with pdfplumber"
    fired = read_csv(out / "tables" / "synonym_merges.csv")
    from textmine.config import load_config
    from textmine.text.resources import load_lexicon

    listed = len(load_lexicon(load_config().segment).synonyms)
    merged = sum(int(r["count"]) for r in fired)
    assert f"{len(fired)} of the {listed} synonym pairs listed merged something ({merged:,} tokens)" in html
    assert "ties by document frequency, then by term" in html and "ties going to the more frequent partner" in html
    assert "No document-level test was made (compare.resamples = 0)" in html  # this run's setting, said


def test_workbook_has_every_table(runs):
    out, _, _ = runs
    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    assert set(book.sheetnames) >= {
        "documents",
        "skipped",
        "top_keywords",
        "keywords_by_group",
        "side_by_side",
        "strongest_links",
        "network_edges",
        "distinctive_terms",
        "topic_terms",
        "topic_shares",
    }
    skipped = list(book["skipped"].iter_rows(values_only=True))
    assert skipped[0] == ("file", "reason") and len(skipped) == 3


def test_runs_give_identical_files_from_a_fresh_cache_or_a_warm_one(runs, tmp_path):
    """A fresh run, a rerun that takes every stage (texts, tokens, topic model) from the first run's
    cache, and a run with a separate empty cache: the same files, byte for byte, but for timing."""
    out1, out2, _ = runs
    out3 = tmp_path / "out3"
    third = textmine("run", str(out1.parent / "corpus"), "-o", str(out3), "-q", *RUN_ARGS, cache=tmp_path / "cache")
    assert third.returncode == 0, third.stderr
    files = [run_files(o) for o in (out1, out2, out3)]
    assert list(files[0]) == list(files[1]) == list(files[2]) and len(files[0]) > 30
    for name in files[0]:
        if name != "run.json":
            assert files[0][name] == files[1][name] == files[2][name], name
    records = [json.loads(f["run.json"]) for f in files]
    for record in records:
        record.pop("timing")
        record["config"]["run"].pop("progress")  # the later runs were --quiet
    assert records[0] == records[1] == records[2]


def test_a_bad_config_key_is_one_line_and_no_traceback(tmp_path):
    corpus = make_corpus(tmp_path / "c", ["bj0114"])
    result = textmine("run", str(corpus), "-o", str(tmp_path / "out"), "--set", "topics.kk=3")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "textmine: error: command line: unknown config key 'topics.kk'; known in [topics]: "
        "chunksize, enabled, iterations, k, k_max, k_min, k_step, max_df, min_df, min_stability, nmf, passes, "
        "relevance_lambda, representative, seeds, top_terms"
    ]


def test_a_corpus_of_which_no_file_can_be_read_is_one_line_naming_each(tmp_path):
    """Before, every stage ran on nothing and the run failed drawing a chart (ZeroDivisionError)."""
    corpus = tmp_path / "c" / "beijing"
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_bytes(b"")
    (corpus / "b.pdf").write_bytes(b"%PDF-1.4 broken")
    result = textmine("run", str(corpus.parent), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"textmine: error: {corpus.parent}: no file could be read: beijing/a.txt: empty file (0 bytes); "
        "beijing/b.pdf: unreadable PDF (data format error; truncated or damaged?)"
    ]
    assert not (tmp_path / "out").exists()


def test_output_folder_that_is_not_a_run_is_never_overwritten(tmp_path):
    corpus = make_corpus(tmp_path / "c", ["bj0114", "sh0040"])
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.docx").write_bytes(b"mine")
    result = textmine("run", str(corpus), "-o", str(precious), "--no-topics", "-q")
    assert result.returncode == 2 and "not a textmine output folder" in result.stderr
    assert [p.name for p in precious.iterdir()] == ["chapter1.docx"]


def test_every_command_has_help():
    for name, command in [("textmine", main), *main.commands.items()]:
        assert command.help and len(command.help) > 40, name
        for param in command.params:
            if param.param_type_name == "option" and param.name not in ("help", "version"):
                assert param.help, f"{name} --{param.name} has no help"
    result = textmine("run", "--help")
    assert result.returncode == 0 and "topics.k = 0" in result.stdout


def test_start_up_imports_no_library_a_stage_imports_itself():
    heavy = ("gensim", "matplotlib", "sklearn", "scipy.optimize", "scipy.stats", "scipy.spatial", "xlsxwriter")
    code = f"import sys, textmine.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == []  # was: scipy.optimize, 0.3 s of every command's start


def test_an_unwritable_output_is_one_line_and_no_traceback(tmp_path):
    corpus = make_corpus(tmp_path / "c", ["bj0114", "sh0040"])
    result = textmine("run", str(corpus), "-o", "/proc/textmine-cannot-write-here", "--no-topics", "-q")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        result.stderr.startswith("textmine: error: cannot write or read /proc/")
        and len(result.stderr.strip().splitlines()) == 1
    )


def _recount(docs: list[dict], nodes: set[str], unit: str, window: int = 3) -> Counter:
    """Binary co-occurrence counts straight from tokens.jsonl, unit by unit, with plain Python."""
    pairs: Counter = Counter()
    for d in docs:
        if unit == "window":
            for sentence in d["sentences"]:
                for start in range(max(len(sentence) - window + 1, 1)):
                    pairs.update(itertools.combinations(sorted(set(sentence[start : start + window]) & nodes), 2))
            continue
        keys = {
            "document": [0] * len(d["sentences"]),
            "sentence": list(range(len(d["sentences"]))),
            "paragraph": d["paragraphs"],
            "article": d["articles"],
        }[unit]
        units: dict = {}
        for key, sentence in zip(keys, d["sentences"], strict=True):
            units.setdefault(key, set()).update(sentence)
        for tokens in units.values():
            pairs.update(itertools.combinations(sorted(tokens & nodes), 2))
    return pairs


@pytest.mark.parametrize("unit", ["document", "paragraph", "sentence", "article", "window"])
def test_network_command_weights_equal_an_independent_recount(runs, tmp_path, unit):
    out, _, _ = runs
    corpus = out.parent / "corpus"
    result = textmine(
        "network",
        str(corpus),
        "--from",
        str(out),
        "-o",
        str(tmp_path / unit),
        "--unit",
        unit,
        "--window",
        "3",
        "--top-n",
        "40",
    )
    assert result.returncode == 0, result.stderr
    nodes = {r["Id"] for r in read_csv(tmp_path / unit / "nodes.csv")}
    assert len(nodes) == 40
    expected = {pair: n for pair, n in _recount(tokens(out), nodes, unit).items()}
    edges = {(r["Source"], r["Target"]): int(r["count"]) for r in read_csv(tmp_path / unit / "edges.csv")}
    assert edges == expected
    record = json.loads((tmp_path / unit / "run.json").read_text(encoding="utf-8"))
    assert record["config"]["network"]["unit"] == unit and record["graphs"]["all"]["unit"].startswith(unit)


def test_report_renders_in_headless_chromium(runs, tmp_path):
    import shutil

    out, _, _ = runs
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.fail("headless Chromium is needed for this test: apt-get install chromium")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1280,1600",
    ]
    page = (out / "report.html").resolve().as_uri()
    dom = subprocess.run([browser, *flags, "--dump-dom", page], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-500:]
    for title in (
        "语料概览 Corpus overview",
        "高频关键词 Top keywords by group",
        "共词网络 Co-word network",
        "各组特征词 Distinctive terms",
        "政策维度 Policy dimensions",
        "研究方法 Methods",
    ):
        assert f">{title}</h2>" in dom.stdout
    shot = tmp_path / "first-screen.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", page], capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 50_000  # a page of text, tables and charts, not a blank one
    # the interactive network: backbone links shown, labels placed by its script so that none overlaps another
    view = (out / "network" / "coword.html").resolve().as_uri()
    dom = subprocess.run([browser, *flags, "--dump-dom", view], capture_output=True, text=True, timeout=120).stdout
    labels = re.findall(r'<text x="([-\d.e]+)" y="([-\d.e]+)"( class="[^"]*")?>([^<]+)</text>', dom)
    shown = [(float(x), float(y), text) for x, y, cls, text in labels if "crowded" not in cls]
    assert len(labels) == 50 and len(shown) >= 25
    boxes = [(x, y - 11, x + 11 * len(text), y) for x, y, text in shown]  # 11px a character, as the page sets
    assert not [
        (a, b)
        for a, b in itertools.combinations(boxes, 2)
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    lines = re.findall(r'<line [^>]*style="display: none;"', dom)
    backbone = sum(1 for e in read_csv(out / "network" / "edges.csv") if e["backbone"] == "1")
    assert len(re.findall(r"<line ", dom)) - len(lines) == backbone  # only the backbone until asked for all


def test_documents_selected_by_a_keyword_rule(runs, tmp_path):
    out, _, _ = runs
    result = textmine(
        "run",
        str(out.parent / "corpus"),
        "-o",
        str(tmp_path / "sel"),
        "--no-topics",
        "-q",
        "--set",
        'corpus.select=["企业>=3"]',
    )
    assert result.returncode == 0, result.stderr
    docs = tokens(out)
    expected = {d["id"] for d in docs if sum(t == "企业" for s in d["sentences"] for t in s) >= 3}
    kept = {r["id"] for r in read_csv(tmp_path / "sel" / "tables" / "documents.csv")}
    left_out = {r["id"] for r in read_csv(tmp_path / "sel" / "tables" / "selection.csv")}
    assert kept == expected and left_out == {d["id"] for d in docs} - expected and kept
    record = json.loads((tmp_path / "sel" / "run.json").read_text(encoding="utf-8"))
    assert record["counts"]["documents_analysed"] == len(expected)
    assert record["counts"]["selection"]["rules"] == ["企业>=3"]


def test_compare_by_city_and_period_recounted_from_tokens(runs, tmp_path):
    out, _, _ = runs
    result = textmine(
        "compare",
        str(out.parent / "corpus"),
        "--by",
        "city+period",
        "--periods=-2015,2016-",
        "-o",
        str(tmp_path / "cmp"),
        "--set",
        "compare.resamples=0",  # token-level listing, recounted below
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    docs = tokens(tmp_path / "cmp")
    years = {d["id"]: d["year"] for d in tokens(out)}
    band = {i: ("(no year)" if y is None else "≤2015" if y <= 2015 else "≥2016") for i, y in years.items()}
    city = {d["id"]: d["group"] for d in tokens(out)}
    assert {d["id"]: d["group"] for d in docs} == {i: f"{city[i]} · {band[i]}" for i in years}
    # terms rising from ≤2015 to ≥2016 in beijing: counts and z recomputed from the tokens
    tf = Counter(t for d in docs for s in d["sentences"] for t in s)
    total = sum(tf.values())
    side = {
        p: Counter(t for d in docs if d["group"] == f"beijing · {p}" for s in d["sentences"] for t in s)
        for p in ("≤2015", "≥2016")
    }
    rows = read_csv(tmp_path / "cmp" / "tables" / "change_terms.csv")
    rising = [r for r in rows if r["group"] == "beijing" and r["direction"] == "rising"]
    falling = [r for r in rows if r["group"] == "beijing" and r["direction"] == "falling"]
    assert rising and falling and {r["group"] for r in rows} >= {"(all)", "beijing", "shanghai"}
    n_e, n_l = sum(side["≤2015"].values()), sum(side["≥2016"].values())
    for row in rising[:3] + falling[:3]:
        term = row["term"]
        y_l, y_e = side["≥2016"][term], side["≤2015"][term]
        assert (int(row["count_earlier"]), int(row["count_later"])) == (y_e, y_l)
        a = 1000.0 * tf[term] / total
        delta = math.log((y_l + a) / (n_l + 1000 - y_l - a)) - math.log((y_e + a) / (n_e + 1000 - y_e - a))
        assert float(row["z"]) == pytest.approx(delta / math.sqrt(1 / (y_l + a) + 1 / (y_e + a)), abs=1e-4)
    assert float(rising[0]["z"]) > 0 > float(falling[0]["z"])
    record = json.loads((tmp_path / "cmp" / "run.json").read_text(encoding="utf-8"))
    assert record["config"]["corpus"]["group_by"] == "city+period"
    assert (
        len(record["timing"]["from_cache"]) == record["counts"]["documents_read"]
    )  # texts from the earlier run's cache
    report = (tmp_path / "cmp" / "report.html").read_text(encoding="utf-8")
    assert "随时间的变化 Change over time" in report and f"{rising[0]['term']}" in report


def test_drafting_vocabulary_is_reported_apart_and_counted_nowhere_else(runs):
    out, _, _ = runs
    drafting = read_csv(out / "tables" / "drafting_terms.csv")
    words = {r["term"] for r in drafting}
    assert {"依法", "违反", "人民政府"} <= words  # on the shipped list, and in the subset's regulations
    assert all(r["rule"] in ("list", "document share", "list, document share") for r in drafting)
    # the drafting table recounted from the whole segmentation, and the document-share rule by hand
    whole = tokens(out, whole=True)
    tf = Counter(t for d in whole for s in d["sentences"] for t in s)
    df = Counter(t for d in whole for t in {t for s in d["sentences"] for t in s})
    assert {r["term"]: (int(r["freq"]), int(r["df"])) for r in drafting} == {w: (tf[w], df[w]) for w in words}
    shared = {t for t, n in df.items() if n >= 0.8 * len(whole)}
    assert {r["term"] for r in drafting if "document share" in r["rule"]} == shared
    assert not words & {r["keyword"] for r in read_csv(out / "tables" / "top_keywords.csv")}
    assert not words & {r["term"] for r in read_csv(out / "tables" / "frequencies.csv")}
    assert not words & {r["term"] for r in read_csv(out / "tables" / "distinctive_terms.csv")}
    assert not words & {r["Id"] for r in read_csv(out / "network" / "nodes.csv")}
    assert not words & {r["term"] for r in read_csv(out / "tables" / "topic_terms.csv")}
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["counts"]["drafting"]["terms"] == len(drafting)
    assert record["counts"]["drafting"]["tokens"] == sum(int(r["freq"]) for r in drafting)
    assert record["counts"]["tokens"] == sum(tf.values()) - record["counts"]["drafting"]["tokens"]
    assert record["counts"]["numerals_dropped"]["tokens"] > 0
    assert not any(re.fullmatch(r"[一二三四五六七八九十百千两]+(万元|日|倍)|万元", t) for t in tf)
    assert any(r["kind"] == "drafting" and r["file"] == "textmine:data/drafting.txt" for r in record["resources"])
    top = max(drafting, key=lambda r: (int(r["freq"]), r["term"]))["term"]
    for report in ("report.html", "report.md"):
        text = (out / report).read_text(encoding="utf-8")
        assert f"Drafting vocabulary, reported apart and not counted above: {len(drafting)} terms" in text
        assert top in text.split("Drafting vocabulary")[1][:200]


def test_network_structure_is_read_on_the_backbone_against_its_null(runs):
    out, _, _ = runs
    rows = {r["group"]: r for r in read_csv(out / "tables" / "network_structure.csv")}
    assert set(rows) == {"all", "beijing", "guangzhou", "shanghai", "shenzhen"}
    edges = read_csv(out / "network" / "edges.csv")
    backbone = [e for e in edges if e["backbone"] == "1"]
    assert int(rows["all"]["backbone_links"]) == len(backbone) < len(edges)
    # each node keeps its 4 strongest links by NPMI: every node has at least one backbone link
    degree = Counter(x for e in backbone for x in (e["Source"], e["Target"]))
    assert {r["Id"] for r in read_csv(out / "network" / "nodes.csv")} == set(degree)
    assert all(int(r["degree"]) == degree[r["Id"]] for r in read_csv(out / "network" / "nodes.csv"))
    p = float(rows["all"]["modularity_p"])
    assert 1 / 50 <= p <= 1 and rows["all"]["reading"]
    links = read_csv(out / "tables" / "strongest_links.csv")
    npmi = {(e["Source"], e["Target"]): float(e["npmi"]) for e in edges if e["npmi"]}
    for row in links[:10]:
        best = max(v for (u, w), v in npmi.items() if row["keyword"] in (u, w))
        assert float(row["npmi"]) == pytest.approx(best)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert rows["all"]["reading"].split(";")[0] in html  # the report says what the structure allows


def test_network_command_disparity_backbone_equals_a_recount(runs, tmp_path):
    out, _, _ = runs
    result = textmine(
        "network",
        str(out.parent / "corpus"),
        "--from",
        str(out),
        "-o",
        str(tmp_path / "net"),
        "--backbone",
        "disparity",
        "--alpha",
        "0.5",
        "--set",
        "report.svg=true",
    )
    assert result.returncode == 0, result.stderr
    assert "backbone disparity of" in result.stdout
    for chart in ("network", "network_groups"):  # SVG beside the PNG when asked for
        assert (tmp_path / "net" / "charts" / f"{chart}.png").stat().st_size > 10_000
        assert (tmp_path / "net" / "charts" / f"{chart}.svg").read_text(encoding="utf-8").startswith("<?xml")
    edges = read_csv(tmp_path / "net" / "edges.csv")
    # Serrano et al.'s α from the NPMI weights, recomputed with plain Python: links of positive weight only
    weight = {(e["Source"], e["Target"]): float(e["npmi"]) for e in edges if e["npmi"] and float(e["npmi"]) > 0}
    strength, degree = Counter(), Counter()
    for (u, v), w in weight.items():
        strength.update({u: w, v: w})
        degree.update([u, v])

    def alpha(node, w):
        return (1 - w / strength[node]) ** (degree[node] - 1) if degree[node] > 1 else 1.0

    for e in edges:
        pair = (e["Source"], e["Target"])
        expected = min(alpha(pair[0], weight[pair]), alpha(pair[1], weight[pair])) if pair in weight else 1.0
        assert float(e["disparity"]) == pytest.approx(expected, abs=2e-5)  # from weights rounded to 6 digits
        assert e["backbone"] == ("1" if pair in weight and expected < 0.5 else "0")


def test_cache_command_shows_each_part_and_clears_only_its_own(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "notes.txt").write_text("a user's file", encoding="utf-8")  # TEXTMINE_CACHE may be any folder
    corpus = make_corpus(tmp_path / "c", SUBSET[:3])
    ran = textmine("run", str(corpus), "-o", str(tmp_path / "out"), "-q", "--no-topics", cache=cache)
    assert ran.returncode == 0, ran.stderr
    shown = textmine("cache", cache=cache)
    assert shown.returncode == 0 and shown.stdout.splitlines()[0] == f"textmine cache: {cache}"
    parts = {line.split()[0]: int(line.split()[1].replace(",", "")) for line in shown.stdout.splitlines()[1:]}
    assert parts["extract"] == 3 and parts["segment"] == 3 and parts["analysis"] == 1 and parts["files"] > 5
    assert parts["minhash"] == 3  # each text's near-duplicate signature
    cleared = textmine("cache", "--clear", cache=cache)
    assert cleared.returncode == 0 and re.fullmatch(
        rf"textmine cache: removed [\d.,]+ MB from {re.escape(str(cache))}\n", cleared.stdout
    )
    assert [p.name for p in cache.iterdir()] == ["notes.txt"]
    again = textmine("cache", cache=cache)
    assert "total           0 entries       0.0 MB" in again.stdout
