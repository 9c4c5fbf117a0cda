import random

from textmine.analysis.counting import TokenizedDocument
from textmine.config import SegmentConfig
from textmine.text.resources import load_lexicon
from textmine.text.segment import Segmenter
from textmine.text.vocabulary import concordance, new_terms, synonym_candidates

from conftest import SUBSET, make_corpus, manifest_rows, truth


def segmenter(**options) -> Segmenter:
    config = SegmentConfig(**options)
    return Segmenter(load_lexicon(config), config).load()


def test_a_recurring_unknown_term_is_proposed():
    rng = random.Random(7)
    before = ["支持", "建设", "推进", "鼓励", "完善", "发展", "规范", "打造"]
    after = ["项目", "政策", "平台", "机制", "试点", "标准", "服务", "基金"]
    # 人才飞地 (a talent "enclave" in another city) is a policy term the dictionary lacks; it is planted
    # in six real regulations, each time between different words
    texts = [
        truth(doc_id)
        + "".join(f"{rng.choice(before)}人才飞地{rng.choice(after)}，加强科技成果转化。" for _ in range(12))
        for doc_id in ("sh0010", "bj0004", "gz0003", "bj0166", "sh0040", "sz0009")
    ]
    found = {t.term: t for t in new_terms(texts, segmenter(), min_freq=5, top=10)}
    planted = found["人才飞地"]
    assert planted.tokens == "人才 | 飞地" and (planted.freq, planted.documents) == (72, 6)
    assert planted.left_entropy > 2.5 and planted.right_entropy > 2.5 and planted.pmi > 3
    assert "流溪河流域" in found  # a real one: the river basin gz0003 regulates, cut 流溪河 | 流域 today
    assert "科技成果转化" not in found  # already in the dictionary


def test_synonyms_used_alike_are_proposed_and_broader_terms_are_not():
    rng = random.Random(3)
    contexts = ["引进", "培养", "安家补贴", "人才公寓", "子女教育", "医疗", "落户", "评价"]
    other = ["道路", "交通", "停车", "车辆", "运输", "公交", "信号", "桥梁"]
    sentences = []
    for _ in range(300):
        sentences.append([rng.choice(["高端人才", "高层次人才"]), *rng.sample(contexts, 3)])
        sentences.append(["技能人才", *rng.sample(other, 3)])
        sentences.append(["人才", *rng.sample(contexts + other, 3)])
    found = synonym_candidates([TokenizedDocument("d", "g", None, sentences)], min_cosine=0.8)
    assert [({c.term, c.other}, c.head) for c in found] == [({"高层次人才", "高端人才"}, "人才")]
    assert found[0].cosine > 0.9


def test_synonym_candidates_summed_in_batches_are_those_of_the_whole_corpus(monkeypatch):
    from collections import Counter

    from textmine.text import vocabulary

    cut = segmenter()
    documents = [
        TokenizedDocument(d, "g", None, cut.segment(truth(d)).sentences) for d in sorted(manifest_rows())[:120]
    ]
    whole = synonym_candidates(documents, min_cosine=0.4)
    assert len(whole) >= 3
    freq = Counter(t for d in documents for t in d.tokens)  # by hand, from the strings
    assert all((c.freq, c.other_freq) == (freq[c.term], freq[c.other]) for c in whole)
    monkeypatch.setattr(vocabulary._batches, "__defaults__", (2000,))  # a few documents a batch
    assert synonym_candidates(documents, min_cosine=0.4) == whole


def test_concordance_finds_tokens_and_merged_variants(tmp_path):
    text = (
        "第一条 支持高新技术企业发展。\n认定为高企的，给予奖励；高企名单每年公布。\n高新技术企业认定管理办法另行制定。"
    )
    lines = concordance([("d1", "shenzhen", 2021, text)], "高新技术企业", segmenter(), width=4)
    assert [(x.left, x.match, x.right) for x in lines] == [
        ("条 支持", "高新技术企业", "发展。"),
        ("认定为", "高企", "的，给予"),
        ("予奖励；", "高企", "名单每年"),
        ("", "高新技术企业", "认定管理"),
    ]
    assert all((x.doc_id, x.group, x.year) == ("d1", "shenzhen", 2021) for x in lines)


def test_kwic_and_terms_commands_on_the_real_corpus(tmp_path):
    import subprocess
    import sys

    corpus = make_corpus(tmp_path / "c", SUBSET)
    kwic = subprocess.run(
        [sys.executable, "-m", "textmine", "kwic", str(corpus), "人民政府", "-o", str(tmp_path / "k.csv")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert kwic.returncode == 0, kwic.stderr
    count = int(kwic.stdout.strip().splitlines()[-1].split()[0])
    rows = (tmp_path / "k.csv").read_text(encoding="utf-8-sig").splitlines()
    assert count > 10 and len(rows) == count + 1 and all("人民政府" in row for row in rows[1:])
    terms = subprocess.run(
        [
            sys.executable,
            "-m",
            "textmine",
            "terms",
            str(corpus),
            "--top",
            "10",
            "--min-freq",
            "3",
            "-o",
            str(tmp_path / "t.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert terms.returncode == 0, terms.stderr
    proposed = (tmp_path / "t.txt").read_text(encoding="utf-8").splitlines()[1:]
    assert 1 <= len(proposed) <= 10 and all(line.endswith(" n") for line in proposed)
