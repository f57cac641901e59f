"""The analysis graph brought up to date by its difference, with a digest and a memo.

``sync_graph(st, graph, triples, memo)`` makes a named graph hold exactly the given
N-Triples lines. It writes only what changed (one transaction for a small difference,
bounded ones for a large one), records the graph's digest inside it, and keeps a memo
file of the lines so the next build need not read the graph back. See
docs/performance.md ("Rebuilds") and docs/hardening.md (the cut-off large write).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kg import codec
from kg.ns import KG

if TYPE_CHECKING:
    from pyoxigraph import Quad, Store


def data_block(op: str, graph: str, triples: Iterable[str]) -> str:
    """``INSERT DATA`` / ``DELETE DATA`` of ``triples`` (``triple_line`` strings) in ``graph``."""
    from pyoxigraph import NamedNode

    return f"{op} DATA {{ GRAPH {NamedNode(graph)} {{\n" + " .\n".join(triples) + " .\n} }"


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
        parts = ([data_block("DELETE", graph, gone)] if gone else []) + ([data_block("INSERT", graph, added)] if added else [])
        if parts:
            st.update(" ;\n".join(parts))
        return
    digest = f"{NamedNode(graph)} <{KG.digest}> "
    old_stamp = [t for t in gone if t.startswith(digest)]
    if old_stamp:
        st.update(data_block("DELETE", graph, old_stamp))
    rest = [t for t in gone if not t.startswith(digest)]
    for i in range(0, len(rest), TXN_TRIPLES):
        st.update(data_block("DELETE", graph, rest[i:i + TXN_TRIPLES]))
    body, stamp = added[:-1], added[-1:]  # empty when the graph is emptied
    for i in range(0, len(body), TXN_TRIPLES):
        chunk = "".join(f"{t} .\n" for t in body[i:i + TXN_TRIPLES])
        st.load(chunk, format=RdfFormat.N_TRIPLES, to_graph=NamedNode(graph))
        st.flush()  # committed writes wait in RocksDB's memory until flushed
    if stamp:
        st.update(data_block("INSERT", graph, stamp))


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

            codec.write_atomic_with(memo, write, durable=False)  # checked by its digest when read
        else:
            memo.unlink(missing_ok=True)
    except OSError:
        memo.unlink(missing_ok=True)
