from textmine.duplicates import find_duplicates, jaccard

from conftest import truth


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
    assert len(clusters) == 1
    cluster = clusters[0]
    assert (cluster.kept, cluster.dropped, cluster.kind) == ("a", ("a-pdf", "a-repost"), "near")
    assert 0.99 < cluster.similarity < 1.0 and cluster.similarity == round(jaccard(a, "转载：上海发布\n" + a), 4)


def test_whitespace_only_differences_are_exact():
    assert [
        (c.kept, c.dropped, c.kind, c.similarity)
        for c in find_duplicates([("x", "第一条 甲乙丙丁戊己庚辛壬癸。"), ("y", "第一条甲乙丙丁戊己庚辛壬癸。\n")])
    ] == [("x", ("y",), "exact", 1.0)]


def test_amended_versions_below_the_threshold_stay_apart():
    original = truth("sh0010")
    amended = original[: len(original) // 2] + truth("bj0004")[: len(original) // 2]
    assert find_duplicates([("old", original), ("new", amended)], threshold=0.9) == []
