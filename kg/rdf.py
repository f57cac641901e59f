"""Project model records to RDF quads (pyoxigraph terms).

One named graph per article holds the article snapshot, its claims with their
selectors, attributions, sources and citations; one analysis graph holds the
cross-article results (entities, propositions, conflicts, flags). The shape is
described by ``schemas/kg.ttl`` and checked by ``schemas/shapes.ttl``.
"""

from __future__ import annotations

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


def _span(q: _Quads, subject: NamedNode, span: Span | None, name: str, pred: str) -> None:
    if span is None:
        return
    n = NamedNode(f"{subject.value}/{name}")
    q.add(subject, pred, n)
    q.a(n, KG.Span)
    q.add(n, KG.inArticle, node("article", span.article))
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
    _span(q, s, c.certainty_cue, "certainty-cue", KG.certaintyCue)
    _span(q, s, c.event_cue, "event-cue", KG.eventCue)
    if c.attribution is not None:
        a = NamedNode(s.value + "/attribution")
        src = node("source", c.attribution.source)
        q.add(s, PROV.wasAttributedTo, src)
        q.add(s, PROV.qualifiedAttribution, a)
        q.a(a, PROV.Attribution)
        q.add(a, PROV.agent, src)
        if c.attribution.via:
            q.add(a, KG.via, node("source", c.attribution.via))
        _span(q, a, c.attribution.cue, "cue", KG.cue)
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
        _span(q, cn, cite.cue, "cue", KG.cue)
    for src_id, via in g.cites:
        q.add(node("source", src_id), KG.cites, node("source", via))
    for c in g.claims:
        _claim(q, c, a.text)
    return q.quads


def analysis_quads(an: Analysis, claims: list[Claim]) -> list[Quad]:
    """Every quad of the analysis graph; ``claims`` link mentions to resolved entities."""
    q = _Quads(GRAPH_ANALYSIS)
    by_span: dict[tuple[str, int, int], str] = {}
    for e in an.entities:
        s = node("entity", e.id)
        q.a(s, KG.Entity)
        q.add(s, SCHEMA.name, e.name)
        q.add(s, KG.entityType, e.type)
        for alias in sorted(set(e.aliases)):
            q.add(s, KG.alias, alias)
        if e.developer:
            q.add(s, KG.developer, node("entity", e.developer))
        for m in e.mentions:
            by_span[(m.article, m.start, m.end)] = e.id
    for c in claims:
        linked: set[str] = set()
        for i, m in enumerate(c.mentions):
            ent = m.entity or by_span.get((m.article, m.start, m.end))
            if ent is None:
                continue
            q.add(NamedNode(f"{iri('claim', c.id)}/mention/{i}"), KG.refersTo, node("entity", ent))
            if ent not in linked:
                linked.add(ent)
                q.add(node("claim", c.id), KG.mentions, node("entity", ent))
    proposition_ids = {p.id for p in an.propositions}
    for p in an.propositions:
        s = node("proposition", p.id)
        q.a(s, KG.Proposition)
        q.add(s, KG.key, p.key)
        q.add(s, RDFS.label, p.label)
        q.add(s, KG.reason, p.reason)
        q.add(s, KG.origins, len(p.origins))
        for o in p.origins:
            q.add(s, KG.origin, o)
        for cid in p.claims:
            q.add(node("claim", cid), KG.expresses, s)
    for k in an.conflicts:
        s = node("conflict", k.id)
        q.a(s, KG.Conflict)
        q.many(s, {KG.claimA: node("claim", k.claim_a), KG.claimB: node("claim", k.claim_b),
                   KG.conflictKind: k.kind, KG.rule: k.rule, KG.explanation: k.explanation,
                   KG.reviewState: k.review})
    for f in an.flags:
        s = node("flag", f.id)
        q.a(s, KG.Flag)
        kind = "proposition" if f.target in proposition_ids else "claim"
        q.many(s, {KG.target: node(kind, f.target), KG.flagKind: f.kind, KG.rule: f.rule,
                   KG.explanation: f.explanation})
        for i, ev in enumerate(f.evidence):
            _span(q, s, ev, f"evidence/{i}", KG.evidence)
    return q.quads
