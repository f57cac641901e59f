"""The record cache: each article's records (``cache/ID.json``) and the analysis records
(``analysis.json``), as JSON files written atomically.

The cache is what a rebuild reads instead of parsing again, and what reports and the
CLI read instead of querying the RDF store. It is never trusted blindly: a damaged entry
reads as missing (its article is parsed again), and ``kg check`` compares it with the RDF
graphs (``kg.store.verify``). Only ``kg.store`` writes here; its callers use the API in
``kg/store/__init__.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from kg import codec
from kg.errors import E, StoreError
from kg.model import Analysis, ArticleGraph

CACHE_DIR = "cache"
ANALYSIS_FILE = "analysis.json"
#: files an older kg kept in a store (``analysis.nt``: the memo before ``kg.store.memo``), removed
#: by the next build
LEFTOVERS = ("analysis.nt",)


def cache_path(root: Path, article_id: str) -> Path:
    return root / CACHE_DIR / f"{article_id}.json"


def analysis_path(root: Path) -> Path:
    return root / ANALYSIS_FILE


def _write(path: Path, record: object) -> None:
    """Atomic JSON write; a failure (disk full, read-only) is E307, the old file stays."""
    try:
        codec.write_json(path, record)
    except OSError as err:
        raise StoreError(E.E307, path=path, detail=err.strerror or str(err)) from err


def write_article(root: Path, graph: ArticleGraph) -> None:
    _write(cache_path(root, graph.article.id), graph)


def load_article(root: Path, article_id: str) -> ArticleGraph | None:
    """An article's cached records; None when missing or damaged (never trusted then)."""
    p = cache_path(root, article_id)
    if not p.is_file():
        return None
    try:
        return codec.read_json(p, ArticleGraph)
    except (ValueError, KeyError, TypeError):
        return None  # a damaged cache entry is rebuilt, never trusted


def cached_ids(root: Path) -> set[str]:
    """The ids of every article with a cache entry (damaged or not)."""
    folder = root / CACHE_DIR
    if not folder.is_dir():
        return set()
    return {p.name[:-len(".json")] for p in folder.iterdir() if p.name.endswith(".json")
            and not p.name.startswith(".")}


def write_analysis(root: Path, analysis: Analysis) -> None:
    _write(analysis_path(root), analysis)


def load_analysis(root: Path) -> Analysis:
    """The analysis records; an empty analysis before the first build wrote one."""
    p = analysis_path(root)
    return codec.read_json(p, Analysis) if p.is_file() else Analysis()


def drop_leftovers(root: Path, articles: Iterable[str]) -> None:
    """Remove an older kg's files and the cache entries of articles the store no longer
    holds: the previous version of a changed article, or an entry whose graph a kill
    kept from being written. Nothing reads them (a rebuild reads only the entries of
    the article graphs it finds), so they only took disk space; once they are gone,
    ``kg check`` can require the cache and the graphs to list the same articles."""
    for name in LEFTOVERS:
        with contextlib.suppress(OSError):
            (root / name).unlink(missing_ok=True)
    for aid in cached_ids(root) - set(articles):
        with contextlib.suppress(OSError):
            cache_path(root, aid).unlink(missing_ok=True)
