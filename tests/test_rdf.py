"""RDF projection: TriG export parses; store round trips are isomorphic."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg.cli.main import app
from kg.graph import articles as rdf
from kg.graph.ns import KG, PREFIXES
from kg.model import Corpus
from kg.query.check import ontology_terms
from kg.query.export import rdf_bytes

runner = CliRunner()


def store_dataset(root: Path) -> Dataset:
    ds = Dataset()
    ds.parse(data=rdf_bytes(root, "nquads"), format="nquads")
    return ds


def same_dataset(a: Dataset, b: Dataset) -> bool:
    """Graph isomorphism per named graph (rdflib compares graphs, not datasets)."""
    names_a = {g.identifier for g in a.graphs() if len(g)}
    names_b = {g.identifier for g in b.graphs() if len(g)}
    if names_a != names_b:
        return False
    from rdflib import Graph

    for name in names_a:
        ga, gb = Graph(), Graph()
        for t in a.graph(name):
            ga.add(t)
        for t in b.graph(name):
            gb.add(t)
        if not isomorphic(ga, gb):
            return False
    return True


def test_trig_export_parses_with_rdflib(seed_store: Path) -> None:
    result = runner.invoke(app, ["export", "--store", str(seed_store), "--format", "trig"])
    assert result.exit_code == 0
    ds = Dataset()
    ds.parse(data=result.stdout, format="trig")
    graphs = {str(g.identifier) for g in ds.graphs()}
    assert sum("/graph/article/" in g for g in graphs) == 5


def test_model_to_rdf_to_store_round_trip(seed_store: Path, seed_corpus: Corpus, tmp_path: Path) -> None:
    """Quads made from the records equal what the store gives back (graph isomorphism)."""
    from pyoxigraph import Store

    quads = [q for g in seed_corpus.articles for q in rdf.article_quads(g, "v")]
    st = Store(str(tmp_path / "ox"))
    st.extend(quads)
    from pyoxigraph import RdfFormat, serialize

    direct = Dataset()
    direct.parse(data=serialize(quads, format=RdfFormat.N_QUADS), format="nquads")

    back = Dataset()
    back.parse(data=bytes(st.dump(format=RdfFormat.N_QUADS)), format="nquads")
    assert same_dataset(direct, back)


def test_every_used_term_is_in_the_ontology() -> None:
    declared = ontology_terms()
    assert {KG.base + t for t in KG.terms} <= declared
    assert PREFIXES["kg"] == KG.base
