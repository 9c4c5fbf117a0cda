"""The clean texts as JSON Lines shards: cut at the byte limit, never inside a document, read back whole."""

import json

from textmine.output.text_shards import read_texts, write_text_shards

from conftest import FOUR_CITIES_TRUTH


def _records(n: int) -> list[dict]:
    paths = sorted(FOUR_CITIES_TRUTH.glob("*.txt"))[:n]
    return [
        {"id": p.stem, "group": p.stem[:2], "year": None, "file": f"docs/{p.name}", "text": p.read_text("utf-8")}
        for p in paths
    ]


def test_shards_close_at_the_byte_limit_and_read_back_every_text_in_order(tmp_path):
    records = _records(40)
    # a text JSON must escape, and one with the line separators a naive line splitter would cut at
    records.append(
        {"id": "odd", "group": "x", "year": 2020, "file": "a\\b.txt", "text": '"引号"\n\t\u2028\u2029😀\x00'}
    )
    limit = 60_000
    shards = write_text_shards(tmp_path / "texts", iter(records), shard_bytes=limit)
    files = sorted((tmp_path / "texts").iterdir())
    assert [f.name for f in files] == [f"part-{i:05d}.jsonl" for i in range(shards)] and shards > 3
    for f in files[:-1]:  # each full shard: at the limit only with its last line, never one line later
        lines = f.read_bytes().splitlines(keepends=True)
        assert sum(map(len, lines)) >= limit > sum(map(len, lines[:-1]))
    assert files[-1].stat().st_size > 0
    assert list(read_texts(tmp_path)) == records  # the run's folder or the texts folder itself
    assert list(read_texts(tmp_path / "texts")) == records
    assert sum(len(f.read_text("utf-8").split("\n")) - 1 for f in files) == len(records)  # one line a document
    assert json.loads(files[0].read_text("utf-8").split("\n")[0])["id"] == records[0]["id"]


def test_the_same_texts_make_the_same_shards_and_no_texts_make_none(tmp_path):
    records = _records(12)
    write_text_shards(tmp_path / "a", iter(records), shard_bytes=50_000)
    write_text_shards(tmp_path / "b", iter(records), shard_bytes=50_000)
    a, b = sorted((tmp_path / "a").iterdir()), sorted((tmp_path / "b").iterdir())
    assert [f.read_bytes() for f in a] == [f.read_bytes() for f in b] and len(a) > 1
    assert write_text_shards(tmp_path / "none", iter([])) == 0
    assert list((tmp_path / "none").iterdir()) == [] and list(read_texts(tmp_path / "none")) == []
