"""Reading and segmenting on a Dask cluster (``run.scheduler``), with the local pool's guarantees.

:class:`ClusterPool` has :class:`~textmine.workflow.workers.IsolatedPool`'s ``map``: one
:class:`~textmine.workflow.workers.Outcome` per item, in input order. The items go to the ``dask.distributed``
workers in chunks; on the worker each chunk runs through an :class:`IsolatedPool` of one process
when a time or memory limit is set (extraction), so a file that hangs or crashes its process is
reported and skipped there, as on one machine, or in the worker's own process when none is
(segmentation, whose segmenter is built once per worker process and settings). A Dask worker that
dies takes its chunks with it; the scheduler gives them to another worker (Dask's own resilience),
and a chunk that kills ``distributed.scheduler.allowed-failures`` workers in a row comes back as
one error per item. Results are the same whichever worker made them and however the items were
chunked, so a cluster run writes the files a local run writes.

The workers need the same textmine and libraries as the client (checked as the pool starts: a
different version could segment differently) and must see the corpus at the same path. They must be
able to start processes of their own: run them with ``--no-nanny``, or with
``DASK_DISTRIBUTED__WORKER__DAEMON=False`` (a nanny's worker is otherwise a daemon process, which
may not have children).
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import pickle
from typing import Any, Callable, Generic, Iterable, Iterator, Sequence, TypeVar

from ..errors import TextmineError
from .cache import code_digest
from .libraries import library_versions
from .workers import IsolatedPool, Outcome

T = TypeVar("T")
R = TypeVar("R")

_CHUNKS_PER_THREAD = 4  # chunks per worker thread: enough to balance the load, few enough to start quickly
_MAX_CHUNK = 64
_IN_FLIGHT_PER_THREAD = 2  # chunks sent ahead per worker thread: each has the next one waiting
_CONNECT_SECONDS = 20


class ClusterPool(Generic[T, R]):
    """Map ``func`` over items on the Dask cluster at ``address``, each item within ``timeout``
    seconds and ``memory_mb`` megabytes (None: no limit; both apply per item, on the worker).
    ``func`` and ``initializer`` must be module-level functions of a module the workers can import."""

    def __init__(
        self,
        address: str,
        func: Callable[[T], R],
        *,
        timeout: float | None = None,
        memory_mb: int | None = None,
        initializer: Callable[..., None] | None = None,
        initargs: tuple = (),
    ):
        self.address = address
        self.func = func
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.initializer = initializer
        self.initargs = initargs

    def map(self, items: Iterable[T], *, on_done: Callable[[int], None] | None = None) -> Iterator[Outcome[R]]:
        """Yield one Outcome per item, in the order of ``items``; ``on_done(n)`` as each chunk of n ends.
        A sequence is read a chunk at a time as chunks are sent, a few per worker thread in flight,
        so that the items (a corpus's texts) never all stand in this process or on the scheduler."""
        items = items if isinstance(items, Sequence) else list(items)
        if not len(items):
            return
        from distributed import as_completed

        client = connect(self.address)
        try:
            threads = max(1, sum(client.nthreads().values()))
            size = max(1, min(_MAX_CHUNK, math.ceil(len(items) / (_CHUNKS_PER_THREAD * threads))))
            starts = range(0, len(items), size)
            setup = (self.initializer, self.initargs, _digest(self.initializer, self.initargs))
            futures: dict[Any, tuple[int, int]] = {}  # future -> (chunk, its items)

            def send(n: int) -> Any:
                chunk = [items[i] for i in range(starts[n], min(starts[n] + size, len(items)))]
                future = client.submit(_run_chunk, self.func, chunk, self.timeout, self.memory_mb, setup, pure=False)
                futures[future] = (n, len(chunk))
                return future

            window = min(len(starts), _IN_FLIGHT_PER_THREAD * threads)
            running = as_completed([send(n) for n in range(window)], loop=client.loop)
            sent, next_out = window, 0
            results: dict[int, list[Outcome[R]]] = {}
            for future in running:
                n, count = futures.pop(future)
                results[n] = _outcomes(future, count, self.address)
                if sent < len(starts):
                    running.add(send(sent))
                    sent += 1
                if on_done:
                    on_done(count)
                while next_out in results:
                    yield from results.pop(next_out)
                    next_out += 1
        finally:
            client.close()


def connect(address: str) -> Any:
    """A client of the scheduler at ``address``, once its workers are known to run what this
    process runs; else a one-line error saying what is missing or different."""
    try:
        from distributed import Client
    except ImportError:
        raise TextmineError(
            "run.scheduler needs dask.distributed, which is not installed: pip install 'textmine[cluster]'"
        ) from None
    try:
        client = Client(address, timeout=_CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise TextmineError(f"cannot reach the Dask scheduler at {address}: {str(exc).splitlines()[0]}") from None
    try:
        if not client.nthreads():
            client.wait_for_workers(1, timeout=_CONNECT_SECONDS)
        _check_workers(client, address)
    except BaseException as exc:
        client.close()
        if isinstance(exc, TimeoutError):
            raise TextmineError(f"the Dask scheduler at {address} has no worker") from None
        raise
    return client


def _check_workers(client: Any, address: str) -> None:
    here = _versions()
    for worker, (versions, daemon) in sorted(client.run(_worker_state).items()):
        different = sorted(k for k in here if versions.get(k) != here[k])
        if different:
            shown = ", ".join(f"{k} {versions.get(k) or 'missing'} (here {here[k]})" for k in different[:4])
            raise TextmineError(f"the Dask worker {worker} runs other versions than this machine: {shown}")
        if daemon:
            raise TextmineError(
                f"the Dask worker {worker} cannot start processes of its own: start the workers with "
                "--no-nanny or with DASK_DISTRIBUTED__WORKER__DAEMON=False"
            )


def _versions() -> dict[str, str]:
    """The libraries' versions and a digest of textmine's own code (a version number can hide an edit)."""
    return {
        **library_versions(),
        "textmine code": code_digest(".", "ingest", "ingest/extract", "text", "analysis", "workflow", "output")[:12],
    }


def _worker_state() -> tuple[dict[str, str], bool]:
    """On a worker: its versions, and whether it is a daemon process (which may not have children)."""
    return _versions(), multiprocessing.current_process().daemon


def _digest(initializer: Callable | None, initargs: tuple) -> str:
    return hashlib.sha256(pickle.dumps((initializer, initargs))).hexdigest() if initializer else ""


_ready: set[str] = set()  # on a worker: the initializers (by digest of function and arguments) that have run
_pools: dict[tuple, IsolatedPool] = {}  # on a worker: the process that holds each item to its limits


def _run_chunk(
    func: Callable[[Any], Any],
    chunk: list[Any],
    timeout: float | None,
    memory_mb: int | None,
    setup: tuple[Callable | None, tuple, str],
) -> list[tuple[Any, str | None]]:
    """On a worker: one chunk's outcomes, as (value, error) pairs."""
    initializer, initargs, digest = setup
    if timeout or memory_mb:  # each item in a process that a limit can stop, kept from chunk to chunk
        key = (func, timeout, memory_mb, digest)
        if key not in _pools:
            for pool in _pools.values():
                pool.close()
            _pools.clear()
            _pools[key] = IsolatedPool(
                func,
                workers=1,
                timeout=timeout,
                memory_mb=memory_mb,
                initializer=initializer,
                initargs=initargs,
                keep=True,
            )
        return [(o.value, o.error) for o in _pools[key].map(chunk)]
    if initializer and digest not in _ready:
        initializer(*initargs)
        _ready.clear()  # one set of settings at a time: the initializer replaced the last one's state
        _ready.add(digest)
    outcomes = []
    for item in chunk:
        try:
            outcomes.append((func(item), None))
        except Exception as exc:  # the boundary of one task, as in IsolatedPool
            first = str(exc).splitlines()[0] if str(exc) else "no message"
            outcomes.append((None, f"{type(exc).__name__}: {first}"))
    return outcomes


def _outcomes(future: Any, size: int, address: str) -> list[Outcome]:
    from distributed import KilledWorker

    try:
        return [Outcome(value, error) for value, error in future.result()]
    except KilledWorker:
        return [Outcome(None, "worker process died (a Dask worker, each time the chunk was retried)")] * size
    except OSError as exc:
        raise TextmineError(f"lost the Dask scheduler at {address}: {str(exc).splitlines()[0]}") from None
    except Exception as exc:  # each item's own failure is an outcome (_run_chunk): this is the cluster's
        first = str(exc).splitlines()[0] if str(exc) else "no message"
        raise TextmineError(f"the Dask cluster at {address} could not run textmine's task: {first}") from None
