"""The two jobs that end in an output folder: :func:`run` (analyse a corpus and write everything) and
:func:`extract` (read it and write the clean texts). The analysis itself,
:func:`textmine.workflow.pipeline.analyse`, writes nothing; the writers in :mod:`textmine.output.outputs` are the
only way into a folder."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .config import Config, load_config
from .ingest.corpus import Skipped
from .ingest.duplicates import DuplicateCluster
from .output.outputs import Run, write_extraction, write_run
from .text.resources import default_output
from .workflow.pipeline import ReadDocument, Stages, analyse, discover, drop_duplicates, extract_corpus


def run(corpus: str | Path, *, output: str | Path | None = None, config: Config | None = None) -> Run:
    """Analyse the corpus folder ``corpus`` (:func:`~textmine.workflow.pipeline.analyse`) and write every
    output to ``output`` (default: ``outputs/<corpus folder name>``) with
    :func:`~textmine.output.outputs.write_run`. Returns the analysis and what was written."""
    config = config or load_config(corpus=corpus)
    stages = Stages(progress=config.run.progress)
    started = time.perf_counter()
    analysis = analyse(corpus, config=config, stages=stages)
    folder = Path(output) if output is not None else default_output(corpus)
    return write_run(analysis, folder, started=started)


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract` read and where it wrote it."""

    output: Path
    read: list[ReadDocument]
    skipped: list[Skipped]
    duplicates: list[DuplicateCluster]


def extract(corpus: str | Path, *, output: str | Path | None = None, config: Config | None = None) -> Extraction:
    """Extract the corpus only and write the clean texts and the per-file quality tables to ``output``
    (default: ``outputs/<corpus folder name>-texts``), to inspect before analysing."""
    config = config or load_config(corpus=corpus)
    stages = Stages(progress=config.run.progress)
    started = time.perf_counter()
    with stages.stage("discover"):
        found = discover(corpus, config.corpus)
    read, skipped = extract_corpus(found, config, stages=stages)
    _, duplicates = drop_duplicates(read, config)
    out = Path(output) if output is not None else default_output(corpus, "-texts")
    skipped = [*found.skipped, *skipped]
    timings = {**stages.seconds, "total": round(time.perf_counter() - started, 3)}
    write_extraction(out, config, found, read, skipped, duplicates, timings)
    return Extraction(out, read, skipped, duplicates)
