"""Parse *and* extract in worker processes; the build process only writes the store.

``Extraction(jobs, n_process)`` gives one ``ArticleGraph`` per job, in order. With one
process it parses and extracts here, streaming (no article holds all its docs at once).
With more, each worker takes a batch of articles, runs spaCy and the extraction on it
and sends back the article graphs: small records, not the ``Doc`` objects spaCy's own
``n_process`` would ship back and this process would have to rebuild and walk alone.
So the parse and the extraction both scale with the workers, and this process is free
for the store writes, which only it may do.

How many workers, when they start and how they die is kg.processes' policy; its
``Pool`` forks them, and this module gives them their set-up (``setup_worker``: load
the model, in parallel in each worker) and their work (``_work``: a batch of jobs).
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg import processes
from kg.errors import E, InputError
from kg.ingest.read import RawArticle
from kg.model import Article, ArticleGraph
from kg.nlp import extract
from kg.nlp import parse as nlp

if TYPE_CHECKING:
    from kg.ingest.segment import Block
    from kg.processes import Pool


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
        beside this process. ``pool``: workers already started (``processes.started``), used
        instead of ``n_process`` new ones when the work goes to workers, else stopped;
        either way this object owns it from now on."""
        self._pool = pool
        if not jobs or (not background and (n_process <= 1 or len(jobs) < 2)):
            self.close()
            self._graphs: Iterator[ArticleGraph] = _extract_here(jobs)
            return
        if self._pool is None:
            self._pool = processes.start_pool(n_process, setup_worker)
        size = processes.batch_pieces(pieces(jobs), n_process)
        self._graphs = self._take(self._pool.map(_work, batches(jobs, size)))

    @staticmethod
    def _take(results: Iterator[tuple[list[ArticleGraph], int]]) -> Iterator[ArticleGraph]:
        for graphs, parses in results:
            nlp.PARSES += parses
            yield from graphs

    def __iter__(self) -> Iterator[ArticleGraph]:
        return self._graphs

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __enter__(self) -> Extraction:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def extract_all(jobs: Sequence[Job], n_process: int = 1) -> Iterator[ArticleGraph]:
    """The article graph of every job, in order (``Extraction`` as a plain generator)."""
    with Extraction(jobs, n_process) as made:
        yield from made


def jobs_for(raws: Sequence[RawArticle], errors: list[InputError]) -> list[Job]:
    """The articles to parse; one without a body is E112, added to ``errors`` (reported,
    not built)."""
    jobs = []
    for raw in raws:
        article, pieces_, blocks = extract.prepare(raw)
        if not article.body:
            errors.append(InputError(E.E112, path=raw.source))
            continue
        jobs.append(Job(article, blocks, len(pieces_)))
    return jobs


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


def setup_worker() -> None:
    """A spaCy worker's set-up (``processes.Pool`` runs it first in each): turn the
    cyclic collector back on (a fork inherits the build's paused one, and parsing makes
    cyclic garbage), and load the model, inherited when the parent already had it."""
    gc.enable()
    nlp.load()
