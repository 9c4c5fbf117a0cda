"""Evidence whose sampled unit is the document: does a group use a term more than the others because
its documents do, or because one of them does?

Token-level tests (log-odds z, G², χ²) treat every token as an independent draw, so one regulation
that uses 急救 340 times makes it "distinctive" of its city. Following Lijffijt et al. (2016,
"Significance testing of word frequencies in corpora", Digital Scholarship in the Humanities 31(2)),
the tests here resample documents instead:

- **Permutation test** of the group labels over the documents compared. The statistic is the
  difference of the mean relative frequency of the term in the group's documents and in the other
  documents, ``T = mean_{d∈g} r_dw − mean_{d∉g} r_dw`` with ``r_dw = count_dw / tokens_d``; the
  one-sided p (the group uses the term more) is ``(1 + #{T* ≥ T}) / (B + 1)`` over ``B`` random
  relabellings (Phipson & Smyth 2010), or the exact share ``#{T* ≥ T} / C(n, k)`` over all
  relabellings when there are no more than ``B`` of them. Terms with fewer than 10 relabellings as
  extreme after the first ``B`` are relabelled further, up to a maximum (sequential Monte Carlo
  p-values, Besag & Clifford 1991), so that a family of thousands of terms can pass
  Benjamini–Hochberg: with 1,000 relabellings alone no p falls below 1/1001, and over 5,000 terms
  tested no q could fall below 0.05.
- **Bootstrap interval** of the log ratio ``log2((Σ_g count / Σ_g tokens) / (Σ_rest count / Σ_rest
  tokens))`` (a zero count counted as 0.5, as in the log ratio of :mod:`textmine.analysis.compare`): the
  documents of each side are resampled with replacement ``B`` times, and the 2.5th and 97.5th
  percentiles are the 95 % interval.
- **Concentration**: how many of the group's documents use the term, and the share of the group's
  uses that stand in its heaviest document.

All of it works on the sparse document–term matrix, a batch of relabellings at a time, seeded.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import itertools
import math
import sys
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np
from scipy import sparse

_BATCH = 250  # relabellings between two checks of which terms go on
_LABEL_CELLS = 1 << 22  # relabellings × documents drawn at once: 32 MB of floats, whatever the corpus
_PRODUCT_CELLS = 1 << 20  # terms × relabellings summed at once, per thread: 8 MB of floats, whatever the vocabulary
_DRAW_CELLS = 1 << 22  # bootstrap weights drawn at once, resamples × documents: 32 MB of floats


@dataclass(frozen=True)
class Concentration:
    documents: np.ndarray  # per term, the group's documents using it
    top_share: np.ndarray  # per term, the share of the group's uses in its heaviest document
    top_row: np.ndarray  # per term, the row (in the group's rows) of that document


def by_term(counts: sparse.csr_matrix, rows: Sequence[np.ndarray], columns: Sequence[int]) -> sparse.csr_matrix:
    """The counts of the terms ``columns`` in the documents ``rows[0]``, then ``rows[1]``, and so on
    (rows of the documents × terms ``counts``), laid out terms × documents: each term's documents in
    that order, as the permutation products read them. At most two copies of those terms' counts
    stand at once (their columns, then the rows picked from them, then their transpose)."""
    order = np.concatenate([np.asarray(r, dtype=np.int64) for r in rows])
    picked = counts[:, columns][order]  # the columns' copy goes as soon as the rows are picked
    transposed = picked.tocsc()  # a term's documents in order: a row of the transpose
    del picked
    return sparse.csr_matrix(
        (transposed.data, transposed.indices, transposed.indptr), shape=(len(columns), len(order)), copy=False
    )


def term_rates(counts: sparse.csr_matrix, lengths: np.ndarray) -> sparse.csr_matrix:
    """The counts of :func:`by_term` divided by the length of their documents (``lengths``, in the
    same order, every term counted; an empty document stays all zero): the rates the permutation
    products need, sharing the layout of ``counts``."""
    lengths = np.asarray(lengths, dtype=float)
    scale = np.divide(1.0, lengths, out=np.zeros_like(lengths), where=lengths > 0)
    values = counts.data.astype(float)
    values *= scale[counts.indices]
    return sparse.csr_matrix((values, counts.indices, counts.indptr), shape=counts.shape, copy=False)


def permutation_p(
    columns: sparse.csr_matrix,
    in_group: np.ndarray,
    *,
    resamples: int,
    rng: np.random.Generator,
    max_resamples: int = 0,
    hits: int = 10,
    threads: int = 1,
) -> np.ndarray:
    """One-sided permutation p-value, per row of ``columns`` (the rates of :func:`term_rates`, terms ×
    documents, as the products need them), that the documents marked ``in_group`` use the term more
    than the others (difference of mean rates).

    ``resamples`` relabellings for every term; a term with fewer than ``hits`` relabellings at least
    as extreme as the observed one is relabelled further, up to ``max_resamples`` in all (sequential
    Monte Carlo p-values, Besag & Clifford 1991): a p-value can then be as small as a family of
    thousands of tests needs under Benjamini–Hochberg, at the cost of the few terms that need it.
    When all the labellings number no more than ``resamples``, every one is enumerated: exact p.

    ``threads`` split the terms between threads (the sparse products release the GIL); each term's
    sums are computed as in one thread, so the p-values are the same, bit for bit."""
    in_group = np.asarray(in_group, dtype=bool)
    n, k = len(in_group), int(in_group.sum())
    if k == 0 or k == n:
        return np.ones(columns.shape[0])
    totals = np.asarray(columns.sum(axis=1)).ravel()
    observed = _statistic(columns @ in_group.astype(float), totals, k, n)
    if math.comb(n, k) <= resamples:
        at_least = np.zeros(columns.shape[0])
        for batch in _all_labellings(n, k):
            sums = np.asarray(columns @ batch.T.astype(float))
            at_least += (_statistic(sums, totals[:, None], k, n) >= observed[:, None] - _TOLERANCE).sum(axis=1)
        return at_least / math.comb(n, k)
    at_least, drawn = np.zeros(columns.shape[0]), np.zeros(columns.shape[0])
    active = np.arange(columns.shape[0])
    # shuffled as 8-byte floats: the same draws as bytes or booleans (a shuffle's draws depend only on
    # the length), a quarter faster (NumPy swaps 8-byte items whole) and no conversion for the products
    base = np.zeros(n)
    base[:k] = 1
    limit, done = max(resamples, max_resamples), 0
    parts = _parts(columns, totals[:, None], observed[:, None] - _TOLERANCE, threads)

    def relabelled(size: int) -> np.ndarray:
        """``size`` random relabellings, one per column (in rows, as the products read them)."""
        return np.ascontiguousarray(rng.permuted(np.broadcast_to(base, (size, n)), axis=1).T)

    plan = _draws(limit, max(1, min(_BATCH, _LABEL_CELLS // n)))
    size, closes = next(plan)
    labels = relabelled(size)
    with concurrent.futures.ThreadPoolExecutor(max(1, threads)) as pool:
        while len(active):
            counting = [pool.submit(_extreme, part, labels=labels, k=k, n=n) for part in parts]
            following = next(plan, None)
            if following:  # drawn while the threads count: the draws come in the same order
                upcoming = relabelled(following[0])
            at_least[active] += np.concatenate([c.result() for c in counting])
            drawn[active] += size
            done += size
            if closes and done >= resamples:  # past the first round, only terms short of `hits` go on
                going = at_least[active] < hits
                if not going.all():
                    active = active[going]
                    edges = np.cumsum([0, *(part[0].shape[0] for part in parts)])
                    parts = [
                        tuple(x[going[a:b]] for x in part)
                        for part, (a, b) in zip(parts, itertools.pairwise(edges), strict=True)
                    ]
            if following is None:
                break
            (size, closes), labels = following, upcoming
    return_freed_memory()
    return (1 + at_least) / (1 + drawn)


def _draws(limit: int, chunk: int) -> Iterator[tuple[int, bool]]:
    """How many relabellings to draw at a time, up to ``limit``: steps of ``_BATCH``, after each of
    which the terms with enough extreme relabellings stop, each drawn in pieces of ``chunk`` (the
    labels of a piece are documents × ``chunk`` floats); with whether a piece closes its step. The
    draws and the steps are the same whatever ``chunk``, and so are the p-values."""
    done = 0
    while done < limit:
        step = min(_BATCH, limit - done)
        for start in range(0, step, chunk):
            yield min(chunk, step - start), start + chunk >= step
        done += step


def return_freed_memory() -> None:
    """Give back to the system what was freed (``malloc_trim``): glibc keeps it in per-thread arenas
    and inside its heap, wherever a block still in use stands above it, and the process stays that
    much larger for the rest of a run. After the permutation threads and at the end of every stage."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl, ...): nothing to give back this way
            pass


def _extreme(
    part: tuple[sparse.csr_matrix, np.ndarray, np.ndarray], *, labels: np.ndarray, k: int, n: int
) -> np.ndarray:
    """Per term (row of ``part``'s rates), the relabellings (columns of ``labels``) whose statistic
    is at least the observed one."""
    rates_, totals, observed = part
    extreme = np.zeros(rates_.shape[0], dtype=np.int64)
    step = max(1, _PRODUCT_CELLS // labels.shape[1])
    for start in range(0, rates_.shape[0], step):  # a few terms at a time: each term's sums are the same
        stop = min(start + step, rates_.shape[0])
        sums = np.asarray(_row_block(rates_, start, stop) @ labels)
        extreme[start:stop] = (_statistic(sums, totals[start:stop], k, n) >= observed[start:stop]).sum(axis=1)
    return extreme


def _parts(
    rates_: sparse.csr_matrix, totals: np.ndarray, observed: np.ndarray, parts: int
) -> list[tuple[sparse.csr_matrix, np.ndarray, np.ndarray]]:
    """The terms cut into ``parts`` consecutive runs holding about as many stored values each."""
    rows = rates_.shape[0]
    if parts <= 1 or rows < 2 * parts:
        return [(rates_, totals, observed)]
    cuts = np.searchsorted(rates_.indptr, np.linspace(0, rates_.indptr[-1], parts + 1)[1:-1])
    edges = [0, *sorted({int(c) for c in cuts} - {0, rows}), rows]
    return [(_row_block(rates_, a, b), totals[a:b], observed[a:b]) for a, b in itertools.pairwise(edges)]


def _row_block(matrix: sparse.csr_matrix, start: int, stop: int) -> sparse.csr_matrix:
    """Rows ``start`` to ``stop`` of ``matrix`` as a view of its values (slicing copies them)."""
    first, last = matrix.indptr[start], matrix.indptr[stop]
    return sparse.csr_matrix(
        (matrix.data[first:last], matrix.indices[first:last], matrix.indptr[start : stop + 1] - first),
        shape=(stop - start, matrix.shape[1]),
        copy=False,
    )


_TOLERANCE = 1e-12  # a relabelling whose statistic equals the observed one (to rounding) counts as extreme


def _statistic(group_sums: np.ndarray, totals: np.ndarray, k: int, n: int) -> np.ndarray:
    """Difference of the mean rates: the group's k documents against the other n − k. Computed in
    place of ``group_sums`` (a fresh product at every call), one array of terms × relabellings
    the less."""
    statistic = group_sums / k
    np.subtract(totals, group_sums, out=group_sums)
    np.divide(group_sums, n - k, out=group_sums)
    return np.subtract(statistic, group_sums, out=statistic)


def _all_labellings(n: int, k: int) -> list[np.ndarray]:
    rows = []
    for chosen in itertools.combinations(range(n), k):
        row = np.zeros(n, dtype=bool)
        row[list(chosen)] = True
        rows.append(row)
    return [np.array(rows[i : i + _BATCH]) for i in range(0, len(rows), _BATCH)]


def log_ratio_interval(
    counts_i: sparse.csr_matrix,
    counts_j: sparse.csr_matrix,
    lengths_i: np.ndarray,
    lengths_j: np.ndarray,
    *,
    resamples: int,
    rng: np.random.Generator,
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval, per column, of the log ratio of the pooled relative frequencies
    of two sets of documents (rows of ``counts_i`` and ``counts_j``, whose lengths in tokens are
    ``lengths_i`` and ``lengths_j``), each set resampled with replacement."""

    def draws(counts: sparse.csr_matrix, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each resample's pooled counts and tokens, a few resamples at a time (each a row of
        document weights: resamples × documents at once was 8 GB for a million documents). The
        draws come in the same order, and integer sums are exact in any order: the same values."""
        n = counts.shape[0]
        at_once = max(1, _DRAW_CELLS // max(1, n))
        pooled, tokens = [], []
        for start in range(0, resamples, at_once):
            weights = rng.multinomial(n, np.full(n, 1.0 / n), size=min(at_once, resamples - start)).astype(float)
            pooled.append(np.asarray(counts.T @ weights.T).T)
            tokens.append(weights @ np.asarray(lengths, dtype=float))
        return np.vstack(pooled), np.concatenate(tokens)

    a, n_a = draws(counts_i, lengths_i)
    b, n_b = draws(counts_j, lengths_j)
    ratio = np.log2((np.where(a > 0, a, 0.5) / n_a[:, None]) / (np.where(b > 0, b, 0.5) / n_b[:, None]))
    tail = (1 - level) / 2 * 100
    return np.percentile(ratio, tail, axis=0), np.percentile(ratio, 100 - tail, axis=0)


def concentration(counts: sparse.csr_matrix, documents: int) -> Concentration:
    """Per term (row of the terms × documents ``counts`` of :func:`by_term`), over its first
    ``documents`` documents (the group's): the documents using it, and its heaviest one (the first
    such, as ``argmax``), found for every term at once."""
    terms = counts.shape[0]
    row_of = np.repeat(np.arange(terms, dtype=np.int32), np.diff(counts.indptr))
    mine = counts.indices < documents  # a term's documents are in order: the group's come first
    data, indices, row_of = counts.data[mine], counts.indices[mine], row_of[mine]
    used_by = np.bincount(row_of, minlength=terms)
    totals = np.bincount(row_of, weights=data, minlength=terms)
    top = np.zeros(terms)
    top_row = np.zeros(terms, dtype=np.int64)
    used = np.flatnonzero(used_by)
    if len(used):
        starts = np.concatenate([[0], np.cumsum(used_by)[:-1]])
        top[used] = np.maximum.reduceat(data, starts[used])
        heaviest = np.flatnonzero(data == top[row_of])
        first = heaviest[np.unique(row_of[heaviest], return_index=True)[1]]
        top_row[row_of[first]] = indices[first]
    share = np.divide(top, totals, out=np.zeros_like(top), where=totals > 0)
    return Concentration(used_by, share, top_row)
