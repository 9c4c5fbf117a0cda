import pytest

from textmine.analysis.counting import TokenizedDocument
from textmine.analysis.dimensions import Scheme, score
from textmine.analysis.selection import parse_rules, select
from textmine.errors import ConfigError

SCHEME = Scheme("链", "test", {"服务保障 services": ("人才公寓", "落户")}, "t.toml")
DOCS = [
    TokenizedDocument("a", "X", None, [["人才"] * 5 + ["管理"]]),
    TokenizedDocument("b", "X", None, [["人才公寓", "落户", "人才"]]),
    TokenizedDocument("c", "Y", None, [["管理", "交通"]]),
]


def test_any_and_all_of_term_and_dimension_rules():
    rules = parse_rules(["人才>=5", "dimension:服务保障"], list(SCHEME.dimensions))
    scores = score(DOCS, [SCHEME], min_hits=2)[0]
    kept, dropped = select(DOCS, rules, scores, mode="any")
    assert [d.id for d in kept] == ["a", "b"] and dropped == {"c": ["人才>=5", "dimension:服务保障"]}
    kept, dropped = select(DOCS, rules, scores, mode="all")
    assert kept == [] and dropped == {
        "a": ["dimension:服务保障"],
        "b": ["人才>=5"],
        "c": ["人才>=5", "dimension:服务保障"],
    }


def test_rules_that_cannot_be_read_are_errors():
    with pytest.raises(ConfigError, match="take 'TERM>=N' or 'dimension:NAME'. Got '人才 > 5'"):
        parse_rules(["人才 > 5"], [])
    with pytest.raises(ConfigError, match="names no single dimension"):
        parse_rules(["dimension:引进"], ["服务保障 services"])
