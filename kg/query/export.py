"""Serialise the built graph: TriG / N-Quads (pyoxigraph), JSON-LD (rdflib), GraphML (networkx)."""

from __future__ import annotations

import io
from pathlib import Path

from kg import store as kgstore
from kg.errors import E, KGError
from kg.graph.ns import PREFIXES


def rdf_bytes(root: Path, fmt: str) -> bytes:
    from pyoxigraph import RdfFormat

    with kgstore.opened(root, read_only=True) as st:
        if not kgstore.article_ids(st):
            raise KGError(E.E302, path=root)
        if fmt == "trig":
            return st.dump(format=RdfFormat.TRIG, prefixes=PREFIXES) or b""
        return st.dump(format=RdfFormat.N_QUADS) or b""


def export_graph(root: Path, fmt: str) -> bytes:
    if fmt in ("trig", "nquads"):
        return rdf_bytes(root, fmt)
    if fmt == "jsonld":
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(data=rdf_bytes(root, "nquads"), format="nquads")
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        return ds.serialize(format="json-ld", indent=2).encode("utf-8")
    if fmt == "graphml":
        import networkx as nx

        from kg.graph.pgraph import project, to_networkx

        g = to_networkx(project(kgstore.load_corpus(root)))
        for _, attrs in g.nodes(data=True):
            for k, v in list(attrs.items()):
                if isinstance(v, list):
                    attrs[k] = "; ".join(str(x) for x in v)
        buf = io.BytesIO()
        nx.write_graphml(g, buf)
        return buf.getvalue()
    raise KGError(E.E207, option="--format", detail=f"unknown export format {fmt!r}")
