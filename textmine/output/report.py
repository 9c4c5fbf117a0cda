"""The report: one self-contained ``report.html`` (charts embedded, everything escaped, no external
URL) and ``report.md``, both built from the run's tables, with a methods paragraph in Chinese and
English generated from the parameters actually used."""

from __future__ import annotations

import base64
import html
import re
from importlib import metadata
from typing import TYPE_CHECKING, Any

import jinja2

from ..ingest.clean import clean_value
from ..workflow.libraries import library_versions

if TYPE_CHECKING:
    from ..workflow.pipeline import Analysis
    from .table import Table

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("textmine", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def pvalue(p: float | None) -> str:
    """A p- or q-value as a reader should see it: three significant digits, "< 1e-16" below what a
    double's arithmetic resolves (never 0, never 2.67e-86), empty when there is none."""
    if p is None:
        return ""
    return "< 1e-16" if p < 1e-16 else f"{p:.3g}"


_ENV.filters["pvalue"] = pvalue


def overview(analysis: "Analysis") -> list[dict[str, Any]]:
    """Documents, tokens and year range per group."""
    years: dict[str, list[int]] = {}
    for d in analysis.text.tokenized:
        if d.year is not None:
            years.setdefault(d.group, []).append(d.year)
    return [
        {
            "group": g,
            "documents": t.documents,
            "tokens": t.tokens,
            "years": f"{min(years[g])}–{max(years[g])}" if years.get(g) else "—",
            "caution": analysis.comparison.caution.get(g, ""),
        }
        for g, t in analysis.counts.keywords_by_group.items()
    ]


_UNIT_ZH = {
    "document": "两词出现在同一文档中即为共现",
    "paragraph": "两词出现在同一段落中即为共现",
    "sentence": "两词出现在同一句子中即为共现",
    "article": "两词出现在同一条款（条）中即为共现",
    "window": "两词在句内相距不超过窗口即为共现",
}
_MEASURE_ZH = {
    "count": "共现次数",
    "jaccard": "Jaccard 系数",
    "cosine": "余弦（Salton）系数",
    "inclusion": "包含指数",
    "association_strength": "关联强度（观测/期望共现，N·c/(sᵢsⱼ)，van Eck & Waltman, 2009）",
    "pmi": "点互信息（PMI）",
    "npmi": "标准化点互信息（NPMI，Bouma, 2009）",
}
_MEASURE_EN = {
    "count": "the number of co-occurrences",
    "jaccard": "the Jaccard index",
    "cosine": "Salton's cosine",
    "inclusion": "the inclusion index",
    "association_strength": "association strength (observed over expected co-occurrence, N·c/(s_i s_j); van Eck & Waltman 2009)",
    "pmi": "pointwise mutual information",
    "npmi": "normalised pointwise mutual information (NPMI; Bouma 2009)",
}


def methods(analysis: "Analysis") -> dict[str, str]:
    """The methods paragraph, in Chinese and English, from the parameters of this run."""
    c, v = analysis.config, library_versions()
    scheme_terms = {t for sc in analysis.comparison.schemes for t in sc.terms}
    words = {w for w, _, _ in analysis.text.lexicon.user_words}
    n_policy, n_dimension = len(words - scheme_terms), len(words & scheme_terms)
    n_stop = len(analysis.text.lexicon.stopwords)
    n_syn, n_fired, n_merges = (
        len(analysis.text.lexicon.synonyms),
        len(analysis.text.merges),
        sum(analysis.text.merges.values()),
    )
    engine = f"rjieba {v['rjieba']}（jieba-rs）" if c.segment.engine == "rjieba" else f"jieba {v['jieba']}"
    engine_en = f"rjieba {v['rjieba']} (jieba-rs)" if c.segment.engine == "rjieba" else f"jieba {v['jieba']}"
    n_versions = sum(len(cl.dropped) for cl in analysis.reading.versions) if c.corpus.versions != "all" else 0
    versions_zh = (
        f"同一政策的多个版本（{len(analysis.reading.versions)} 项）仅保留{'最新' if c.corpus.versions == 'latest' else '最早'}版本，剔除 {n_versions} 篇；"
        if n_versions
        else ""
    )
    versions_en = (
        f"Of each policy found in several versions ({len(analysis.reading.versions)}), only the {c.corpus.versions} was analysed "
        f"({n_versions} documents left out). "
        if n_versions
        else ""
    )
    cc = c.compare
    if cc.resamples:
        test_zh = (
            f"以文档为抽样单位：对文档组别标签做置换检验（Lijffijt 等，2016；先置换 {cc.resamples} 次，极端者序贯加至 "
            f"{cc.max_resamples} 次，Besag & Clifford，1991），对每项比较检验的全部词做 Benjamini–Hochberg 校正，"
            f"doc q < {cc.alpha:g} 且该组至少 {cc.min_term_documents} 篇文档使用者方列为特征词，按 z 排序（同分按词序）；"
            f"log ratio 附按文档自助抽样（{cc.resamples} 次）的 95% 区间。"
        )
        test_en = (
            f" The document is the sampled unit: a term is listed as a group's emphasis only when a permutation test of the "
            f"group labels over the documents (Lijffijt et al. 2016; {cc.resamples} relabellings, continued up to "
            f"{cc.max_resamples} for the extreme terms, Besag & Clifford 1991), Benjamini–Hochberg over every term tested in "
            f"the comparison, gives doc q < {cc.alpha:g}, and at least {cc.min_term_documents} of the group's documents use "
            f"it; listed terms are ranked by z (ties by term), with a 95 % document-bootstrap interval of the log ratio "
            f"({cc.resamples} resamples)."
        )
    else:
        test_zh = "未做文档层面检验（compare.resamples = 0），z 为词次层面的统计。"
        test_en = " No document-level test was made (compare.resamples = 0): z is a token-level statistic."
    drafting_zh, drafting_en = _drafting_sentences(analysis)
    network_zh, network_en = _network_sentences(analysis)
    groups_zh = "、".join(f"{g} {t.documents} 篇" for g, t in analysis.counts.keywords_by_group.items())
    groups_en = ", ".join(f"{g} {t.documents}" for g, t in analysis.counts.keywords_by_group.items())
    hmm_zh = "启用 HMM 新词识别" if c.segment.hmm else "不启用 HMM"
    hmm_en = "with" if c.segment.hmm else "without"
    topic_zh = topic_en = ""
    if analysis.topics is not None:
        t, sel = c.topics, analysis.topics.selection
        ks = [x.k for x in sel.scores]
        seeds = len({f.seed for f in sel.fits})
        if t.k:
            chosen_zh = f"主题数 K={sel.chosen} 由研究者设定"
            chosen_en = f"K = {sel.chosen} was set by the researcher"
        else:
            chosen_zh = (
                f"在 K={ks[0]}–{ks[-1]}（步长 {t.k_step}）之间每个 K 以 {seeds} 个随机种子各拟合一次（留出每第十篇文档计算困惑度），"
                f"按“一个标准误”规则选 K={sel.chosen}：平均 C_NPMI 与最高者相差不超过其一个标准误、且跨种子主题稳定性不低于 "
                f"{t.min_stability} 的最小 K（Breiman 等，1984）{'；无满足稳定性要求的 K，取 C_NPMI 最高者，主题跨种子不稳定' if 'not stable' in sel.rule else ''}"
            )
            chosen_en = (
                f"K = {sel.chosen} was chosen from K = {ks[0]}–{ks[-1]} (step {t.k_step}), each fitted with {seeds} seeds on 90 % of "
                f"the documents, by the rule: {sel.rule} (the one-standard-error rule, Breiman et al. 1984)"
            )
        score = next(x for x in sel.scores if x.k == sel.chosen)
        stable_zh = (
            f"，该 K 在不同种子间的主题稳定性（前 10 词匹配 Jaccard 均值）为 {score.stability:.2f}" if seeds > 1 else ""
        )
        stable_en = (
            f"; its topics' stability across seeds (matched top-10 Jaccard) is {score.stability:.2f}"
            if seeds > 1
            else ""
        )
        nmf_zh = "；另以 scikit-learn 对 TF-IDF 矩阵做 NMF（同一 K）作对照" if analysis.topics.nmf else ""
        nmf_en = "; NMF on the TF-IDF matrix (scikit-learn, same K) serves as a check" if analysis.topics.nmf else ""
        topic_zh = (
            f"主题模型采用 gensim {v['gensim']} 的 LDA（{t.passes} 轮，单进程训练以保证同一种子结果可复现），"
            f"剔除出现于少于 {t.min_df} 篇或超过 {t.max_df:.0%} 文档的词；{chosen_zh}{stable_zh}。"
            f"最终模型以全部文档、随机种子 {c.run.seed} 拟合，主题词按相关度（λ={t.relevance_lambda}，Sievert & Shirley, 2014）排序{nmf_zh}。"
        )
        topic_en = (
            f"Topics were fitted with gensim {v['gensim']} LDA ({t.passes} passes, one process so that a seed reproduces the model), "
            f"leaving out terms in fewer than {t.min_df} documents or in more than {t.max_df:.0%} of them; {chosen_en}{stable_en}. "
            f"The final model was fitted on all documents with seed {c.run.seed}; topic terms are ranked by relevance "
            f"(lambda = {t.relevance_lambda}; Sievert & Shirley 2014){nmf_en}. "
        )
    zh = (
        f"样本为 {len(analysis.text.tokenized)} 份政策文本（{groups_zh}），由 textmine {v['textmine']} 自动抽取全文"
        f"（PDF 文本以 PDFium（pypdfium2 {v['pypdfium2']}）读取，首页与含表格线的页以 pdfplumber {v['pdfplumber']} 读取，"
        f"去除页眉、页脚与页码，并还原被换行截断的句子）。{versions_zh}"
        f"采用 {engine} 分词（{hmm_zh}），加载用户词典 {n_policy + n_dimension} 条（政策术语 {n_policy} 条、政策维度词 "
        f"{n_dimension} 条），去除通用停用词与政策套话共 {n_stop} 个，同义词表 {n_syn} 组中有 {n_fired} 组实际合并（共 "
        f"{n_merges:,} 处），保留不少于 {c.segment.min_chars} 个字且含汉字的词，共得到 {analysis.counts.keywords.tokens:,} 个词次、"
        f"{len(analysis.counts.dtm.vocab):,} 个词型。{drafting_zh}以词频前 {c.network.top_n} 的关键词构建共词网络，{_UNIT_ZH[c.network.unit]}"
        f"（{'二值' if c.network.counting == 'binary' else '全'}计数，最小共现次数 {c.network.min_weight}），"
        f"{network_zh}关键词按词频排序，同频者按文档频次、再按词序；每个关键词的"
        f"最强关联词按共现次数与按{_MEASURE_ZH[c.network.measure].split('（')[0]}各取最大者，同值者取词频较高者、再按词序。{topic_zh}"
        f"各组特征词以带信息性狄利克雷先验的加权对数优势比排序（Monroe 等，2008；α₀ = {c.compare.prior_scale:g}，"
        f"仅检验全语料出现不少于 {c.compare.min_freq} 次的词）。{test_zh}"
    )
    en = (
        f"The sample is {len(analysis.text.tokenized)} policy documents ({groups_en}). Their text was extracted with textmine "
        f"{v['textmine']} (PDF text read with PDFium, pypdfium2 {v['pypdfium2']}, first pages and pages with ruled tables "
        f"with pdfplumber {v['pdfplumber']}; running headers, footers and page numbers removed, lines broken inside "
        f"sentences re-joined). {versions_en}The texts were segmented with {engine_en} ({hmm_en} its HMM for unknown words), "
        f"with a user dictionary of {n_policy + n_dimension} entries ({n_policy} policy terms, {n_dimension} policy-dimension "
        f"terms); {n_stop} general stopwords and policy boilerplate terms were removed, and {n_fired} of the {n_syn} synonym "
        f"pairs listed merged something ({n_merges:,} tokens), keeping words of {c.segment.min_chars} or more characters that contain a "
        f"Han character: {analysis.counts.keywords.tokens:,} tokens of {len(analysis.counts.dtm.vocab):,} distinct terms. {drafting_en}The co-word network links "
        f"the {c.network.top_n} most frequent keywords: two keywords co-occur when they stand in the same "
        f"{c.network.unit if c.network.unit != 'window' else f'window of {c.network.window} tokens'} ({c.network.counting} "
        f"counting; minimum co-occurrence count {c.network.min_weight}). {network_en}Keywords are ranked by frequency, ties by document frequency, "
        f"then by term; a keyword's strongest associated keyword is its link with the highest count, and beside it the "
        f"one with the highest {c.network.measure}, ties going to the more frequent partner, then by term. {topic_en}Terms distinctive of each group were ranked by the weighted log-odds ratio "
        f"with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; alpha_0 = {c.compare.prior_scale:g}; terms "
        f"with at least {c.compare.min_freq} occurrences), each group against the others.{test_en}"
    )
    return {"zh": zh, "en": en}


def drafting_line(analysis: "Analysis", n: int = 15) -> str:
    """One line under the keyword tables: the drafting vocabulary set apart, its most frequent terms."""
    d = analysis.counts.drafting
    if analysis.config.keywords.drafting == "keep" or not d.terms:
        return ""
    top = "、".join(f"{t.term} {t.freq:,}" for t in d.terms[:n])
    return (
        f"起草用语单列，不计入以上关键词 Drafting vocabulary, reported apart and not counted above: {len(d.terms)} terms, "
        f"{d.drafting_tokens:,} tokens ({d.share:.1%}) — {top} … (tables/drafting_terms.csv)"
    )


def _network_sentences(analysis: "Analysis") -> tuple[str, str]:
    """How the backbone, communities and their null were made, and what they show, in Chinese and English."""
    n, seed = analysis.config.network, analysis.config.run.seed
    measure_zh, measure_en = _MEASURE_ZH[n.measure], _MEASURE_EN[n.measure]
    rule_zh = {
        "disparity": f"以差异性过滤（disparity filter，Serrano 等，2009；α = {n.alpha}）提取骨干",
        "top_k": f"每个关键词保留{measure_zh.split('（')[0]}最强的 {n.top_k} 条连线作为骨干",
        "none": "以全部连线为骨干",
    }[n.backbone]
    rule_en = {
        "disparity": f"its backbone is the disparity filter's (Serrano, Boguñá & Vespignani 2009; alpha = {n.alpha})",
        "top_k": f"its backbone is each keyword's {n.top_k} strongest links",
        "none": "its backbone is every link",
    }[n.backbone]
    zh = f"连线以{measure_zh}标准化，{rule_zh}；社区划分（Louvain，随机种子 {seed}）与中心性均在骨干上计算" + (
        f"，模块度与 {n.null_draws} 个保持度序列的随机重连网络（Maslov & Sneppen, 2002；权重随机置换）比较，"
        f"p = (1 + 随机网络模块度不低于观测值的个数)/(1 + {n.null_draws})。"
        if n.null_draws
        else "。"
    )
    en = (
        f"Links are normalised by {measure_en}; {rule_en}, and communities (Louvain, seed {seed}) and centralities are "
        f"computed on it"
        + (
            f", the modularity being compared with {n.null_draws} degree-preserving rewirings of the backbone (Maslov & "
            f"Sneppen 2002) with its weights shuffled: p = (1 + rewirings with a modularity at least as high) / "
            f"(1 + {n.null_draws}). "
            if n.null_draws
            else ". "
        )
    )
    return zh, en


def _drafting_sentences(analysis: "Analysis") -> tuple[str, str]:
    """What was set apart as drafting vocabulary and dropped as numeral spelling, in Chinese and English."""
    k, d = analysis.config.keywords, analysis.counts.drafting
    numerals = sum(analysis.text.numerals.values())
    numerals_zh = f"以汉字数字书写的数量词（一万元、三十日等）{numerals:,} 处已删除。" if numerals else ""
    numerals_en = (
        f"{numerals:,} numeral-plus-unit tokens (一万元, 三十日 …) were dropped as numeral spelling. "
        if numerals
        else ""
    )
    if k.drafting == "keep" or not d.terms:
        return numerals_zh, numerals_en
    n_list = len(analysis.text.lexicon.drafting)
    rule_zh = f"，以及出现于不少于 {k.drafting_df_share:.0%} 文档的词" if d.df_rule else ""
    rule_en = f", and the terms in at least {k.drafting_df_share:.0%} of the documents" if d.df_rule else ""
    zh = (
        f"法律行政起草用语（依法、责令、罚款、主管部门等：词表 {n_list} 条{rule_zh}）共 {len(d.terms)} 个词、"
        f"{d.drafting_tokens:,} 个词次（占全部词次的 {d.share:.1%}），单列于 drafting_terms 表，"
        f"不计入关键词、共词网络、主题与比较（以上词次已不含它们）。{numerals_zh}"
    )
    en = (
        f"Legal-administrative drafting vocabulary (依法, 责令, 罚款, 主管部门 …: a list of {n_list} words{rule_en}), "
        f"{len(d.terms)} terms and {d.drafting_tokens:,} tokens ({d.share:.1%} of all tokens), is reported apart "
        f"(tables/drafting_terms.csv) and left out of keywords, networks, topics and comparisons (the token counts above "
        f"exclude it). {numerals_en}"
    )
    return zh, en


def _robustness_summary(analysis: "Analysis") -> list[dict[str, Any]]:
    """Per list and variant: the mean and lowest overlap over the groups, and the mean rho."""
    rows: dict[tuple[str, str], list] = {}
    for r in analysis.comparison.robustness:
        rows.setdefault((r.list, r.variant), []).append(r)
    return [
        {
            "list": lst,
            "variant": variant,
            "mean_overlap": round(sum(r.overlap for r in rs) / len(rs), 3),
            "min_overlap": min(r.overlap for r in rs),
            "mean_spearman": round(sum(r.spearman for r in rs) / len(rs), 3),
        }
        for (lst, variant), rs in rows.items()
    ]


def _change_summary(analysis: "Analysis", n: int = 10) -> list[dict[str, Any]]:
    """Per group and pair of consecutive periods: the top rising and falling terms."""
    cells: dict[tuple[str, str, str], dict[str, Any]] = {}
    for c in analysis.comparison.change:
        n_e, n_l = c.documents
        cell = cells.setdefault(
            (c.group, c.earlier, c.later),
            {
                "group": c.group,
                "earlier": c.earlier,
                "later": c.later,
                "documents": f"{n_e} → {n_l}",
                "rising": [],
                "falling": [],
                "caution": c.caution(analysis.config.compare.min_documents),
            },
        )
        if len(cell[c.direction]) < n:
            cell[c.direction].append(c.term.term)
    return [
        {**cell, "rising": "、".join(cell["rising"]), "falling": "、".join(cell["falling"])} for cell in cells.values()
    ]


def _context(analysis: "Analysis", tables: list["Table"]) -> dict[str, Any]:
    by_name = {t.name: t for t in tables}
    topics = None
    if analysis.topics is not None:
        model, sel = analysis.topics.lda, analysis.topics.selection
        topics = {
            "k": sel.chosen,
            "rule": sel.rule,
            "advice": sel.advice,
            "note": analysis.topics.note,
            "published": analysis.topics.published_summary,
            "rows": [
                {
                    "id": f"T{t + 1}",
                    "label": model.label(t),
                    "terms": "、".join(
                        term for term, _, _ in model.top_terms(t, 10, analysis.config.topics.relevance_lambda)
                    ),
                }
                for t in range(model.k)
            ],
            "selection": by_name["topic_selection"],
            "shares": by_name["topic_shares"],
            "documents": by_name["topic_documents"],
            "alignment": by_name.get("topic_alignment"),
        }
    return {
        "title": clean_value(analysis.config.report.title)[0] or f"{analysis.reading.corpus.name} 政策文本分析报告",
        "corpus": analysis.reading.corpus.name,
        "overview": overview(analysis),
        "n_read": len(analysis.reading.read) + len(analysis.reading.dropped),  # duplicates were read, and counted once
        "n_found": len(analysis.reading.read) + len(analysis.reading.dropped) + len(analysis.reading.skipped),
        "tokens": analysis.counts.keywords.tokens,
        "vocabulary": len(analysis.counts.dtm.vocab),
        "skipped": analysis.reading.skipped,
        "side_by_side": by_name["side_by_side"],
        "links": by_name["strongest_links"],
        "structure": by_name["network_structure"],
        "drafting": drafting_line(analysis),
        "distinctive": analysis.comparison.distinctive,
        "robustness": _robustness_summary(analysis),
        "change": _change_summary(analysis),
        "dimensions": [
            {"name": sc.name, "source": sc.source, "image": f"dimensions_{i}"}
            for i, sc in enumerate(analysis.comparison.schemes, 1)
        ],
        "topics": topics,
        "not_run": analysis.not_run,
        "small_groups": analysis.networks.comparison.graph.get("small_groups", "") if analysis.networks else "",
        "methods": methods(analysis),
        "config": analysis.config,
        "versions": library_versions(),
        "textmine_version": metadata.version("textmine"),
    }


def render_html(analysis: "Analysis", tables: list["Table"], pictures: dict[str, bytes]) -> str:
    images = {name: "data:image/png;base64," + base64.b64encode(png).decode("ascii") for name, png in pictures.items()}
    return _ENV.get_template("report.html.j2").render(**_context(analysis, tables), images=images)


def _md_text(value: Any) -> str:
    """Text as Markdown shows it literally: HTML (which Markdown renderers pass through) escaped, the
    characters of emphasis, code and links backslash-escaped, on one line."""
    text = html.escape("" if value is None else str(value), quote=False)
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text).replace("\n", " ")


def _md_cell(value: Any) -> str:
    return _md_text(value).replace("|", "\\|")


def _md_table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(map(_md_cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(_md_cell, row)) + " |" for row in rows]
    return "\n".join(lines)


def _interval(t: Any) -> str:
    if t.log_ratio_low is None:
        return f"{t.log_ratio}"
    return f"{t.log_ratio} ({t.log_ratio_low} to {t.log_ratio_high})"


def render_markdown(analysis: "Analysis", tables: list["Table"]) -> str:
    ctx = _context(analysis, tables)
    parts = [
        f"# {_md_cell(ctx['title'])}",
        "",
        f"textmine {ctx['textmine_version']} · {ctx['n_read']} documents read of {ctx['n_found']} · "
        f"{ctx['tokens']:,} tokens · vocabulary {ctx['vocabulary']:,}",
        "",
        "## 语料概览 Corpus overview",
        "",
        _md_table(
            ["group", "documents", "tokens", "years"],
            [[o["group"], o["documents"], o["tokens"], o["years"]] for o in ctx["overview"]],
        ),
        "",
    ]
    if ctx["skipped"]:
        parts += ["Skipped files:", ""] + [f"- {_md_text(s.path)}: {_md_text(s.reason)}" for s in ctx["skipped"]] + [""]
    sbs = ctx["side_by_side"]
    parts += [
        "## 高频关键词 Top keywords by group",
        "",
        "![keywords](charts/keywords_by_group.png)",
        "",
        _md_table(sbs.header, sbs.rows),
        "",
        *([_md_text(ctx["drafting"]), ""] if ctx["drafting"] else []),
        "## 共词网络 Co-word network",
        "",
        "![network](charts/network.png)",
        "",
        "网络结构 Structure — "
        + "; ".join(f"**{_md_text(row[0])}**: {_md_text(row[11])}" for row in ctx["structure"].rows)
        + ".",
        "",
        _md_table(ctx["structure"].header, ctx["structure"].rows),
        "",
        _md_table(ctx["links"].header, ctx["links"].rows),
        "",
        "Ties: the more frequent partner, then by term.",
        "",
        "## 各组特征词 Distinctive terms",
        "",
    ]
    for group, terms in ctx["distinctive"].items():
        parts += [
            f"### {_md_cell(group)}",
            "",
            _md_table(
                [
                    "term",
                    "count",
                    "per 10k",
                    "rest per 10k",
                    "z",
                    "G²",
                    "q",
                    "documents",
                    "top document",
                    "doc q",
                    "log ratio (95 % CI)",
                ],
                [
                    [
                        t.term,
                        t.count,
                        t.per_10k,
                        t.rest_per_10k,
                        t.z,
                        t.g2,
                        pvalue(t.q),
                        t.documents,
                        f"{t.top_document} ({t.top_share:.0%})",
                        pvalue(t.doc_q),
                        _interval(t),
                    ]
                    for t in terms
                ],
            ),
            "",
        ]
    if ctx["dimensions"]:
        parts += ["## 政策维度 Policy dimensions", ""]
        for scheme in ctx["dimensions"]:
            parts += [
                f"### {_md_text(scheme['name'])}",
                "",
                f"Source: {_md_text(scheme['source'])}",
                "",
                f"![{_md_text(scheme['name'])}](charts/{scheme['image']}.png)",
                "",
            ]
        parts += [
            "Scores per group: `tables/dimension_scores.csv`; each document's dimensions: `tables/document_tags.csv`.",
            "",
        ]
    if "topics" in ctx["not_run"]:
        parts += ["## 主题模型 Topics", "", f"**Topic model not run:** {_md_text(ctx['not_run']['topics'])}", ""]
    if ctx["topics"]:
        shares = ctx["topics"]["shares"]
        selection = ctx["topics"]["selection"]
        parts += [
            "## 主题模型 Topics",
            "",
            f"K = {ctx['topics']['k']}: {ctx['topics']['rule']}. Interactive view: `topics.html`."
            + (f" **{ctx['topics']['advice']}.**" if ctx["topics"]["advice"] else "")
            + (f" **K limited by the data: {_md_text(ctx['topics']['note'])}.**" if ctx["topics"]["note"] else "")
            + (f" Coherence of {_md_text(ctx['topics']['published'])}." if ctx["topics"]["published"] else ""),
            "",
            "![choosing K](charts/topic_selection.png)",
            "",
            _md_table(selection.header, selection.rows),
            "",
            "![topic shares](charts/topic_shares.png)",
            "",
            _md_table(
                ["topic", "label", "top terms"], [[r["id"], r["label"], r["terms"]] for r in ctx["topics"]["rows"]]
            ),
            "",
            _md_table(shares.header, shares.rows),
            "",
        ]
    parts += ["## 随时间的变化 Change over time", ""]
    if ctx["change"]:
        parts += [
            _md_table(
                ["group", "periods", "documents", "rising", "falling", "caution"],
                [
                    [
                        r["group"],
                        f"{r['earlier']} → {r['later']}",
                        r["documents"],
                        r["rising"],
                        r["falling"],
                        r["caution"],
                    ]
                    for r in ctx["change"]
                ],
            ),
            "",
        ]
    else:
        parts += ["No periods set: set `corpus.periods` to see which terms rise and fall over time.", ""]
    parts += [
        "## 稳健性 Robustness",
        "",
        f"How the groups' top {analysis.config.compare.top_n} lists change when a setting changes: overlap with the "
        "baseline list and Spearman's rho (1 = unchanged); per group in `tables/robustness.csv`.",
        "",
        _md_table(
            ["list", "variant", "mean overlap", "lowest overlap", "mean rho"],
            [
                [r["list"], r["variant"], r["mean_overlap"], r["min_overlap"], r["mean_spearman"]]
                for r in ctx["robustness"]
            ],
        ),
        "",
        "## 研究方法 Methods",
        "",
        _md_text(ctx["methods"]["zh"]),
        "",
        _md_text(ctx["methods"]["en"]),
        "",
        "## 运行记录 Run record",
        "",
        "Seed, configuration, versions and the SHA-256 of every input and word list are in `run.json`; "
        "the segmented corpus is `tokens.jsonl`; every table is in `tables/` and `report.xlsx`.",
        "",
    ]
    return "\n".join(parts)
