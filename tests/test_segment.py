import jieba
import pytest

import textmine
from textmine.config import SegmentConfig
from textmine.text.resources import load_lexicon
from textmine.text.segment import Segmenter, self_test, split_sentences

from conftest import SUBSET, make_corpus

ENGINES = ["rjieba", "jieba"]


def segmenter(**options) -> Segmenter:
    config = SegmentConfig(**options)
    return Segmenter(load_lexicon(config), config)


@pytest.mark.parametrize("engine", ENGINES)
def test_policy_terms_come_out_whole_and_boilerplate_goes(engine):
    text = "北京市支持专精特新企业引进高层次人才，为其提供人才公寓和安家补贴，设立博士后工作站。进一步加强有关工作。"
    assert segmenter(engine=engine).sentences(text) == [
        [
            "北京市",
            "支持",
            "专精特新",
            "企业",
            "引进",
            "高层次人才",
            "提供",
            "人才公寓",
            "安家补贴",
            "设立",
            "博士后工作站",
        ],
    ]


def test_sentences_end_at_sentence_punctuation_and_paragraphs():
    assert split_sentences("第一条 甲。乙！丙？\n第二条 丁；戊") == ["第一条 甲", "乙", "丙", "第二条 丁；戊"]


@pytest.mark.parametrize("engine", ENGINES)
def test_synonyms_are_merged_counted_and_then_filtered(engine):
    result = segmenter(engine=engine).segment("支持高企和双创，推动自贸区发展。高企认定。")
    tokens, merged = [t for s in result.sentences for t in s], result.merged
    assert {"高新技术企业", "创新创业", "自由贸易试验区"} <= set(tokens)
    assert "高企" not in tokens and "自贸区" not in tokens
    assert merged == {("高企", "高新技术企业"): 2, ("双创", "创新创业"): 1, ("自贸区", "自由贸易试验区"): 1}


@pytest.mark.parametrize("engine", ENGINES)
def test_user_lists_from_config(tmp_path, engine):
    (tmp_path / "dict.txt").write_text("营商环境优化 n\n", encoding="utf-8")
    (tmp_path / "stop.txt").write_text("# mine\n推动\n", encoding="utf-8")
    (tmp_path / "syn.tsv").write_text("营商环境优化\t营商环境\n", encoding="utf-8")
    seg = segmenter(
        engine=engine,
        user_dicts=[str(tmp_path / "dict.txt")],
        stopwords=[str(tmp_path / "stop.txt")],
        synonyms=[str(tmp_path / "syn.tsv")],
    )
    assert seg.cut("推动营商环境优化") == ["推动", "营商环境优化"]
    assert seg.sentences("推动营商环境优化。") == [["营商环境"]]


@pytest.mark.parametrize("engine", ENGINES)
def test_parts_of_speech_can_be_kept_selectively(engine):
    seg = segmenter(engine=engine, pos_keep=["n*"])
    assert seg.tag("支持专精特新企业") == [("支持", "v"), ("专精特新", "nz"), ("企业", "n")]
    assert seg.sentences("支持专精特新企业。") == [["专精特新", "企业"]]


def test_each_sentence_knows_its_paragraph_and_article():
    text = "北京市人才条例\n第一条 引进人才。培养人才。\n鼓励创新。\n第二条 人才公寓。"
    result = segmenter().segment(text)
    assert result.sentences == [
        ["北京市", "人才"],  # 条例 is boilerplate
        ["引进人才"],
        ["培养人才"],
        ["鼓励", "创新"],
        ["人才公寓"],
    ]
    assert result.paragraphs == [0, 1, 1, 2, 3]
    assert result.articles == [0, 1, 1, 1, 2]


def test_article_numbers_are_not_keywords():
    assert segmenter().sentences("第十一条 人才公寓\n第三章 附则") == [["人才公寓"], ["附则"]]


def test_short_and_non_chinese_tokens_are_dropped():
    # 2024 | 年: digits carry no Han character and 年 is one character
    assert segmenter().sentences("2024年 AI 与 5G 的人工智能应用。") == [["人工智能", "应用"]]


def test_without_shipped_lists_nothing_is_filtered_but_length():
    assert segmenter(shipped_lists=False).sentences("进一步加强有关工作。")[0] == ["进一步", "加强", "有关", "工作"]


def test_jieba_engine_owns_its_tokenizer_and_leaves_jiebas_global_one_alone():
    seg = segmenter(engine="jieba")
    seg.sentences("高层次人才。")
    assert seg.engine.tokenizer is not jieba.dt
    assert not jieba.dt.initialized


@pytest.mark.parametrize("engine", ENGINES)
def test_every_shipped_dictionary_entry_comes_out_whole(engine):
    report, _ = self_test(segmenter(engine=engine))
    assert report.entries >= 100 and report.failed == () and report.share_whole == 1.0


@pytest.mark.parametrize("engine", ENGINES)
def test_self_test_fixes_frequencies_and_names_what_cannot_be_fixed(tmp_path, engine):
    path = tmp_path / "bad.txt"
    path.write_text("人才 公寓\n双一流，建设\n高精尖产业 1 n\r\n", encoding="utf-8")
    seg = segmenter(engine=engine, shipped_lists=False, user_dicts=[str(path)])
    report, fixed = self_test(seg)
    assert dict(report.failed) == {
        "人才 公寓": "holds a space or punctuation, so it can never be one token",
        "双一流，建设": "holds a space or punctuation, so it can never be one token",
    }
    assert [word for word, _ in report.fixed] in ([], ["高精尖产业"])
    assert report.whole + len(report.fixed) == 1
    assert "高精尖产业" in Segmenter(fixed, seg.config).cut("加强高精尖产业建设")


def test_identical_tokens_on_rerun_and_with_one_or_two_workers(tmp_path):
    corpus = make_corpus(tmp_path / "c", SUBSET[:8])
    results = []
    for workers in (1, 2, 2):
        config = textmine.load_config(corpus=corpus, overrides={"run.workers": workers, "run.progress": False})
        read, _ = textmine.extract_corpus(textmine.discover(corpus, config.corpus), config)
        segmented = textmine.segment_corpus(read, textmine.load_lexicon(config.segment), config)
        results.append([(d.id, d.sentences) for d in segmented.documents])
    assert results[0] == results[1] == results[2]
    assert sum(len(s) for _, sentences in results[0] for s in sentences) > 5000
