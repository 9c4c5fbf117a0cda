"""The step cache: a rerun on the same documents and settings loads the analysis and copies the
slow output files instead of making them, and writes exactly what a run from an empty cache writes;
a changed setting, document or word list does the work again. Keys are digests of content, so equal
data give equal keys in any process."""

import json
import os
import pickle
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

import textmine
from textmine.output import chart_jobs
from textmine.workflow.cache import StepCache, reuse
from textmine.workflow.token_spool import SpooledDocument

from conftest import SUBSET, make_corpus


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test starts from an empty cache."""
    monkeypatch.setenv("TEXTMINE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _run(corpus, out, cache_on=True, **overrides):
    settings = {"run.progress": False, "topics.k": 2, "compare.resamples": 0, "run.workers": 1}
    settings["run.cache"] = cache_on
    config = textmine.load_config(corpus=corpus, overrides={**settings, **overrides})
    return textmine.run(corpus, output=out, config=config)


def _files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _record(out):
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return record.pop("timing"), record


def test_a_rerun_loads_the_analysis_and_writes_what_an_empty_cache_writes(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "c", SUBSET[:8])
    first = _run(corpus, tmp_path / "first")
    assert "from cache" not in first.timings and "topics" in first.timings
    # nothing is fitted or drawn again: a topic fit or a chart drawn now would fail
    monkeypatch.setattr("textmine.workflow.pipeline.fit_topics", lambda *a, **k: pytest.fail("topics fitted again"))
    monkeypatch.setattr("textmine.output.chart_jobs.IsolatedPool", lambda *a, **k: pytest.fail("charts drawn again"))
    again = _run(corpus, tmp_path / "again")
    assert "from cache" in again.timings and not {"segment", "topics", "compare"} & set(again.timings)
    monkeypatch.undo()
    monkeypatch.setenv("TEXTMINE_CACHE", str(tmp_path / "empty"))
    fresh = _run(corpus, tmp_path / "fresh")
    files = [_files(tmp_path / name) for name in ("first", "again", "fresh")]
    assert list(files[0]) == list(files[1]) == list(files[2]) and len(files[0]) > 30
    for name in files[0]:
        if name != "run.json":
            assert files[0][name] == files[1][name] == files[2][name], name
    records = [_record(tmp_path / name)[1] for name in ("first", "again", "fresh")]
    assert records[0] == records[1] == records[2]
    assert (
        [r.document.id for r in again.analysis.reading.read]
        == [r.document.id for r in first.analysis.reading.read]
        == [r.document.id for r in fresh.analysis.reading.read]
    )
    assert again.analysis.counts.keywords == first.analysis.counts.keywords
    # the documents loaded from the cache wait on disk as the segmented ones did, token for token
    assert all(type(d) is SpooledDocument for d in [*first.analysis.text.tokenized, *again.analysis.text.tokenized])
    assert again.analysis.text.tokenized == first.analysis.text.tokenized == fresh.analysis.text.tokenized


def test_a_changed_setting_or_document_analyses_again(tmp_path):
    corpus = make_corpus(tmp_path / "c", SUBSET[:6])
    first = _run(corpus, tmp_path / "first")
    report_only = _run(corpus, tmp_path / "report", **{"report.chart_top_n": 3})
    assert "from cache" in report_only.timings  # the report's presentation shapes no result
    assert (tmp_path / "report" / "charts" / "keywords_by_group.png").read_bytes() != (
        tmp_path / "first" / "charts" / "keywords_by_group.png"
    ).read_bytes()
    workers = _run(corpus, tmp_path / "workers", **{"run.workers": 2})
    assert "from cache" in workers.timings
    network = _run(corpus, tmp_path / "network", **{"network.top_n": 10})
    assert "from cache" not in network.timings
    assert len(network.analysis.networks.graphs["all"]) == 10 != len(first.analysis.networks.graphs["all"])
    changed = next(corpus.rglob("*.md"))
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n\n支持人工智能产业园区和量子计算实验室建设，培育人工智能产业集群。\n",
        encoding="utf-8",
    )
    edited = _run(corpus, tmp_path / "edited")
    assert "from cache" not in edited.timings and edited.analysis.counts.keywords != first.analysis.counts.keywords


def test_no_cache_means_no_step_cache(tmp_path, own_cache):
    corpus = make_corpus(tmp_path / "c", SUBSET[:3])
    _run(corpus, tmp_path / "out", cache_on=False, **{"topics.enabled": False})
    assert not (own_cache / "analysis").exists() and not (own_cache / "files").exists()


def test_keys_are_the_content_not_the_objects(tmp_path):
    cache = StepCache(tmp_path)
    graph = nx.Graph(name="all")
    graph.add_edge("人才", "公寓", weight=2.5, count=np.int64(3))
    value = {"terms": ["人才", "公寓"], "graph": graph, "matrix": np.eye(2), "groups": frozenset({"北京", "上海"})}
    key = cache.key("step", value)
    # loaded back from a pickle, objects once shared are shared again: the key must not see that
    assert cache.key("step", pickle.loads(pickle.dumps(value))) == key
    assert cache.key("step", {**value, "matrix": np.eye(2, dtype=np.float32)}) != key
    assert cache.key("step", {**value, "terms": ["公寓", "人才"]}) != key  # order is content
    heavier = graph.copy()
    heavier.edges["人才", "公寓"]["weight"] = 2.6
    assert cache.key("step", {**value, "graph": heavier}) != key
    # a set's order follows the hash seed, which differs from process to process
    script = (
        "from textmine.workflow.cache import StepCache; from pathlib import Path; "
        f"print(StepCache(Path({str(tmp_path)!r})).key('step', frozenset(f'词{{i}}' for i in range(50))))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1


def test_reuse_copies_what_the_same_parts_made_and_survives_a_broken_entry(tmp_path):
    cache = StepCache(tmp_path / "cache")
    made = []

    def make(folder):
        made.append(folder)
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "a.csv").write_text("一,二\n", encoding="utf-8")
        return {"layout": (0.5, 1.0)}

    first = reuse(cache, ("table", [1, 2]), tmp_path / "one", make)
    second = reuse(cache, ("table", [1, 2]), tmp_path / "two", make)
    assert len(made) == 1 and first == second == {"layout": (0.5, 1.0)}
    assert (tmp_path / "two" / "sub" / "a.csv").read_text(encoding="utf-8") == "一,二\n"
    assert not any(p.name.startswith(".made-") for p in (tmp_path / "one").iterdir())
    for entry in (tmp_path / "cache" / "files").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    reuse(cache, ("table", [1, 2]), tmp_path / "three", make)
    assert len(made) == 2 and (tmp_path / "three" / "sub" / "a.csv").is_file()


def test_a_chart_is_drawn_again_when_matplotlib_lists_other_fonts(tmp_path, monkeypatch):
    cache = StepCache(tmp_path / "cache")
    jobs = [chart_jobs.Chart("heat", "heatmap", ({"北京": np.array([0.7, 0.3])}, ["甲", "乙"]), {"title": "主题"})]
    monkeypatch.setattr(chart_jobs, "font_list", lambda: "fonts-1")
    drawn = chart_jobs.draw_all(jobs, tmp_path / "a", svg=False, workers=1, cache=cache)
    pool = chart_jobs.IsolatedPool
    monkeypatch.setattr(chart_jobs, "IsolatedPool", lambda *a, **k: pytest.fail("drawn again"))
    assert chart_jobs.draw_all(jobs, tmp_path / "b", svg=False, workers=1, cache=cache) == drawn
    assert (tmp_path / "b" / "heat.png").read_bytes() == (tmp_path / "a" / "heat.png").read_bytes()
    calls = []
    monkeypatch.setattr(chart_jobs, "IsolatedPool", lambda *a, **k: calls.append(1) or pool(*a, **k))
    monkeypatch.setattr(chart_jobs, "font_list", lambda: "fonts-2")
    chart_jobs.draw_all(jobs, tmp_path / "c", svg=False, workers=1, cache=cache)
    assert calls == [1]
