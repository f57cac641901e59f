"""Packaged resources: the ontology, SHACL shapes, named queries, Neo4j files."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """A file under ``kg/resources`` (works from a checkout and from an installed wheel)."""
    ref = resources.files("kg").joinpath("resources")
    for p in parts:
        ref = ref.joinpath(p)
    return ref
