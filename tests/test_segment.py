import jieba

from textmine.config import SegmentConfig
from textmine.resources import load_lexicon
from textmine.segment import Segmenter, split_sentences


def segmenter(**options) -> Segmenter:
    config = SegmentConfig(**options)
    return Segmenter(load_lexicon(config), config)


def test_policy_terms_come_out_whole_and_boilerplate_goes():
    text = "北京市支持专精特新企业引进高层次人才，为其提供人才公寓和安家补贴，设立博士后工作站。进一步加强有关工作。"
    assert segmenter().sentences(text) == [
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


def test_synonyms_are_merged_before_stopwords_and_counting():
    tokens = segmenter().sentences("支持高企和双创，推动自贸区发展。")[0]
    assert "高新技术企业" in tokens and "创新创业" in tokens and "自由贸易试验区" in tokens
    assert "高企" not in tokens and "自贸区" not in tokens


def test_user_lists_from_config(tmp_path):
    (tmp_path / "dict.txt").write_text("营商环境优化 n\n", encoding="utf-8")
    (tmp_path / "stop.txt").write_text("# mine\n推动\n", encoding="utf-8")
    (tmp_path / "syn.tsv").write_text("营商环境优化\t营商环境\n", encoding="utf-8")
    seg = segmenter(
        user_dicts=[str(tmp_path / "dict.txt")],
        stopwords=[str(tmp_path / "stop.txt")],
        synonyms=[str(tmp_path / "syn.tsv")],
    )
    assert seg.cut("推动营商环境优化") == ["推动", "营商环境优化"]
    assert seg.sentences("推动营商环境优化。") == [["营商环境"]]


def test_short_and_non_chinese_tokens_are_dropped():
    # jieba cuts 2024 | 年: digits carry no Han character and 年 is one character
    assert segmenter().sentences("2024年 AI 与 5G 的人工智能应用。") == [["人工智能", "应用"]]


def test_without_shipped_lists_nothing_is_filtered_but_length():
    tokens = segmenter(shipped_lists=False).sentences("进一步加强有关工作。")[0]
    assert tokens == ["进一步", "加强", "有关", "工作"]


def test_owns_its_tokenizer_and_leaves_jiebas_global_one_alone():
    seg = segmenter()
    seg.sentences("高层次人才。")
    assert seg.tokenizer is not jieba.dt
    assert not jieba.dt.initialized
