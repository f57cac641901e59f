"""An article stored: its cache entry first, then its graph in one transaction; and the
corpus read back (every article graph's records, from the cache).

Why this order: the article graphs are the list of what the store holds (a rebuild
finds the articles to skip by their graphs, ``article_ids``), and an article's graph is
written only once its records are safely on disk. A kill between the two leaves a cache
entry that no graph lists: nothing reads it (the article is parsed again by the next
build, which then removes the entry, ``kg.store.cache.drop_leftovers``). A kill inside
the graph's transaction leaves the old graph (or none). So an article graph always has
its records in the cache, and the RDF store never holds half an article
(docs/hardening.md, tests/test_atomic.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import E, StoreError
from kg.graph.articles import article_quads
from kg.graph.ns import article_graph
from kg.model import ArticleGraph, Corpus
from kg.store.cache import load_analysis, load_article, write_article
from kg.store.disk import article_ids, opened, replace_graph

if TYPE_CHECKING:
    from pyoxigraph import Store

#: called between two writes (the build's crash-test checkpoints, ``kg.pipeline``)
Hook = Callable[[], None]
#: quads written between two flushes of the store: without them RocksDB's write buffers
#: grow by about 1 MB per article (1.2 GB at 1,000 articles); with them memory stays flat
FLUSH_QUADS = 200_000


def save_article(root: Path, st: Store, graph: ArticleGraph, version: str, replaces: str | None = None,
                 cached: Hook | None = None) -> int:
    """Store one article: its cache entry (an atomic file), then ``cached()``, then its
    graph (made by ``kg.graph.articles`` with pipeline ``version``) in one transaction
    that also drops the graph of article ``replaces`` (the older version of the same
    source file), if given. Returns the quads written."""
    write_article(root, graph)
    if cached is not None:
        cached()
    quads = article_quads(graph, version)
    replace_graph(st, article_graph(graph.article.id), quads,
                  drop=[article_graph(replaces)] if replaces else [])
    return len(quads)


@dataclass(slots=True)
class ArticleWriter:
    """A build's articles, stored one at a time (``save_article``): each replaces the
    article stored for the same source file, and the store is flushed every
    ``FLUSH_QUADS`` quads (RocksDB keeps written data in memory until flushed).
    It holds no store: the build's ``del st`` must release the store's lock even when an
    error's traceback keeps this object alive."""

    root: Path
    version: str
    existing: dict[str, tuple[str, str]]  # ``article_ids`` before the build wrote anything
    by_path: dict[str, str] = field(init=False)  # source path -> the article id stored for it
    unflushed: int = 0

    def __post_init__(self) -> None:
        self.by_path = {path: aid for aid, (path, _) in self.existing.items()}

    def save(self, st: Store, graph: ArticleGraph, cached: Hook | None = None) -> bool:
        """Store ``graph``; True when it replaced another article (an edited file)."""
        old = self.by_path.get(graph.article.source)
        replaces = old if old and old != graph.article.id else None
        self.unflushed += save_article(self.root, st, graph, self.version, replaces, cached)
        if self.unflushed >= FLUSH_QUADS:
            st.flush()
            self.unflushed = 0
        return replaces is not None


def read_cached(root: Path, ids: Iterable[str]) -> dict[str, ArticleGraph]:
    """The cached records of the articles ``ids`` that have a sound cache entry; one that
    is damaged or missing is left out, to be parsed again, never trusted."""
    graphs: dict[str, ArticleGraph] = {}
    for aid in ids:
        cached = load_article(root, aid)
        if cached is not None:
            graphs[aid] = cached
    return graphs


def read_corpus(root: Path, st: Store, known: dict[str, ArticleGraph]) -> Corpus:
    """Every article in the store as records: ``known`` ones as given, the rest from the
    cache (a build's corpus; the analysis is left empty, to be computed)."""
    graphs = []
    for aid in sorted(article_ids(st)):
        g = known.get(aid) or load_article(root, aid)
        if g is not None:
            graphs.append(g)
    return Corpus(articles=graphs)


def load_corpus(root: Path) -> Corpus:
    """The whole graph as records, for reports and the CLI (E302 if nothing is built)."""
    with opened(root, read_only=True) as st:
        ids = sorted(article_ids(st))
    if not ids:
        raise StoreError(E.E302, path=root)
    graphs = []
    for aid in ids:
        g = load_article(root, aid)
        if g is None:
            raise StoreError(E.E303, path=root, detail=f"cache entry for article {aid} is missing")
        graphs.append(g)
    return Corpus(articles=graphs, analysis=load_analysis(root))
