"""Topic coherence over sliding windows (C_NPMI, C_V), as gensim computes it, counted with NumPy.

gensim's ``CoherenceModel`` scores a topic from the number of sliding windows of the segmented
texts in which its terms occur, alone and in pairs; it counts them window by window in Python,
which took 32 s for the 324 topics of a four-cities sweep (C_NPMI 12 s, C_V 20 s) — a third of the
topics stage. :class:`WindowCounts` counts the same windows with array operations and hands them to
gensim's own confirmation measures (``CoherenceModel`` with its accumulator given), so the formulas
stay gensim's and the scores are gensim's to the last bit (``tests/test_coherence.py``).

The counts follow gensim's ``WordOccurrenceAccumulator`` exactly, including how it slides: a
document shorter than the window is one window; at each step the token leaving the window is
marked absent and the token entering it present, so a term that leaves while another of its
occurrences is still inside is not counted in the windows until it enters again. With that rule
a term's mark at window *s* is set by the latest event at or before *s* — entering (position
*s + w − 1*) or leaving (position *s − 1*), entering winning a tie — which a running maximum over
event codes (2·s for leaving, 2·s + 1 for entering) reads off for every window at once.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

WINDOWS = {"c_npmi": 10, "c_v": 110}  # gensim's sliding window sizes for these measures
_BLOCK = 4096  # windows marked at a time, to bound memory on long documents


def coherence(
    topics: Sequence[Sequence[str]], texts: Sequence[Sequence[str]], dictionary: Any, measure: str, topn: int
) -> list[float]:
    """gensim's ``measure`` (``c_npmi`` or ``c_v``) of each topic's first ``topn`` terms over ``texts``."""
    from gensim.models import CoherenceModel
    from gensim.topic_coherence.probability_estimation import unique_ids_from_segments

    model = CoherenceModel(
        topics=[list(t) for t in topics], dictionary=dictionary, texts=texts, coherence=measure, topn=topn, processes=1
    )
    relevant = unique_ids_from_segments(model.segment_topics())
    model._accumulator = WindowCounts(relevant, dictionary).accumulate(texts, WINDOWS[measure])
    return [float(v) for v in model.get_coherence_per_topic()]


class WindowCounts:
    """Windows holding each relevant term and each pair of them, the interface gensim's confirmation
    measures read (``accumulator[id]``, ``accumulator[id, id]``, ``num_docs``, ``relevant_ids``)."""

    def __init__(self, relevant_ids: set[int], dictionary: Any) -> None:
        self.relevant_ids = relevant_ids
        self.id2contiguous = {word_id: n for n, word_id in enumerate(sorted(relevant_ids))}
        self.token2contiguous = {dictionary[i]: n for i, n in self.id2contiguous.items()}
        size = len(relevant_ids)
        self.occurrences = np.zeros(size, dtype=np.int64)
        self.co_occurrences = np.zeros((size, size), dtype=np.int64)
        self.num_docs = 0  # windows: gensim treats each as a virtual document

    def __getitem__(self, ids: Any) -> Any:
        if np.ndim(ids) == 0:
            return self.occurrences[self.id2contiguous[ids]]
        first, second = ids
        return self.co_occurrences[self.id2contiguous[first], self.id2contiguous[second]]

    def accumulate(self, texts: Sequence[Sequence[str]], window: int) -> "WindowCounts":
        index = self.token2contiguous
        for text in texts:
            terms = np.fromiter((index.get(t, -1) for t in text), dtype=np.int64, count=len(text))
            self._add(terms, window)
        return self

    def _add(self, terms: np.ndarray, window: int) -> None:
        n_windows = max(1, len(terms) - window + 1)
        self.num_docs += n_windows
        positions = np.flatnonzero(terms >= 0)
        if not len(positions):
            return
        present, local = np.unique(terms[positions], return_inverse=True)
        # events: entering at window max(0, p − w + 1), code 2·s + 1; leaving at window p + 1, code 2·s
        enter = np.maximum(0, positions - window + 1)
        leave = positions + 1
        stays = leave < n_windows
        rows = np.concatenate([local, local[stays]])
        times = np.concatenate([enter, leave[stays]])
        codes = np.concatenate([2 * enter + 1, 2 * leave[stays]])
        order = np.argsort(times, kind="stable")
        rows, times, codes = rows[order], times[order], codes[order]
        carry = np.zeros(len(present), dtype=np.int64)
        for start in range(0, n_windows, _BLOCK):
            end = min(start + _BLOCK, n_windows)
            a, b = np.searchsorted(times, [start, end])
            marks = np.zeros((len(present), end - start), dtype=np.int64)
            marks[:, 0] = carry
            np.maximum.at(marks, (rows[a:b], times[a:b] - start), codes[a:b])
            np.maximum.accumulate(marks, axis=1, out=marks)
            carry = marks[:, -1]
            flags = (marks & 1).astype(np.float32)
            self.occurrences[present] += flags.sum(axis=1).astype(np.int64)
            # exact: a block's counts stay far below 2**24, float32's integer limit
            self.co_occurrences[np.ix_(present, present)] += (flags @ flags.T).astype(np.int64)
