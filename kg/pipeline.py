"""The path of the data, top to bottom: read -> segment -> parse and extract -> store ->
analyse -> store.

``build(paths, root)`` is what ``kg build`` runs. Unchanged articles (same content hash
and pipeline version) are read back from the cache without any spaCy work; a changed
file replaces exactly its own article graph; the analysis is recomputed over every
article in the store. What is written where, and in which order, is the store's business
(``kg.store``); how many processes work, ``kg.processes``'; the account of the build
(times, counts, crash-test checkpoints), ``kg.stages``'. This module says what happens
when.
"""

from __future__ import annotations

import gc
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kg import processes, stages
from kg import store as kgstore
from kg.analysis import run
from kg.errors import E, StoreError, no_room
from kg.ingest import read as ingest
from kg.model import ArticleGraph
from kg.nlp import parse as nlp
from kg.nlp import workers as parallel
from kg.stages import BuildReport, Progress

if TYPE_CHECKING:
    from pyoxigraph import Store

    from kg.processes import Pool


def build(paths: Iterable[Path], root: Path, manifest: Path | None = None,
          progress: Progress | None = None, n_process: int = 0, compact: str = "auto",
          follow_symlinks: bool = False) -> BuildReport:
    """Build or update the store at ``root``; ``n_process`` 0 picks the worker processes
    (``processes.workers``), n > 0 uses n; ``compact`` is "auto", "always" or "never"
    (``kg.store.compact``); ``follow_symlinks`` reads what symlinks inside the input
    folders point to (``kg.ingest.files``).

    A rebuild (the store exists) starts its spaCy workers before anything else: they
    load the model while this process reads and hashes the inputs and finds the changed
    articles, and are stopped at once if none changed. A full disk is E307: each write
    is one transaction, so the store stays readable."""
    try:
        with processes.started(processes.head_start(n_process, rebuild=kgstore.exists(root)),
                               parallel.setup_worker) as early:
            return _build(paths, root, manifest, BuildReport(progress=progress), n_process,
                          compact, early, follow_symlinks)
    except (OSError, sqlite3.Error) as err:
        reason = no_room(err)
        if reason is None:
            raise
        raise StoreError(E.E307, path=root, detail=reason) from err


def _build(paths: Iterable[Path], root: Path, manifest: Path | None, report: BuildReport,
           n_process: int, compact: str, early: Pool | None, follow_symlinks: bool) -> BuildReport:
    stage = stages.Stages(report)
    with stage("read"):
        raws = ingest.read_all(paths, manifest, follow_symlinks, report.errors)
        report.total = len(raws)
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
        unchanged = [r for r in raws if existing.get(r.id, ("", ""))[1] == version]
        current = {r.id for r in unchanged}
        todo = parallel.jobs_for([r for r in raws if r.id not in current], report.errors)
        writer = kgstore.ArticleWriter(root, version, existing)

        # the workers parse the new and changed articles while this process reads the
        # unchanged ones back from the cache
        workers, beside = processes.parse_plan(n_process, len(todo), parallel.pieces(todo), len(unchanged))
        with stage("articles"):
            with parallel.Extraction(todo, workers, background=beside, pool=early) as made:
                with stage("prepare"):
                    graphs = kgstore.read_cached(root, [r.id for r in unchanged])
                    report.cached([r.id for r in unchanged if r.id in graphs])
                report.tick()
                _store(st, writer, made, report, graphs)
            late = parallel.jobs_for([r for r in unchanged if r.id not in graphs], report.errors)
            _store(st, writer, parallel.extract_all(late, processes.workers(n_process, parallel.pieces(late))),
                   report, graphs)
        with stage("corpus", checkpoint=None):
            corpus = kgstore.read_corpus(root, st, graphs)
        with stage("analysis", checkpoint=None):
            corpus.analysis = run.analyse(corpus, kgstore.embeddings_cache(root),
                                          beside=False if n_process == 1 else None)
        with stage("analysis-graph", checkpoint="analysis"):
            # analysis.json, then the analysis graph and its memo (kg.store.analysis)
            kgstore.save_analysis(root, st, corpus,
                                  records_saved=lambda: stage.end("analysis-cache", "analysis-cache"))
        with stage("flush"):
            st.flush()
        with stage("compact"):
            report.compacted = kgstore.compact(root, st, report.parsed, len(corpus.articles), compact)
    finally:
        stages.release(sys.exc_info()[1])
        del st
        if collecting:
            gc.enable()
    return report.counted(corpus)


def _store(st: Store, writer: kgstore.ArticleWriter, made: Iterable[ArticleGraph],
           report: BuildReport, graphs: dict[str, ArticleGraph]) -> None:
    """Store each newly extracted article (its cache entry, then its graph; the
    checkpoints between) and count it."""
    for graph in made:
        replaced = writer.save(st, graph, cached=lambda: stages.checkpoint("cache"))
        stages.checkpoint("article")
        graphs[graph.article.id] = graph
        report.stored(graph.article.id, replaced)
