"""What each group stresses: keywords side by side and the terms most distinctive of each group.

Distinctiveness is the weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
& Quinn 2008, "Fightin' Words", eqs. 16–22), each group against all the others together. The prior
is the whole corpus's term distribution scaled to ``prior_scale`` pseudo-counts:
``alpha_w = prior_scale * y_w / n``. For group ``i`` and the rest ``j``::

    delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))
    var_w  ~= 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var_w)

A z above 1.96 means the group uses the term more than the rest beyond what chance and the term's
rarity explain.

Beside z, every term listed carries the other statistics a keyness table is judged by: the
log-likelihood G² of the 2×2 table (group/rest × term/other terms; Dunning 1993) with its p-value
(χ², 1 df) and the Benjamini–Hochberg q-value over all terms tested in that comparison; Pearson's χ²;
the log ratio ``log2`` of the two relative frequencies (Hardie 2014; a zero count counted as 0.5), an
effect size; and the dispersion DP of the term over the group's documents (Gries 2008: 0 = spread
evenly, 1 = all in one document), with the share of the group's documents that contain it.
Comparisons are each group against all the others and, with :func:`pairwise_terms`, each pair;
:func:`change_terms` compares consecutive periods within each group.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from scipy import sparse

from .counting import DocTermMatrix
from .resampling import Concentration, by_term, concentration, log_ratio_interval, permutation_p, term_rates


@dataclass(frozen=True)
class DistinctiveTerm:
    group: str
    term: str
    count: int  # occurrences in the group
    rest_count: int  # occurrences in the other groups
    per_10k: float  # in the group
    rest_per_10k: float  # in the other groups
    log_odds: float  # delta_w
    z: float
    g2: float = 0.0  # log-likelihood G²
    p: float = 1.0
    q: float = 1.0  # Benjamini–Hochberg, over the terms tested in this comparison
    chi2: float = 0.0
    log_ratio: float = 0.0
    dispersion: float = 0.0  # DP over the group's documents
    doc_share: float = 0.0  # share of the group's documents containing the term
    # the document as the sampled unit (textmine.resampling); empty without a DocumentTest
    doc_p: float | None = None  # one-sided permutation p of the group labels over the documents
    doc_q: float | None = None  # Benjamini–Hochberg, over the terms tested in this comparison
    log_ratio_low: float | None = None  # 95 % document-bootstrap interval of the log ratio
    log_ratio_high: float | None = None
    documents: int = 0  # the group's documents using the term
    top_share: float = 0.0  # share of the group's uses in its heaviest document
    top_document: str = ""  # that document


@dataclass(frozen=True)
class DocumentTest:
    """The document-level rule a term must pass to be listed as a group's emphasis: a permutation
    q below ``alpha`` and use in at least ``min_documents`` of the group's documents."""

    resamples: int = 1000
    alpha: float = 0.05
    min_documents: int = 3
    seed: int = 42
    max_resamples: int = 20000
    # permutation p-values found so far, by comparison and term: a term's p depends only on its own
    # counts and the comparison's seeded relabellings, so the robustness variants reuse it
    _known: dict = field(default_factory=dict, compare=False, repr=False)
    # where p-values outlive the run (``get_json``/``put_json`` by a digest of the comparison: its
    # label, seed, resamples, documents and every count), so that a rerun on the same counts draws
    # no relabelling again; None: not kept
    store: Any = field(default=None, compare=False, repr=False)
    threads: int = field(default=1, compare=False)  # for the permutation products: same p-values on any number


def log_odds_z(y_i: np.ndarray, y_j: np.ndarray, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted log-odds (delta) and z-scores of counts ``y_i`` against ``y_j`` under Dirichlet ``prior``."""
    a0, n_i, n_j = prior.sum(), y_i.sum(), y_j.sum()
    delta = np.log((y_i + prior) / (n_i + a0 - y_i - prior)) - np.log((y_j + prior) / (n_j + a0 - y_j - prior))
    variance = 1.0 / (y_i + prior) + 1.0 / (y_j + prior)
    return delta, delta / np.sqrt(variance)


def two_by_two(a: np.ndarray, b: np.ndarray, n_a: float, n_b: float) -> dict[str, np.ndarray]:
    """G², its p-value, Pearson's χ² and the log ratio for counts ``a`` (of ``n_a`` tokens) against ``b`` (of ``n_b``)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    observed = [a, b, n_a - a, n_b - b]
    total = n_a + n_b
    expected = [
        n_a * (a + b) / total,
        n_b * (a + b) / total,
        n_a * (total - a - b) / total,
        n_b * (total - a - b) / total,
    ]
    g2 = np.zeros_like(a)
    chi2 = np.zeros_like(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected, strict=True):
            g2 += np.where(o > 0, o * np.log(o / e), 0.0)
            chi2 += np.where(e > 0, (o - e) ** 2 / e, 0.0)
    g2 *= 2
    from scipy import stats  # half a second to import: only where a comparison is computed, not on every start

    log_ratio = np.log2((np.where(a > 0, a, 0.5) / n_a) / (np.where(b > 0, b, 0.5) / n_b)) if n_b else np.zeros_like(a)
    return {"g2": g2, "p": stats.chi2.sf(g2, 1), "chi2": chi2, "log_ratio": log_ratio}


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values), in the order of ``p`` (scipy's
    ``false_discovery_control``)."""
    from scipy import stats

    p = np.asarray(p, dtype=float)
    return stats.false_discovery_control(p, method="bh") if len(p) else p


def dispersion(term: np.ndarray, sizes: np.ndarray) -> tuple[float, float]:
    """Gries' DP of one term over a set of documents (its counts ``term`` in them, whose lengths in
    tokens are ``sizes``), and the share of those documents holding it."""
    term, sizes = np.asarray(term, dtype=float), np.asarray(sizes, dtype=float)
    if term.sum() == 0 or sizes.sum() == 0:
        return 0.0, 0.0
    dp = 0.5 * np.abs(term / term.sum() - sizes / sizes.sum()).sum()
    return float(dp), float((term > 0).mean())


def _column_sums(counts: sparse.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """Each term's count over ``rows`` (distinct), as floats: a product with the rows' indicator
    (integer, so exact), without a copy of the rows."""
    indicator = np.zeros(counts.shape[0], dtype=np.int64)
    indicator[rows] = 1
    return np.asarray(counts.T @ indicator, dtype=float).ravel()


def _compare(
    dtm: DocTermMatrix,
    group: str,
    rows_i: np.ndarray,
    rows_j: np.ndarray,
    prior: np.ndarray,
    eligible: np.ndarray,
    top_n: int,
    test: DocumentTest | None = None,
    label: str = "",
    intervals: bool = True,
) -> list[DistinctiveTerm]:
    """The ``top_n`` terms by z that rows ``rows_i`` use more than rows ``rows_j``; with ``test``, only
    those that pass it, with the document-level evidence (``label`` names the comparison for its seed;
    without ``intervals``, no bootstrap interval of the log ratio). The rows are read where they are
    in the matrix: only the listed terms' columns are copied."""
    y_i, y_j = _column_sums(dtm.counts, rows_i), _column_sums(dtm.counts, rows_j)
    n_i, n_j = y_i.sum(), y_j.sum()
    if not n_i or not n_j:  # one side holds no token (a single group, an empty period): nothing to compare
        return []
    delta, z = log_odds_z(y_i, y_j, prior)
    tested = np.flatnonzero(eligible & (y_i + y_j > 0))
    table = two_by_two(y_i[tested], y_j[tested], n_i, n_j)
    q = np.ones_like(y_i)
    q[tested] = benjamini_hochberg(table["p"])
    full = {name: np.zeros_like(y_i) for name in table}
    for name, values in table.items():
        full[name][tested] = values
    evidence = _document_evidence(dtm, (rows_i, rows_j), tested, test, label) if test else None
    candidates = [w for w in tested if y_i[w] > 0 and (evidence is None or evidence.passes(w))]
    order = sorted(candidates, key=lambda w: (-z[w], dtm.vocab[w]))[:top_n]
    listed = dtm.counts[:, order]  # every document's counts of the listed terms: a few columns
    listed_i, sizes_i = listed[rows_i].toarray(), dtm.lengths[rows_i]
    interval = evidence.interval(order, listed) if evidence is not None and intervals else {}
    result = []
    for c, w in enumerate(order):
        dp, share = dispersion(listed_i[:, c], sizes_i)
        doc = evidence.of(w) if evidence is not None else {}
        result.append(
            DistinctiveTerm(
                group=group,
                term=dtm.vocab[w],
                count=int(y_i[w]),
                rest_count=int(y_j[w]),
                per_10k=round(10_000 * y_i[w] / n_i, 4),
                rest_per_10k=round(10_000 * y_j[w] / n_j, 4) if n_j else 0.0,
                log_odds=round(float(delta[w]), 6),
                z=round(float(z[w]), 4),
                g2=round(float(full["g2"][w]), 4),
                p=float(f"{full['p'][w]:.4g}"),
                q=float(f"{q[w]:.4g}"),
                chi2=round(float(full["chi2"][w]), 4),
                log_ratio=round(float(full["log_ratio"][w]), 4),
                dispersion=round(dp, 4),
                doc_share=round(share, 4),
                **doc,
                **interval.get(w, {}),
            )
        )
    return result


@dataclass(frozen=True)
class _Evidence:
    """The document-level evidence of one comparison, for the terms it tested."""

    dtm: DocTermMatrix
    rows_i: np.ndarray  # the group's rows of the matrix
    rows_j: np.ndarray  # the other side's
    column: dict[int, int]  # vocabulary index -> position among the tested terms
    p: np.ndarray
    q: np.ndarray
    concentration: Concentration
    test: DocumentTest
    rng: np.random.Generator

    def passes(self, w: int) -> bool:
        c = self.column[w]
        return bool(self.q[c] < self.test.alpha and self.concentration.documents[c] >= self.test.min_documents)

    def of(self, w: int) -> dict[str, object]:
        c, conc = self.column[w], self.concentration
        return {
            "doc_p": float(f"{self.p[c]:.4g}"),
            "doc_q": float(f"{self.q[c]:.4g}"),
            "documents": int(conc.documents[c]),
            "top_share": round(float(conc.top_share[c]), 4),
            "top_document": self.dtm.doc_ids[self.rows_i[conc.top_row[c]]] if conc.documents[c] else "",
        }

    def interval(self, listed: list[int], counts: sparse.csr_matrix) -> dict[int, dict[str, float]]:
        """95 % bootstrap intervals of the log ratio, for the terms listed only (they are few), from
        every document's ``counts`` of them."""
        if not listed:
            return {}
        low, high = log_ratio_interval(
            counts[self.rows_i],
            counts[self.rows_j],
            self.dtm.lengths[self.rows_i],
            self.dtm.lengths[self.rows_j],
            resamples=self.test.resamples,
            rng=self.rng,
        )
        return {
            w: {"log_ratio_low": round(float(a), 4), "log_ratio_high": round(float(b), 4)}
            for w, a, b in zip(listed, low, high, strict=True)
        }


def _document_evidence(
    dtm: DocTermMatrix,
    rows: tuple[np.ndarray, np.ndarray],
    tested: np.ndarray,
    test: DocumentTest,
    label: str,
) -> _Evidence:
    """The evidence for rows ``rows[0]`` of the matrix against rows ``rows[1]``, the tested terms laid
    out by term a slab of at most ``_LAID_OUT`` stored counts at a time (a term's p-value depends
    only on its own counts and the seeded relabellings: the same p-values whatever the slabs)."""
    rows_i, rows_j = rows
    seed = [test.seed, zlib.crc32(label.encode("utf-8"))]
    in_group = np.zeros(len(rows_i) + len(rows_j), dtype=bool)
    in_group[: len(rows_i)] = True
    lengths = dtm.lengths[np.concatenate(rows)]
    comparison = (label, rows_i.tobytes(), rows_j.tobytes(), lengths.tobytes(), test.resamples, test.max_resamples)
    known = test._known.setdefault(comparison, {})
    terms = [dtm.vocab[w] for w in tested]
    stored: dict[str, float] = {}
    key = None
    if test.store is not None and any(t not in known for t in terms):
        key = _comparison_digest(label, seed, dtm, rows, test)
        stored = test.store.get_json(key) or {}
        known.update((t, stored[t]) for t in terms if t not in known and t in stored)
    found, new = [], {}
    for a, b in _slabs(dtm.document_frequency[tested], _LAID_OUT):
        counts = by_term(dtm.counts, rows, tested[a:b])  # the group's documents, then the others'
        found.append(concentration(counts, len(rows_i)))
        missing = [c for c in range(b - a) if terms[a + c] not in known]
        if missing:
            rates = term_rates(counts if len(missing) == b - a else counts[missing], lengths)
            del counts
            p = permutation_p(
                rates,
                in_group,
                resamples=test.resamples,
                max_resamples=test.max_resamples,
                rng=np.random.default_rng([*seed, 0]),
                threads=test.threads,
            )
            del rates
            new.update(zip((terms[a + c] for c in missing), p.tolist(), strict=True))
    known.update(new)
    if new and key is not None:
        test.store.put_json(key, {**stored, **new})
    p = np.array([known[t] for t in terms])
    return _Evidence(
        dtm,
        rows_i,
        rows_j,
        {int(w): c for c, w in enumerate(tested)},
        p,
        benjamini_hochberg(p),
        _joined(found),
        test,
        np.random.default_rng([*seed, 1]),  # the bootstrap's own stream, whatever the permutations drew
    )


_LAID_OUT = 1 << 23  # stored counts laid out by term at once: 64 MB as counts, 96 MB as rates, whatever the corpus


def _slabs(sizes: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """Consecutive runs ``(start, stop)`` of the terms whose ``sizes`` add up to ``limit`` at most
    (a term larger than ``limit`` alone in its run)."""
    ends = np.cumsum(sizes)
    runs, start = [], 0
    while start < len(sizes):
        before = int(ends[start - 1]) if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, before + limit, side="right")))
        runs.append((start, stop))
        start = stop
    return runs


def _joined(parts: list[Concentration]) -> Concentration:
    if not parts:
        return Concentration(np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64))
    return Concentration(
        *(
            np.concatenate(arrays)
            for arrays in zip(*((c.documents, c.top_share, c.top_row) for c in parts), strict=True)
        )
    )


def _comparison_digest(
    label: str, seed: list[int], dtm: DocTermMatrix, rows: tuple[np.ndarray, np.ndarray], test: DocumentTest
) -> str:
    """What a comparison's permutation p-values depend on, as one digest: the label and seed, the
    number of relabellings, the matrix (every count and term) and the rows of each side, in order."""
    digest = hashlib.sha256(json.dumps([label, seed, test.resamples, test.max_resamples]).encode())
    digest.update(dtm.digest.encode())
    for side in rows:
        digest.update(b"%d:" % len(side) + np.asarray(side, dtype=np.int64).tobytes())
    return digest.hexdigest()


def distinctive_terms(
    dtm: DocTermMatrix,
    *,
    prior_scale: float = 1000.0,
    min_freq: int = 10,
    top_n: int = 20,
    test: DocumentTest | None = None,
    intervals: bool = True,
) -> dict[str, list[DistinctiveTerm]]:
    """For each group, its ``top_n`` terms by z against all the other groups, among terms with
    ``min_freq``+ occurrences in the corpus (the terms tested, for the q-values); with ``test``, only
    the terms whose document-level evidence passes it, with the bootstrap intervals of their log
    ratios unless not ``intervals`` (the robustness variants need the terms alone)."""
    total = np.asarray(dtm.counts.sum(axis=0), dtype=float).ravel()
    prior = prior_scale * total / max(total.sum(), 1.0)
    eligible = total >= min_freq
    groups = np.asarray(dtm.groups)
    return {
        g: _compare(
            dtm, g, np.flatnonzero(groups == g), np.flatnonzero(groups != g), prior, eligible, top_n, test, g, intervals
        )
        for g in dtm.group_names
    }


def pairwise_terms(
    dtm: DocTermMatrix,
    *,
    prior_scale: float = 1000.0,
    min_freq: int = 10,
    top_n: int = 20,
    test: DocumentTest | None = None,
) -> dict[tuple[str, str], list[DistinctiveTerm]]:
    """For each ordered pair of groups (a, b), the ``top_n`` terms a uses more than b, by z."""
    total = np.asarray(dtm.counts.sum(axis=0), dtype=float).ravel()
    prior = prior_scale * total / max(total.sum(), 1.0)
    eligible = total >= min_freq
    groups = np.asarray(dtm.groups)
    return {
        (a, b): _compare(
            dtm, a, np.flatnonzero(groups == a), np.flatnonzero(groups == b), prior, eligible, top_n, test, f"{a}|{b}"
        )
        for a in dtm.group_names
        for b in dtm.group_names
        if a != b
    }


SMALL_SAMPLE = "（样本少 small sample）"  # how tables and charts mark a group small_groups flags


def small_groups(sizes: dict[str, tuple[int, int]], *, min_documents: int, min_tokens: int) -> dict[str, str]:
    """Groups too small to compare with confidence, from ``{group: (documents, tokens)}``, with the reason."""
    flagged = {}
    for group, (documents, tokens) in sizes.items():
        reasons = [f"{documents} documents < {min_documents}"] if documents < min_documents else []
        reasons += [f"{tokens} tokens < {min_tokens}"] if tokens < min_tokens else []
        if reasons:
            flagged[group] = "small sample: " + ", ".join(reasons)
    return flagged


def group_similarity(dtm: DocTermMatrix) -> dict[tuple[str, str], float]:
    """Cosine similarity of the groups' TF-IDF profiles: each group's term counts weighted by
    ``log(N / df)`` over the N documents, so terms every document uses weigh nothing."""
    documents = dtm.counts.shape[0]
    df = np.asarray((dtm.counts > 0).sum(axis=0), dtype=float).ravel()
    idf = np.log(documents / np.maximum(df, 1))
    groups = np.asarray(dtm.groups)
    profiles = {
        g: np.asarray(dtm.counts[np.flatnonzero(groups == g)].sum(axis=0), dtype=float).ravel() * idf
        for g in dtm.group_names
    }
    result = {}
    for a in dtm.group_names:
        for b in dtm.group_names:
            if a < b:
                norm = np.linalg.norm(profiles[a]) * np.linalg.norm(profiles[b])
                result[(a, b)] = round(float(profiles[a] @ profiles[b] / norm), 6) if norm else 0.0
    return result


def jensen_shannon(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen–Shannon divergence (base 2, from 0 for identical to 1 for disjoint distributions): the
    square of scipy's Jensen–Shannon distance."""
    from scipy.spatial import distance

    return round(float(distance.jensenshannon(p, q, base=2)) ** 2, 6)


ALL = "(all)"  # the whole corpus, in change_terms


@dataclass(frozen=True)
class Change:
    """A term whose use rose or fell in one group from one period to the next: ``term`` compares the
    period it is used more in (the later when rising, the earlier when falling) with the other."""

    group: str  # the group without its period ("(all)" for the whole corpus)
    earlier: str
    later: str
    direction: str  # "rising" or "falling"
    term: DistinctiveTerm
    documents: tuple[int, int]  # the group's documents in the earlier and the later period

    def caution(self, min_documents: int) -> str:
        """The small-sample flag when either period has fewer than ``min_documents`` documents."""
        n_e, n_l = self.documents
        return f"small sample: {n_e} and {n_l} documents" if min(n_e, n_l) < min_documents else ""


def change_terms(
    dtm: DocTermMatrix,
    bases: Sequence[str],
    periods: Sequence[str | None],
    order: Sequence[str],
    *,
    prior_scale: float = 1000.0,
    min_freq: int = 10,
    top_n: int = 20,
    test: DocumentTest | None = None,
) -> list[Change]:
    """Terms rising and falling between consecutive periods (in ``order``), in the whole corpus and in
    each base group: the weighted log-odds of the later period against the earlier one, with the same
    prior and statistics as :func:`distinctive_terms`. ``bases`` and ``periods`` give each row's group
    and period (None: outside every period)."""
    total = np.asarray(dtm.counts.sum(axis=0), dtype=float).ravel()
    prior = prior_scale * total / max(total.sum(), 1.0)
    eligible = total >= min_freq
    bases, periods = np.asarray(bases, dtype=object), np.asarray(periods, dtype=object)
    changes = []
    for base in [ALL, *sorted(set(bases) - {ALL})]:
        in_base = np.ones(len(bases), bool) if base == ALL else bases == base
        present = [p for p in order if np.any(in_base & (periods == p))]
        for earlier, later in itertools.pairwise(present):
            rows_e = np.flatnonzero(in_base & (periods == earlier))
            rows_l = np.flatnonzero(in_base & (periods == later))
            for direction, rows_i, rows_j in (("rising", rows_l, rows_e), ("falling", rows_e, rows_l)):
                label = f"{base}|{earlier}|{later}|{direction}"
                for term in _compare(dtm, base, rows_i, rows_j, prior, eligible, top_n, test, label):
                    if term.z > 0:
                        changes.append(Change(base, earlier, later, direction, term, (len(rows_e), len(rows_l))))
    return changes
