import math

import numpy as np
import pytest

from textmine.compare import distinctive_terms, log_odds_z
from textmine.counting import TokenizedDocument, doc_term_matrix


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
