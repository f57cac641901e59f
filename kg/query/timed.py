"""An ad-hoc SPARQL query under a time limit (``kg sparql --timeout``, issue 21).

pyoxigraph evaluates a query in Rust, and nothing in its Python API interrupts it: a
thread could stop *waiting* at the limit but not stop the query, which would keep a core
busy and the store open until the process ends (and a process ending while Rust still
reads RocksDB from another thread is not a clean exit). So the query runs in a forked
child that opens the store read-only itself and sends its rows back through a pipe; when
the time is up the child is killed (SIGKILL) and reaped, and the caller gets E210.

The caller holds no store at the fork (``run_within`` takes the store's path), so no
RocksDB thread or lock is copied into the child, the rule ``Beside`` keeps for the same
reason (kg.processes). Where fork is missing (not Linux) the query runs in a daemon
thread, and the limit only stops the waiting.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import E, KGError
from kg.processes import can_fork, die_with

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from kg.query.named import Row

#: ``kg sparql``'s default limit, in seconds
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class Answer:
    """A query's columns and rows, and whether the analysis graph was incomplete (a build
    was killed while writing it: the rows may miss conflicts and flags)."""

    columns: list[str]
    rows: list[Row]
    partial: bool


def answer(root: Path, text: str) -> Answer:
    """Open the store read-only and run ``text`` (checked by ``refuse_adhoc``) on it."""
    from kg.graph.ns import GRAPH_ANALYSIS
    from kg.query.named import evaluate_adhoc
    from kg.store import opened
    from kg.store.sync import graph_state

    with opened(root, read_only=True) as st:
        partial = graph_state(st, GRAPH_ANALYSIS) == "partial"
        columns, rows = evaluate_adhoc(st, text)
    return Answer(columns, rows, partial)


def run_within(root: Path, text: str, timeout: float | None) -> Answer:
    """``answer(root, text)``, stopped after ``timeout`` seconds (E210); None or 0: no
    limit, run here. An update is E204 and a SERVICE clause E209 before anything starts."""
    from kg.query.named import refuse_adhoc

    refuse_adhoc(text)
    if not timeout or timeout <= 0:
        return answer(root, text)
    if can_fork():
        return _forked(root, text, timeout)
    return _threaded(root, text, timeout)


def _forked(root: Path, text: str, timeout: float) -> Answer:
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    for stream in (sys.stdout, sys.stderr):  # else the child may print a copy of their buffers
        stream.flush()
    proc = ctx.Process(target=_child, args=(root, text, send, os.getpid()), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise KGError(E.E210, seconds=f"{timeout:g}")
        try:
            ok, value = receive.recv()
        except EOFError:  # killed (out of memory?) before it answered
            raise RuntimeError(f"the query process ended without an answer (exit code {proc.exitcode})") from None
    finally:
        receive.close()
        proc.kill()
        proc.join()
    if not ok:
        raise value
    assert isinstance(value, Answer)
    return value


def _child(root: Path, text: str, send: Connection, parent: int) -> None:
    die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it kills this one
    try:
        send.send((True, answer(root, text)))
    except KGError as e:
        send.send((False, e))
    except Exception as e:  # a bug: the parent raises it (E999), told what it was
        send.send((False, RuntimeError(f"{type(e).__name__}: {e}")))


def _threaded(root: Path, text: str, timeout: float) -> Answer:
    box: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            box.append((True, answer(root, text)))
        except Exception as e:
            box.append((False, e))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    if not box:
        raise KGError(E.E210, seconds=f"{timeout:g}")
    ok, value = box[0]
    if not ok:
        assert isinstance(value, Exception)
        raise value
    assert isinstance(value, Answer)
    return value
