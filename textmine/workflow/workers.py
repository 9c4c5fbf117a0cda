"""Worker processes that a bad input cannot take down with it.

:class:`IsolatedPool` runs a function over items in worker processes and yields the outcomes in
input order. Each task runs under a time limit and each worker under a memory limit (an address-space
rlimit, so an allocation past it raises MemoryError inside the worker). A task that overruns its time
is stopped by killing its worker; a worker that dies (out of memory, a crash in a C library) is
replaced; either way the outcome is an error naming the cause and the other items go on — the way
Apache Tika parses each file in a child process with timeouts and restarts.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Generic, Iterable, Iterator, Sequence, TypeVar

from ..errors import TextmineError

_STILLBORN_LIMIT = 3  # workers in a row that die before finishing a task: they cannot start, stop


def _can_spawn() -> bool:
    """A spawned child re-imports ``__main__`` from its file; code run from stdin or ``-c`` has none."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return path is None or os.path.exists(path)


T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """The result of one task, or why there is none."""

    value: R | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


def _worker_loop(
    conn: Connection,
    func: Callable[[Any], Any],
    memory_mb: int | None,
    initializer: Callable[..., None] | None,
    initargs: tuple,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent answers Ctrl-C; a Ctrl-C held since start is dropped
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if memory_mb:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if initializer:
        initializer(*initargs)
    conn.send(("ready",))  # the clock of the first task starts only now, not while the process starts up
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        index, item = task
        try:
            conn.send((index, func(item), None))
        except MemoryError:
            conn.send((index, None, f"memory limit exceeded ({memory_mb} MB)"))
        except Exception as exc:  # the boundary of one task: report it and take the next
            first = str(exc).splitlines()[0] if str(exc) else "no message"
            conn.send((index, None, f"{type(exc).__name__}: {first}"))


@contextlib.contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """SIGINT held (blocked, so not lost) while a worker is started. Ctrl-C reaches the whole process
    group; the worker inherits the block and ignores the signal from its first line on (see
    :func:`_worker_loop`), so it prints no traceback of its own, while a Ctrl-C that comes meanwhile
    reaches the parent as soon as the worker has started: the parent kills the workers and says so
    in one line."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    resource_tracker.ensure_running()  # its first start unblocks SIGINT halfway through, so start it first
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Worker:
    def __init__(
        self, context: Any, func: Callable, memory_mb: int | None, initializer: Callable | None, initargs: tuple
    ):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_loop, args=(child, func, memory_mb, initializer, initargs), daemon=True
        )
        with _ctrl_c_held():  # Ctrl-C reaches the whole process group: the parent alone answers it
            self.process.start()
        child.close()
        self.task: int | None = None
        self.deadline: float | None = None
        self.ready = False  # has started up and said so

    def give(self, index: int, item: Any, timeout: float | None) -> None:
        self.conn.send((index, item))
        self.task = index
        self.deadline = time.monotonic() + timeout if timeout else None

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.kill()


class IsolatedPool(Generic[T, R]):
    """Map ``func`` over items in ``workers`` processes, each task within ``timeout`` seconds and each
    worker within ``memory_mb`` megabytes (None: no limit). ``func`` must be a module-level function."""

    def __init__(
        self,
        func: Callable[[T], R],
        *,
        workers: int,
        timeout: float | None = None,
        memory_mb: int | None = None,
        initializer: Callable[..., None] | None = None,
        initargs: tuple = (),
        keep: bool = False,
    ):
        """With ``keep``, the workers that end a ``map`` idle are kept for the next one (each starts
        a Python process and runs the initializer: a second or so) until :meth:`close`."""
        self.func = func
        self.workers = max(1, workers)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.initializer = initializer
        self.initargs = initargs
        self.keep = keep
        self._kept: list[_Worker] = []

    def close(self) -> None:
        """Stop the workers kept between maps."""
        for worker in self._kept:
            worker.stop()
        self._kept = []

    def map(self, items: Iterable[T], *, on_done: Callable[[int], None] | None = None) -> Iterator[Outcome[R]]:
        """Yield one Outcome per item, in the order of ``items``; ``on_done(1)`` is called as each task ends.
        A sequence is indexed as its items are sent, one per worker at a time (a sequence that reads
        its items from disk is never all in memory); any other iterable is made a list first."""
        items = items if isinstance(items, Sequence) else list(items)
        if not items:
            return
        if not _can_spawn():
            yield from self._in_process(items, on_done)
            return
        context = multiprocessing.get_context("spawn")  # never fork a process that holds threads
        start = lambda: _Worker(context, self.func, self.memory_mb, self.initializer, self.initargs)  # noqa: E731
        wanted = min(self.workers, len(items))
        pool = [w for w in self._kept if w.process.is_alive()][:wanted]
        for worker in self._kept:
            if worker not in pool:
                worker.stop()
        self._kept = []
        pool += [start() for _ in range(wanted - len(pool))]
        results: dict[int, Outcome[R]] = {}
        stillborn = 0
        queue = ((i, items[i]) for i in range(len(items)))
        for worker in pool:
            if worker.ready:  # kept from the last map: it said so then
                self._feed(worker, queue)
        next_out = 0
        try:
            while next_out < len(items):
                watched = [w for w in pool if not w.ready or w.task is not None]
                deadlines = [w.deadline for w in watched if w.deadline is not None]
                wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                ready = wait([w.conn for w in watched], timeout=wait_for)
                for i, worker in enumerate(pool):
                    if worker.conn in ready and not worker.ready:
                        try:
                            worker.conn.recv()  # ("ready",)
                        except (EOFError, OSError):
                            stillborn += 1
                            if stillborn >= _STILLBORN_LIMIT:
                                raise TextmineError(
                                    f"worker processes die while starting ({self._death(worker)})"
                                ) from None
                            worker.kill()
                            pool[i] = start()
                            continue
                        worker.ready, stillborn = True, 0
                        self._feed(worker, queue)
                        continue
                    if worker.task is None:
                        continue
                    if worker.conn in ready:
                        try:
                            index, value, error = worker.conn.recv()
                            outcome = Outcome(value, error)
                        except (EOFError, OSError):
                            index, outcome = worker.task, Outcome(None, self._death(worker))
                            worker.kill()
                            pool[i] = worker = start()
                    elif worker.deadline is not None and time.monotonic() >= worker.deadline:
                        index, outcome = worker.task, Outcome(None, f"timeout: stopped after {self.timeout:g} s")
                        worker.kill()
                        pool[i] = worker = start()
                    else:
                        continue
                    results[index] = outcome
                    worker.task = None
                    if on_done:
                        on_done(1)
                    if worker.ready:
                        self._feed(worker, queue)
                while next_out in results:
                    yield results.pop(next_out)
                    next_out += 1
        finally:
            for worker in pool:
                if worker.task is not None:
                    worker.kill()
                elif self.keep:
                    self._kept.append(worker)
                else:
                    worker.stop()

    def _in_process(self, items: Sequence[T], on_done: Callable[[int], None] | None) -> Iterator[Outcome[R]]:
        """Without worker processes (no limits): when ``__main__`` cannot be imported by a child."""
        if self.initializer:
            self.initializer(*self.initargs)
        for item in items:
            try:
                outcome = Outcome(self.func(item), None)
            except Exception as exc:  # the boundary of one task, as in a worker
                first = str(exc).splitlines()[0] if str(exc) else "no message"
                outcome = Outcome(None, f"{type(exc).__name__}: {first}")
            if on_done:
                on_done(1)
            yield outcome

    def _feed(self, worker: _Worker, queue: Iterator[tuple[int, T]]) -> None:
        task = next(queue, None)
        if task is not None:
            worker.give(task[0], task[1], self.timeout)

    def _death(self, worker: _Worker) -> str:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        cause = "killed, likely out of memory" if code in (-9, 137) else f"exit code {code}"
        return f"worker process died ({cause})"
