"""The analysis graph as N-Triples text, one record at a time.

``analysis_records(corpus)`` gives each record of the analysis (an entity,
the entity links of one claim, a proposition, a conflict, a dispute with its sides, a
flag) as a ``Record``: a
key, the hash of everything its triples are made from, and a function making those
triples. ``kg.store.sync`` compares the keys with the ones the store holds and makes the
triples of the changed records only: a rebuild after a few changed articles no longer
writes out the three million lines of 10,000 articles to find the few that changed.

Every triple belongs to exactly one record: its subject is the record's own node (or a
node under its IRI), except ``claim kg:expresses proposition`` and ``claim kg:mentions
entity``, which only the proposition and the claim's links record write.

Lines are what pyoxigraph prints for the same triple (tested), so they compare equal
with triples read back from the store.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from pyoxigraph import NamedNode, Quad

from kg.graph.articles import span_triples
from kg.graph.ns import GRAPH_ANALYSIS, KG, RDF, RDFS, SCHEMA, XSD, iri
from kg.graph.orders import corpus_orders
from kg.model import Conflict, Corpus, Dispute, Entity, Flag, Proposition


class Record(NamedTuple):
    key: bytes  # 16-byte hash of the record's inputs
    lines: Callable[[], list[str]]


class _Iri(str):
    """An IRI already written as an N-Triples term, ``<...>``."""

    __slots__ = ()


_IRI_OK = re.compile(r'[^\x00-\x20<>"{}|^`\\]+')
_ESCAPES = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\",
            **{c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F) if c not in (0x08, 0x09, 0x0A, 0x0C, 0x0D)}}


def _ref(iri_: str) -> _Iri:
    """``<iri>``; our IRIs are made of ids (hex digests) and names we chose, so a
    character N-Triples forbids in an IRI is a bug, not data: ValueError."""
    if not _IRI_OK.fullmatch(iri_):
        raise ValueError(f"not an IRI: {iri_!r}")
    return _Iri(f"<{iri_}>")


def term(value: object) -> str:
    """An object as pyoxigraph prints it (``str(Literal(...))``): the same bytes, so
    triples written here compare equal with triples read back from the store."""
    if isinstance(value, _Iri):
        return value
    if isinstance(value, bool):
        return '"true"' if value else '"false"'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD.integer}>'
    return '"' + str(value).translate(_ESCAPES) + '"'


class Lines:
    """Triples as N-Triples lines without the final dot (raw newlines never occur:
    literals are escaped, IRIs checked), the form ``kg.store.sync`` compares and writes."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, s: _Iri, p: str, o: object) -> None:
        if o is None or o == "":
            return
        self.lines.append(f"{s} <{p}> {term(o)}")

    def many(self, s: _Iri, pairs: dict[str, object]) -> None:
        for p, o in pairs.items():
            self.add(s, p, o)

    def a(self, s: _Iri, *types: str) -> None:
        for t in types:
            self.lines.append(f"{s} <{RDF.type}> <{t}>")

    def ref(self, iri_: str) -> _Iri:
        return _ref(iri_)


def _key(*inputs: object) -> bytes:
    import msgspec

    return hashlib.blake2b(msgspec.msgpack.encode(inputs), digest_size=16).digest()


def _entity(e: Entity) -> list[str]:
    q, s = Lines(), _ref(iri("entity", e.id))
    q.a(s, KG.Entity)
    q.add(s, SCHEMA.name, e.name)
    q.add(s, KG.entityType, e.type)
    for alias in sorted(set(e.aliases)):
        q.add(s, KG.alias, alias)
    if e.developer:
        q.add(s, KG.developer, _ref(iri("entity", e.developer)))
    return q.lines


def _links(claim_id: str, entities: tuple[str | None, ...]) -> list[str]:
    """Each resolved mention of a claim refers to its entity; the claim mentions each once."""
    q, claim = Lines(), iri("claim", claim_id)
    linked: set[str] = set()
    for i, ent in enumerate(entities):
        if ent is None:
            continue
        q.add(_ref(f"{claim}/mention/{i}"), KG.refersTo, _ref(iri("entity", ent)))
        if ent not in linked:
            linked.add(ent)
            q.add(_ref(claim), KG.mentions, _ref(iri("entity", ent)))
    return q.lines


def _proposition(p: Proposition) -> list[str]:
    """A proposition's own triples; its origins and its claims are records of their own."""
    q, s = Lines(), _ref(iri("proposition", p.id))
    q.a(s, KG.Proposition)
    q.add(s, KG.key, p.key)
    q.add(s, RDFS.label, p.label)
    q.add(s, KG.reason, p.reason)
    q.add(s, KG.origins, len(p.origins))
    return q.lines


def _origin(proposition_id: str, origin: str) -> list[str]:
    q = Lines()
    q.add(_ref(iri("proposition", proposition_id)), KG.origin, origin)
    return q.lines


def _expresses(claim_id: str, proposition_id: str) -> list[str]:
    q = Lines()
    q.add(_ref(iri("claim", claim_id)), KG.expresses, _ref(iri("proposition", proposition_id)))
    return q.lines


def _conflict(k: Conflict, order: int) -> list[str]:
    q, s = Lines(), _ref(iri("conflict", k.id))
    q.a(s, KG.Conflict)
    q.many(s, {KG.claimA: _ref(iri("claim", k.claim_a)), KG.claimB: _ref(iri("claim", k.claim_b)),
               KG.conflictKind: k.kind, KG.rule: k.rule, KG.explanation: k.explanation,
               KG.reviewState: k.review, KG.listOrder: order})
    return q.lines


def _dispute(d: Dispute) -> list[str]:
    """A dispute and its sides (``<dispute>/side/N``, in the dispute's order), each side
    linking its claims, articles and sources; the pairwise conflicts it gathers by kg:conflict."""
    q, dispute = Lines(), iri("dispute", d.id)
    s = _ref(dispute)
    q.a(s, KG.Dispute)
    q.many(s, {KG.conflictKind: d.kind, RDFS.label: d.label, KG.explanation: d.explanation})
    for rule in d.rules:
        q.add(s, KG.rule, rule)
    for k in d.conflicts:
        q.add(s, KG.conflict, _ref(iri("conflict", k)))
    for i, side in enumerate(d.sides):
        n = _ref(f"{dispute}/side/{i}")
        q.add(s, KG.side, n)
        q.a(n, KG.DisputeSide)
        q.many(n, {KG.position: side.position, KG.origins: side.origins})
        for c in side.claims:
            q.add(n, KG.claim, _ref(iri("claim", c)))
        for a in side.articles:
            q.add(n, KG.inArticle, _ref(iri("article", a)))
        for src in side.sources:
            q.add(n, KG.sideSource, _ref(iri("source", src)))
    return q.lines


def _flag(f: Flag, target_kind: str, order: int) -> list[str]:
    q, flag = Lines(), iri("flag", f.id)
    s = _ref(flag)
    q.a(s, KG.Flag)
    q.many(s, {KG.target: _ref(iri(target_kind, f.target)), KG.flagKind: f.kind, KG.rule: f.rule,
               KG.explanation: f.explanation, KG.listOrder: order})
    for i, ev in enumerate(f.evidence):
        span_triples(q, flag, ev, f"evidence/{i}", KG.evidence)
    return q.lines


def analysis_records(corpus: Corpus) -> list[Record]:
    """Every record of the analysis graph; the claims link mentions to resolved entities."""
    an, claims, orders = corpus.analysis, corpus.claims(), corpus_orders(corpus)
    out = []
    by_span: dict[tuple[str, int, int], str] = {}
    for e in an.entities:
        # the mentions are not written here (they only make ``by_span``), so not hashed
        out.append(Record(_key("entity", e.id, e.name, e.type, e.aliases, e.developer), partial(_entity, e)))
        for m in e.mentions:
            by_span[(m.article, m.start, m.end)] = e.id
    for c in claims:
        ents = tuple(m.entity or by_span.get((m.article, m.start, m.end)) for m in c.mentions)
        if any(ents):
            out.append(Record(_key("links", c.id, ents), partial(_links, c.id, ents)))
    for p in an.propositions:
        # a large proposition (thousands of claims and origins) gains a few of each in a
        # rebuild: one record per membership and per origin, so that only those change
        out.append(Record(_key("proposition", p.id, p.key, p.label, p.reason, len(p.origins)),
                          partial(_proposition, p)))
        out.extend(Record(_key("origin", p.id, o), partial(_origin, p.id, o)) for o in p.origins)
        out.extend(Record(_key("expresses", c, p.id), partial(_expresses, c, p.id)) for c in p.claims)
    for k in an.conflicts:
        order = orders.conflicts[k.id]
        out.append(Record(_key("conflict", k, order), partial(_conflict, k, order)))
    out.extend(Record(_key("dispute", d), partial(_dispute, d)) for d in an.disputes)
    proposition_ids = {p.id for p in an.propositions}
    for f in an.flags:
        kind = "proposition" if f.target in proposition_ids else "claim"
        order = orders.flags[f.id]
        out.append(Record(_key("flag", f, kind, order), partial(_flag, f, kind, order)))
    return out


def analysis_triples(corpus: Corpus) -> list[str]:
    """Every triple of the analysis graph as an N-Triples line (no final dot)."""
    return [line for r in analysis_records(corpus) for line in r.lines()]


def analysis_quads(corpus: Corpus) -> list[Quad]:
    """The analysis graph as quads (``analysis_triples`` read back by pyoxigraph)."""
    from pyoxigraph import RdfFormat, parse

    text = "".join(f"{line} .\n" for line in analysis_triples(corpus))
    g = NamedNode(GRAPH_ANALYSIS)
    return [Quad(t.subject, t.predicate, t.object, g) for t in parse(text, format=RdfFormat.N_TRIPLES)]
