"""The path of the data, top to bottom: read -> segment -> parse and extract -> store ->
analyse -> store.

``build(paths, root)`` is what ``kg build`` runs. Unchanged articles (same content
hash and pipeline version) are taken from the cache without any spaCy work; a
changed file replaces exactly its own article graph; the analysis graph is
recomputed over every article in the store. What is written where, and in which
order, is the store's business (``kg.store``: ``ArticleWriter``, ``save_analysis``);
this module says when. Each stage is timed and followed by its crash-test checkpoint
(``_Stages``).
"""

from __future__ import annotations

import gc
import os
import signal
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg import processes
from kg import store as kgstore
from kg.errors import E, InputError, StoreError, no_room
from kg.ingest import read as ingest
from kg.ingest.read import RawArticle
from kg.model import Analysis, ArticleGraph, Corpus
from kg.nlp import extract
from kg.nlp import parse as nlp
from kg.nlp import workers as parallel

if TYPE_CHECKING:
    from pyoxigraph import Store

    from kg.processes import Pool

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class BuildReport:
    articles_total: int = 0
    parsed: int = 0
    unchanged: int = 0
    replaced: int = 0
    claims: int = 0
    conflicts: int = 0
    flags: int = 0
    propositions: int = 0
    entities: int = 0
    compacted: bool = False  # whether this build compacted the store (kg.store.compact)
    errors: list[InputError] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    #: wall-clock seconds per stage (read, prepare, articles, corpus, analysis,
    #: analysis-cache, analysis-graph, flush, compact): where a build's time went
    seconds: dict[str, float] = field(default_factory=dict)
    _mark: float = field(default_factory=time.perf_counter, repr=False)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._mark, 3)
        self._mark = now


def _checkpoint(stage: str) -> None:
    """Test hook (tests/test_atomic.py): ``KG_TEST_KILL_AFTER=stage`` SIGKILLs the process here.

    Stages in order: read, open, prepare, cache (first article's cache entry written),
    article (first article graph stored), articles, analysis-cache, analysis, flush, compact.
    """
    if os.environ.get("KG_TEST_KILL_AFTER") == stage:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(slots=True)
class _Stages:
    """The build's stages: ``with stage("flush"):`` times the block (``BuildReport.seconds``:
    from the end of the stage before to the end of this one) and then runs the crash-test
    checkpoint of that name. A stage that failed is neither timed nor checkpointed."""

    report: BuildReport

    @contextmanager
    def __call__(self, name: str, lap: bool = True, checkpoint: str | None = "") -> Iterator[None]:
        """``lap=False``: not timed (its time counts to the next stage); ``checkpoint``:
        another name for the checkpoint ("" is the stage's name), None for none."""
        yield
        self.end(name if lap else None, name if checkpoint == "" else checkpoint)

    def end(self, lap: str | None, checkpoint: str | None = None) -> None:
        if checkpoint is not None:
            _checkpoint(checkpoint)
        if lap is not None:
            self.report.lap(lap)


def build(paths: Iterable[Path], root: Path, manifest: Path | None = None,
          progress: Progress | None = None, n_process: int = 0, compact: str = "auto",
          follow_symlinks: bool = False) -> BuildReport:
    """Build or update the store at ``root``; ``n_process`` 0 picks the worker processes
    (``processes.workers``), n > 0 uses n; ``compact`` is "auto", "always" or "never"
    (``kg.store.compact``); ``follow_symlinks`` reads what symlinks inside the input
    folders point to (``kg.ingest.files``).

    A rebuild (the store exists) starts its spaCy workers before anything else: they
    load the model (about a second each) while this process reads and hashes the inputs
    and finds the changed articles, and are stopped at once if none changed."""
    try:
        with processes.started(processes.head_start(n_process, rebuild=kgstore.exists(root)),
                               parallel.setup_worker) as early:
            return _build(paths, root, manifest, progress, n_process, compact, early, follow_symlinks)
    except (OSError, sqlite3.Error) as err:
        # a full disk under the store (pyoxigraph's write, flush or compaction, the memo):
        # each article graph is one transaction, so the store stays readable (issue 21)
        reason = no_room(err)
        if reason is None:
            raise
        raise StoreError(E.E307, path=root, detail=reason) from err


def _build(paths: Iterable[Path], root: Path, manifest: Path | None, progress: Progress | None,
           n_process: int, compact: str, early: Pool | None, follow_symlinks: bool = False) -> BuildReport:
    report = BuildReport()
    stage = _Stages(report)
    with stage("read"):
        raws = _read(paths, manifest, report, follow_symlinks)
    with stage("open", lap=False):
        st = kgstore.open_store(root)
    collecting = gc.isenabled()
    # No cyclic garbage collection while the corpus is read and analysed: millions of
    # records (none in a reference cycle) made each full collection scan the whole heap,
    # a third of the time of reading the cache. Re-enabled at the end, and while spaCy
    # parses in this process (parallel._extract_here).
    gc.disable()
    try:
        existing = kgstore.article_ids(st)
        version = nlp.pipeline_version() if raws else ""
        current = {raw.id for raw in raws if existing.get(raw.id, ("", ""))[1] == version}
        graphs: dict[str, ArticleGraph] = {}  # this run's articles, already in memory
        out = _Writer(kgstore.ArticleWriter(root, version, existing), report, graphs, progress, len(raws))
        todo = _jobs([raw for raw in raws if raw.id not in current], report)
        # the workers start on the new and changed articles at once and parse them while
        # this process reads the unchanged ones back from the cache
        workers, beside = processes.parse_plan(n_process, len(todo), parallel.pieces(todo), len(current))
        with stage("articles"):
            with parallel.Extraction(todo, workers, background=beside, pool=early) as made:
                with stage("prepare"):
                    damaged = _from_cache(root, [raw for raw in raws if raw.id in current], graphs, report)
                out.tick()
                for graph in made:
                    out.write(st, graph)
            late = _jobs(damaged, report)
            for graph in parallel.extract_all(late, processes.workers(n_process, parallel.pieces(late))):
                out.write(st, graph)
        with stage("corpus", checkpoint=None):
            corpus = kgstore.read_corpus(root, st, graphs)
        with stage("analysis", checkpoint=None):
            analysis = corpus.analysis = analyse(corpus, kgstore.embeddings_cache(root), n_process)
        with stage("analysis-graph", checkpoint="analysis"):
            # analysis.json, then the analysis graph and its memo (kg.store.analysis)
            kgstore.save_analysis(root, st, corpus,
                                  records_saved=lambda: stage.end("analysis-cache", "analysis-cache"))
        with stage("flush"):
            st.flush()
        with stage("compact"):
            report.compacted = kgstore.compact(root, st, report.parsed, len(corpus.articles), compact)
    finally:
        _release(sys.exc_info()[1])
        del st
        if collecting:
            gc.enable()
    report.articles_total = len(corpus.articles)
    report.claims = len(corpus.claims())
    report.entities = len(analysis.entities)
    report.propositions = len(analysis.propositions)
    report.conflicts = len(analysis.conflicts)
    report.flags = len(analysis.flags)
    return report


def _read(paths: Iterable[Path], manifest: Path | None, report: BuildReport,
          follow_symlinks: bool) -> list[RawArticle]:
    """The inputs, read and normalised; an unreadable one is reported, not built."""
    raws = []
    for item in ingest.read_inputs(list(paths), manifest, follow_symlinks):
        if isinstance(item, InputError):
            report.errors.append(item)
        else:
            raws.append(item)
    return raws


def _from_cache(root: Path, raws: list[RawArticle], graphs: dict[str, ArticleGraph],
                report: BuildReport) -> list[RawArticle]:
    """The unchanged articles read back from the cache into ``graphs``; returns those whose
    cache entry is damaged or missing: they are parsed again, never trusted."""
    damaged = []
    for raw in raws:
        cached = kgstore.load_article(root, raw.id)
        if cached is None:
            damaged.append(raw)
            continue
        graphs[raw.id] = cached
        report.unchanged += 1
        report.built.append(raw.id)
    return damaged


def _release(error: BaseException | None) -> None:
    """Clear the local variables of the frames an error passed through: a traceback kept
    by the caller (a test runner, a notebook) would otherwise keep the store open, and its
    lock held, through the ``st`` of the frames below ``build``."""
    if error is not None:
        traceback.clear_frames(error.__traceback__)


def _jobs(raws: list[RawArticle], report: BuildReport) -> list[parallel.Job]:
    """The articles to parse; one without a body is E112 (reported, not built)."""
    jobs = []
    for raw in raws:
        article, pieces, blocks = extract.prepare(raw)
        if not article.body:
            report.errors.append(InputError(E.E112, path=raw.source))
            continue
        jobs.append(parallel.Job(article, blocks, len(pieces)))
    return jobs


@dataclass(slots=True)
class _Writer:
    """Stores each newly extracted article (``kgstore.ArticleWriter``: its cache entry,
    then its graph) with the checkpoints between, and counts it."""

    store: kgstore.ArticleWriter
    report: BuildReport
    graphs: dict[str, ArticleGraph]
    progress: Progress | None
    total: int

    def tick(self) -> None:
        if self.progress:
            self.progress(len(self.report.built), self.total)

    def write(self, st: Store, graph: ArticleGraph) -> None:
        replaced = self.store.save(st, graph, cached=lambda: _checkpoint("cache"))
        _checkpoint("article")
        self.graphs[graph.article.id] = graph
        self.report.parsed += 1
        self.report.replaced += replaced
        self.report.built.append(graph.article.id)
        self.tick()


def analyse(corpus: Corpus, embeddings: Path | None = None, n_process: int = 0) -> Analysis:
    """The cross-article analysis (``kg.analysis.run``); ``--jobs 1`` keeps it in this process."""
    from kg.analysis import run as analysis

    return analysis.analyse(corpus, embeddings, beside=False if n_process == 1 else None)
