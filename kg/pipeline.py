"""The path of the data, top to bottom: read -> segment -> parse -> extract -> store -> analyse.

``build(paths, root)`` is what ``kg build`` runs. Unchanged articles (same content
hash and pipeline version) are taken from the cache without any spaCy work; a
changed file replaces exactly its own article graph; the analysis graph is
recomputed over every article in the store.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg import extract, ingest, nlp, parallel, rdf
from kg import store as kgstore
from kg.errors import E, InputError
from kg.model import Analysis, ArticleGraph, Corpus
from kg.ns import GRAPH_ANALYSIS, article_graph

if TYPE_CHECKING:
    from pyoxigraph import Store

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
    errors: list[InputError] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    #: wall-clock seconds per stage (read, prepare, articles, corpus, analysis,
    #: analysis-cache, analysis-graph, flush): where a build's time went
    seconds: dict[str, float] = field(default_factory=dict)
    _mark: float = field(default_factory=time.perf_counter, repr=False)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._mark, 3)
        self._mark = now


def _checkpoint(stage: str) -> None:
    """Test hook (tests/test_atomic.py): ``KG_TEST_KILL_AFTER=stage`` SIGKILLs the process here.

    Stages in order: read, open, prepare, cache (first article's cache entry written),
    article (first article graph stored), articles, analysis-cache, analysis, flush.
    """
    if os.environ.get("KG_TEST_KILL_AFTER") == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def build(paths: Iterable[Path], root: Path, manifest: Path | None = None,
          progress: Progress | None = None, n_process: int = 0) -> BuildReport:
    """Build or update the store at ``root``; ``n_process`` 0 picks the worker processes
    (``nlp.workers``), n > 0 uses n."""
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
    try:
        existing = kgstore.article_ids(st)
        by_path = {path: aid for aid, (path, _) in existing.items()}
        version = nlp.pipeline_version() if raws else ""
        todo: list[parallel.Job] = []
        graphs: dict[str, ArticleGraph] = {}  # this run's articles, already in memory
        done = unflushed = 0
        for raw in raws:
            cached = kgstore.load_article(root, raw.id) if existing.get(raw.id, ("", ""))[1] == version else None
            if cached is not None:
                graphs[raw.id] = cached
                report.unchanged += 1
                report.built.append(raw.id)
                done += 1
                continue
            article, pieces, blocks = extract.prepare(raw)
            if not article.body:
                report.errors.append(InputError(E.E112, path=raw.source))
                continue
            todo.append(parallel.Job(article, blocks, len(pieces)))
        _checkpoint("prepare")
        report.lap("prepare")
        if progress:
            progress(done, len(raws))
        workers = nlp.workers(n_process, sum(t.pieces for t in todo))
        for graph in parallel.extract_all(todo, workers):
            old = by_path.get(graph.article.source)
            stale = [article_graph(old)] if old and old != graph.article.id else []
            kgstore.save_article(root, graph)
            graphs[graph.article.id] = graph
            _checkpoint("cache")
            quads = rdf.article_quads(graph, version)
            kgstore.replace_graph(st, article_graph(graph.article.id), quads, drop=stale)
            _checkpoint("article")
            unflushed += len(quads)
            if unflushed >= FLUSH_QUADS:  # RocksDB keeps written data in memory until flushed
                st.flush()
                unflushed = 0
            report.parsed += 1
            report.replaced += bool(stale)
            report.built.append(graph.article.id)
            done += 1
            if progress:
                progress(done, len(raws))
        _checkpoint("articles")
        report.lap("articles")
        corpus = corpus_of(root, st, graphs)
        report.lap("corpus")
        analysis = analyse(corpus, kgstore.embeddings_cache(root))
        report.lap("analysis")
        kgstore.save_analysis(root, analysis)
        _checkpoint("analysis-cache")
        report.lap("analysis-cache")
        kgstore.sync_graph(st, GRAPH_ANALYSIS, rdf.analysis_triples(analysis, corpus.claims()),
                           kgstore.analysis_memo(root))
        _checkpoint("analysis")
        report.lap("analysis-graph")
        st.flush()
        _checkpoint("flush")
        report.lap("flush")
    finally:
        del st
    report.articles_total = len(corpus.articles)
    report.claims = len(corpus.claims())
    report.entities = len(analysis.entities)
    report.propositions = len(analysis.propositions)
    report.conflicts = len(analysis.conflicts)
    report.flags = len(analysis.flags)
    return report


def corpus_of(root: Path, st: Store, known: dict[str, ArticleGraph]) -> Corpus:
    """Every article in the store as records: ``known`` ones as given, the rest from the cache."""
    graphs = []
    for aid in sorted(kgstore.article_ids(st)):
        g = known.get(aid) or kgstore.load_article(root, aid)
        if g is not None:
            graphs.append(g)
    return Corpus(articles=graphs)


def analyse(corpus: Corpus, embeddings: Path | None = None) -> Analysis:
    from kg import analysis

    return analysis.analyse(corpus, embeddings)
