"""The store directory and its RDF store (pyoxigraph): open, lock, write a graph, compact.

Layout of a store directory (``.kg/`` by default, ``--store`` or ``KG_STORE``)::

    oxigraph/            the RDF dataset (one named graph per article + analysis)
    cache/ID.json        each article's extracted records (skip spaCy on rebuild)
    analysis.json        the cross-article analysis records
    analysis.sqlite      the analysis graph's records as last written (``kg.store.memo``, ``kg.store.sync``)
    embeddings.npz       sentence embeddings of the claims (``similarity.embed_cached``)
    compaction.json      articles written since the store was last compacted

The record cache is ``kg.store.cache``; what writes an article or the analysis, and in
which order, is ``kg.store.articles`` and ``kg.store.analysis`` (docs/store.md). Each
article graph is replaced in one SPARQL update (a single transaction), so a failure or
a kill leaves an article either as it was or as it should be. The analysis graph is
brought up to date by writing only the triples that changed (``kg.store.sync``).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kg import codec
from kg.errors import E, StoreError, no_room
from kg.graph.ns import GRAPH_ARTICLE, KG
from kg.store.sync import data_block, triple_line

if TYPE_CHECKING:
    from pyoxigraph import Quad, Store

DEFAULT_DIR = ".kg"


def store_dir(option: Path | None = None) -> Path:
    return option or Path(os.environ.get("KG_STORE", DEFAULT_DIR))


def exists(path: Path) -> bool:
    """Whether ``path`` holds a store (an earlier build made it)."""
    return (path / "oxigraph").is_dir()


def open_store(path: Path, read_only: bool = False, create: bool = True) -> Store:
    """Open (or create) the RDF store; a lock held by another process is E301, a read-only
    open that fails while a build writes the store E308 (not corruption: retry), a full
    disk E307."""
    from pyoxigraph import Store

    db = path / "oxigraph"
    if not db.exists() and (read_only or not create):
        raise StoreError(E.E302, path=path)
    try:
        if read_only:
            return Store.read_only(str(db))
        path.mkdir(parents=True, exist_ok=True)
        return Store(str(db))
    except (OSError, RuntimeError) as err:  # RocksDB's "Corruption: ..." is a RuntimeError
        if "LOCK" in str(err) or "lock" in str(err) or "Resource temporarily" in str(err):
            raise StoreError(E.E301, path=path) from err
        if read_only and being_written(db):
            raise StoreError(E.E308, path=path) from err
        if reason := no_room(err):
            raise StoreError(E.E307, path=db, detail=reason) from err
        raise StoreError(E.E303, path=path, detail=str(err)) from err


def being_written(db: Path) -> bool:
    """Whether a process holds ``db``'s RocksDB lock, i.e. has the store open for writing.
    A read-only open during a build can fail with "Corruption: ... MANIFEST ... may be
    corrupted" or "CURRENT: No such file" (issue 21) while the store is fine. Linux lists
    the lock in /proc/locks by device and inode; elsewhere this says False."""
    try:
        st = os.stat(db / "LOCK")
        with open("/proc/locks", encoding="ascii") as fh:
            locks = fh.read()
    except (OSError, UnicodeDecodeError):
        return False
    key = f" {os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino} "
    return key in locks


@contextmanager
def opened(path: Path, read_only: bool = False) -> Iterator[Store]:
    st = open_store(path, read_only=read_only)
    try:
        yield st
    finally:
        if not read_only:
            st.flush()
        del st


def replace_graph(st: Store, graph: str, quads: list[Quad], drop: Iterable[str] = ()) -> None:
    """Drop ``graph`` (and ``drop``) and insert ``quads`` into it, in one transaction.

    A graph the store does not hold yet is written with ``Store.extend`` (all or
    nothing, about three times faster than parsing an update); replacing one uses a
    single ``DROP ...; INSERT DATA ...`` update.

    Terms are serialised by pyoxigraph itself (N-Triples syntax, escaped), never
    pasted from user input, so the update text cannot be injected into.
    """
    from pyoxigraph import NamedNode

    drop = list(drop)
    if not drop and not st.contains_named_graph(NamedNode(graph)):
        st.extend(quads)  # a new graph: extend is one transaction too, and parses nothing
        return
    parts = [f"DROP SILENT GRAPH {NamedNode(g)}" for g in (*drop, graph)]
    if quads:
        parts.append(data_block("INSERT", graph, map(triple_line, quads)))
    st.update(" ;\n".join(parts))


def article_ids(st: Store) -> dict[str, tuple[str, str]]:
    """``{article id: (source path, pipeline version)}`` for every article graph."""
    from pyoxigraph import NamedNode

    # one scan per property over every graph, not one lookup per graph: each lookup opens
    # a RocksDB iterator, 0.2-0.3 ms on a store a rebuild left uncompacted (2.5 s for
    # 10,000 articles; the two scans take 0.4 s)
    paths, versions = _by_graph(st, KG.sourcePath), _by_graph(st, KG.pipelineVersion)
    out: dict[str, tuple[str, str]] = {}
    for g in st.named_graphs():
        if isinstance(g, NamedNode) and g.value.startswith(GRAPH_ARTICLE):
            out[g.value[len(GRAPH_ARTICLE):]] = (paths.get(g.value, ""), versions.get(g.value, ""))
    return out


def _by_graph(st: Store, predicate: str) -> dict[str, str]:
    """``{graph IRI: value}`` of ``predicate`` in every named graph (the first, if several)."""
    from pyoxigraph import NamedNode

    out: dict[str, str] = {}
    for q in st.quads_for_pattern(None, NamedNode(predicate), None, None):
        if isinstance(q.graph_name, NamedNode):
            out.setdefault(q.graph_name.value, str(getattr(q.object, "value", "")))
    return out


def embeddings_cache(root: Path) -> Path:
    return root / "embeddings.npz"


#: a build compacts the store once the articles it and the builds before it wrote since the
#: last compaction reach this share of the store's articles (so the first build always does)
COMPACT_SHARE = 0.1


def compact(root: Path, st: Store, written: int, articles: int, mode: str = "auto") -> bool:
    """Compact the store's RocksDB files when due (``mode`` "auto"), always or never.

    A build exits before RocksDB's background compaction has caught up with what it
    wrote, and every later lookup pays for the uncompacted files (and, after a rebuild,
    the deletions). Measured at 1,000 articles: anonymous-claims 2.8 s before, 0.6 s after a
    4 s compaction (docs/performance.md). Compaction costs about as much as writing the
    store once, so small rebuilds only add to the count in ``compaction.json``."""
    state = root / "compaction.json"
    try:
        since = int(json.loads(state.read_text(encoding="utf-8"))["written"]) if state.is_file() else articles
    except (OSError, ValueError, TypeError, KeyError):
        since = articles  # an unreadable count: compact, and start counting again
    since += written
    due = mode == "always" or (mode == "auto" and since > 0 and since >= COMPACT_SHARE * articles)
    if due:
        try:
            st.optimize()
            since = 0
        except OSError:  # a full disk: the store is as it was, only slower; the next build retries
            due = False
    with contextlib.suppress(OSError):  # only a count: the next build compacts once too many
        codec.write_json(state, {"written": since})
    return due
