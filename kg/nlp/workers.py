"""Parse *and* extract in worker processes; the build process only writes the store.

``Extraction(jobs, n_process)`` gives one ``ArticleGraph`` per job, in order. With one
process it parses and extracts here, streaming (no article holds all its docs at once).
With more, each worker takes a batch of articles, runs spaCy and the extraction on it
and sends back the article graphs: small records, not the ``Doc`` objects spaCy's own
``n_process`` would ship back and this process would have to rebuild and walk alone.
So the parse and the extraction both scale with the workers, and this process is free
for the store writes, which only it may do.

Workers are forked where the platform allows (spawned elsewhere) and load the model
themselves, in parallel; on Linux they die with the build: a ``kg build`` killed by
SIGKILL leaves no worker behind.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing as mp
import os
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.model import Article, ArticleGraph
from kg.nlp import extract
from kg.nlp import parse as nlp
from kg.processes import die_with

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext
    from multiprocessing.pool import Pool

    from kg.ingest.segment import Block

#: pieces of text per task handed to a worker: enough to repay the hand-over, few enough
#: that every worker stays busy to the end of the corpus
BATCH_PIECES = 48
#: batches per worker when the jobs hold fewer than ``BATCH_PIECES`` pieces per worker
SHARES = 4


@dataclass(frozen=True, slots=True)
class Job:
    """One article to parse: its record, its segment blocks and how many pieces it has."""

    article: Article
    blocks: list[Block]
    pieces: int


class Extraction:
    """The article graphs of ``jobs``, being made by ``n_process`` processes (this one when
    1). With workers, the work starts when this is made, so the caller can do other work
    (the build reads the unchanged articles from the cache) while they parse; iterate to
    take the graphs, in order. ``close()`` (or leaving the ``with`` block) stops them."""

    def __init__(self, jobs: Sequence[Job], n_process: int = 1, background: bool = False,
                 pool: Pool | None = None) -> None:
        """``background``: use a worker even when ``n_process`` is 1, so the work goes on
        beside this process. ``pool``: workers already started (``start_workers``), used
        instead of ``n_process`` new ones when the work goes to workers, else stopped;
        either way this object owns it from now on."""
        self._pool = pool
        if not jobs or (not background and (n_process <= 1 or len(jobs) < 2)):
            self.close()
            self._graphs: Iterator[ArticleGraph] = _extract_here(jobs)
            return
        if self._pool is None:
            self._pool = start_workers(n_process)
        # a small rebuild's few pieces are shared out evenly, not left to the first worker,
        # and in several batches each: this process stores one batch's articles while the
        # workers parse the next, so only the last batch's writes wait for the parse
        size = min(BATCH_PIECES, -(-pieces(jobs) // (max(1, n_process) * SHARES)))
        self._graphs = self._take(self._pool.imap(_work, batches(jobs, size)))

    @staticmethod
    def _take(results: Iterator[tuple[list[ArticleGraph], int]]) -> Iterator[ArticleGraph]:
        for graphs, parses in results:
            nlp.PARSES += parses
            yield from graphs

    def __iter__(self) -> Iterator[ArticleGraph]:
        return self._graphs

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

    def __enter__(self) -> Extraction:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_workers(n_process: int) -> Pool:
    """``n_process`` worker processes, loading the model from now on. The model is not
    loaded here first: each worker loads its own (in parallel), and this process, which
    only writes the store, stays free of its ~280 MB. A rebuild starts them before it
    knows its work (``kg.pipeline``), so they load the model while it reads its inputs."""
    return _context().Pool(max(1, n_process), initializer=_start_worker, initargs=(os.getpid(),))


@contextlib.contextmanager
def started(n_process: int) -> Iterator[Pool | None]:
    """``start_workers(n_process)`` (None for 0), stopped on leaving the block unless
    an ``Extraction`` took them over and stopped them already."""
    pool = start_workers(n_process) if n_process > 0 else None
    try:
        yield pool
    finally:
        if pool is not None:
            pool.terminate()


def extract_all(jobs: Sequence[Job], n_process: int = 1) -> Iterator[ArticleGraph]:
    """The article graph of every job, in order (``Extraction`` as a plain generator)."""
    with Extraction(jobs, n_process) as made:
        yield from made


def pieces(jobs: Sequence[Job]) -> int:
    """The pieces of text ``jobs`` hold (an article counts at least one)."""
    return sum(max(1, job.pieces) for job in jobs)


def batches(jobs: Sequence[Job], size: int) -> Iterator[list[Job]]:
    """Consecutive runs of jobs holding at least ``size`` pieces (the last may hold fewer)."""
    batch: list[Job] = []
    held = 0
    for job in jobs:
        batch.append(job)
        held += max(1, job.pieces)
        if held >= size:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def _extract_here(jobs: Sequence[Job]) -> Iterator[ArticleGraph]:
    """Parse every body piece in one stream; each article's docs go to extract as they
    arrive, so a long article never holds all its docs at once. The cyclic collector,
    which a build pauses, runs meanwhile: parses make cyclic garbage."""
    paused = not gc.isenabled()
    gc.enable()
    try:
        parsed = nlp.parse(p for job in jobs for p in extract.chunks_of(job.article))
        for job in jobs:
            docs = itertools.islice(parsed, job.pieces)
            yield extract.extract(job.article, job.blocks, docs)
            for _ in docs:  # extract reads every doc; this only guards the stream's alignment
                pass
    finally:
        if paused:
            gc.disable()


def _work(batch: list[Job]) -> tuple[list[ArticleGraph], int]:
    """In a worker: the batch's article graphs and how many docs were parsed for them."""
    before = nlp.PARSES
    graphs = list(_extract_here(batch))
    return graphs, nlp.PARSES - before


def _context() -> BaseContext:
    """Fork where available (start-up is instant), else spawn."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")




def _start_worker(parent: int) -> None:
    """Worker set-up: die with the build process (Linux), ignore Ctrl-C (the build process
    stops the pool), and load the model (inherited when the parent already had it)."""
    die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.enable()  # a fork inherits the build's paused collector; parsing makes cyclic garbage
    nlp.load()
