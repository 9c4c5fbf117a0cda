"""The documents' clean texts as an output: ``texts/part-00000.jsonl``, ``part-00001.jsonl``, … one
JSON line a document (``id``, ``group``, ``year``, ``file``, ``text``), in the order the documents
were read.

One file a document made 100,000 files for 100,000 documents, slow to write, copy and list. A shard
is closed once it holds :data:`SHARD_BYTES` of lines, so a corpus makes one file per 64 MiB of text
(four-cities: one), a document never spans two, and the shards depend on the texts alone: two runs
cut them at the same lines. The texts are written one at a time, read from the run's spool, so they
never all stand in memory. :func:`read_texts` reads them back the same way; so does any JSON Lines
reader (``pandas.read_json(path, lines=True)``, ``jq``, DuckDB's ``read_json``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator

if TYPE_CHECKING:
    from ..workflow.pipeline import ReadDocument

SHARD_BYTES = 64 * 2**20


def text_record(read: "ReadDocument") -> dict[str, Any]:
    """The line of ``read``'s text."""
    d = read.document
    return {"id": d.id, "group": d.group, "year": d.year, "file": d.file, "text": read.text}


def write_text_shards(folder: Path, records: Iterable[dict[str, Any]], *, shard_bytes: int = SHARD_BYTES) -> int:
    """``records`` as the shards ``folder/part-NNNNN.jsonl``, each closed once it holds ``shard_bytes``
    or more; returns how many were written (none for no records). Not atomic on its own: for the
    output folder being built, which is swapped in whole."""
    folder.mkdir(parents=True, exist_ok=True)
    shards, shard, size = 0, None, 0
    try:
        for record in records:
            if shard is None:
                shard, size, shards = _open_shard(folder, shards), 0, shards + 1
            line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            shard.write(line)
            size += len(line)
            if size >= shard_bytes:
                shard.close()
                shard = None
    finally:
        if shard is not None:
            shard.close()
    return shards


def read_texts(folder: str | Path) -> Iterator[dict[str, Any]]:
    """The records of a run's ``texts`` folder (or of the run's folder, which holds it), shard after
    shard: the texts in the order the run read them, one in memory at a time."""
    folder = Path(folder)
    if (folder / "texts").is_dir():
        folder = folder / "texts"
    for shard in sorted(folder.glob("part-*.jsonl")):
        with shard.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


def _open_shard(folder: Path, index: int) -> BinaryIO:
    return open(folder / f"part-{index:05d}.jsonl", "wb")  # noqa: SIM115 (closed by write_text_shards)
