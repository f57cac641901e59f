"""Packaged resources: the ontology, SHACL shapes, named queries, Neo4j files."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """A file under ``kg/resources`` (works from a checkout and from an installed wheel)."""
    ref = resources.files("kg").joinpath("resources")
    for p in parts:
        ref = ref.joinpath(p)
    return ref


@cache
def ontology_terms() -> frozenset[str]:
    """Every IRI that ``schemas/kg.ttl`` declares as a class or property."""
    from rdflib import OWL, RDF, Graph

    g = Graph()
    g.parse(data=resource("schemas", "kg.ttl").read_text(encoding="utf-8"), format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
    return frozenset(str(s) for k in kinds for s in g.subjects(RDF.type, k))
