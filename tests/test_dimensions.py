from pathlib import Path

import pytest

from textmine.analysis.counting import TokenizedDocument
from textmine.analysis.dimensions import Scheme, read_scheme, score
from textmine.config import CompareConfig
from textmine.errors import ResourceError
from textmine.text.resources import dimension_scheme_files

SCHEME = Scheme(
    "链", "test", {"引进 attracting": ("引进", "柔性引才"), "服务保障 services": ("人才公寓", "落户")}, "t.toml"
)
DOCS = [
    TokenizedDocument("a", "北京", 2020, [["引进", "人才", "引进"], ["人才公寓"]]),  # 4 tokens
    TokenizedDocument("b", "北京", 2021, [["柔性引才", "落户", "人才公寓", "补贴"]]),  # 4 tokens
    TokenizedDocument("c", "深圳", 2021, [["人才", "补贴"]]),  # 2 tokens
]


def test_scores_by_hand():
    documents, groups = score(DOCS, [SCHEME], min_hits=2)
    by_doc = {(s.doc_id, s.dimension): s for s in documents}
    a = by_doc[("a", "引进 attracting")]
    assert (a.hits, a.per_10k, a.tagged, a.matched) == (2, 5000.0, True, (("引进", 2),))
    assert by_doc[("a", "服务保障 services")].tagged is False  # one hit, fewer than 2
    assert by_doc[("b", "服务保障 services")].matched == (("人才公寓", 1), ("落户", 1))
    by_group = {(s.group, s.dimension): s for s in groups}
    beijing = by_group[("北京", "服务保障 services")]
    assert (beijing.hits, beijing.tokens, beijing.per_10k, beijing.doc_share) == (3, 8, 3750.0, 0.5)
    assert by_group[("深圳", "引进 attracting")].hits == 0


def test_shipped_schemes_have_sources_and_terms():
    schemes = [read_scheme(p) for p in dimension_scheme_files(CompareConfig())]
    assert [(Path(s.file).name, len(s.dimensions)) for s in schemes] == [
        ("policy_instruments.toml", 3),
        ("talent_chain.toml", 6),
        ("talent_loss_pressures.toml", 4),
    ]
    assert all(s.source and all(terms for terms in s.dimensions.values()) for s in schemes)
    assert dimension_scheme_files(CompareConfig(shipped_dimensions=False)) == []


def test_a_bad_scheme_is_named(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('name = "x"\n[dimensions]\n"a" = []\n', encoding="utf-8")
    with pytest.raises(ResourceError, match="mine.toml: dimension 'a' must be a non-empty list of terms"):
        read_scheme(path)
