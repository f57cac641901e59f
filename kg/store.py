"""The embedded on-disk store: a pyoxigraph RDF store plus the extraction cache.

Layout of a store directory (``.kg/`` by default, ``--store`` or ``KG_STORE``)::

    oxigraph/            the RDF dataset (one named graph per article + analysis)
    cache/ID.json        each article's extracted records (skip spaCy on rebuild)
    analysis.json        the cross-article analysis records
    analysis.nt          the analysis graph's triples as last written (see ``sync_graph``)
    embeddings.npz       sentence embeddings of the claims (``similarity.embed_cached``)

Each article graph is replaced in one SPARQL update (a single transaction), so a
failure or a kill leaves an article either as it was or as it should be. The
analysis graph is brought up to date by writing only the triples that changed,
again in one transaction.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kg import codec
from kg.errors import E, StoreError
from kg.model import Analysis, ArticleGraph, Corpus
from kg.ns import GRAPH_ANALYSIS, GRAPH_ARTICLE, KG, SCHEMA

if TYPE_CHECKING:
    from pyoxigraph import Quad, Store

DEFAULT_DIR = ".kg"


def store_dir(option: Path | None = None) -> Path:
    return option or Path(os.environ.get("KG_STORE", DEFAULT_DIR))


def open_store(path: Path, read_only: bool = False, create: bool = True) -> Store:
    """Open (or create) the RDF store; a lock held by another process is E301."""
    from pyoxigraph import Store

    db = path / "oxigraph"
    if not db.exists() and (read_only or not create):
        raise StoreError(E.E302, path=path)
    try:
        if read_only:
            return Store.read_only(str(db))
        path.mkdir(parents=True, exist_ok=True)
        return Store(str(db))
    except OSError as err:
        if "LOCK" in str(err) or "lock" in str(err) or "Resource temporarily" in str(err):
            raise StoreError(E.E301, path=path) from err
        raise StoreError(E.E303, path=path, detail=str(err)) from err


@contextmanager
def opened(path: Path, read_only: bool = False) -> Iterator[Store]:
    st = open_store(path, read_only=read_only)
    try:
        yield st
    finally:
        if not read_only:
            st.flush()
        del st


def _data(op: str, graph: str, triples: Iterable[str]) -> str:
    """``INSERT DATA`` / ``DELETE DATA`` of ``triples`` (``triple_line`` strings) in ``graph``."""
    from pyoxigraph import NamedNode

    return f"{op} DATA {{ GRAPH {NamedNode(graph)} {{\n" + " .\n".join(triples) + " .\n} }"


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
        parts.append(_data("INSERT", graph, map(triple_line, quads)))
    st.update(" ;\n".join(parts))


def triple_line(q: Quad) -> str:
    """A quad's triple in N-Triples syntax (pyoxigraph escapes every term), without the dot."""
    return f"{q.subject} {q.predicate} {q.object}"


#: lines handled at once when hashing, writing or loading a graph's text: a graph of
#: millions of triples is never one string in memory
CHUNK_LINES = 65_536


def _chunks(lines: Sequence[str]) -> Iterator[bytes]:
    """``lines`` as UTF-8, each followed by a newline, a chunk at a time."""
    for i in range(0, len(lines), CHUNK_LINES):
        yield "".join(f"{x}\n" for x in lines[i:i + CHUNK_LINES]).encode("utf-8")


def _digest(ordered: Sequence[str]) -> str:
    """SHA-256 of the lines joined by newlines (hashed a chunk at a time)."""
    h = hashlib.sha256()
    for i in range(0, len(ordered), CHUNK_LINES):
        h.update(("\n" if i else "").encode() + "\n".join(ordered[i:i + CHUNK_LINES]).encode("utf-8"))
    return h.hexdigest()


def _stored_digest(st: Store, graph: str) -> str | None:
    from pyoxigraph import NamedNode

    g = NamedNode(graph)
    found = next(iter(st.quads_for_pattern(g, NamedNode(KG.digest), None, g)), None)
    return str(getattr(found.object, "value", "")) if found else None


def _digest_quad(graph: str, digest: str) -> Quad:
    """``<graph> kg:digest "digest"``, inside ``graph`` itself."""
    from pyoxigraph import Literal, NamedNode, Quad

    g = NamedNode(graph)
    return Quad(g, NamedNode(KG.digest), Literal(digest), g)


def _previous(st: Store, graph: str, memo: Path) -> set[str]:
    """Every triple ``graph`` holds now: from ``memo`` when both the digest on its first
    line and the digest of its lines are the one the store recorded (the fast path),
    else read back from the store itself."""
    from pyoxigraph import NamedNode

    stored = _stored_digest(st, graph)
    if stored is not None and _memo_head(memo) == stored:
        try:  # newline="\n": lines end at "\n" only (U+2028 and the like may sit in a literal)
            with memo.open(encoding="utf-8", newline="\n") as fh:
                fh.readline()
                lines = [x[:-1] for x in fh]
        except (OSError, UnicodeDecodeError):
            lines = []
        if lines and _digest(lines) == stored:  # the lines in the order digested
            return set(lines) | {triple_line(_digest_quad(graph, stored))}
    return {triple_line(q) for q in st.quads_for_pattern(None, None, None, NamedNode(graph))}


def sync_graph(st: Store, graph: str, triples: Iterable[str], memo: Path) -> tuple[int, int]:
    """Make ``graph`` hold exactly ``triples`` (N-Triples lines without the final dot, as
    ``triple_line`` writes them) by writing only the difference.

    The graph also records a digest of its triples (``<graph> kg:digest``); when it is
    the digest of ``triples`` nothing is written at all. A difference of up to
    ``TXN_TRIPLES`` triples (any rebuild after a few changed articles) is one
    transaction. A larger one (the first build, a new pipeline version) is written in
    transactions of that size, because one transaction holds about 1.2 KB of memory per
    triple (3.5 GB for the 3 million triples of 10,000 articles): the old digest goes
    first and the new one last, so a graph caught half-written has no digest, which
    ``kg query`` reports and the next build completes (``graph_state``).

    ``memo``, a file of the same triples headed by their digest and written after the
    store commits, spares the next sync reading the graph back; it is used only when its
    digest is the store's (a kill between the commit and the file's rename leaves an old
    memo, which is then ignored). Returns (triples removed, triples added).
    """
    from pyoxigraph import NamedNode

    # duplicates dropped, order kept: the caller's order is deterministic, so the digest
    # is too, without sorting millions of lines (6 s at 10,000 articles)
    ordered = list(dict.fromkeys(triples))
    digest = _digest(ordered)
    stamp = triple_line(_digest_quad(graph, digest))
    if not st.contains_named_graph(NamedNode(graph)):
        if ordered:
            _apply(st, graph, [], [*ordered, stamp])
        _remember(memo, digest, ordered)
        return 0, len(ordered)
    if ordered and _stored_digest(st, graph) == digest:  # unchanged
        if _memo_head(memo) != digest:
            _remember(memo, digest, ordered)
        return 0, 0
    old = _previous(st, graph, memo)
    want = {*ordered, stamp} if ordered else set()
    gone, added = sorted(old - want), [t for t in (*ordered, stamp) if t not in old] if ordered else []
    _apply(st, graph, gone, added)
    _remember(memo, digest, ordered)
    return len(gone), len(added)


#: triples per transaction when a graph changes a lot (see ``sync_graph``)
TXN_TRIPLES = 50_000


def _apply(st: Store, graph: str, gone: list[str], added: list[str]) -> None:
    """Delete ``gone`` and insert ``added`` (``added`` ends with the new digest triple):
    one transaction when small, else bounded ones with the digest out first and in last."""
    from pyoxigraph import NamedNode, RdfFormat

    if len(gone) + len(added) <= TXN_TRIPLES:
        parts = ([_data("DELETE", graph, gone)] if gone else []) + ([_data("INSERT", graph, added)] if added else [])
        if parts:
            st.update(" ;\n".join(parts))
        return
    digest = f"{NamedNode(graph)} <{KG.digest}> "
    old_stamp = [t for t in gone if t.startswith(digest)]
    if old_stamp:
        st.update(_data("DELETE", graph, old_stamp))
    rest = [t for t in gone if not t.startswith(digest)]
    for i in range(0, len(rest), TXN_TRIPLES):
        st.update(_data("DELETE", graph, rest[i:i + TXN_TRIPLES]))
    body, stamp = added[:-1], added[-1:]  # empty when the graph is emptied
    for i in range(0, len(body), TXN_TRIPLES):
        chunk = "".join(f"{t} .\n" for t in body[i:i + TXN_TRIPLES])
        st.load(chunk, format=RdfFormat.N_TRIPLES, to_graph=NamedNode(graph))
        st.flush()  # committed writes wait in RocksDB's memory until flushed
    if stamp:
        st.update(_data("INSERT", graph, stamp))


def graph_state(st: Store, graph: str) -> str:
    """"absent", "complete" (it holds its digest) or "partial" (a large write was cut off)."""
    from pyoxigraph import NamedNode

    if not st.contains_named_graph(NamedNode(graph)):
        return "absent"
    return "complete" if _stored_digest(st, graph) is not None else "partial"


def _memo_head(memo: Path) -> str:
    try:
        with memo.open(encoding="utf-8", newline="\n") as fh:
            return fh.readline().rstrip("\n")
    except (OSError, UnicodeDecodeError):
        return ""


def _remember(memo: Path, digest: str, ordered: list[str]) -> None:
    """Write the memo file; failing only costs the next build a read of the graph."""
    try:
        if ordered and not any("\n" in x for x in ordered):
            def write(fh: BinaryIO) -> None:
                fh.write(f"{digest}\n".encode())
                for chunk in _chunks(ordered):
                    fh.write(chunk)

            codec.write_atomic_with(memo, write)
        else:
            memo.unlink(missing_ok=True)
    except OSError:
        memo.unlink(missing_ok=True)


def article_ids(st: Store) -> dict[str, tuple[str, str]]:
    """``{article id: (source path, pipeline version)}`` for every article graph."""
    from pyoxigraph import NamedNode

    out: dict[str, tuple[str, str]] = {}
    src, ver = NamedNode(KG.sourcePath), NamedNode(KG.pipelineVersion)
    for g in st.named_graphs():
        if not isinstance(g, NamedNode) or not g.value.startswith(GRAPH_ARTICLE):
            continue
        aid = g.value[len(GRAPH_ARTICLE):]
        path = next((str(getattr(q.object, "value", "")) for q in st.quads_for_pattern(None, src, None, g)), "")
        version = next((str(getattr(q.object, "value", "")) for q in st.quads_for_pattern(None, ver, None, g)), "")
        out[aid] = (path, version)
    return out


def cache_path(root: Path, article_id: str) -> Path:
    return root / "cache" / f"{article_id}.json"


def _write(path: Path, record: object) -> None:
    """Atomic JSON write; a failure (disk full, read-only) is E307, the old file stays."""
    try:
        codec.write_json(path, record)
    except OSError as err:
        raise StoreError(E.E307, path=path, detail=err.strerror or str(err)) from err


def save_article(root: Path, graph: ArticleGraph) -> None:
    _write(cache_path(root, graph.article.id), graph)


def load_article(root: Path, article_id: str) -> ArticleGraph | None:
    p = cache_path(root, article_id)
    if not p.is_file():
        return None
    try:
        return codec.read_json(p, ArticleGraph)
    except (ValueError, KeyError, TypeError):
        return None  # a damaged cache entry is rebuilt, never trusted


def save_analysis(root: Path, analysis: Analysis) -> None:
    _write(root / "analysis.json", analysis)


def analysis_memo(root: Path) -> Path:
    return root / "analysis.nt"


def embeddings_cache(root: Path) -> Path:
    return root / "embeddings.npz"


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
    ap = root / "analysis.json"
    analysis = codec.read_json(ap, Analysis) if ap.is_file() else Analysis()
    return Corpus(articles=graphs, analysis=analysis)


__all__ = ["GRAPH_ANALYSIS", "SCHEMA", "article_ids", "load_corpus", "open_store", "replace_graph"]
