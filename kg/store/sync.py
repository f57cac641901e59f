"""The analysis graph brought up to date by its difference, with a digest and a memo.

``sync_graph(st, graph, records, memo)`` makes a named graph hold exactly the lines of
the given records (``kg.graph.analysis``). It finds the changed records by their keys,
writes only the lines that changed (one transaction for a small difference, bounded
ones for a large one), records the graph's digest inside it, and keeps a memo
(``kg.store.memo``) of each record's lines so the next build need not read the graph back.
See docs/performance.md ("Rebuilds") and docs/hardening.md (the cut-off large write).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kg.graph.ns import KG
from kg.store import memo as memo_

if TYPE_CHECKING:
    from pyoxigraph import Quad, Store

    from kg.graph.analysis import Record


#: record key -> the function making that record's lines (``kg.graph.analysis.Record``)
Makers = dict[bytes, Callable[[], list[str]]]


def data_block(op: str, graph: str, triples: Iterable[str]) -> str:
    """``INSERT DATA`` / ``DELETE DATA`` of ``triples`` (``triple_line`` strings) in ``graph``."""
    from pyoxigraph import NamedNode

    return f"{op} DATA {{ GRAPH {NamedNode(graph)} {{\n" + " .\n".join(triples) + " .\n} }"


def triple_line(q: Quad) -> str:
    """A quad's triple in N-Triples syntax (pyoxigraph escapes every term), without the dot."""
    return f"{q.subject} {q.predicate} {q.object}"


def _digest(keys: Iterable[bytes]) -> str:
    """SHA-256 of the record keys in sorted order: the same records, the same digest."""
    h = hashlib.sha256()
    for k in sorted(keys):
        h.update(k)
    return h.hexdigest()


def records_digest(records: Iterable[Record]) -> str:
    """The digest ``sync_graph`` records in a graph holding exactly ``records``."""
    return _digest(r.key for r in records)


def stored_digest(st: Store, graph: str) -> str | None:
    """The digest ``graph`` holds (``<graph> kg:digest``); None without one."""
    from pyoxigraph import NamedNode

    g = NamedNode(graph)
    found = next(iter(st.quads_for_pattern(g, NamedNode(KG.digest), None, g)), None)
    return str(getattr(found.object, "value", "")) if found else None


def _stamp(graph: str, digest: str) -> str:
    """The line of ``<graph> kg:digest "digest"``, kept inside ``graph`` itself."""
    from pyoxigraph import Literal, NamedNode, Quad

    g = NamedNode(graph)
    return triple_line(Quad(g, NamedNode(KG.digest), Literal(digest), g))


def sync_graph(st: Store, graph: str, records: Iterable[Record], memo: Path) -> tuple[int, int]:
    """Make ``graph`` hold exactly the lines of ``records`` (N-Triples lines without the
    final dot, as ``triple_line`` writes them) by writing only the difference.

    The graph records a digest of its record keys (``<graph> kg:digest``): when it is the
    digest of ``records`` nothing is written at all. Otherwise, when the ``memo``
    (``kg.store.memo``) describes the graph the store holds, only the records whose key is new
    make their lines, and only the lines of the records that are gone are read back:
    the work follows the change, not the graph. Without a usable memo (a kill between
    the store's commit and the memo's, a deleted or broken file) every record makes its
    lines and the old ones are read back from the store. A graph the store does not hold
    yet is written a transaction's worth of records at a time (``_write_new``).

    A difference of up to ``TXN_TRIPLES`` triples is one transaction. A larger one (the
    first build, a new pipeline version) is written in transactions of that size,
    because one transaction holds about 1.2 KB of memory per triple (3.5 GB for the 3
    million triples of 10,000 articles): the old digest goes first and the new one last,
    so a graph caught half-written has no digest, which ``kg query`` reports and the
    next build completes (``graph_state``). Returns (triples removed, triples added).
    """
    from pyoxigraph import NamedNode

    made: Makers = {r.key: r.lines for r in records}  # one per key: equal inputs, equal lines
    digest = _digest(made)
    if not st.contains_named_graph(NamedNode(graph)):
        return 0, _write_new(st, graph, made, digest, memo)
    stored = stored_digest(st, graph)
    if made and stored == digest:  # unchanged
        if memo_.digest(memo) != digest:
            memo_.write(memo, digest, {k: make() for k, make in made.items()})
        return 0, 0
    by_memo = _sync_by_memo(st, graph, made, stored, digest, memo)
    return by_memo if by_memo is not None else _sync_by_reading(st, graph, made, digest, memo)


def _sync_by_memo(st: Store, graph: str, made: Makers, stored: str | None, digest: str,
                  memo: Path) -> tuple[int, int] | None:
    """The difference from the memo: the lines of the new records against those of the
    records that are gone. None when the memo does not describe the stored graph."""
    if not made or stored is None or memo_.digest(memo) != stored:
        return None
    known = memo_.keys(memo)
    if known is None or _digest(known) != stored:
        return None
    gone_keys = known - made.keys()
    old = memo_.lines(memo, gone_keys)
    if old is None:
        return None
    new = {k: made[k]() for k in made if k not in known}
    old_set = {*old, _stamp(graph, stored)}
    fresh = list(dict.fromkeys(x for v in new.values() for x in v))
    gone = sorted(old_set - set(fresh))
    added = [x for x in fresh if x not in old_set] + [_stamp(graph, digest)]
    _apply(st, graph, gone, added)
    memo_.update(memo, digest, new, gone_keys)
    return len(gone), len(added)


def _sync_by_reading(st: Store, graph: str, made: Makers, digest: str, memo: Path) -> tuple[int, int]:
    """The difference from the graph itself: every record's lines against every triple
    the store holds in it (no usable memo), then a new memo."""
    from pyoxigraph import NamedNode

    every = {k: make() for k, make in made.items()}
    old_set = {triple_line(q) for q in st.quads_for_pattern(None, None, None, NamedNode(graph))}
    want = list(dict.fromkeys(x for v in every.values() for x in v))
    if made:
        want.append(_stamp(graph, digest))
    gone = sorted(old_set - set(want))
    added = [x for x in want if x not in old_set]
    _apply(st, graph, gone, added)
    if made:
        memo_.write(memo, digest, every)
    else:
        memo_.forget(memo)
    return len(gone), len(added)


#: triples per transaction when a graph changes a lot (see ``sync_graph``)
TXN_TRIPLES = 50_000


def _write_new(st: Store, graph: str, made: Makers, digest: str, memo: Path) -> int:
    """Write a graph the store does not hold yet, and its memo, ``TXN_TRIPLES`` lines at a
    time: the lines of a first build (3 million at 10,000 articles) are never all in
    memory. A graph that fits one transaction is written in one, with its digest; a
    larger one gets its digest last (``graph_state``). Returns the triples written."""
    stamp = _stamp(graph, digest)
    written, chunk, batch, streamed = 0, [], {}, False
    with memo_.Writer(memo) as out:
        for key, make in made.items():
            batch[key] = lines = make()
            chunk += lines
            if len(chunk) >= TXN_TRIPLES:
                _load(st, graph, chunk)
                out.add(batch)
                written, chunk, batch, streamed = written + len(chunk), [], {}, True
        if streamed:
            _load(st, graph, chunk)
            st.update(data_block("INSERT", graph, [stamp]))
        elif made:
            _apply(st, graph, [], [*dict.fromkeys(chunk), stamp])
        out.add(batch)
        out.finish(digest)
    return written + len(chunk)


def _apply(st: Store, graph: str, gone: list[str], added: list[str]) -> None:
    """Delete ``gone`` and insert ``added`` (``added`` ends with the new digest triple):
    one transaction when small, else bounded ones with the digest out first and in last."""
    from pyoxigraph import NamedNode

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
        _load(st, graph, body[i:i + TXN_TRIPLES])
    if stamp:
        st.update(data_block("INSERT", graph, stamp))


def _load(st: Store, graph: str, lines: list[str]) -> None:
    """Insert ``lines`` into ``graph`` (one transaction, parsed as N-Triples), then flush:
    committed writes wait in RocksDB's memory until flushed."""
    from pyoxigraph import NamedNode, RdfFormat

    if lines:
        st.load("".join(f"{t} .\n" for t in lines), format=RdfFormat.N_TRIPLES, to_graph=NamedNode(graph))
        st.flush()


def graph_state(st: Store, graph: str) -> str:
    """"absent", "complete" (it holds its digest) or "partial" (a large write was cut off)."""
    from pyoxigraph import NamedNode

    if not st.contains_named_graph(NamedNode(graph)):
        return "absent"
    return "complete" if stored_digest(st, graph) is not None else "partial"
