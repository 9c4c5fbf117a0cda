from textmine.ingest.duplicates import find_duplicates, jaccard, signatures

from conftest import manifest_rows, truth


def test_exact_and_near_duplicates_form_clusters():
    a, b = truth("sh0010"), truth("bj0004")
    docs = [
        ("a", a),
        ("a-pdf", a.replace("\n", "\n\n")),
        ("a-repost", "转载：上海发布\n" + a),
        ("b", b),
        ("c", truth("gz0003")),
    ]
    clusters = find_duplicates(docs, threshold=0.9)
    # signatures made once for the versions and the duplicates of a run find the same, from a superset
    signed = signatures({**dict(docs), "d": truth("sz0001")})
    assert find_duplicates(docs, threshold=0.9, signed=signed) == clusters
    assert len(clusters) == 1
    cluster = clusters[0]
    assert (cluster.kept, cluster.dropped, cluster.kind) == ("a", ("a-pdf", "a-repost"), "near")
    assert 0.99 < cluster.similarity < 1.0 and cluster.similarity == round(jaccard(a, "转载：上海发布\n" + a), 4)


def test_signatures_are_datasketchs_own_kept_lean():
    from datasketch import MinHash

    from textmine.ingest.duplicates import shingle_hashes

    texts = {d: truth(d) for d in sorted(manifest_rows())[:60]}
    signed = signatures(texts, seed=3)
    for doc_id, text in texts.items():
        own = MinHash(num_perm=128, seed=3, hashfunc=int)  # each text drawing its own permutations
        own.update_batch(shingle_hashes(text).tolist())
        assert (signed[doc_id].hashvalues == own.hashvalues).all() and signed[doc_id].seed == 3
    assert not any(hasattr(s, "permutations") for s in signed.values())  # was: 1 KB of them a document


def test_whitespace_only_differences_are_exact():
    assert [
        (c.kept, c.dropped, c.kind, c.similarity)
        for c in find_duplicates([("x", "第一条 甲乙丙丁戊己庚辛壬癸。"), ("y", "第一条甲乙丙丁戊己庚辛壬癸。\n")])
    ] == [("x", ("y",), "exact", 1.0)]


def test_amended_versions_below_the_threshold_stay_apart():
    original = truth("sh0010")
    amended = original[: len(original) // 2] + truth("bj0004")[: len(original) // 2]
    assert find_duplicates([("old", original), ("new", amended)], threshold=0.9) == []


def test_versions_of_one_regulation_are_clustered_and_the_latest_kept():
    from textmine.ingest.versions import Version, find_versions, normalise_title

    rows = manifest_rows()
    # 上海市检验检测条例 as adopted in 2016 (sh0155) and as revised in 2024 (sh0154), and 上海市音像制品管理条例
    # of 2021 (sh0223) and 2024 (sh0224): the dates are the latest adoption dates their texts state
    dates = {"sh0154": "2024-12-31", "sh0155": "2016-11-11", "sh0223": "2021-08-25", "sh0224": "2024-12-31"}
    docs = [Version(i, rows[i]["title"], dates.get(i, rows[i]["year"]), truth(i)) for i in [*dates, "sh0151", "bj0025"]]
    clusters = find_versions(docs, threshold=0.7)
    assert [(c.members, c.kept) for c in clusters] == [
        (("sh0155", "sh0154"), "sh0154"),
        (("sh0223", "sh0224"), "sh0224"),
    ]
    assert clusters[0].basis.startswith("same title; similar text (Jaccard 0.9")
    assert [c.kept for c in find_versions(docs, threshold=0.7, keep="earliest")] == ["sh0155", "sh0223"]
    assert normalise_title("《北京市安全生产条例》（2022年修订）") == normalise_title("北京市安全生产条例")
    assert find_versions([Version("a", "通知", "2020", "甲乙丙丁戊"), Version("b", "通知", "2021", "己庚辛壬癸")]) == []


def test_near_pairs_are_every_pair_the_exact_jaccard_finds_on_four_cities():
    """LSH over hashed 5-grams finds every pair of the corpus at or above the threshold that an
    all-pairs count of the exact 5-gram sets finds (a sparse product), and no other."""
    import numpy as np
    from scipy import sparse

    from textmine.ingest.duplicates import _shingles, similar_pairs

    texts = {i: truth(i) for i in sorted(manifest_rows())}
    ids = list(texts)
    index: dict[str, int] = {}
    rows, cols = [], []
    for row, doc_id in enumerate(ids):
        for shingle in _shingles(texts[doc_id]):
            rows.append(row)
            cols.append(index.setdefault(shingle, len(index)))
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(ids), len(index)))
    shared = (matrix @ matrix.T).toarray()
    sizes = np.diag(shared)
    union = sizes[:, None] + sizes[None, :] - shared
    for threshold in (0.7, 0.9):
        exact = {
            frozenset((ids[a], ids[b]))
            for a, b in zip(*np.nonzero(np.triu(shared / union >= threshold, k=1)), strict=True)
        }
        found = similar_pairs(texts, threshold=threshold)
        assert set(found) == exact and len(exact) >= 5


def _lsh_candidates(matrix, threshold):
    """datasketch's own MinHashLSH over the same signatures: each document queried, then inserted."""
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=matrix.shape[1])
    scheme = MinHash(num_perm=matrix.shape[1]).scheme
    found = []
    for row, values in enumerate(matrix):
        signature = LeanMinHash(seed=1, hashvalues=values, scheme=scheme)
        found += [(row, other) for other in sorted(lsh.query(signature))]
        lsh.insert(row, signature)
    return lsh, found


def test_lsh_candidates_are_datasketchs_on_four_cities_and_on_planted_collisions():
    """The bands sorted with NumPy give the candidate pairs datasketch's MinHashLSH gives, in the
    order it meets them, for the bands of both thresholds a run uses (versions 0.6, duplicates 0.8)."""
    import numpy as np

    from textmine.ingest.duplicates import candidates

    texts = {i: truth(i) for i in sorted(manifest_rows())}
    signed = signatures(texts)
    real = np.array([signed[i].hashvalues for i in sorted(texts)], dtype=np.uint64)
    planted = np.random.default_rng(0).integers(0, 2**32, size=(300, 128), dtype=np.uint64)
    planted[7] = planted[3]  # whole signatures alike, and bands alike alone, in threes too
    planted[[50, 120, 299], 14:21] = planted[10, 14:21]
    planted[[200, 201], :13] = planted[0, :13]
    for matrix in (real, planted):
        for threshold in (0.6, 0.8):
            lsh, expected = _lsh_candidates(matrix, threshold)
            found = candidates(matrix, bands=lsh.b, rows=lsh.r)
            assert [tuple(pair) for pair in found.tolist()] == expected
    assert len(_lsh_candidates(planted, 0.6)[1]) >= 4 and len(_lsh_candidates(real, 0.6)[1]) >= 5


def test_finding_near_pairs_holds_a_few_bytes_a_document():
    """20,000 documents' signatures searched for near pairs: the search's own memory is the matrix
    of their hash values and a band at a time (1 KB a document and a little), not an index of sets
    (datasketch's MinHashLSH held 3.1 KB a document here)."""
    import tracemalloc

    import numpy as np
    from datasketch import LeanMinHash, MinHash

    from textmine.ingest.duplicates import similar_pairs

    scheme = MinHash(num_perm=128).scheme
    values = np.random.default_rng(1).integers(0, 2**32, size=(20_000, 128), dtype=np.uint64)
    signed = {f"d{i:05d}": LeanMinHash(seed=1, hashvalues=v, scheme=scheme) for i, v in enumerate(values)}
    texts = dict.fromkeys(signed, "")  # no candidate among random signatures: no text is read
    tracemalloc.start()
    try:
        found = similar_pairs(texts, threshold=0.9, signed=signed)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == {}
    assert peak / len(signed) < 2 * 1024, peak / len(signed)  # the matrix itself: 1 KB a document
