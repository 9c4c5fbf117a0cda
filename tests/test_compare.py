import math

import numpy as np
import pytest

from textmine.analysis.compare import distinctive_terms, log_odds_z
from textmine.analysis.counting import TokenizedDocument, doc_term_matrix


def test_log_odds_against_the_formula_by_hand():
    y_i, y_j = np.array([10.0, 2.0, 0.0]), np.array([5.0, 20.0, 3.0])
    prior = np.array([1.5, 2.2, 0.3])
    delta, z = log_odds_z(y_i, y_j, prior)
    a0, n_i, n_j = 4.0, 12.0, 28.0
    d0 = math.log((10 + 1.5) / (n_i + a0 - 10 - 1.5)) - math.log((5 + 1.5) / (n_j + a0 - 5 - 1.5))
    assert delta[0] == pytest.approx(d0)
    assert z[0] == pytest.approx(d0 / math.sqrt(1 / 11.5 + 1 / 6.5))
    d2 = math.log(0.3 / (n_i + a0 - 0.3)) - math.log(3.3 / (n_j + a0 - 3.3))
    assert z[2] == pytest.approx(d2 / math.sqrt(1 / 0.3 + 1 / 3.3))


def test_each_group_gets_the_terms_it_uses_more():
    docs = [
        TokenizedDocument("a", "北京", None, [["人才"] * 30 + ["创新"] * 10 + ["管理"] * 20]),
        TokenizedDocument("b", "上海", None, [["金融"] * 30 + ["创新"] * 10 + ["管理"] * 20]),
        TokenizedDocument("c", "深圳", None, [["科技"] * 30 + ["创新"] * 10 + ["管理"] * 20]),
    ]
    result = distinctive_terms(doc_term_matrix(docs), prior_scale=10, min_freq=1, top_n=2)
    assert [t.term for t in result["北京"]][0] == "人才"
    assert [t.term for t in result["上海"]][0] == "金融"
    assert [t.term for t in result["深圳"]][0] == "科技"
    top = result["北京"][0]
    assert (top.count, top.rest_count, top.per_10k) == (30, 0, 5000.0)
    assert top.z > 1.96
    # terms used alike by every group are not distinctive
    assert all(t.z < 1.96 for g in result.values() for t in g if t.term in ("创新", "管理"))


def test_two_by_two_statistics_by_hand():
    from scipy import stats

    from textmine.analysis.compare import two_by_two

    # the term: 10 of the group's 100 tokens, 5 of the rest's 200; expected 5 and 10
    result = two_by_two(np.array([10.0]), np.array([5.0]), 100, 200)
    g2 = 2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10) + 90 * math.log(90 / 95) + 195 * math.log(195 / 190))
    assert result["g2"][0] == pytest.approx(g2)
    assert result["p"][0] == pytest.approx(stats.chi2.sf(g2, 1))
    assert result["chi2"][0] == pytest.approx(25 / 5 + 25 / 10 + 25 / 95 + 25 / 190)
    assert result["log_ratio"][0] == pytest.approx(2.0)  # 10 % against 2.5 %
    # a term the rest never uses: its zero counts as 0.5
    assert two_by_two(np.array([4.0]), np.array([0.0]), 100, 200)["log_ratio"][0] == pytest.approx(
        math.log2(0.04 / 0.0025)
    )


def test_benjamini_hochberg_by_hand():
    from textmine.analysis.compare import benjamini_hochberg

    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.2]))
    assert q.tolist() == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])


def test_dispersion_by_hand():
    from textmine.analysis.compare import dispersion

    # two documents of 4 tokens; the term twice in the first, never in the second
    sizes = np.array([4, 4])
    assert dispersion(np.array([2, 0]), sizes) == pytest.approx((0.5, 0.5))
    assert dispersion(np.array([2, 4]), sizes)[0] == pytest.approx(0.5 * (abs(2 / 6 - 0.5) + abs(4 / 6 - 0.5)))


def test_pairwise_comparisons_cover_every_ordered_pair():
    from textmine.analysis.compare import pairwise_terms

    docs = [
        TokenizedDocument("a", "北京", None, [["人才"] * 30 + ["管理"] * 20]),
        TokenizedDocument("b", "上海", None, [["金融"] * 30 + ["管理"] * 20]),
        TokenizedDocument("c", "深圳", None, [["科技"] * 30 + ["管理"] * 20]),
    ]
    pairs = pairwise_terms(doc_term_matrix(docs), prior_scale=10, min_freq=1, top_n=1)
    assert len(pairs) == 6
    assert pairs[("北京", "上海")][0].term == "人才" and pairs[("上海", "北京")][0].term == "金融"
    top = pairs[("北京", "上海")][0]
    assert top.g2 > 10 and top.q < 0.01 and top.log_ratio > 5


def test_small_groups_are_flagged_with_the_reason():
    from textmine.analysis.compare import small_groups

    flagged = small_groups(
        {"北京": (54, 90_000), "广州": (7, 30_000), "深圳": (30, 8_000)}, min_documents=20, min_tokens=20_000
    )
    assert flagged == {"广州": "small sample: 7 documents < 20", "深圳": "small sample: 8000 tokens < 20000"}


def test_group_similarity_and_divergence_by_hand():
    from textmine.analysis.compare import group_similarity, jensen_shannon

    docs = [
        TokenizedDocument("a", "X", None, [["人才", "人才", "公寓"]]),
        TokenizedDocument("b", "Y", None, [["人才", "补贴"]]),
        TokenizedDocument("c", "Z", None, [["管理"]]),
    ]
    # idf over 3 documents: 人才 log(3/2), 公寓 / 补贴 / 管理 log 3
    lo, hi = math.log(3 / 2), math.log(3)
    x, y = np.array([2 * lo, hi, 0, 0]), np.array([lo, 0, hi, 0])
    similarity = group_similarity(doc_term_matrix(docs))
    assert similarity[("X", "Y")] == pytest.approx(x @ y / (np.linalg.norm(x) * np.linalg.norm(y)), abs=1e-6)
    assert similarity[("X", "Z")] == 0.0
    p, q = np.array([0.5, 0.5]), np.array([1.0, 0.0])
    m = (p + q) / 2
    expected = 0.5 * (0.5 * math.log2(0.5 / 0.75) + 0.5 * math.log2(0.5 / 0.25)) + 0.5 * math.log2(1 / 0.75)
    assert jensen_shannon(p, q) == pytest.approx(expected, abs=1e-6) and m.sum() == 1.0


def test_top_lists_compared_by_hand():
    from textmine.analysis.robustness import compare_lists

    assert compare_lists(["a", "b", "c"], ["a", "b", "c"]) == (1.0, 1.0)
    assert compare_lists(["a", "b", "c"], ["c", "b", "a"]) == (1.0, -1.0)
    # union a, b, c, d ranked 1, 2, 3, 3 in the first list (c, d missing) and 3, 3, 1, 2 in the second
    overlap, rho = compare_lists(["a", "b"], ["c", "d"])
    assert overlap == 0.0 and rho == pytest.approx(-0.8889, abs=1e-4)


def test_terms_rising_and_falling_between_periods_by_hand():
    from textmine.analysis.compare import change_terms

    docs = [
        TokenizedDocument("a", "北京", 2010, [["审批"] * 20 + ["管理"] * 10]),
        TokenizedDocument("b", "北京", 2020, [["服务"] * 20 + ["管理"] * 10]),
        TokenizedDocument("c", "上海", 2010, [["管理"] * 30]),
        TokenizedDocument("d", "上海", 2020, [["管理"] * 25 + ["服务"] * 5]),
    ]
    dtm = doc_term_matrix(docs)
    periods = ["early", "late", "early", "late"]
    changes = change_terms(
        dtm, ["北京", "北京", "上海", "上海"], periods, ["early", "late"], prior_scale=10, min_freq=1
    )
    beijing = {(c.direction, c.term.term): c for c in changes if c.group == "北京"}
    assert set(beijing) == {("rising", "服务"), ("falling", "审批")}  # 管理 holds steady: z = 0, not listed
    rising = beijing["rising", "服务"]
    assert (rising.earlier, rising.later, rising.documents) == ("early", "late", (1, 1))
    assert (rising.term.count, rising.term.rest_count) == (20, 0)
    # the prior is the whole corpus's distribution: 服务 has 25 of 120 tokens
    a = 10 * 25 / 120
    delta = math.log((20 + a) / (30 + 10 - 20 - a)) - math.log((0 + a) / (30 + 10 - 0 - a))
    assert rising.term.z == pytest.approx(delta / math.sqrt(1 / (20 + a) + 1 / a), abs=1e-4)
    whole = {(c.direction, c.term.term) for c in changes if c.group == "(all)"}
    assert ("rising", "服务") in whole and ("falling", "审批") in whole
    assert {c.group for c in changes} == {"(all)", "北京", "上海"}
