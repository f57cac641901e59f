"""Project model records to RDF quads (pyoxigraph terms).

One named graph per article holds the article snapshot, its claims with their
selectors, attributions, sources and citations; one analysis graph holds the
cross-article results (entities, propositions, conflicts, flags). The shape is
described by ``schemas/kg.ttl`` and checked by ``schemas/shapes.ttl``.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from pyoxigraph import Literal, NamedNode, Quad

from kg.model import Analysis, ArticleGraph, Claim, Source, Span
from kg.ns import GRAPH_ANALYSIS, KG, OA, PROV, RDF, RDFS, SCHEMA, XSD, article_graph, iri

_INT = NamedNode(XSD.integer)
_TYPE = NamedNode(RDF.type)
QUOTE_CONTEXT = 32  # characters of prefix/suffix in a TextQuoteSelector


def node(kind: str, ident: str) -> NamedNode:
    return NamedNode(iri(kind, ident))


def _lit(value: object) -> Literal:
    if isinstance(value, bool):
        return Literal(str(value).lower())
    if isinstance(value, int):
        return Literal(str(value), datatype=_INT)
    return Literal(str(value))


class _Quads:
    """Collects quads for one graph; ``add(s, p, o)`` skips ``None`` objects."""

    def __init__(self, graph: str) -> None:
        self.graph = NamedNode(graph)
        self.quads: list[Quad] = []

    def add(self, s: NamedNode, p: str, o: object) -> None:
        if o is None or o == "":
            return
        obj = o if isinstance(o, NamedNode | Literal) else _lit(o)
        self.quads.append(Quad(s, NamedNode(p), obj, self.graph))

    def many(self, s: NamedNode, pairs: dict[str, object]) -> None:
        for p, o in pairs.items():
            self.add(s, p, o)

    def a(self, s: NamedNode, *types: str) -> None:
        for t in types:
            self.quads.append(Quad(s, _TYPE, NamedNode(t), self.graph))

    def ref(self, iri_: str) -> NamedNode:
        return NamedNode(iri_)


class _Sink(Protocol):
    """What ``_span`` writes to: ``_Quads`` (pyoxigraph terms) or ``_Lines`` (text)."""

    def ref(self, iri_: str) -> Any: ...
    def add(self, s: Any, p: str, o: object) -> None: ...
    def a(self, s: Any, *types: str) -> None: ...


def _span(q: _Sink, subject: str, span: Span | None, name: str, pred: str) -> None:
    """``subject pred <subject/name>``, a kg:Span with its article, offsets and text."""
    if span is None:
        return
    n = q.ref(f"{subject}/{name}")
    q.add(q.ref(subject), pred, n)
    q.a(n, KG.Span)
    q.add(n, KG.inArticle, q.ref(iri("article", span.article)))
    q.add(n, KG.start, span.start)
    q.add(n, KG.end, span.end)
    q.add(n, SCHEMA.text, span.text)


def _source(q: _Quads, src: Source) -> None:
    s = node("source", src.id)
    q.a(s, KG.Source, PROV.Agent)
    q.add(s, SCHEMA.name, src.name)
    q.add(s, KG.sourceKind, src.kind)


def _claim(q: _Quads, c: Claim, text: str) -> None:
    s = node("claim", c.id)
    art = node("article", c.article)
    q.a(s, KG.Claim, SCHEMA.Claim)
    q.add(s, KG.statedIn, art)
    q.add(s, KG.start, c.start)
    q.add(s, KG.end, c.end)
    q.add(s, SCHEMA.text, c.text)
    q.add(s, KG.sentence, c.sentence)
    pos, quote = NamedNode(s.value + "/position"), NamedNode(s.value + "/quote")
    q.add(s, OA.hasSelector, pos)
    q.a(pos, OA.TextPositionSelector)
    q.add(pos, OA.start, c.start)
    q.add(pos, OA.end, c.end)
    q.add(s, OA.hasSelector, quote)
    q.a(quote, OA.TextQuoteSelector)
    q.add(quote, OA.exact, c.text)
    q.add(quote, OA.prefix, text[max(0, c.start - QUOTE_CONTEXT):c.start])
    q.add(quote, OA.suffix, text[c.end:c.end + QUOTE_CONTEXT])
    f = c.frame
    q.many(s, {KG.subject: f.subject, KG.predicate: f.predicate, KG.object: f.object,
               KG.eventType: f.event_type, KG.certainty: c.certainty,
               KG.eventStatus: c.event_status, KG.polarity: c.polarity})
    _span(q, s.value, c.certainty_cue, "certainty-cue", KG.certaintyCue)
    _span(q, s.value, c.event_cue, "event-cue", KG.eventCue)
    if c.attribution is not None:
        a = NamedNode(s.value + "/attribution")
        src = node("source", c.attribution.source)
        q.add(s, PROV.wasAttributedTo, src)
        q.add(s, PROV.qualifiedAttribution, a)
        q.a(a, PROV.Attribution)
        q.add(a, PROV.agent, src)
        if c.attribution.via:
            q.add(a, KG.via, node("source", c.attribution.via))
        _span(q, a.value, c.attribution.cue, "cue", KG.cue)
    for i, m in enumerate(c.mentions):
        mn = NamedNode(f"{s.value}/mention/{i}")
        q.add(s, KG.mention, mn)
        q.a(mn, KG.Mention)
        q.many(mn, {KG.inArticle: art, KG.start: m.start, KG.end: m.end,
                    SCHEMA.text: m.text, KG.label: m.label})


def article_quads(g: ArticleGraph, pipeline_version: str) -> list[Quad]:
    """Every quad of one article's named graph."""
    a = g.article
    q = _Quads(article_graph(a.id))
    s = node("article", a.id)
    q.a(s, SCHEMA.NewsArticle)
    q.many(s, {SCHEMA.text: a.text, SCHEMA.headline: a.title, SCHEMA.url: a.url,
               SCHEMA.publisher: a.publisher, SCHEMA.datePublished: a.published,
               SCHEMA.inLanguage: a.language, KG.sourcePath: a.source,
               KG.pipelineVersion: pipeline_version})
    for src in g.sources:
        _source(q, src)
    for i, cite in enumerate(g.citations):
        cn = NamedNode(f"{s.value}/citation/{i}")
        q.add(s, KG.cites, node("source", cite.source))
        q.add(s, KG.citation, cn)
        q.a(cn, KG.Citation)
        q.add(cn, KG.citedSource, node("source", cite.source))
        _span(q, cn.value, cite.cue, "cue", KG.cue)
    for src_id, via in g.cites:
        q.add(node("source", src_id), KG.cites, node("source", via))
    for c in g.claims:
        _claim(q, c, a.text)
    return q.quads


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


def _term(value: object) -> str:
    """An object as pyoxigraph prints it (``str(Literal(...))``): the same bytes, so
    triples written here compare equal with triples read back from the store."""
    if isinstance(value, _Iri):
        return value
    if isinstance(value, bool):
        return '"true"' if value else '"false"'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD.integer}>'
    return '"' + str(value).translate(_ESCAPES) + '"'


class _Lines:
    """One graph's triples as N-Triples lines without the final dot, the form
    ``kg.sync.sync_graph`` compares and writes. Building them as text skips making
    a pyoxigraph term per node and printing it again: 300,000 triples at 1,000 articles."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, s: _Iri, p: str, o: object) -> None:
        if o is None or o == "":
            return
        self.lines.append(f"{s} <{p}> {_term(o)}")

    def many(self, s: _Iri, pairs: dict[str, object]) -> None:
        for p, o in pairs.items():
            self.add(s, p, o)

    def a(self, s: _Iri, *types: str) -> None:
        for t in types:
            self.lines.append(f"{s} <{RDF.type}> <{t}>")

    def ref(self, iri_: str) -> _Iri:
        return _ref(iri_)


def analysis_triples(an: Analysis, claims: list[Claim]) -> list[str]:
    """Every triple of the analysis graph as an N-Triples line (no final dot);
    ``claims`` link mentions to resolved entities."""
    q = _Lines()
    by_span: dict[tuple[str, int, int], str] = {}
    for e in an.entities:
        s = _ref(iri("entity", e.id))
        q.a(s, KG.Entity)
        q.add(s, SCHEMA.name, e.name)
        q.add(s, KG.entityType, e.type)
        for alias in sorted(set(e.aliases)):
            q.add(s, KG.alias, alias)
        if e.developer:
            q.add(s, KG.developer, _ref(iri("entity", e.developer)))
        for m in e.mentions:
            by_span[(m.article, m.start, m.end)] = e.id
    for c in claims:
        linked: set[str] = set()
        claim = iri("claim", c.id)
        for i, m in enumerate(c.mentions):
            ent = m.entity or by_span.get((m.article, m.start, m.end))
            if ent is None:
                continue
            q.add(_ref(f"{claim}/mention/{i}"), KG.refersTo, _ref(iri("entity", ent)))
            if ent not in linked:
                linked.add(ent)
                q.add(_ref(claim), KG.mentions, _ref(iri("entity", ent)))
    proposition_ids = {p.id for p in an.propositions}
    for p in an.propositions:
        s = _ref(iri("proposition", p.id))
        q.a(s, KG.Proposition)
        q.add(s, KG.key, p.key)
        q.add(s, RDFS.label, p.label)
        q.add(s, KG.reason, p.reason)
        q.add(s, KG.origins, len(p.origins))
        for o in p.origins:
            q.add(s, KG.origin, o)
        for cid in p.claims:
            q.add(_ref(iri("claim", cid)), KG.expresses, s)
    for k in an.conflicts:
        s = _ref(iri("conflict", k.id))
        q.a(s, KG.Conflict)
        q.many(s, {KG.claimA: _ref(iri("claim", k.claim_a)), KG.claimB: _ref(iri("claim", k.claim_b)),
                   KG.conflictKind: k.kind, KG.rule: k.rule, KG.explanation: k.explanation,
                   KG.reviewState: k.review})
    for f in an.flags:
        flag = iri("flag", f.id)
        s = _ref(flag)
        q.a(s, KG.Flag)
        kind = "proposition" if f.target in proposition_ids else "claim"
        q.many(s, {KG.target: _ref(iri(kind, f.target)), KG.flagKind: f.kind, KG.rule: f.rule,
                   KG.explanation: f.explanation})
        for i, ev in enumerate(f.evidence):
            _span(q, flag, ev, f"evidence/{i}", KG.evidence)
    return q.lines


def analysis_quads(an: Analysis, claims: list[Claim]) -> list[Quad]:
    """The analysis graph as quads (``analysis_triples`` read back by pyoxigraph)."""
    from pyoxigraph import RdfFormat, parse

    text = "".join(f"{line} .\n" for line in analysis_triples(an, claims))
    g = NamedNode(GRAPH_ANALYSIS)
    return [Quad(t.subject, t.predicate, t.object, g) for t in parse(text, format=RdfFormat.N_TRIPLES)]
