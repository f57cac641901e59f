"""How many processes a build runs, and when: the one place of that policy, and its means.

Policy (the measurements behind each number are in docs/performance.md): ``workers``
(spaCy processes for a parse), ``head_start`` (those a rebuild starts before it reads
its inputs), ``parse_plan`` (the parse's workers once the changed articles are known,
and whether a rebuild parses beside this process even with one), ``batch_pieces`` (text
per task) and ``fork_analysis`` (whether the analysis forks its conflict rules).

Means: ``Pool``, workers forked at once (a ``ProcessPoolExecutor``) that die with this
process and are killed by ``close()``; ``Beside``, one function computed in a forked
child, recomputed here if the child fails in any way (docs/decisions.md: why it is no
executor). Nothing here knows what the processes compute: kg.nlp.workers gives the pool
its spaCy set-up and work, kg.analysis.run gives ``Beside`` its conflict rules.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

T = TypeVar("T")
R = TypeVar("R")
PR_SET_PDEATHSIG = 1  # linux/prctl.h

#: with ``--jobs 0`` (auto), worker processes start only for at least this many pieces
AUTO_MIN_PIECES = 48
MAX_AUTO_WORKERS = 4
#: a rebuild that reads at least this many cached articles per article it parses leaves
#: a core to this process: reading one back takes about 0.25 ms, parsing one about 130 ms
#: (10,000 bench articles), so below about 500 the parse is the longer job and wants both
CACHE_PER_PARSE = 500
#: pieces of text per task handed to a worker: enough to repay the hand-over, few enough
#: that every worker stays busy to the end of the corpus
BATCH_PIECES = 48
#: batches per worker when the parse holds fewer than ``BATCH_PIECES`` pieces per worker
SHARES = 4
#: below this many claims the conflict rules run in the build process: a fork repays
#: itself only when the rules take longer than starting a process and pickling the answer
BESIDE_MIN_CLAIMS = 5_000


def workers(jobs: int, pieces: int) -> int:
    """How many spaCy processes parse ``pieces`` chunks: ``jobs`` when given (> 0), else
    one per usable CPU (at most MAX_AUTO_WORKERS) once there is enough text to repay
    starting them, and just this process for a handful of articles."""
    if jobs > 0:
        return jobs
    if pieces < AUTO_MIN_PIECES:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))  # the CPUs this process may use (Linux)
    except AttributeError:  # macOS, Windows
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_AUTO_WORKERS, cpus))


def head_start(jobs: int, rebuild: bool) -> int:
    """Workers to start before the inputs are read: those of a large parse for a rebuild
    (the store exists) with ``--jobs 0`` (or n), none for a first build or ``--jobs 1``.
    They load the model while the build reads and hashes its inputs."""
    if jobs == 1 or not rebuild:
        return 0
    return workers(jobs, AUTO_MIN_PIECES)


def parse_plan(jobs: int, parsed: int, pieces: int, cached: int) -> tuple[int, bool]:
    """(worker processes, whether to parse beside this process even with one) for
    ``parsed`` articles of ``pieces`` chunks while ``cached`` ones are read back. With
    ``--jobs 0`` a rebuild reads the cache here while a worker loads spaCy and parses, and
    when the reading is the longer job (many cached articles per changed one) it is left
    a core; otherwise every core parses (measured at 10,000 articles, 100 changed: one
    worker parsed for 16.6 s after the cache was read in 2.3 s)."""
    n = workers(jobs, pieces)
    if jobs == 0 and parsed and cached:
        return (max(1, n - 1) if cached >= CACHE_PER_PARSE * parsed else n), True
    return n, False


def batch_pieces(pieces: int, n_process: int) -> int:
    """Pieces per batch handed to a worker: ``BATCH_PIECES``, or fewer for a small parse,
    shared out evenly (not left to the first worker) and in ``SHARES`` batches each, so
    the build stores one batch's articles while the workers parse the next."""
    return max(1, min(BATCH_PIECES, -(-pieces // (max(1, n_process) * SHARES))))


def fork_analysis(claims: int) -> bool:
    """Whether the analysis of ``claims`` claims runs its conflict rules in a forked
    process (``Beside``); ``--jobs 1`` keeps everything in one process (kg.pipeline)."""
    return claims >= BESIDE_MIN_CLAIMS


def can_fork() -> bool:
    """Whether this platform forks cheaply and safely enough for ``Beside`` (Linux)."""
    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


def die_with(parent: int) -> None:
    """In a child process: be killed when process ``parent`` dies (Linux), and exit at
    once if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


class Pool:
    """``n`` worker processes, forked now (spawned where fork is missing); each dies with
    this process (``die_with``), leaves Ctrl-C to it, and runs ``setup()`` first (a
    rebuild's workers load spaCy while the build reads its inputs). ``map`` streams
    results in order; ``close()`` kills the workers at once, busy or not."""

    def __init__(self, n: int, setup: Callable[[], object]) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self._others = set(mp.active_children())
        self._executor: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max(1, n), mp_context=_context(), initializer=_start, initargs=(os.getpid(), setup))
        # the executor forks its workers at its first task, not when made: this is it
        self._executor.submit(int)
        self._children = self._workers()

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn(item)`` for every item, computed by the workers, in the items' order. A
        worker that dies (killed, out of memory) raises ``BrokenProcessPool`` here."""
        if self._executor is None:
            raise ValueError("the pool is closed")
        results = self._executor.map(fn, items)
        self._children = self._workers()  # a spawned pool starts its workers on demand
        return results

    def close(self) -> None:
        """Kill the workers (one may be loading the model, or halfway through a batch),
        then let the executor reap them; a pool closed twice is closed once."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        for child in self._children:
            child.kill()
        executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _workers(self) -> list[BaseProcess]:
        """This pool's processes: the children started since it was made (the executor
        offers no handle on them before Python 3.14's ``terminate_workers``)."""
        return [p for p in mp.active_children() if p not in self._others]


def start_pool(n: int, setup: Callable[[], object]) -> Pool:
    """``Pool(n, setup)``: the one place a worker pool starts (tests count the calls)."""
    return Pool(n, setup)


@contextlib.contextmanager
def started(n: int, setup: Callable[[], object]) -> Iterator[Pool | None]:
    """``start_pool(n, setup)`` (None for 0), closed on leaving the block unless whoever
    took it over closed it already."""
    pool = start_pool(n, setup) if n > 0 else None
    try:
        yield pool
    finally:
        if pool is not None:
            pool.close()


def _context() -> BaseContext:
    """Fork where available (start-up is instant), else spawn."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _start(parent: int, setup: Callable[[], object]) -> None:
    """A pool worker's first act: die with the build, ignore Ctrl-C (the build stops the
    pool), then the caller's set-up."""
    die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    setup()


class Beside(Generic[T]):
    """``fn()``, computed in a forked child when ``enabled`` and this platform forks.

    The child is a copy of this process at the fork (copy-on-write: nothing is pickled
    on the way in), dies with it (``die_with``) and must not touch the store. Any failure
    of the child, an exception, a kill or a value that does not pickle, is not an error
    of its own: ``result()`` then computes ``fn()`` here, so the answer is the same, only
    later, and a genuine error is raised here with its own traceback. Where fork is not
    available, or ``enabled`` is false, ``fn`` simply runs here at ``result()``."""

    def __init__(self, fn: Callable[[], T], enabled: bool = True) -> None:
        self._fn = fn
        self._proc: BaseProcess | None = None
        self._conn: Connection | None = None
        if enabled and can_fork():
            ctx = mp.get_context("fork")
            receive, send = ctx.Pipe(duplex=False)
            try:
                proc = ctx.Process(target=_child, args=(fn, send, os.getpid()), daemon=True)
                proc.start()
            except OSError:  # no memory or process slot for a fork: compute here instead
                receive.close()
            else:
                self._proc, self._conn = proc, receive
            finally:
                send.close()

    @property
    def forked(self) -> bool:
        return self._proc is not None

    def __enter__(self) -> Beside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop a child whose result is no longer wanted (this process is raising)."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if proc is not None and conn is not None:
            conn.close()
            proc.kill()
            proc.join()

    def result(self) -> T:
        """The value of ``fn()``: the child's when it gave one, else computed here."""
        proc, conn = self._proc, self._conn
        if proc is None or conn is None:
            return self._fn()
        self._proc = self._conn = None
        try:
            ok, value = conn.recv()
        except (EOFError, OSError):  # the child died before it sent anything
            ok, value = False, None
        finally:
            conn.close()
            proc.join()
        return value if ok else self._fn()


def _child(fn: Callable[[], object], send: Connection, parent: int) -> None:
    die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        value = fn()
    except BaseException:  # the parent recomputes it and raises it properly
        send.send((False, None))
        return
    try:
        send.send((True, value))
    except Exception:  # a value that does not pickle: the parent computes it
        send.send((False, None))
