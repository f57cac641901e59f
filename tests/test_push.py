"""``kg push``: counts, idempotence, replace semantics, the CREATE and MERGE paths, errors and a
SIGKILL mid-push."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.errors import StoreError
from kg.graph.pgraph import project
from kg.neo4j.plan import node_load, plan, rel_load
from kg.neo4j.push import push, push_corpus, read_counts
from kg.store import load_corpus
from tests.conftest import ROOT, SEEDS, seed_article
from tests.test_equivalence import synthetic_corpus, write_store

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.graph.pgraph import PGraph

runner = CliRunner()


def _push_cli(uri: str, store: Path, *extra: str) -> dict[str, Any]:
    res = runner.invoke(app, ["push", "--uri", uri, "--store", str(store), "--format", "json", *extra])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _raw_counts(pg: PGraph) -> tuple[dict[str, int], dict[str, int]]:
    from kg.graph.pgraph import LABELS, REL_TYPES

    return ({lb: len(pg.nodes.get(lb, {})) for lb in LABELS},
            {t: len(pg.rels.get(t, [])) for t in REL_TYPES})


def _dump(driver: Driver) -> tuple[list[Any], list[Any]]:
    """Every node and relationship with its properties, sorted: a whole-graph fingerprint."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS s, b.id AS e, properties(r) AS p")
    return (sorted(json.dumps([r["l"], r["p"]], sort_keys=True) for r in nodes),
            sorted(json.dumps([r["t"], r["s"], r["e"], r["p"]], sort_keys=True) for r in rels))


@pytest.mark.neo4j
def test_push_seed_counts_equal_projection_and_push_twice(
        clean_neo4j: Driver, neo4j_uri: str, seed_store: Path) -> None:
    pg = project(load_corpus(seed_store))
    first = _push_cli(neo4j_uri, seed_store)
    assert (first["nodes"], first["relationships"]) == plan(pg).counts() == _raw_counts(pg)
    assert first["deleted"] == 0 and first["skipped"] == 0
    before = _dump(clean_neo4j)
    second = _push_cli(neo4j_uri, seed_store, "--batch-size", "7")
    assert (second["nodes"], second["relationships"]) == (first["nodes"], first["relationships"])
    assert second["deleted"] == 0
    assert _dump(clean_neo4j) == before


@pytest.mark.neo4j
def test_push_synthetic_every_label_and_type(clean_neo4j: Driver, tmp_path: Path) -> None:
    corpus = synthetic_corpus(40, seed=5)
    pg = project(load_corpus(write_store(corpus, tmp_path / ".kg")))
    res = push(pg, clean_neo4j, batch_size=97)
    nodes, rels = plan(pg).counts()
    assert (res.nodes, res.rels) == (nodes, rels)
    assert all(nodes.values()) and all(rels.values()), (nodes, rels)
    raw_nodes, raw_rels = _raw_counts(pg)
    assert nodes == raw_nodes
    # the projection holds one Source->Source CITES per pair, as Neo4j does
    assert rels == raw_rels
    # several conflicts between the same two claims stay separate relationships
    records, _, _ = clean_neo4j.execute_query(
        "MATCH (a:Claim)-[r:CONFLICTS_WITH]->(b:Claim) WITH a, b, count(r) AS n RETURN max(n) AS m")
    assert records[0]["m"] >= 2
    again = push(pg, clean_neo4j, batch_size=1000)
    assert (again.nodes, again.rels, again.deleted) == (nodes, rels, 0)


@pytest.mark.neo4j
def test_changed_article_replaces_only_its_claims(
        clean_neo4j: Driver, neo4j_uri: str, tmp_path: Path) -> None:
    from kg.pipeline import build

    seeds, root = tmp_path / "seeds", tmp_path / ".kg"
    shutil.copytree(SEEDS, seeds)
    assert not build([seeds], root).errors
    _push_cli(neo4j_uri, root)
    old = load_corpus(root)
    changed = seed_article(old, "003")
    old_claims = {c.id for c in old.claims() if c.article == changed}
    kept = {r["id"]: r["eid"] for r in clean_neo4j.execute_query(
        "MATCH (c:Claim) WHERE c.article <> $a RETURN c.id AS id, elementId(c) AS eid",
        a=changed).records}
    path = next(seeds.glob("003_*"))
    path.write_text(path.read_text(encoding="utf-8") + "\n\nOfficials said the ban was lifted.\n",
                    encoding="utf-8")
    assert not build([seeds], root).errors
    new = load_corpus(root)
    new_id = seed_article(new, "003")
    assert new_id != changed
    out = _push_cli(neo4j_uri, root)
    pg = project(new)
    assert (out["nodes"], out["relationships"]) == plan(pg).counts()
    have = {r["id"]: r["eid"] for r in clean_neo4j.execute_query(
        "MATCH (c:Claim) RETURN c.id AS id, elementId(c) AS eid").records}
    assert not old_claims & set(have), "claims of the old article version are still there"
    assert {c.id for c in new.claims() if c.article == new_id} <= set(have)
    assert {k: have.get(k) for k in kept} == kept, "claims of other articles were re-created"
    arts = {r["id"] for r in clean_neo4j.execute_query("MATCH (a:Article) RETURN a.id AS id").records}
    assert changed not in arts and new_id in arts


@pytest.mark.neo4j
def test_create_path_equals_merge_path(clean_neo4j: Driver, tmp_path: Path) -> None:
    """A first push CREATEs (in parallel batches, or one at a time); a push onto a database that
    holds any of our data MERGEs. All three end in the same graph."""
    pg = project(load_corpus(write_store(synthetic_corpus(40, seed=6), tmp_path / ".kg")))
    expected = plan(pg).counts()
    first = push(pg, clean_neo4j, batch_size=50)  # two workers, many batches of each statement
    assert first.mode == "create" and (first.nodes, first.rels) == expected and first.deleted == 0
    created = _dump(clean_neo4j)
    clean_neo4j.execute_query("MATCH (n) DETACH DELETE n")
    serial = push(pg, clean_neo4j, batch_size=50, workers=1)
    assert serial.mode == "create" and _dump(clean_neo4j) == created
    clean_neo4j.execute_query("MATCH (n) DETACH DELETE n")
    clean_neo4j.execute_query("CREATE (:Entity {id: 'not-in-the-store', name: 'x'})")
    merged = push(pg, clean_neo4j, batch_size=50)
    assert merged.mode == "merge" and merged.deleted == 1
    assert (merged.nodes, merged.rels) == expected
    assert _dump(clean_neo4j) == created


@pytest.mark.neo4j
def test_repush_repairs_every_kind_of_drift(clean_neo4j: Driver, tmp_path: Path) -> None:
    """Extra properties, duplicate, stale and misplaced relationships, stale and id-less nodes,
    missing nodes and relationships: one push puts back exactly the projection, and leaves
    what is not ours alone."""
    pg = project(load_corpus(write_store(synthetic_corpus(30, seed=8), tmp_path / ".kg")))
    push(pg, clean_neo4j)
    q = clean_neo4j.execute_query
    # not ours (no label of ours at one end): kept by every push
    q("MATCH (c:Claim) WITH c ORDER BY c.id LIMIT 1 CREATE (c)-[:MENTIONS]->(:Note {id: 'n1'})")
    reference = _dump(clean_neo4j)
    gone = q("MATCH (e:Entity)<-[:MENTIONS]-() RETURN e.id AS id ORDER BY id LIMIT 1").records[0]["id"]
    q("MATCH (n:Claim) WITH n ORDER BY n.id LIMIT 1 SET n.junk = 1")
    q("MATCH ()-[r:STATED_IN]->() WITH r LIMIT 1 SET r.junk = 'x'")
    q("MATCH (a:Claim)-[:MENTIONS]->(b:Entity) WHERE b.id <> $g WITH a, b LIMIT 1 "
      "CREATE (a)-[:MENTIONS]->(b)", g=gone)  # a duplicate
    q("MATCH (c:Claim), (e:Entity) WHERE e.id <> $g AND NOT (c)-[:MENTIONS]->(e) "
      "WITH c, e LIMIT 1 CREATE (c)-[:MENTIONS]->(e)", g=gone)  # stale
    q("MATCH (c:Claim), (s:Source) WITH c, s LIMIT 1 CREATE (c)-[:STATED_IN]->(s)")  # misplaced
    q("MATCH ()-[r:ATTRIBUTED_TO]->() WITH r LIMIT 1 DELETE r")  # missing
    q("CREATE (:Flag {kind: 'no id'})")
    # same Entity count as the projection before the push: a stale one for a missing one
    q("MATCH (e:Entity {id: $g}) DETACH DELETE e", g=gone)
    q("CREATE (:Entity {id: 'stale-entity'})")
    res = push(pg, clean_neo4j, batch_size=13)
    assert res.mode == "merge"
    assert res.deleted == 4  # the duplicate's identity, the stale and the misplaced one, the node
    assert (res.nodes, res.rels) != plan(pg).counts()  # the MENTIONS of the Note are counted too
    assert _dump(clean_neo4j) == reference
    again = push(pg, clean_neo4j)
    assert again.deleted == 0 and _dump(clean_neo4j) == reference


def test_plan_takes_only_allowlisted_names_and_binds_values() -> None:
    from kg.graph.pgraph import NODE_PROPS, REL_PROPS, PGraph

    evil = "x'}) DETACH DELETE n //"
    pg = PGraph()
    pg.node("Claim", evil, text=evil, article=evil, start=0, end=3)
    pg.node("Article", "a1", title=evil)
    pg.rel("STATED_IN", ("Claim", evil), ("Article", "a1"), start=0, end=3)
    p = plan(pg)
    for create in (True, False):
        query, rows = node_load("Claim", p.nodes["Claim"], create)
        assert evil not in query and rows[0][0] == evil
        assert set(re.findall(r"`(\w+)`", query)) <= set(NODE_PROPS["Claim"])
        ((group, rels),) = p.groups().items()
        query, rows = rel_load(group, rels, create)
        assert evil not in query and rows == [[evil, "a1", 0, 3]]
        assert set(re.findall(r"`(\w+)`", query)) <= set(REL_PROPS["STATED_IN"])
    eids = {("Claim", evil): "4:db:1", ("Article", "a1"): "4:db:2"}
    query, rows = rel_load(group, rels, True, eids)
    assert evil not in query and "elementId(a) = row[0]" in query and rows == [["4:db:1", "4:db:2", 0, 3]]
    bad = PGraph()
    bad.node("Claim", "c1", color="red")
    with pytest.raises(ValueError, match="not an allowlisted property of Claim: color"):
        plan(bad)
    bad = PGraph()
    bad.node("Claim", "c1")
    bad.node("Article", "a1")
    bad.rel("STATED_IN", ("Claim", "c1"), ("Article", "a1"), weight=2)
    with pytest.raises(ValueError, match="not an allowlisted property of STATED_IN: weight"):
        plan(bad)


def test_unreachable_and_bad_scheme_exit_3(seed_store: Path) -> None:
    for uri, word in (("bolt://127.0.0.1:1", "cannot reach"), ("http://127.0.0.1:7474", "scheme")):
        res = runner.invoke(app, ["push", "--uri", uri, "--store", str(seed_store)])
        assert res.exit_code == 3, res.output
        assert "[E304]" in res.output and word in res.output
    res = runner.invoke(app, ["push", "--uri", "bolt://127.0.0.1:1", "--user", "neo4j", "--store",
                              str(seed_store)], input="secret\n", env={"KG_NEO4J_PASSWORD": None})
    assert res.exit_code == 3 and "Neo4j password for neo4j" in res.output, res.output
    assert "secret" not in res.output


def test_auth_and_write_errors_are_coded(monkeypatch: pytest.MonkeyPatch) -> None:
    """E305 and E306 without a server that has auth: the driver is replaced by a fake."""
    import neo4j
    from neo4j.exceptions import AuthError, ServiceUnavailable

    from kg.graph.pgraph import PGraph

    class Session:
        def __init__(self, exc: Exception) -> None:
            self.exc = exc

        def __enter__(self) -> Session:
            return self

        def __exit__(self, *a: object) -> None:
            return None

        def run(self, *a: object, **k: object) -> Any:
            raise self.exc

        execute_write = execute_read = run

    class Driver:
        def __init__(self, exc: Exception) -> None:
            self.exc = exc

        def session(self, **k: object) -> Session:
            return Session(self.exc)

        def close(self) -> None:
            return None

    for exc, code in ((AuthError("no"), "E305"), (ServiceUnavailable("gone"), "E304")):
        monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda *a, _e=exc, **k: Driver(_e))
        with pytest.raises(StoreError, match=code):
            push_corpus(PGraph(), "bolt://example:7687", ("neo4j", "bad"))
    with pytest.raises(StoreError, match="E306") as info:
        push(PGraph(), Driver(ServiceUnavailable("server went away")), "bolt://example:7687")  # type: ignore[arg-type]
    assert info.value.exit_code == 3


@pytest.mark.neo4j
@pytest.mark.slow
def test_sigkill_mid_push_then_push_again_equals_clean_push(
        neo4j_local_build: None, clean_neo4j: Driver, tmp_path: Path) -> None:
    import neo4j

    from tools.neo4j_server import start_server

    pg = project(load_corpus(write_store(synthetic_corpus(150, seed=9), tmp_path / ".kg")))
    expected = plan(pg).counts()
    clean = push(pg, clean_neo4j)  # the reference: a clean push on the session server
    assert (clean.nodes, clean.rels) == expected
    reference = _dump(clean_neo4j)

    data = tmp_path / "neo4j-data"
    third, failure = threading.Event(), []
    with start_server(data_dir=data) as server:
        def tick(done: int, total: int) -> None:
            if done * 3 >= total:
                third.set()

        def run() -> None:
            try:
                push_corpus(pg, server.bolt_uri, batch_size=50, progress=tick, retry_time=2.0)
            except StoreError as exc:
                failure.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        assert third.wait(300), "push made no progress"
        server.kill()
        worker.join(120)
        assert not worker.is_alive()
        assert failure and failure[0].code.name in ("E306", "E304"), failure
    with (start_server(data_dir=data) as server,
          neo4j.GraphDatabase.driver(server.bolt_uri, auth=None) as driver):
        partial = read_counts(driver)
        assert partial != expected, "the kill landed after the push had finished"
        res = push_corpus(pg, server.bolt_uri)
        assert (res.nodes, res.rels) == expected
        assert _dump(driver) == reference


@pytest.mark.neo4j
@pytest.mark.slow
@pytest.mark.parametrize("written", ["n", "r"], ids=["during_nodes", "during_relationships"])
def test_client_sigkill_mid_push_then_push_again_equals_clean_push(
        clean_neo4j: Driver, neo4j_uri: str, tmp_path: Path, written: str) -> None:
    """Issue 21: the other side of the server kill above. A `kg push` process is SIGKILLed
    once its first batches of nodes (or of relationships) are in the database (the server
    rolls back the transactions it had open); the next `kg push` must leave exactly what a
    clean push leaves."""
    store = write_store(synthetic_corpus(150, seed=9), tmp_path / ".kg")
    pg = project(load_corpus(store))
    expected = plan(pg).counts()
    clean = push(pg, clean_neo4j)  # the reference: a clean push
    assert (clean.nodes, clean.rels) == expected
    reference = _dump(clean_neo4j)
    clean_neo4j.execute_query("MATCH (n) DETACH DELETE n")

    client = subprocess.Popen(  # -c: this checkout's kg, whatever the installed one is
        [sys.executable, "-c", "from kg.cli.main import main; main()", "push", "--uri", neo4j_uri,
         "--store", str(store), "--batch-size", "20", "--format", "json"],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while _count(clean_neo4j, written) == 0:  # the first batches are committed
            assert client.poll() is None, f"kg push ended first: {client.stderr.read()!r}"  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "kg push wrote nothing"
            time.sleep(0.02)
        client.send_signal(signal.SIGKILL)
    finally:
        client.kill()
        client.wait()
    assert client.returncode == -signal.SIGKILL
    partial = read_counts(clean_neo4j)
    assert sum(partial[0].values()) > 0 and partial != expected, "the kill landed after the push had finished"
    print(f"killed after {sum(partial[0].values())} nodes, {sum(partial[1].values())} relationships")

    again = _push_cli(neo4j_uri, store)
    assert (again["nodes"], again["relationships"]) == expected
    assert read_counts(clean_neo4j) == expected
    assert _ids_per_label(clean_neo4j) == {lb: sorted(ids) for lb, ids in _projected_ids(pg).items()}
    assert _dump(clean_neo4j) == reference


def _count(driver: Driver, what: str) -> int:
    """Nodes (``n``) or relationships (``r``) in the database, from the count store."""
    query = "MATCH (n) RETURN count(n) AS c" if what == "n" else "MATCH ()-[r]->() RETURN count(r) AS c"
    records, _, _ = driver.execute_query(query)
    return int(records[0]["c"])


def _ids_per_label(driver: Driver) -> dict[str, list[str]]:
    records, _, _ = driver.execute_query("MATCH (n) RETURN labels(n)[0] AS label, collect(n.id) AS ids")
    return {r["label"]: sorted(r["ids"]) for r in records if r["ids"]}


def _projected_ids(pg: PGraph) -> dict[str, list[str]]:
    return {lb: list(nodes) for lb, nodes in pg.nodes.items() if nodes}


def test_style_and_guide_commands_print_the_resources() -> None:
    from kg.resources import resource

    for cmd, name in (("style", "style.grass"), ("guide", "guide.cypher")):
        res = runner.invoke(app, ["neo4j", cmd])
        assert res.exit_code == 0, res.output
        assert res.stdout == resource("neo4j", name).read_text(encoding="utf-8")
    style = resource("neo4j", "style.grass").read_text(encoding="utf-8")
    assert "/*" not in style, "Neo4j Browser's GraSS parser rejects comments"
    for label in ("Article", "Claim", "Source", "Entity", "Proposition", "Flag", "Conflict"):
        assert f"node.{label} {{" in style
    assert "relationship.CONFLICTS_WITH {" in style


@pytest.mark.neo4j
def test_guide_queries_run_on_a_pushed_graph(clean_neo4j: Driver, tmp_path: Path) -> None:
    from kg.resources import resource

    pg = project(load_corpus(write_store(synthetic_corpus(20, seed=4), tmp_path / ".kg")))
    push(pg, clean_neo4j)
    text = resource("neo4j", "guide.cypher").read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    statements = [s.strip() for s in code.split(";") if s.strip()]
    assert len(statements) >= 8
    for stmt in statements:
        records, _, _ = clean_neo4j.execute_query(stmt)
        assert records, f"no rows from the guide query:\n{stmt}"
