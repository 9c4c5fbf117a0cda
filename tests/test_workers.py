"""The isolated worker pool: limits stop a task, not the run; results keep their order."""

import os
import time
from collections.abc import Sequence

from textmine.workflow.workers import IsolatedPool


def task(item: str) -> str:
    if item == "hang":
        time.sleep(60)
    if item == "hog":
        block = bytearray(3 * 1024**3)  # 3 GB, past the worker's limit
        return str(len(block))
    if item == "crash":
        os._exit(3)
    if item == "fail":
        raise ValueError("bad input\nsecond line")
    if item == "pid":
        return str(os.getpid())
    return item.upper()


# each fault stops its own item (with timeout=3, memory_mb=512), and the items after it go on
FAULTS = ["a", "hang", "b", "hog", "crash", "fail", "c"]
OUTCOMES = [
    ("A", None),
    (None, "timeout: stopped after 3 s"),
    ("B", None),
    (None, "memory limit exceeded (512 MB)"),
    (None, "worker process died (exit code 3)"),
    (None, "ValueError: bad input"),
    ("C", None),
]


def test_limits_and_failures_are_outcomes_in_order():
    pool = IsolatedPool(task, workers=2, timeout=3, memory_mb=512)
    started = time.monotonic()
    outcomes = list(pool.map(FAULTS))
    assert time.monotonic() - started < 30
    assert [(o.value, o.error) for o in outcomes] == OUTCOMES


def test_progress_is_reported_per_task():
    ticks = []
    outcomes = list(IsolatedPool(task, workers=2).map(["x", "y", "z"], on_done=ticks.append))
    assert [o.value for o in outcomes] == ["X", "Y", "Z"] and ticks == [1, 1, 1]


def slow_start() -> None:
    time.sleep(2.5)  # a worker that takes longer to start than the time limit


def test_a_workers_start_up_does_not_count_against_the_time_limit():
    pool = IsolatedPool(task, workers=1, timeout=2, initializer=slow_start)
    outcomes = list(pool.map(["a", "hang", "b"]))
    assert [(o.value, o.error) for o in outcomes] == [("A", None), (None, "timeout: stopped after 2 s"), ("B", None)]


def test_kept_workers_serve_the_next_map_and_a_stopped_one_is_replaced():
    pool = IsolatedPool(task, workers=1, timeout=3, keep=True)
    try:
        first = [o.value for o in pool.map(["pid", "a"])]
        second = [o.value for o in pool.map(["pid"])]
        assert first[1] == "A" and second == first[:1]  # the same process, started once
        (stopped,) = [o.error for o in pool.map(["hang"])]  # killed at the limit: not kept
        assert stopped == "timeout: stopped after 3 s"
        (third,) = [o.value for o in pool.map(["pid"])]
        assert third not in (None, first[0])
    finally:
        pool.close()
    assert pool._kept == []


class Logged(Sequence):
    """A sequence that notes which items were asked for, and when."""

    def __init__(self, items: list[str]) -> None:
        self.items, self.asked = items, []
        self.on_ask = lambda: None

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> str:
        self.asked.append(index)
        self.on_ask()
        return self.items[index]


def noted_task(item: str) -> str:
    """The item upper-cased, after noting in the file the item names that the task is done (before the
    pool hears of it)."""
    path, value = item.split("|")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("x")
    return value.upper()


def test_a_sequence_is_read_an_item_at_a_time_as_workers_take_them(tmp_path):
    done = tmp_path / "done"
    done.write_text("", encoding="utf-8")
    items = Logged([f"{done}|x{i}" for i in range(24)])
    in_flight = []  # as each item is read: the items read so far that no task has finished
    items.on_ask = lambda: in_flight.append(len(items.asked) - len(done.read_text(encoding="utf-8")))
    values = [outcome.value for outcome in IsolatedPool(noted_task, workers=2).map(items)]
    assert values == [f"X{i}" for i in range(24)]
    assert items.asked == list(range(24))  # each item read once, in order
    # one item a worker at a time, so never more than two read and not finished (was 24: every item read
    # before the first was sent)
    assert max(in_flight) <= 2
