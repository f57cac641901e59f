"""Run one function in a forked process beside this one, and take its result later.

The analysis has two halves that need the same inputs and not each other: the conflict
rules, and the propositions with their flags. On a machine with two or more cores,
``Beside(fn)`` forks a child that computes ``fn()`` while this process goes on with the
other half; ``result()`` waits for it and takes the pickled value back.

The child is a copy of this process at the fork (copy-on-write: nothing is pickled on
the way in), dies with it on Linux (``PR_SET_PDEATHSIG``, as the spaCy workers do) and
never touches the store. Any failure of the child, an exception, a kill or a value that
does not pickle, is not an error of its own: ``result()`` then computes ``fn()`` here,
so the build gives the same answer, only later, and a genuine error is raised here with
its own traceback. Where fork is not available, or ``enabled`` is false, ``fn`` simply
runs here at ``result()``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

T = TypeVar("T")
PR_SET_PDEATHSIG = 1  # linux/prctl.h

def die_with(parent: int) -> None:
    """In a child process: be killed when process ``parent`` dies (Linux), and exit at
    once if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)



def can_fork() -> bool:
    """Whether this platform forks cheaply and safely enough for ``Beside`` (Linux)."""
    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


class Beside(Generic[T]):
    """``fn()``, computed in a forked child when ``enabled`` (see the module doc)."""

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
