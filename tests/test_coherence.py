"""Sliding-window coherence counted with NumPy against gensim's own accumulator and CoherenceModel."""

import random

import jieba
import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel
from gensim.topic_coherence.text_analysis import WordOccurrenceAccumulator

from textmine.analysis.coherence import WindowCounts, coherence

from conftest import manifest_rows, truth


def counts(texts, relevant, window):
    """Ours and gensim's counts of the same windows: occurrences, co-occurrences and windows, by term."""
    dictionary = Dictionary(texts)
    ids = {dictionary.token2id[t] for t in relevant}
    ours = WindowCounts(ids, dictionary).accumulate(texts, window)
    theirs = WordOccurrenceAccumulator(ids, dictionary).accumulate(texts, window)
    terms = sorted(relevant)
    pairs = [(a, b) for a in terms for b in terms]
    by_id = dictionary.token2id
    return (
        ({t: int(ours[by_id[t]]) for t in terms}, {p: int(ours[by_id[p[0]], by_id[p[1]]]) for p in pairs}),
        ({t: int(theirs[by_id[t]]) for t in terms}, {p: int(theirs[by_id[p[0]], by_id[p[1]]]) for p in pairs}),
        (ours.num_docs, theirs.num_docs),
    )


def test_windows_counted_by_hand_including_how_gensim_slides():
    # [a b] [b a] [a c]: a leaves and enters at the same step and stays marked
    (occ, co), _, (windows, _) = counts([["a", "b", "a", "c"]], {"a", "b", "c"}, 2)
    assert occ == {"a": 3, "b": 2, "c": 1} and windows == 3
    assert co[("a", "b")] == 2 and co[("a", "c")] == 1 and co[("b", "c")] == 0 and co[("a", "a")] == 3
    # [a a] [a b]: the a leaving unmarks a though another a is still in the window (gensim's rule)
    (occ, co), _, _ = counts([["a", "a", "b"]], {"a", "b"}, 2)
    assert occ == {"a": 1, "b": 1} and co[("a", "b")] == 0
    # a text shorter than the window is one window; an empty text is one window holding nothing
    (occ, co), _, (windows, _) = counts([["a", "b"], [], ["b"]], {"a", "b"}, 10)
    assert occ == {"a": 1, "b": 2} and co[("a", "b")] == 1 and windows == 3


@pytest.mark.parametrize("window", [2, 10, 110])
def test_counts_equal_gensims_on_texts_with_many_repeats(window):
    rng = random.Random(window)
    vocab = [f"w{i}" for i in range(12)]
    lengths = [0, 1, window - 1, window, window + 1, 9000, *(rng.randrange(1, 400) for _ in range(40))]
    texts = [[rng.choice(vocab) for _ in range(n)] for n in lengths]  # 9,000 tokens: windows in several blocks
    texts.append(vocab)  # every term in the dictionary, whatever the draws
    ours, theirs, windows = counts(texts, set(vocab[:9]), window)
    assert ours == theirs and windows[0] == windows[1]


def test_coherence_equals_gensims_on_real_regulations():
    ids = sorted(manifest_rows())[::12]  # every twelfth regulation of four-cities, from its true text
    tokenizer = jieba.Tokenizer()  # its own: jieba's global one stays untouched for the other tests
    texts = [[w for w in tokenizer.lcut(truth(i)) if len(w) > 1 and w.strip()] for i in ids]
    dictionary = Dictionary(texts)
    frequent = [w for w, _ in sorted(dictionary.cfs.items(), key=lambda kv: -kv[1])[:300]]
    rng = random.Random(7)
    topics = [[dictionary[i] for i in rng.sample(frequent, 10)] for _ in range(30)]
    topics.append([dictionary[i] for i in frequent[-10:]])
    for measure in ("c_npmi", "c_v"):
        expected = CoherenceModel(
            topics=topics, dictionary=dictionary, texts=texts, coherence=measure, topn=10, processes=1
        ).get_coherence_per_topic()
        got = coherence(topics, texts, dictionary, measure, 10)
        assert got == [float(v) for v in expected]  # to the last bit: the same counts, gensim's formulas
        assert np.ptp(got) > 0.1  # the topics differ: a constant score would not test anything
