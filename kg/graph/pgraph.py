"""Project model records to a property graph: the rows pushed to Neo4j and the networkx graph.

Labels: Article, Claim, Source, Entity, Proposition, Conflict, Flag. Relationship
types: STATED_IN, ATTRIBUTED_TO, CITES, MENTIONS, EXPRESSES, DEVELOPED_BY,
CONFLICTS_WITH, BETWEEN, FLAGS. Both lists are closed: Neo4j cannot take labels
or types as parameters, so the loader takes them from here, never from input. So are
the property keys of each (``NODE_PROPS``, ``REL_PROPS``), which the loader also writes
into its Cypher text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.graph.orders import corpus_orders
from kg.model import Corpus, Span

if TYPE_CHECKING:
    import networkx as nx

LABELS = ("Article", "Claim", "Source", "Entity", "Proposition", "Conflict", "Flag")
REL_TYPES = ("STATED_IN", "ATTRIBUTED_TO", "CITES", "MENTIONS", "EXPRESSES",
             "DEVELOPED_BY", "CONFLICTS_WITH", "BETWEEN", "FLAGS")

#: the property keys each label and relationship type may carry: the loader writes them into
#: Cypher text (``{`text`: row[1]}``), so they are a closed list too; values are parameters
NODE_PROPS: dict[str, tuple[str, ...]] = {
    "Article": ("id", "title", "source", "url", "publisher", "published", "text"),
    "Claim": ("id", "text", "article", "start", "end", "sentence", "certainty", "event_status",
              "event_type", "polarity", "subject", "predicate", "object", "story_order"),
    "Source": ("id", "name", "kind"),
    "Entity": ("id", "name", "type", "aliases"),
    "Proposition": ("id", "key", "label", "reason", "origins", "origin_ids"),
    "Conflict": ("id", "kind", "rule", "explanation", "review", "order"),
    "Flag": ("id", "kind", "rule", "explanation", "evidence", "order"),
}
REL_PROPS: dict[str, tuple[str, ...]] = {
    "STATED_IN": ("start", "end"),
    "ATTRIBUTED_TO": ("cue", "cue_span", "via"),
    "CITES": ("cue", "start", "end"),
    "MENTIONS": (),
    "EXPRESSES": (),
    "DEVELOPED_BY": (),
    "CONFLICTS_WITH": ("conflict", "kind", "rule", "explanation"),
    "BETWEEN": ("role",),
    "FLAGS": (),
}
Rel = tuple[str, str, str, str, dict[str, Any]]  # start label, start id, end label, end id, props


@dataclass(slots=True)
class PGraph:
    nodes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    rels: dict[str, list[Rel]] = field(default_factory=lambda: defaultdict(list))

    def node(self, label: str, ident: str, /, **props: Any) -> None:
        self.nodes[label].setdefault(ident, {"id": ident}).update(
            {k: v for k, v in props.items() if v is not None})

    def rel(self, rtype: str, a: tuple[str, str], b: tuple[str, str], /, **props: Any) -> None:
        self.rels[rtype].append((a[0], a[1], b[0], b[1],
                                 {k: v for k, v in props.items() if v is not None}))


def _span(s: Span | None) -> str | None:
    return None if s is None else f"{s.article}:{s.start}-{s.end}"


def project(corpus: Corpus) -> PGraph:
    pg = PGraph()
    orders = corpus_orders(corpus)
    seen_cites: set[tuple[str, str]] = set()
    for g in corpus.articles:
        a = g.article
        pg.node("Article", a.id, title=a.title, source=a.source, url=a.url,
                publisher=a.publisher, published=a.published, text=a.text)
        for src in g.sources:
            pg.node("Source", src.id, name=src.name, kind=src.kind)
        for cite in g.citations:
            pg.rel("CITES", ("Article", a.id), ("Source", cite.source), cue=cite.cue.text,
                   start=cite.cue.start, end=cite.cue.end)
        for s, via in g.cites:
            if (s, via) not in seen_cites:  # one relationship per pair, as Neo4j keeps it
                seen_cites.add((s, via))
                pg.rel("CITES", ("Source", s), ("Source", via))
        for c in g.claims:
            f = c.frame
            pg.node("Claim", c.id, text=c.text, article=c.article, start=c.start, end=c.end,
                    sentence=c.sentence, certainty=c.certainty, event_status=c.event_status,
                    event_type=f.event_type, polarity=c.polarity, subject=f.subject,
                    predicate=f.predicate, object=f.object, story_order=orders.claims[c.id])
            pg.rel("STATED_IN", ("Claim", c.id), ("Article", a.id), start=c.start, end=c.end)
            if c.attribution:
                at = c.attribution
                pg.rel("ATTRIBUTED_TO", ("Claim", c.id), ("Source", at.source),
                       cue=at.cue.text if at.cue else None, cue_span=_span(at.cue), via=at.via)
    an = corpus.analysis
    by_span: dict[tuple[str, int, int], str] = {}
    for e in an.entities:
        pg.node("Entity", e.id, name=e.name, type=e.type, aliases=sorted(set(e.aliases)))
        if e.developer:
            pg.rel("DEVELOPED_BY", ("Entity", e.id), ("Entity", e.developer))
        for m in e.mentions:
            by_span[(m.article, m.start, m.end)] = e.id
    for c in corpus.claims():
        linked = {m.entity or by_span.get((m.article, m.start, m.end)) for m in c.mentions}
        for ent in sorted(x for x in linked if x):
            pg.rel("MENTIONS", ("Claim", c.id), ("Entity", ent))
    prop_ids = set()
    for p in an.propositions:
        prop_ids.add(p.id)
        pg.node("Proposition", p.id, key=p.key, label=p.label, reason=p.reason,
                origins=len(p.origins), origin_ids=list(p.origins))
        for cid in p.claims:
            pg.rel("EXPRESSES", ("Claim", cid), ("Proposition", p.id))
    for k in an.conflicts:
        pg.node("Conflict", k.id, kind=k.kind, rule=k.rule, explanation=k.explanation,
                review=k.review, order=orders.conflicts[k.id])
        pg.rel("BETWEEN", ("Conflict", k.id), ("Claim", k.claim_a), role="a")
        pg.rel("BETWEEN", ("Conflict", k.id), ("Claim", k.claim_b), role="b")
        pg.rel("CONFLICTS_WITH", ("Claim", k.claim_a), ("Claim", k.claim_b), conflict=k.id,
               kind=k.kind, rule=k.rule, explanation=k.explanation)
    for fl in an.flags:
        pg.node("Flag", fl.id, kind=fl.kind, rule=fl.rule, explanation=fl.explanation,
                evidence=[_span(s) for s in fl.evidence], order=orders.flags[fl.id])
        target = "Proposition" if fl.target in prop_ids else "Claim"
        pg.rel("FLAGS", ("Flag", fl.id), (target, fl.target))
    return pg


def to_networkx(pg: PGraph) -> nx.MultiDiGraph:
    """Nodes ``LABEL:id`` with their label in ``label``; a property of that name (a
    Proposition's ``label``) is kept as ``proposition_label``, never passed twice."""
    import networkx as nx

    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for label, nodes in pg.nodes.items():
        for ident, props in nodes.items():
            attrs = {(f"{label.lower()}_{k}" if k == "label" else k): v for k, v in props.items()}
            g.add_node(f"{label}:{ident}", label=label, **attrs)
    for rtype, rels in pg.rels.items():
        for sl, sid, el, eid, props in rels:
            g.add_edge(f"{sl}:{sid}", f"{el}:{eid}", key=rtype, type=rtype, **props)
    return g
