"""``kg check``: validate the store against ``schemas/shapes.ttl`` with pySHACL.

The data graph is the union of every named graph (article graphs + analysis
graph): a claim and its article share an article graph, but the conflicts,
flags and propositions that point at claims live in the analysis graph, so the
focus nodes need the union to resolve ``sh:class`` and the SPARQL constraints.

The core constraints run in pySHACL. The SHACL-SPARQL constraints (``sh:sparql``,
such as "the span lies inside the article text") are taken from the same shapes
file but run once each on the pyoxigraph store, for every focus node at once:
pySHACL runs them through rdflib once per focus node, which took 36 s for the
270 seed claims; pyoxigraph takes well under a second.
Each violation names the shape it broke, the focus node (as ``claim/ID``), the
graph that node lives in, the path, the offending value and a readable message.

``check_agreement`` adds what SHACL cannot see: whether the record cache (which reports
read) says what the RDF graphs (which queries read) hold (``kg.store.disagreements``).
Each disagreement is a violation of shape ``Store-KIND`` whose value is the cache file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.graph.ns import GRAPH_ANALYSIS, GRAPH_ARTICLE, ID, PREFIXES
from kg.resources import resource

if TYPE_CHECKING:
    from pyoxigraph import Store
    from rdflib import Graph

SHAPES_NS = "https://w3id.org/kg-claims/shapes#"


@dataclass(frozen=True, slots=True)
class Violation:
    shape: str  # e.g. "Claim-start", "Conflict-claimB", "Claim-insideArticle"
    focus: str  # e.g. "claim/3fa1...", or the full IRI outside the kg id space
    graph: str | None  # article id, "analysis", or None when not found
    path: str | None  # e.g. "kg:start"
    value: str | None
    message: str
    severity: str = "Violation"


def shapes_graph() -> Graph:
    from rdflib import Graph

    g = Graph()
    g.parse(data=resource("schemas", "shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def data_graph(st: Store) -> Graph:
    """The union of every graph of ``st`` as one rdflib graph (set semantics)."""
    from pyoxigraph import RdfFormat, serialize
    from rdflib import Graph

    g = Graph()
    data = serialize((q.triple for q in st), format=RdfFormat.N_TRIPLES)
    if data:
        g.parse(data=data.decode("utf-8"), format="nt")
    return g


def check_store(st: Store) -> list[Violation]:
    """Every SHACL violation in ``st``, sorted by shape, focus node and path."""
    from pyshacl import validate
    from rdflib.namespace import SH

    shapes = shapes_graph()
    sparql = _sparql_constraints(shapes)
    shapes.remove((None, SH.sparql, None))
    conforms, report, _ = validate(data_graph(st), shacl_graph=shapes, advanced=True,
                                   inference="none", allow_warnings=True)
    out = [] if conforms else [_violation(report, shapes, r, st) for r in _results(report)]
    for c in sparql:
        out.extend(_run_sparql_constraint(st, c))
    return sorted(set(out), key=lambda v: (v.shape, v.focus, v.path or "", v.value or ""))


def check_agreement(root: Path, st: Store) -> list[Violation]:
    """Every disagreement between the record cache of the store at ``root`` and its RDF
    graphs ``st``, as violations (shape ``Store-article``, ``Store-claim``, ``Store-conflict``...)."""
    from kg.store import disagreements

    return [Violation(shape=f"Store-{d.kind}", focus=f"{d.kind}/{d.ident}" if d.ident else d.kind,
                      graph=d.graph, path=None, value=d.file, message=d.message)
            for d in disagreements(root, st)]


@dataclass(frozen=True, slots=True)
class _SparqlConstraint:
    name: str
    target: str  # the node shape's sh:targetClass
    select: str  # with PREFIX lines from sh:declare
    message: str


def _sparql_constraints(shapes: Graph) -> list[_SparqlConstraint]:
    from rdflib.namespace import SH

    out = []
    for node_shape, constraint in shapes.subject_objects(SH.sparql):
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for decl in shapes.objects(constraint, SH.prefixes)
            for d in shapes.objects(decl, SH.declare))
        out.append(_SparqlConstraint(
            name=str(constraint)[len(SHAPES_NS):], target=str(shapes.value(node_shape, SH.targetClass)),
            select=prefixes + str(shapes.value(constraint, SH.select)),
            message=str(shapes.value(constraint, SH.message) or "")))
    return out


def _run_sparql_constraint(st: Store, c: _SparqlConstraint) -> list[Violation]:
    """All focus nodes at once: ``$this`` is an ordinary variable to a SPARQL engine."""
    from pyoxigraph import NamedNode

    rdf_type, target = NamedNode(PREFIXES["rdf"] + "type"), NamedNode(c.target)
    out = []
    result = st.query(c.select, use_default_graph_as_union=True)
    row_vars = result.variables  # type: ignore[union-attr]
    for row in result:  # type: ignore[union-attr]
        this = row["this"]
        if this is None or not any(True for _ in st.quads_for_pattern(this, rdf_type, target)):
            continue
        message = _fill(c.message, {v.value: _plain(row[v]) for v in row_vars})
        out.append(Violation(shape=c.name, focus=_short(this.value), path=None, value=None,
                             graph=_graph_of(st, this.value), message=message))
    return out


def _fill(template: str, values: dict[str, str]) -> str:
    """A SHACL message template with ``{?var}`` / ``{$var}`` filled from a result row."""
    return re.sub(r"\{[?$](\w+)\}", lambda m: values.get(m.group(1), ""), template)


def _plain(term: Any) -> str:
    return "" if term is None else str(getattr(term, "value", term))


def _results(report: Any) -> list[Any]:
    from rdflib import RDF
    from rdflib.namespace import SH

    return list(report.subjects(RDF.type, SH.ValidationResult))


def _violation(report: Any, shapes: Graph, r: Any, st: Store) -> Violation:
    from rdflib.namespace import SH

    focus = report.value(r, SH.focusNode)
    path = report.value(r, SH.resultPath)
    value = report.value(r, SH.value)
    severity = report.value(r, SH.resultSeverity)
    message = report.value(r, SH.resultMessage)
    return Violation(
        shape=_shape_name(report, shapes, r),
        focus=_short(focus),
        graph=_graph_of(st, str(focus)) if focus is not None else None,
        path=_curie(path) if path is not None else None,
        value=None if value is None else _short(value),
        message=str(message) if message is not None else "",
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
    )


def _shape_name(report: Any, shapes: Graph, r: Any) -> str:
    from rdflib import URIRef
    from rdflib.namespace import SH

    for pred in (SH.sourceConstraint, SH.sourceShape):
        s = report.value(r, pred)
        if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS):
            return str(s)[len(SHAPES_NS):]
    shape = report.value(r, SH.sourceShape)
    parent = shapes.value(None, SH.property, shape)  # an anonymous property shape
    path = shapes.value(shape, SH.path)
    base = str(parent)[len(SHAPES_NS):] if parent is not None else "shape"
    return f"{base}-{_curie(path).split(':')[-1]}" if path is not None else base


def _short(term: Any) -> str:
    text = str(term)
    return text[len(ID):] if text.startswith(ID) else text


def _curie(term: Any) -> str:
    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


def _graph_of(st: Store, iri: str) -> str | None:
    from pyoxigraph import NamedNode

    if not iri.startswith(("http://", "https://")):
        return None
    found = None
    for q in st.quads_for_pattern(NamedNode(iri), None, None):
        g = getattr(q.graph_name, "value", "")
        if g.startswith(GRAPH_ARTICLE):  # a node's home is its article graph if it has one
            return g[len(GRAPH_ARTICLE):]
        if g == GRAPH_ANALYSIS:
            found = "analysis"
    return found


@cache
def ontology_terms() -> frozenset[str]:
    """Every IRI that ``schemas/kg.ttl`` declares as a class or property."""
    from rdflib import OWL, RDF, Graph

    g = Graph()
    g.parse(data=resource("schemas", "kg.ttl").read_text(encoding="utf-8"), format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
    return frozenset(str(s) for k in kinds for s in g.subjects(RDF.type, k))
