"""Keyness with the document as the sampled unit: permutation p by hand, the rule on planted terms,
BH against scipy, p-values printed with sense, and the whole test recounted from a run's tokens."""

from __future__ import annotations

import csv
import math
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse, stats

from textmine.analysis.compare import DocumentTest, benjamini_hochberg, distinctive_terms
from textmine.analysis.counting import TokenizedDocument, doc_term_matrix
from textmine.analysis.resampling import by_term, concentration, log_ratio_interval, permutation_p, term_rates
from textmine.output.report import pvalue

from conftest import FOUR_CITIES_TRUTH, analysed_tokens


def rates_of(counts: sparse.csr_matrix, columns: list[int], rows: list[np.ndarray] | None = None) -> sparse.csr_matrix:
    """The rates of ``columns`` over ``rows`` of ``counts`` (all of them, in order, when None)."""
    rows = [np.arange(counts.shape[0])] if rows is None else rows
    lengths = np.asarray(counts.sum(axis=1)).ravel()[np.concatenate(rows)]
    return term_rates(by_term(counts, rows, columns), lengths)


def test_exact_permutation_p_enumerated_by_hand():
    # documents A, B (the group) and C, D; the term's counts over the documents' lengths
    counts = sparse.csr_matrix(np.array([[2, 2], [1, 1], [0, 2], [1, 3]], dtype=float))
    rate = rates_of(counts, [0])  # 0.5, 0.5, 0, 0.25: over the documents' whole lengths
    assert rate.toarray().ravel().tolist() == [0.5, 0.5, 0.0, 0.25]
    # T = mean(group) - mean(rest) over the 6 labellings: AB .375, AC -.125, AD .125, BC -.125, BD .125, CD -.375
    p = permutation_p(rate, np.array([True, True, False, False]), resamples=1000, rng=np.random.default_rng(0))
    assert p.tolist() == [1 / 6]
    p = permutation_p(rate, np.array([True, False, False, True]), resamples=1000, rng=np.random.default_rng(0))
    assert p.tolist() == [3 / 6]  # AD: T = .125; as large or larger: AB, AD, BD


def test_term_rates_by_hand_the_group_then_the_others():
    # the group's documents A, B and the others' C, D (empty), E, stored A, C, D, B, E; terms u, v, w
    counts = sparse.csr_matrix(np.array([[2, 0, 2], [0, 0, 0], [0, 3, 1], [1, 1, 0], [4, 0, 0]]))
    rows = [np.array([0, 3]), np.array([1, 2, 4])]
    laid_out = by_term(counts, rows, [2, 0])  # w, then u, over A, B, then C, D, E
    assert laid_out.toarray().tolist() == [[2, 0, 0, 1, 0], [2, 1, 0, 0, 4]]
    rate = term_rates(laid_out, np.array([4, 2, 0, 4, 4]))  # over each document's whole length
    assert rate.toarray().tolist() == [[0.5, 0.0, 0.0, 0.25, 0.0], [0.5, 0.5, 0.0, 0.0, 1.0]]
    assert rate.indices.tolist() == [0, 3, 0, 1, 4]  # each term's documents in order: the products' order
    assert np.shares_memory(rate.indices, laid_out.indices)  # the rates share the counts' layout


def test_concentration_by_hand_first_heaviest_document_on_a_tie():
    counts = sparse.csr_matrix(np.array([[0, 3, 1, 0], [2, 3, 0, 0], [2, 1, 0, 0], [9, 9, 9, 9]]))
    found = concentration(by_term(counts, [np.arange(3), np.array([3])], np.arange(4)), 3)  # the 4th: not the group's
    assert found.documents.tolist() == [2, 3, 1, 0]
    assert found.top_row.tolist() == [1, 0, 0, 0]  # a tie goes to the first document, as argmax; unused: 0
    assert found.top_share.tolist() == [0.5, 3 / 7, 1.0, 0.0]


def test_concentration_and_term_rates_on_a_real_run(counted):
    dtm, tested, _ = counted
    rows = dtm.rows_of("beijing")
    rest_rows = np.setdiff1d(np.arange(len(dtm.groups)), rows)
    group, rest = dtm.counts[rows], dtm.counts[rest_rows]
    found = concentration(by_term(dtm.counts, [rows, rest_rows], tested), len(rows))
    by_column = group[:, tested].tocsc()
    assert found.top_row.tolist() == np.asarray(by_column.argmax(axis=0)).ravel().tolist()  # scipy's
    assert found.documents.tolist() == np.diff(by_column.indptr).tolist()
    both = sparse.vstack([group, rest]).toarray()
    scaled = (both * (1.0 / both.sum(axis=1, keepdims=True)))[:, tested].T  # dense: count × (1 / length)
    assert rates_of(dtm.counts, tested, [rows, rest_rows]).toarray().tobytes() == scaled.tobytes()


def planted() -> list[TokenizedDocument]:
    """Group x (10 documents) and y (30): 单一 500 times in one document of x and once in five of y,
    广泛 three times in every document of x and once in three of y, the rest shared filler."""
    rng = np.random.default_rng(5)
    filler = ["规定", "管理", "部门", "实施", "监督", "条例", "服务", "保障"]
    docs = []
    for i in range(40):
        group = "x" if i < 10 else "y"
        tokens = list(rng.choice(filler, size=300))
        if group == "x":
            tokens += ["广泛"] * 3
        if i == 0:
            tokens += ["单一"] * 500
        if group == "y" and i % 10 == 0:
            tokens += ["广泛"]  # the rest uses both too, rarely
        if group == "y" and i % 6 == 0:
            tokens += ["单一"]
        docs.append(TokenizedDocument(f"{group}{i:02d}", group, 2020, [tokens]))
    return docs


def test_a_term_of_one_document_is_not_a_groups_emphasis_and_a_spread_term_is():
    dtm = doc_term_matrix(planted())
    token_level = distinctive_terms(dtm, prior_scale=10, min_freq=5, top_n=5)
    assert token_level["x"][0].term == "单一"  # the token-level tests put it first: one document's habit
    found = distinctive_terms(dtm, prior_scale=10, min_freq=5, top_n=5, test=DocumentTest(seed=1))
    terms = {t.term: t for t in found["x"]}
    assert "单一" not in terms and "广泛" in terms
    spread = terms["广泛"]
    assert spread.documents == 10 and spread.top_share == pytest.approx(0.1) and spread.doc_q < 0.05
    assert spread.log_ratio_low < spread.log_ratio < spread.log_ratio_high
    assert spread.log_ratio_low > 0  # the whole 95 % interval says x uses it more
    # what the rule rejected, and why: 单一's permutation p is its one document's chance of falling in x
    one = distinctive_terms(
        dtm, prior_scale=10, min_freq=5, top_n=5, test=DocumentTest(seed=1, alpha=1.0, min_documents=1)
    )
    single = next(t for t in one["x"] if t.term == "单一")
    assert single.documents == 1 and single.top_share == 1.0 and single.top_document == "x00"
    # P(x00 among the 10 of 40 labelled x) = 0.25, estimated from 1,000 relabellings: within 4 standard errors
    assert single.doc_p == pytest.approx(10 / 40, abs=4 * math.sqrt(0.25 * 0.75 / 1000))


def test_terms_alone_without_intervals_are_the_same_terms():
    dtm = doc_term_matrix(planted())
    test = DocumentTest(seed=1, alpha=1.0, min_documents=1)
    full = distinctive_terms(dtm, prior_scale=10, min_freq=5, top_n=5, test=test)["x"]
    alone = distinctive_terms(dtm, prior_scale=10, min_freq=5, top_n=5, test=test, intervals=False)["x"]
    assert [(t.term, t.doc_p) for t in alone] == [(t.term, t.doc_p) for t in full]
    assert all(t.log_ratio_low is None for t in alone) and all(t.log_ratio_low is not None for t in full)


def test_sequential_relabelling_resolves_small_p():
    dtm = doc_term_matrix(planted())
    column = dtm.column("广泛")
    in_x = np.asarray(dtm.groups) == "x"
    rate = rates_of(dtm.counts, [column])
    plain = permutation_p(rate, in_x, resamples=1000, rng=np.random.default_rng(2))
    sequential = permutation_p(rate, in_x, resamples=1000, max_resamples=20000, rng=np.random.default_rng(2))
    assert plain.tolist() == [1 / 1001]  # no relabelling as extreme: the floor of 1,000
    assert sequential.tolist() == [1 / 20001]


def test_benjamini_hochberg_by_hand_and_against_scipy():
    p = np.array([0.01, 0.04, 0.03, 0.2])
    # sorted .01 .03 .04 .2; p·m/rank .04 .06 .0533 .2; running minimum from the top: .04 .0533 .0533 .2
    assert benjamini_hochberg(p) == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.2])
    rng = np.random.default_rng(3)
    family = rng.uniform(size=500) ** 3
    assert benjamini_hochberg(family) == pytest.approx(stats.false_discovery_control(family, method="bh"))


def test_p_values_are_printed_with_sense():
    assert pvalue(2.67e-86) == "< 1e-16" and pvalue(0.0) == "< 1e-16"
    assert pvalue(0.012345) == "0.0123" and pvalue(1.0) == "1" and pvalue(None) == ""


@pytest.fixture(scope="module")
def larger_run(tmp_path_factory) -> Path:
    """Beijing's and Shanghai's first 40 regulations and Guangzhou's 10, as clean texts in folders."""
    base = tmp_path_factory.mktemp("keyness")
    names = sorted(p.name for p in FOUR_CITIES_TRUTH.glob("*.txt"))
    for prefix, city, n in (("bj", "beijing", 40), ("sh", "shanghai", 40), ("gz", "guangzhou", 10)):
        folder = base / "corpus" / city
        folder.mkdir(parents=True)
        for name in [x for x in names if x.startswith(prefix)][:n]:
            shutil.copy(FOUR_CITIES_TRUTH / name, folder / name)
    out = base / "out"
    result = subprocess.run(
        [sys.executable, "-m", "textmine", "run", str(base / "corpus"), "-o", str(out), "--no-topics", "-q"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def counted(larger_run):
    """The run's documents counted again from its tokens: the matrix, the terms tested (10 uses or
    more) and their rates, terms × documents."""
    docs = analysed_tokens(larger_run)
    dtm = doc_term_matrix(TokenizedDocument(d["id"], d["group"], d["year"], d["sentences"]) for d in docs)
    tested = np.flatnonzero(np.asarray(dtm.counts.sum(axis=0)).ravel() >= 10)
    return dtm, tested, rates_of(dtm.counts, tested)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_document_level_evidence_recounted_from_tokens(larger_run):
    docs = analysed_tokens(larger_run)
    counts = [Counter(t for s in d["sentences"] for t in s) for d in docs]
    lengths = np.array([sum(c.values()) for c in counts], dtype=float)
    groups = np.array([d["group"] for d in docs])
    rows = read_csv(larger_run / "tables" / "distinctive_terms.csv")
    assert {r["group"] for r in rows} >= {"beijing", "shanghai"}
    rng = np.random.default_rng(2024)  # an independent stream
    for row in rows:
        group, term = row["group"], row["term"]
        mine = [i for i in range(len(docs)) if groups[i] == group]
        uses = {docs[i]["id"]: counts[i][term] for i in mine if counts[i][term]}
        assert int(row["documents"]) == len(uses) >= 3  # the rule: at least compare.min_term_documents
        assert float(row["doc_q"]) < 0.05
        heaviest = max(sorted(uses), key=lambda d: uses[d])
        assert row["top_document"] == heaviest
        assert float(row["top_share"]) == pytest.approx(uses[heaviest] / sum(uses.values()), abs=1e-4)
        # the permutation p, recomputed with 20,000 relabellings of an independent stream
        rate = np.array([c[term] for c in counts]) / lengths
        in_group = groups == group
        observed = rate[in_group].mean() - rate[~in_group].mean()
        labels = np.array([rng.permutation(in_group) for _ in range(20000)])
        permuted = (labels * rate).sum(axis=1) / in_group.sum() - ((~labels) * rate).sum(axis=1) / (~in_group).sum()
        p = (1 + np.sum(permuted >= observed - 1e-12)) / 20001
        reported = float(row["doc_p"])
        assert abs(p - reported) <= 4 * math.sqrt(max(p, 1 / 20001) / 20000) + 2 / 20001, (group, term, p, reported)
        # the bootstrap interval holds the estimate
        assert float(row["log_ratio_low"]) <= float(row["log_ratio"]) <= float(row["log_ratio_high"])


def test_permutation_p_values_are_the_same_on_any_number_of_threads(counted):
    dtm, _, rate = counted
    for group in dtm.group_names:
        in_group = np.asarray(dtm.groups) == group
        found = [
            permutation_p(rate, in_group, resamples=1000, max_resamples=5000, rng=np.random.default_rng(7), threads=t)
            for t in (1, 2, 3)
        ]
        assert found[0].tobytes() == found[1].tobytes() == found[2].tobytes(), group
    assert (found[0] < 1 / 1001).any() and (found[0] > 0.5).any()  # both phases of the sequential test ran


def test_relabellings_drawn_a_few_at_a_time_give_the_same_p_values(counted, monkeypatch):
    import textmine.analysis.resampling as resampling

    dtm, _, rate = counted
    in_group = np.asarray(dtm.groups) == "beijing"

    class Counted:  # the generator, counting the relabellings drawn at once
        def __init__(self) -> None:
            self.rng, self.drawn = np.random.default_rng(7), []

        def permuted(self, x: np.ndarray, axis: int) -> np.ndarray:
            self.drawn.append(len(x))
            return self.rng.permuted(x, axis=axis)

    def p_values(rng: Counted) -> np.ndarray:
        return permutation_p(rate, in_group, resamples=1000, max_resamples=5000, rng=rng)

    whole, few = Counted(), Counted()
    p_whole = p_values(whole)  # 250 relabellings a draw for these documents
    monkeypatch.setattr(resampling, "_LABEL_CELLS", 7 * len(in_group))  # 7 a draw: a corpus 36 times larger
    assert p_values(few).tobytes() == p_whole.tobytes()
    assert max(whole.drawn) == 250 and max(few.drawn) == 7 and sum(few.drawn) == sum(whole.drawn) == 5000
    assert (p_whole < 1 / 1001).any() and (p_whole > 0.5).any()  # both phases of the sequential test ran


def test_relabellings_summed_a_few_terms_at_a_time_give_the_same_p_values(counted, monkeypatch):
    import textmine.analysis.resampling as resampling

    dtm, _, rate = counted
    in_group = np.asarray(dtm.groups) == "shanghai"

    def p_values() -> np.ndarray:
        return permutation_p(
            rate, in_group, resamples=1000, max_resamples=5000, rng=np.random.default_rng(3), threads=2
        )

    whole = p_values()  # every term of a thread's part at once
    monkeypatch.setattr(resampling, "_PRODUCT_CELLS", 3 * 250)  # three terms at a time
    assert p_values().tobytes() == whole.tobytes()
    assert (whole < 1 / 1001).any() and (whole > 0.5).any()  # both phases of the sequential test ran


def test_bootstrap_intervals_drawn_a_few_resamples_at_a_time_are_the_same(larger_run, monkeypatch):
    import textmine.analysis.resampling as resampling

    docs = analysed_tokens(larger_run)
    dtm = doc_term_matrix(TokenizedDocument(d["id"], d["group"], d["year"], d["sentences"]) for d in docs)
    columns = np.argsort(-np.asarray(dtm.counts.sum(axis=0)).ravel())[:40]
    sides = [dtm.counts[dtm.rows_of(g)][:, columns] for g in ("beijing", "shanghai")]
    lengths = [np.asarray(dtm.counts[dtm.rows_of(g)].sum(axis=1)).ravel() for g in ("beijing", "shanghai")]

    def interval() -> tuple[np.ndarray, np.ndarray]:
        return log_ratio_interval(*sides, *lengths, resamples=1000, rng=np.random.default_rng(5))

    whole = interval()  # every resample's weights at once for these 40 documents a side
    monkeypatch.setattr(resampling, "_DRAW_CELLS", 7 * 40)  # 7 resamples at a time
    parts = interval()
    assert whole[0].tobytes() == parts[0].tobytes() and whole[1].tobytes() == parts[1].tobytes()
    assert (whole[0] <= whole[1]).all() and (whole[0] < whole[1]).any()


def test_document_level_tables_are_reproducible(larger_run, tmp_path):
    """Again, on one thread (the first run had one per core) and without the p-values kept in the cache."""
    corpus = larger_run.parent / "corpus"
    again = tmp_path / "again"
    result = subprocess.run(
        [sys.executable, "-m", "textmine", "run", str(corpus), "-o", str(again), "--no-topics", "-q"]
        + ["--workers", "1", "--set", "run.cache=false"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    for name in ("distinctive_terms.csv", "pairwise_terms.csv", "robustness.csv"):
        assert (again / "tables" / name).read_bytes() == (larger_run / "tables" / name).read_bytes(), name


def test_a_rerun_on_the_same_counts_takes_its_p_values_from_the_store(tmp_path, monkeypatch):
    """p-values kept in the cache between runs are the ones the relabellings give: a second run on
    the same counts draws none and lists the same terms with the same p; other counts miss it."""
    import textmine.analysis.compare as compare_module
    from textmine.workflow.cache import JsonCache

    dtm = doc_term_matrix(planted())
    store = JsonCache(tmp_path / "compare", {"test": 1})
    test = lambda: DocumentTest(seed=1, alpha=1.0, min_documents=1, store=store)  # noqa: E731
    first = distinctive_terms(dtm, prior_scale=10, min_freq=5, top_n=5, test=test())
    assert first == distinctive_terms(
        dtm, prior_scale=10, min_freq=5, top_n=5, test=DocumentTest(seed=1, alpha=1.0, min_documents=1)
    )
    drawn = []
    counted = compare_module.permutation_p
    monkeypatch.setattr(compare_module, "permutation_p", lambda *a, **k: drawn.append(1) or counted(*a, **k))
    assert distinctive_terms(dtm, prior_scale=10, min_freq=5, top_n=5, test=test()) == first
    assert drawn == []  # was: every relabelling drawn again
    other = planted()
    other[0] = TokenizedDocument("x00", "x", 2020, [other[0].sentences[0][:-1]])  # one token fewer
    distinctive_terms(doc_term_matrix(other), prior_scale=10, min_freq=5, top_n=5, test=test())
    assert drawn  # other counts, other p-values: drawn


def test_the_same_evidence_whatever_the_slabs_the_terms_are_laid_out_in(counted, monkeypatch):
    import textmine.analysis.compare as compare

    dtm, tested, _ = counted
    test = lambda: DocumentTest(seed=3, max_resamples=5000)  # noqa: E731 - a fresh one: nothing known yet
    whole = distinctive_terms(dtm, top_n=30, test=test())
    assert len(compare._slabs(dtm.document_frequency[tested], compare._LAID_OUT)) == 1
    monkeypatch.setattr(compare, "_LAID_OUT", 200)  # a few terms at a time: hundreds of slabs
    assert len(compare._slabs(dtm.document_frequency[tested], compare._LAID_OUT)) > 100
    assert distinctive_terms(dtm, top_n=30, test=test()) == whole
    assert any(t.doc_p is not None and t.doc_p < 0.001 for terms in whole.values() for t in terms)


def test_slabs_cover_the_terms_in_order_within_their_limit():
    from textmine.analysis.compare import _slabs

    assert _slabs(np.array([3, 3, 5, 1, 9, 1]), 6) == [(0, 2), (2, 4), (4, 5), (5, 6)]  # 9 alone
    assert _slabs(np.array([], dtype=int), 6) == []
