"""Reading and segmenting on a real Dask cluster: a scheduler and worker processes started with the
`dask` command on localhost, as a user starts them on their machines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import distributed
import pytest
from test_cli import run_files, textmine
from test_workers import FAULTS, OUTCOMES, Logged, task

from textmine.workflow.cluster import ClusterPool

from conftest import make_corpus, manifest_rows

DASK = str(Path(sys.executable).parent / "dask")
TESTS = str(Path(__file__).resolve().parent)


def _start_worker(address: str, name: str, log: Path) -> subprocess.Popen:
    # --no-nanny: the worker is the process itself, so it may start the processes that hold each file
    # to its time and memory limits; PYTHONPATH: the workers import this folder's task functions
    return subprocess.Popen(
        [DASK, "worker", address, "--no-nanny", "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"]
        + ["--name", name],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": TESTS},
        start_new_session=True,
    )


def _wait_for_workers(address: str, names: set[str], timeout: float = 60) -> None:
    with distributed.Client(address, timeout=30, set_as_default=False) as client:
        deadline = time.monotonic() + timeout
        while {w["name"] for w in client.scheduler_info()["workers"].values()} < names:
            assert time.monotonic() < deadline, f"Dask workers {names} did not start"
            time.sleep(0.2)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The address of a scheduler with two one-thread workers, all on localhost."""
    folder = tmp_path_factory.mktemp("dask")
    info = folder / "scheduler.json"
    command = [DASK, "scheduler", "--scheduler-file", str(info), "--host", "127.0.0.1", "--port", "0"]
    processes = [
        subprocess.Popen(
            command + ["--no-dashboard"],
            stdout=(folder / "scheduler.log").open("w"),
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": TESTS},  # it unpickles the tasks: it imports their functions
            start_new_session=True,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not info.is_file() or not info.read_text():
            assert time.monotonic() < deadline, "the Dask scheduler did not start"
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        processes += [_start_worker(address, f"w{n}", folder / f"w{n}.log") for n in (1, 2)]
        _wait_for_workers(address, {"w1", "w2"})
        yield address
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_limits_and_failures_are_the_same_outcomes_on_the_cluster(cluster):
    """A hang, a memory hog, a crash and an exception each stop one item on a worker, as they do in
    the local pool (tests/test_workers.py), and come back in input order."""
    items = [*FAULTS, "d", "e"]
    ticks = []
    outcomes = list(ClusterPool(cluster, task, timeout=3, memory_mb=512).map(items, on_done=ticks.append))
    assert [(o.value, o.error) for o in outcomes] == [*OUTCOMES, ("D", None), ("E", None)]
    assert sum(ticks) == len(items)


def test_a_sequence_is_sent_a_few_chunks_ahead_not_all_at_once(cluster):
    items = Logged([f"x{i}" for i in range(40)])
    seen = []
    for outcome in ClusterPool(cluster, task).map(items):  # 2 threads: chunks of 5, 4 sent ahead
        seen.append((outcome.value, len(items.asked)))
    assert [value for value, _ in seen] == [f"X{i}" for i in range(40)]
    assert items.asked == list(range(40))  # each item read once, in order
    assert seen[0][1] <= 30  # was 40: every item sent before the first came back


@pytest.fixture(scope="module")
def subset(tmp_path_factory):
    """Every 15th document of four-cities (30: PDF, DOCX, text), and its local run."""
    root = tmp_path_factory.mktemp("subset")
    corpus = make_corpus(root / "corpus", sorted(manifest_rows())[::15])
    local = root / "local"
    done = textmine("run", str(corpus), "-o", str(local), "-q", "--no-topics", cache=root / "cache")
    assert done.returncode == 0, done.stderr
    return corpus, local


def _same_files(local: Path, other: Path) -> None:
    a, b = run_files(local), run_files(other)
    assert list(a) == list(b) and len(a) > 20
    assert [name for name in a if a[name] != b[name]] == ["run.json"]
    records = [json.loads(f["run.json"]) for f in (a, b)]
    for record in records:
        record.pop("timing")
        record["config"]["run"].pop("scheduler")  # where it ran: recorded, and the only difference
    assert records[0] == records[1]
    assert records[0]["counts"]["documents_read"] == 30


def test_a_cluster_run_writes_the_files_of_a_local_run(cluster, subset, tmp_path):
    corpus, local = subset
    out = tmp_path / "out"
    done = textmine("run", str(corpus), "-o", str(out), "-q", "--no-topics", "--scheduler", cluster, cache=tmp_path)
    assert done.returncode == 0, done.stderr
    _same_files(local, out)
    assert json.loads((out / "run.json").read_text())["config"]["run"]["scheduler"] == cluster


def test_a_worker_killed_mid_run_loses_nothing(cluster, subset, tmp_path):
    """A third worker joins, takes work, and is killed while it holds some: the scheduler gives its
    work to the other two, and the run writes every file of the local run."""
    corpus, local = subset
    extra = _start_worker(cluster, "doomed", tmp_path / "doomed.log")
    try:
        _wait_for_workers(cluster, {"w1", "w2", "doomed"})
        out = tmp_path / "out"
        command = [sys.executable, "-m", "textmine", "run", str(corpus), "-o", str(out), "-q", "--no-topics"]
        run = subprocess.Popen(
            command + ["--scheduler", cluster],
            env={**os.environ, "TEXTMINE_CACHE": str(tmp_path / "cache")},
            stderr=subprocess.PIPE,
            text=True,
        )
        with distributed.Client(cluster, timeout=30, set_as_default=False) as client:
            deadline = time.monotonic() + 120
            while True:
                busy = {
                    client.scheduler_info()["workers"].get(w, {}).get("name") for w, keys in client.processing().items()
                    if keys
                }  # fmt: skip
                if "doomed" in busy:
                    break
                assert run.poll() is None and time.monotonic() < deadline, "the third worker was never given work"
                time.sleep(0.05)
        os.killpg(extra.pid, signal.SIGKILL)
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
    finally:
        if extra.poll() is None:
            os.killpg(extra.pid, signal.SIGKILL)
        extra.wait()
    _same_files(local, out)


def test_a_scheduler_nobody_answers_is_a_one_line_error(tmp_path):
    """Even when the cache holds every file's text and tokens, so that no task would be sent (it
    once ran to the end on this machine alone, as if no scheduler had been named)."""
    corpus = make_corpus(tmp_path / "c", ["bj0114"])
    warm = textmine("run", str(corpus), "-o", str(tmp_path / "first"), "-q", "--no-topics", cache=tmp_path / "cache")
    assert warm.returncode == 0, warm.stderr
    done = textmine(
        "run",
        str(corpus),
        "-o",
        str(tmp_path / "out"),
        "-q",
        "--scheduler",
        "tcp://127.0.0.1:9",
        cache=tmp_path / "cache",
    )
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("textmine: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9: ")
    assert not (tmp_path / "out").exists()
