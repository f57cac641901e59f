"""Named queries: manifest, bound parameters, hand-built expected rows, seed golden files.

The hand-built corpus below is small enough that every expected row can be
checked by eye. ``tiny_corpus()`` is shared with tests/test_shapes.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kg.errors import E, KGError
from kg.model import (
    Analysis,
    Article,
    ArticleGraph,
    Attribution,
    Claim,
    Conflict,
    Corpus,
    Entity,
    Flag,
    Mention,
    Proposition,
    Source,
    Span,
)
from kg.query import named as queries

GOLDEN = Path(__file__).parent / "data" / "queries"
VERSION = "test"

T1 = ("According to the Financial Times, US officials are considering export "
      "restrictions on Anthropic models. The US has banned exports of Claude.")
T2 = "Officials reportedly said the ban was imposed. Anthopic may face an export ban."
T3 = "Blog X says Blog Y confirmed that Anthropic moved its headquarters."


def _span(aid: str, text: str, piece: str) -> Span:
    start = text.index(piece)
    return Span(aid, start, start + len(piece), piece)


def _claim(cid: str, aid: str, text: str, piece: str, sentence: int, **kw: Any) -> Claim:
    s = _span(aid, text, piece)
    return Claim(id=cid, article=aid, start=s.start, end=s.end, text=piece, sentence=sentence, **kw)


def _mention(aid: str, text: str, piece: str, entity: str) -> Mention:
    s = _span(aid, text, piece)
    return Mention(aid, s.start, s.end, piece, "org", entity)


FT = Source("ft", "Financial Times", "publication")
USOFF = Source("usoff", "US officials", "official")
ANON = Source("anon", "officials", "anonymous")
BLOGX = Source("blogx", "Blog X", "publication")
BLOGY = Source("blogy", "Blog Y", "publication")


def tiny_corpus() -> Corpus:
    """Three articles, five claims, three entities, one proposition, one conflict, five flags."""
    a1 = Article("a1", T1, "a1.txt", title="FT: export curbs", published="2025-01-02")
    a2 = Article("a2", T2, "a2.txt", title="Ban imposed?", published="2025-01-01")
    a3 = Article("a3", T3, "a3.txt")  # undated
    c1 = _claim("c1", "a1", T1, "US officials are considering export restrictions on Anthropic models", 0,
                certainty="reported", event_status="considered",
                attribution=Attribution("ft", _span("a1", T1, "According to"), via="usoff"),
                mentions=(_mention("a1", T1, "Anthropic", "anthropic"),))
    c2 = _claim("c2", "a1", T1, "The US has banned exports of Claude", 1, event_status="enacted",
                mentions=(_mention("a1", T1, "Claude", "claude"),))
    c3 = _claim("c3", "a2", T2, "the ban was imposed", 0, certainty="reported",
                event_status="enacted", attribution=Attribution("anon", _span("a2", T2, "said")))
    c4 = _claim("c4", "a2", T2, "Anthopic may face an export ban", 1, certainty="hedged",
                mentions=(_mention("a2", T2, "Anthopic", "anthropic"),))
    c5 = _claim("c5", "a3", T3, "Anthropic moved its headquarters", 0, certainty="reported",
                attribution=Attribution("blogx", _span("a3", T3, "says")),
                mentions=(_mention("a3", T3, "Anthropic", "anthropic"),))
    graphs = [
        ArticleGraph(a1, [c1, c2], [FT, USOFF], cites=[("ft", "usoff")]),
        ArticleGraph(a2, [c3, c4], [ANON]),
        ArticleGraph(a3, [c5], [BLOGX, BLOGY], cites=[("blogx", "blogy"), ("blogy", "blogx")]),
    ]
    ev = _span("a1", T1, "The US has banned exports of Claude")
    analysis = Analysis(
        entities=[Entity("anthropic", "Anthropic", "org", aliases=("Anthopic",)),
                  Entity("claude", "Claude", "ai_model", developer="anthropic"),
                  Entity("usgov", "US government", "gov")],
        propositions=[Proposition("p1", "export-ban:anthropic", "export ban on Anthropic models",
                                  ("c2", "c3", "c4"), "same event and target", ("a2",))],
        conflicts=[Conflict("k1", "c1", "c2", "status", "status-considered-vs-enacted",
                            "a1 says the ban is considered; a1 also says it was imposed.")],
        flags=[Flag("f1", "c2", "unsupported", "no-attribution", "asserted with no source", (ev,)),
               Flag("f2", "c3", "anonymous", "anonymous-source", "only unnamed officials",
                    (_span("a2", T2, "Officials reportedly said"),)),
               Flag("f3", "p1", "single-origin", "one-origin", "all three trace back to a2", (ev,)),
               Flag("f4", "p1", "hedge-laundering", "hedged-then-asserted",
                    "hedged in a2, asserted in a1", (ev,)),
               Flag("f5", "c5", "circular", "citation-cycle", "Blog X and Blog Y cite each other",
                    (_span("a3", T3, "Blog Y confirmed"),))],
    )
    return Corpus(graphs, analysis)


def tiny_store(corpus: Corpus | None = None) -> Any:
    from pyoxigraph import Store

    from kg.graph.analysis import analysis_quads
    from kg.graph.articles import article_quads

    corpus = corpus or tiny_corpus()
    st = Store()
    for g in corpus.articles:
        st.extend(article_quads(g, VERSION))
    st.extend(analysis_quads(corpus))
    return st


def _claim_row(cid: str, **extra: Any) -> dict[str, Any]:
    c = {c.id: c for c in tiny_corpus().claims()}[cid]
    dates = {"a1": "2025-01-02", "a2": "2025-01-01", "a3": None}
    return {"claim": cid, "article": c.article, "published": dates[c.article], "start": c.start,
            "end": c.end, "certainty": c.certainty, "text": c.text, **extra}


# Expected rows on the tiny corpus, by query: (params, rows restricted to `keys`).
EXPECTED: dict[str, tuple[dict[str, str], list[dict[str, Any]]]] = {
    "unsupported-claims": ({}, [_claim_row("c2", source=None, source_kind=None,
                                           rule="no-attribution", explanation="asserted with no source",
                                           flag="f1")]),
    "anonymous-claims": ({}, [_claim_row("c3", source="officials", source_kind="anonymous",
                                         rule="anonymous-source", explanation="only unnamed officials",
                                         flag="f2")]),
    "conflicting-claims": ({}, [{
        "conflict": "k1", "kind": "status", "claim_a": "c1", "article_a": "a1",
        "source_a": "Financial Times", "text_a": T1[T1.index("US officials are"):T1.index(" models.") + 7],
        "claim_b": "c2", "article_b": "a1", "source_b": None,
        "text_b": "The US has banned exports of Claude", "rule": "status-considered-vs-enacted",
        "explanation": "a1 says the ban is considered; a1 also says it was imposed.",
        "review": "found"}]),
    # c3 and c4 (a2, 2025-01-01) come before c2 (a1, 2025-01-02)
    "single-origin-propositions": ({}, [
        {"proposition": "p1", "label": "export ban on Anthropic models", "origins": 1,
         "flag": "f3", "claim": c} for c in ("c3", "c4", "c2")]),
    "hedge-laundering": ({}, [
        {"target": "p1", "target_kind": "proposition", "flag": "f4", "claim": c,
         "certainty": cert} for c, cert in (("c3", "reported"), ("c4", "hedged"), ("c2", "asserted"))]),
    "circular-reporting": ({}, [
        {"target": "c5", "target_kind": "claim", "flag": "f5", "claim": "c5", "published": None,
         "source": "Blog X", "source_kind": "publication"}]),
    "citation-chain": ({"claim": "c1"}, [
        {"depth": 0, "source": "ft", "name": "Financial Times", "kind": "publication"},
        {"depth": 1, "source": "usoff", "name": "US officials", "kind": "official"}]),
    "claim-provenance": ({"claim": "c1"}, [_claim_row(
        "c1", title="FT: export curbs", sentence=0, polarity="affirmed", event_type=None,
        event_status="considered", source="Financial Times", source_kind="publication",
        via="US officials", proposition=None, proposition_label=None, flags=0, conflicts=1)]),
    # undated a3 first, then a2 (2025-01-01), then a1 (2025-01-02); found by alias, any case
    "entity-timeline": ({"entity": "ANTHOPIC"}, [
        {"claim": c, "published": d} for c, d in (("c5", None), ("c4", "2025-01-01"),
                                                  ("c1", "2025-01-02"))]),
    "claims-about": ({"entity": "claude"}, [
        {"canonical": "Claude", "type": "ai_model", "claim": "c2", "source": None}]),
}


def _project(rows: list[dict[str, Any]], keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: r[k] for k in want} for r, want in zip(rows, keys, strict=False)]


def test_manifest_lists_every_query_file() -> None:
    from kg.resources import resource

    names = set(queries.manifest())
    files = {p.name.rsplit(".", 1)[0] for p in resource("queries").iterdir()
             if p.name.endswith((".rq", ".cypher"))}
    assert names == files
    assert names == set(EXPECTED)
    for q in queries.manifest().values():
        assert q.sparql().strip() and q.cypher().strip() and q.columns and q.description
        for p in q.params:  # every parameter is bound, never pasted: $name / ?name in the text
            assert f"${p.name}" in q.cypher() and f"?{p.name}" in q.sparql()
            if p.iri:  # ... and a record's IRI as ?name_iri, looked up, not filtered for
                assert f"?{p.iri_var}" in q.sparql()
        # FILTER(?x = IRI(CONCAT(...))) cannot use an index: it compares every node
        assert "IRI(CONCAT" not in q.sparql(), q.name


@pytest.mark.parametrize("name", list(EXPECTED))
def test_query_on_tiny_graph(name: str) -> None:
    q = queries.get(name)
    params, expected = EXPECTED[name]
    rows = queries.run_sparql(tiny_store(), q, params)
    assert all(list(r) == list(q.columns) for r in rows)
    assert len(rows) == len(expected), rows
    assert _project(rows, expected) == expected


def test_claim_provenance_counts_proposition_flags() -> None:
    rows = queries.run_sparql(tiny_store(), queries.get("claim-provenance"), {"claim": "c2"})
    assert [(r["proposition"], r["flags"], r["conflicts"]) for r in rows] == [("p1", 3, 1)]


def test_citation_chain_cycle_gets_one_depth() -> None:
    rows = queries.run_sparql(tiny_store(), queries.get("citation-chain"), {"claim": "c5"})
    assert [(r["depth"], r["name"]) for r in rows] == [(2, "Blog X"), (2, "Blog Y")]


@pytest.mark.parametrize("hostile", [
    'Anthropic" } DROP ALL ; SELECT * WHERE { "',
    "x'}) DETACH DELETE n //",
    "> } ; DROP ALL #",
    "c1> . ?x ?y ?z . FILTER(true) #",
    "c1/../c1?x=1#position",  # a valid IRI, but not a claim's
    "",
])
def test_parameters_are_bound_not_pasted(hostile: str) -> None:
    st = tiny_store()
    before = len(st)
    for name in ("claims-about", "entity-timeline"):
        assert queries.run_sparql(st, queries.get(name), {"entity": hostile}) == []
    for name in ("claim-provenance", "citation-chain"):
        assert queries.run_sparql(st, queries.get(name), {"claim": hostile}) == []
    assert len(st) == before


def test_claim_parameter_is_bound_as_an_iri() -> None:
    from pyoxigraph import Literal, NamedNode, Variable

    q = queries.get("claim-provenance")
    subs = queries.sparql_substitutions(q, {"claim": "c1"})
    assert subs == {Variable("claim"): Literal("c1"),
                    Variable("claim_iri"): NamedNode("https://w3id.org/kg-claims/id/claim/c1")}
    # not an IRI: nothing can match, the query is not even run
    assert queries.sparql_substitutions(q, {"claim": "c1> . ?x ?y ?z"}) is None
    assert queries.sparql_substitutions(queries.get("claims-about"), {"entity": "a b"}) == {
        Variable("entity"): Literal("a b")}


def test_parameter_errors() -> None:
    q = queries.get("claims-about")
    with pytest.raises(KGError) as e:
        queries.bind(q, {})
    assert e.value.code is E.E202
    with pytest.raises(KGError) as e:
        queries.bind(q, {"entity": "x", "nope": "y"})
    assert e.value.code is E.E203
    with pytest.raises(KGError) as e:
        queries.get("no-such-query")
    assert e.value.code is E.E201
    assert queries.parse_params(["entity=a=b"]) == {"entity": "a=b"}


@pytest.mark.parametrize("text", [
    "DROP ALL", "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX kg: <https://w3id.org/kg-claims/ns#> DELETE WHERE { ?s kg:start ?o }",
    "CLEAR DEFAULT ; LOAD <http://example.org/x>",
])
def test_adhoc_updates_refused_before_running(text: str) -> None:
    st = tiny_store()
    before = len(st)
    with pytest.raises(KGError) as e:
        queries.run_adhoc(st, text)
    assert e.value.code is E.E204
    assert len(st) == before


def test_adhoc_queries() -> None:
    st = tiny_store()
    cols, rows = queries.run_adhoc(
        st, "PREFIX kg: <https://w3id.org/kg-claims/ns#> "
            "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:Claim }")
    assert cols == ["n"] and rows == [{"n": 5}]
    assert queries.run_adhoc(st, "ASK { ?s ?p ?o }") == (["result"], [{"result": True}])
    for bad in ("SELECT * WHERE {", ""):
        with pytest.raises(KGError) as e:
            queries.run_adhoc(st, bad)
        assert e.value.code is E.E205


# ---- seed store: golden files (tests/data/queries/NAME.json, curated from make_golden.py dumps)
#
# A golden file holds rows a fact-checker expects (matched by text, not hash ids):
# "expect" rows must be present, "absent" rows must not, "first"/"last" pin the ends.
# A value {"startswith": "..."} matches a prefix. "claim_text" names the claim parameter
# by the start of its text.

def _golden_names() -> list[str]:
    return sorted(p.stem for p in GOLDEN.glob("*.json"))


def _matches(row: dict[str, Any], want: dict[str, Any]) -> bool:
    def ok(value: Any, spec: Any) -> bool:
        if isinstance(spec, dict):
            return isinstance(value, str) and value.startswith(spec["startswith"])
        return bool(value == spec)

    return all(ok(row.get(k), v) for k, v in want.items())


@pytest.mark.parametrize("name", _golden_names())
def test_seed_golden(name: str, seed_store: Path, seed_corpus: Corpus) -> None:
    from kg.store import opened

    golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    params = dict(golden.get("params", {}))
    if "claim_text" in golden:
        ids = [c.id for c in seed_corpus.claims() if c.text.startswith(golden["claim_text"])]
        assert len(ids) == 1, ids
        params["claim"] = ids[0]
    with opened(seed_store, read_only=True) as st:
        rows = queries.run_sparql(st, queries.get(golden["query"]), params)
    for want in golden.get("expect", []):
        assert any(_matches(r, want) for r in rows), (want, rows)
    for unwanted in golden.get("absent", []):
        assert not any(_matches(r, unwanted) for r in rows), unwanted
    if "first" in golden:
        assert rows and _matches(rows[0], golden["first"]), rows
    if "last" in golden:
        assert rows and _matches(rows[-1], golden["last"]), rows


# ---- Cypher = SPARQL on a real Neo4j (skipped without Java + Maven, see tests/neo4j_fixture.py)

def load_pgraph(driver: Any, corpus: Corpus) -> None:
    """Load the property-graph projection of ``corpus`` with plain CREATE statements.

    Labels and relationship types come from kg.graph.pgraph's closed lists, never from data.
    """
    from kg.graph.pgraph import LABELS, REL_TYPES, project

    pg = project(corpus)
    for label, nodes in pg.nodes.items():
        assert label in LABELS
        driver.execute_query(f"UNWIND $rows AS row CREATE (n:{label}) SET n = row",
                             rows=list(nodes.values()))
    for rtype, rels in pg.rels.items():
        assert rtype in REL_TYPES
        for sl, sid, el, eid, props in rels:
            assert sl in LABELS and el in LABELS
            driver.execute_query(
                f"MATCH (a:{sl} {{id: $a}}) MATCH (b:{el} {{id: $b}}) "
                f"CREATE (a)-[r:{rtype}]->(b) SET r = $props", a=sid, b=eid, props=props)


@pytest.fixture
def tiny_neo4j(clean_neo4j: Any) -> Any:
    load_pgraph(clean_neo4j, tiny_corpus())
    return clean_neo4j


PARAM_CASES = [(name, params) for name, (params, _) in EXPECTED.items()] + [
    ("claim-provenance", {"claim": "c2"}), ("citation-chain", {"claim": "c5"}),
    ("claims-about", {"entity": "anthropic"}), ("entity-timeline", {"entity": "Claude"}),
    ("claims-about", {"entity": "x'}) DETACH DELETE n //"}),
]


@pytest.mark.neo4j
@pytest.mark.parametrize(("name", "params"), PARAM_CASES)
def test_cypher_equals_sparql(tiny_neo4j: Any, name: str, params: dict[str, str]) -> None:
    q = queries.get(name)
    want = queries.run_sparql(tiny_store(), q, params)
    got = queries.run_cypher(tiny_neo4j, q, params)
    assert got == want
    nodes = tiny_neo4j.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    assert nodes > 0  # a hostile parameter deleted nothing


# ---- CLI: kg query / kg sparql / kg check on a store directory holding the tiny graph

@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    from kg import store as kgstore

    root = tmp_path / ".kg"
    corpus = tiny_corpus()
    with kgstore.opened(root) as st:  # a whole store, as `kg build` writes it: `kg check` reads the cache too
        for g in corpus.articles:
            kgstore.save_article(root, st, g, VERSION)
        kgstore.save_analysis(root, st, corpus)
    return root


def _kg(*args: str, stdin: str | None = None) -> Any:
    from typer.testing import CliRunner

    from kg.cli.main import app

    return CliRunner().invoke(app, list(args), input=stdin)


def test_cli_query(tiny_dir: Path) -> None:
    r = _kg("query", "citation-chain", "--param", "claim=c1", "--store", str(tiny_dir), "-f", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [x["name"] for x in rows] == ["Financial Times", "US officials"]
    r = _kg("query", "unsupported-claims", "--store", str(tiny_dir), "-f", "csv")
    assert r.exit_code == 0 and r.stdout.splitlines()[0].split(",") == list(
        queries.get("unsupported-claims").columns)
    r = _kg("query", "--list", "-f", "json")
    assert r.exit_code == 0 and {x["name"] for x in json.loads(r.stdout)} == set(EXPECTED)


@pytest.mark.parametrize(("args", "code"), [
    (["query", "no-such"], "E201"),
    (["query", "claim-provenance"], "E202"),
    (["query", "claims-about", "-p", "entity=x", "-p", "bogus=1"], "E203"),
])
def test_cli_query_errors(tiny_dir: Path, args: list[str], code: str) -> None:
    r = _kg(*args, "--store", str(tiny_dir))
    assert r.exit_code == 2 and code in r.output


def test_cli_sparql(tiny_dir: Path, tmp_path: Path) -> None:
    q = tmp_path / "q.rq"
    q.write_text("PREFIX kg: <https://w3id.org/kg-claims/ns#>\n"
                 "SELECT (COUNT(?f) AS ?flags) WHERE { ?f a kg:Flag }", encoding="utf-8")
    r = _kg("sparql", str(q), "--store", str(tiny_dir), "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == [{"flags": 5}]
    r = _kg("sparql", "-", "--store", str(tiny_dir), stdin="DROP ALL")
    assert r.exit_code == 2 and "E204" in r.output
    r = _kg("sparql", str(q), "--store", str(tiny_dir), "-f", "json")
    assert json.loads(r.stdout) == [{"flags": 5}]  # nothing was dropped
    r = _kg("sparql", "-", "--store", str(tiny_dir), stdin="SELECT * WHERE {")
    assert r.exit_code == 2 and "E205" in r.output


def test_cli_check(tiny_dir: Path) -> None:
    r = _kg("check", "--store", str(tiny_dir))
    assert r.exit_code == 0, r.output
    from pyoxigraph import Store

    st = Store(str(tiny_dir / "oxigraph"))
    st.update('PREFIX kg: <https://w3id.org/kg-claims/ns#> '
              'DELETE { GRAPH ?g { ?c kg:certainty ?x } } INSERT { GRAPH ?g { ?c kg:certainty "sure" } } '
              'WHERE { GRAPH ?g { ?c kg:certainty ?x } }')
    st.flush()
    del st
    r = _kg("check", "--store", str(tiny_dir), "-f", "json")
    assert r.exit_code == 1
    found = json.loads(r.stdout)
    assert len(found) == 5 and {v["shape"] for v in found} == {"Claim-certainty"}
    assert _kg("check", "--store", str(tiny_dir / "missing")).exit_code == 3
