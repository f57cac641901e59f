"""Project model records to RDF quads (pyoxigraph terms).

One named graph per article holds the article snapshot, its claims with their
selectors, attributions, sources and citations; one analysis graph holds the
cross-article results (entities, propositions, conflicts, flags), written as text by
``kg.graph.analysis``. The shape is described by ``schemas/kg.ttl`` and checked by
``schemas/shapes.ttl``.
"""

from __future__ import annotations

from typing import Any, Protocol

from pyoxigraph import Literal, NamedNode, Quad

from kg.graph.ns import KG, OA, PROV, RDF, SCHEMA, XSD, article_graph, iri
from kg.graph.orders import story_order
from kg.model import ArticleGraph, Claim, Source, Span

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


class Sink(Protocol):
    """What ``span_triples`` writes to: ``_Quads`` (pyoxigraph terms) or
    ``kg.graph.analysis.Lines`` (N-Triples text)."""

    def ref(self, iri_: str) -> Any: ...
    def add(self, s: Any, p: str, o: object) -> None: ...
    def a(self, s: Any, *types: str) -> None: ...


def span_triples(q: Sink, subject: str, span: Span | None, name: str, pred: str) -> None:
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


def _claim(q: _Quads, c: Claim, text: str, published: str | None) -> None:
    s = node("claim", c.id)
    art = node("article", c.article)
    q.a(s, KG.Claim, SCHEMA.Claim)
    q.add(s, KG.statedIn, art)
    q.add(s, KG.start, c.start)
    q.add(s, KG.end, c.end)
    q.add(s, SCHEMA.text, c.text)
    q.add(s, KG.sentence, c.sentence)
    q.add(s, KG.storyOrder, story_order(published, c.article, c.start))
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
    span_triples(q, s.value, c.certainty_cue, "certainty-cue", KG.certaintyCue)
    span_triples(q, s.value, c.event_cue, "event-cue", KG.eventCue)
    if c.attribution is not None:
        a = NamedNode(s.value + "/attribution")
        src = node("source", c.attribution.source)
        q.add(s, PROV.wasAttributedTo, src)
        q.add(s, PROV.qualifiedAttribution, a)
        q.a(a, PROV.Attribution)
        q.add(a, PROV.agent, src)
        if c.attribution.via:
            q.add(a, KG.via, node("source", c.attribution.via))
        span_triples(q, a.value, c.attribution.cue, "cue", KG.cue)
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
        span_triples(q, cn.value, cite.cue, "cue", KG.cue)
    for src_id, via in g.cites:
        q.add(node("source", src_id), KG.cites, node("source", via))
    for c in g.claims:
        _claim(q, c, a.text, a.published)
    return q.quads
