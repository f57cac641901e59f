"""The path of the data, top to bottom: read -> segment -> parse -> extract -> store -> analyse.

``build(paths, root)`` is what ``kg build`` runs. Unchanged articles (same content
hash and pipeline version) are taken from the cache without any spaCy work; a
changed file replaces exactly its own article graph; the analysis graph is
recomputed over every article in the store.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg import processes
from kg import store as kgstore
from kg.errors import E, InputError
from kg.graph import analysis as analysis_rdf
from kg.graph import articles as rdf
from kg.graph.ns import GRAPH_ANALYSIS, article_graph
from kg.ingest import read as ingest
from kg.ingest.read import RawArticle
from kg.model import Analysis, ArticleGraph, Corpus
from kg.nlp import extract
from kg.nlp import parse as nlp
from kg.nlp import workers as parallel
from kg.store import sync

if TYPE_CHECKING:
    from pyoxigraph import Store

    from kg.processes import Pool

Progress = Callable[[int, int], None]
#: quads written between two flushes of the store: without them RocksDB's write buffers
#: grow by about 1 MB per article (1.2 GB at 1,000 articles); with them memory stays flat
FLUSH_QUADS = 200_000


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


def build(paths: Iterable[Path], root: Path, manifest: Path | None = None,
          progress: Progress | None = None, n_process: int = 0, compact: str = "auto") -> BuildReport:
    """Build or update the store at ``root``; ``n_process`` 0 picks the worker processes
    (``processes.workers``), n > 0 uses n; ``compact`` is "auto", "always" or "never"
    (``kg.store.compact``).

    A rebuild (the store exists) starts its spaCy workers before anything else: they
    load the model (about a second each) while this process reads and hashes the inputs
    and finds the changed articles, and are stopped at once if none changed."""
    with processes.started(processes.head_start(n_process, rebuild=kgstore.exists(root)),
                           parallel.setup_worker) as early:
        return _build(paths, root, manifest, progress, n_process, compact, early)


def _build(paths: Iterable[Path], root: Path, manifest: Path | None, progress: Progress | None,
           n_process: int, compact: str, early: Pool | None) -> BuildReport:
    report = BuildReport()
    raws = []
    for item in ingest.read_inputs(list(paths), manifest):
        if isinstance(item, InputError):
            report.errors.append(item)
        else:
            raws.append(item)
    _checkpoint("read")
    report.lap("read")
    st = kgstore.open_store(root)
    _checkpoint("open")
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
        out = _Writer(root, version, {path: aid for aid, (path, _) in existing.items()},
                      report, graphs, progress, len(raws))
        todo = _jobs([raw for raw in raws if raw.id not in current], report)
        # the workers start on the new and changed articles at once and parse them while
        # this process reads the unchanged ones back from the cache
        workers, beside = processes.parse_plan(n_process, len(todo), parallel.pieces(todo), len(current))
        with parallel.Extraction(todo, workers, background=beside, pool=early) as made:
            damaged = []
            for raw in raws:
                if raw.id in current:
                    cached = kgstore.load_article(root, raw.id)
                    if cached is None:  # a damaged cache entry is parsed again, never trusted
                        damaged.append(raw)
                        continue
                    graphs[raw.id] = cached
                    report.unchanged += 1
                    report.built.append(raw.id)
            _checkpoint("prepare")
            report.lap("prepare")
            out.tick()
            for graph in made:
                out.write(st, graph)
        late = _jobs(damaged, report)
        for graph in parallel.extract_all(late, processes.workers(n_process, parallel.pieces(late))):
            out.write(st, graph)
        _checkpoint("articles")
        report.lap("articles")
        corpus = corpus_of(root, st, graphs)
        report.lap("corpus")
        analysis = corpus.analysis = analyse(corpus, kgstore.embeddings_cache(root), n_process)
        report.lap("analysis")
        kgstore.save_analysis(root, analysis)
        _checkpoint("analysis-cache")
        report.lap("analysis-cache")
        sync.sync_graph(st, GRAPH_ANALYSIS, analysis_rdf.analysis_records(corpus),
                        kgstore.analysis_memo(root))
        kgstore.drop_leftovers(root)
        _checkpoint("analysis")
        report.lap("analysis-graph")
        st.flush()
        _checkpoint("flush")
        report.lap("flush")
        report.compacted = kgstore.compact(root, st, report.parsed, len(corpus.articles), compact)
        _checkpoint("compact")
        report.lap("compact")
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
    """Writes each newly extracted article: its cache entry, then its graph (one transaction).
    It holds no store: the build's ``del st`` must release the store's lock even when an
    error's traceback keeps this object alive."""

    root: Path
    version: str
    by_path: dict[str, str]  # source path -> the article id stored for it
    report: BuildReport
    graphs: dict[str, ArticleGraph]
    progress: Progress | None
    total: int
    unflushed: int = 0

    def tick(self) -> None:
        if self.progress:
            self.progress(len(self.report.built), self.total)

    def write(self, st: Store, graph: ArticleGraph) -> None:
        old = self.by_path.get(graph.article.source)
        stale = [article_graph(old)] if old and old != graph.article.id else []
        kgstore.save_article(self.root, graph)
        self.graphs[graph.article.id] = graph
        _checkpoint("cache")
        quads = rdf.article_quads(graph, self.version)
        kgstore.replace_graph(st, article_graph(graph.article.id), quads, drop=stale)
        _checkpoint("article")
        self.unflushed += len(quads)
        if self.unflushed >= FLUSH_QUADS:  # RocksDB keeps written data in memory until flushed
            st.flush()
            self.unflushed = 0
        self.report.parsed += 1
        self.report.replaced += bool(stale)
        self.report.built.append(graph.article.id)
        self.tick()


def corpus_of(root: Path, st: Store, known: dict[str, ArticleGraph]) -> Corpus:
    """Every article in the store as records: ``known`` ones as given, the rest from the cache."""
    graphs = []
    for aid in sorted(kgstore.article_ids(st)):
        g = known.get(aid) or kgstore.load_article(root, aid)
        if g is not None:
            graphs.append(g)
    return Corpus(articles=graphs)


def analyse(corpus: Corpus, embeddings: Path | None = None, n_process: int = 0) -> Analysis:
    """The cross-article analysis (``kg.analysis.run``); ``--jobs 1`` keeps it in this process."""
    from kg.analysis import run as analysis

    return analysis.analyse(corpus, embeddings, beside=False if n_process == 1 else None)
