"""The RDF vocabulary: one namespace, declared once, closed.

``KG.certainty`` is an IRI string; a misspelt term (``KG.certanty``) raises
``AttributeError`` where it is written, at import of the module using it. A test
checks that every term here is declared in ``schemas/kg.ttl`` and vice versa.
"""

from __future__ import annotations

BASE = "https://w3id.org/kg-claims/"
KG_NS = BASE + "ns#"
ID = BASE + "id/"
GRAPH_ARTICLE = BASE + "graph/article/"
GRAPH_ANALYSIS = BASE + "graph/analysis"

PROV_NS = "http://www.w3.org/ns/prov#"
SCHEMA_NS = "https://schema.org/"
OA_NS = "http://www.w3.org/ns/oa#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"


class Namespace:
    """A closed set of terms under one base IRI."""

    def __init__(self, base: str, terms: str) -> None:
        self._base = base
        self._terms = frozenset(terms.split())

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or name not in self._terms:
            raise AttributeError(f"{name!r} is not a term of <{self._base}>")
        value = self._base + name
        setattr(self, name, value)  # later lookups find it without calling this method
        return value

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)

    @property
    def terms(self) -> frozenset[str]:
        return self._terms

    @property
    def base(self) -> str:
        return self._base


KG = Namespace(KG_NS, """
    Claim Source Entity Proposition Conflict Flag Span Citation Mention
    statedIn start end sentence subject predicate object eventType
    certainty certaintyCue eventStatus eventCue polarity attribution cue via
    sourceKind cites citation citedSource mention label refersTo mentions
    entityType alias developer expresses key reason origin origins
    claimA claimB conflictKind rule explanation reviewState
    target flagKind evidence inArticle sourcePath pipelineVersion bodyStart bodyEnd body digest
    storyOrder listOrder
    Dispute DisputeSide side position claim sideSource conflict
""")
PROV = Namespace(PROV_NS, "Agent wasAttributedTo qualifiedAttribution agent Attribution hadPrimarySource")
SCHEMA = Namespace(SCHEMA_NS, "Claim NewsArticle name text headline url publisher datePublished inLanguage")
OA = Namespace(OA_NS, "TextPositionSelector TextQuoteSelector start end exact prefix suffix hasSelector")
RDF = Namespace(RDF_NS, "type")
RDFS = Namespace(RDFS_NS, "label")
XSD = Namespace(XSD_NS, "integer string")

#: the shape of an article graph; part of the pipeline version, so a store written in an
#: older shape is rewritten by the next build (3: claims carry kg:storyOrder; 4: a source
#: id is the hash of its exact name, not of the case-folded one)
GRAPH_FORMAT = 4


def iri(kind: str, ident: str) -> str:
    """The IRI of a record: ``{BASE}id/{kind}/{id}``."""
    return f"{ID}{kind}/{ident}"


def article_graph(article_id: str) -> str:
    return GRAPH_ARTICLE + article_id


PREFIXES = {
    "kg": KG_NS, "prov": PROV_NS, "schema": SCHEMA_NS, "oa": OA_NS,
    "rdf": RDF_NS, "rdfs": RDFS_NS, "xsd": XSD_NS,
}
