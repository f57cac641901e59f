"""Push the property-graph projection (``kg.graph.pgraph``) to a Neo4j 5 server: the protocol.

Protocol (see docs/neo4j-push.md): uniqueness constraints and indexes first. If the count
store says the database holds none of our labels and relationship types (a first push),
every node and relationship is written with ``UNWIND $rows ... CREATE``, the batches of
one statement on ``workers`` sessions at once; otherwise, one batch at a time, with
``UNWIND $rows ... MERGE ... SET x = {...}`` (the rows and statements: ``kg.neo4j.plan``).
Then every label and type is counted: one counted more often than the projection has it
holds something stale, so only those are read back (ids and relationship keys, one
``collect`` list each) and their stale relationships and nodes deleted. One managed
transaction per batch (``kg.neo4j.batches``); every statement is idempotent or, on the
CREATE path, safe to retry (a retried transaction was rolled back), so a retried batch, a
second push, or a push after a crash all end in the same graph.

This module is the public entry point: :func:`push_corpus`, :func:`push`, :func:`read_counts`,
and, re-exported, :func:`connect`, :func:`check_uri`, :func:`plan`, :func:`node_load` and
:func:`rel_load`.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import E, StoreError
from kg.graph.pgraph import LABELS, REL_TYPES, PGraph
from kg.neo4j.batches import BatchWriter, Progress, connect, error_detail, write_batch
from kg.neo4j.plan import DISCRIMINATORS, Group, Plan, RelKey, node_load, plan, rel_load

if TYPE_CHECKING:
    from neo4j import Driver


INDEXES = (("Claim", "article"), ("Claim", "certainty"), ("Source", "name"), ("Entity", "name"),
           ("Proposition", "key"), ("Conflict", "kind"), ("Flag", "kind"),
           # the paged named queries pick a page by these (kg/listing.py)
           ("Claim", "story_order"), ("Conflict", "order"), ("Flag", "order"))
FULLTEXT = "CREATE FULLTEXT INDEX claim_text IF NOT EXISTS FOR (n:Claim) ON EACH [n.text]"
#: rows per transaction: 5,000, 10,000 and 20,000 measured within noise of each other on the dev
#: server (docs/neo4j-push.md, "Rates"); 10,000 keeps a claim batch's transaction state small
BATCH_SIZE = 10_000
#: sessions writing at once on the create path (a first push); merges and deletes use one
WORKERS = 2


@dataclass(slots=True)
class PushResult:
    """Counts read back from the server after the push, plus what the push did."""

    nodes: dict[str, int] = field(default_factory=dict)
    rels: dict[str, int] = field(default_factory=dict)
    written: int = 0  # node and relationship rows created or merged
    deleted: int = 0  # stale nodes and relationships removed
    skipped: int = 0  # relationships whose end node is not in the projection
    seconds: float = 0.0
    mode: str = "merge"  # "create": the database held none of our data (first push)

    @property
    def rate(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


class _Pusher(BatchWriter):
    def __init__(self, driver: Driver, database: str | None, batch: int,
                 progress: Progress | None, workers: int = 1) -> None:
        super().__init__(driver, database, batch, progress)
        self.workers = workers

    def schema(self) -> None:
        stmts = [f"CREATE CONSTRAINT {lb.lower()}_id IF NOT EXISTS FOR (n:{lb}) REQUIRE n.id IS UNIQUE"
                 for lb in LABELS]
        stmts += [f"CREATE INDEX {lb.lower()}_{p} IF NOT EXISTS FOR (n:{lb}) ON (n.{p})"
                  for lb, p in INDEXES]
        # No index on the relationships' identity properties (earlier versions made them): with
        # one, the planner may answer MERGE (a)-[r:BETWEEN {role: ...}]->(b) by scanning the
        # whole index for every row instead of expanding from a and b (measured: 7,138 rows,
        # 51 million index hits, 14 s, against 0.2 s), and statistics decide when it does.
        stmts += [f"DROP INDEX {t.lower()}_{p} IF EXISTS" for t, p in DISCRIMINATORS.items()]
        with self.driver.session(database=self.database) as s:
            for q in [*stmts, FULLTEXT]:
                s.run(q).consume()  # schema commands cannot share a write transaction
            s.run("CALL db.awaitIndexes(300)").consume()

    def stale(self, p: Plan, labels: list[str], types: list[str]) -> tuple[
            dict[str, list[str]], dict[Group, list[dict[str, Any]]], dict[Group, list[RelKey]]]:
        """Node ids of ``labels`` and relationship keys of ``types`` on the server that the
        projection does not have, plus the projection's relationships found more than once
        (deleted with their copies, then written again).

        Each read returns one ``collect(...)`` list rather than one record per row: the Python
        driver decodes a list of lists several times faster than as many records."""
        nodes = {}
        for lb in labels:
            have = set(self.read_list(f"MATCH (n:{lb}) WHERE n.id IS NOT NULL RETURN collect(n.id) AS v"))
            nodes[lb] = sorted(have - {n["id"] for n in p.nodes[lb]}, key=str)
        rels: dict[Group, list[dict[str, Any]]] = defaultdict(list)
        again: dict[Group, list[RelKey]] = defaultdict(list)
        ours = "[x IN labels({}) WHERE x IN $labels][0]"  # its first label that is one of ours
        for t in types:
            k = f"r.{DISCRIMINATORS[t]}" if t in DISCRIMINATORS else "null"
            keys = Counter(map(tuple, self.read_list(
                f"MATCH (a)-[r:{t}]->(b) RETURN collect([{ours.format('a')}, a.id, "
                f"{ours.format('b')}, b.id, {k}]) AS v", labels=list(LABELS))))
            for (sl, s, el, e, kv), c in keys.items():
                if sl is None or el is None or s is None or e is None:
                    continue  # not ours
                key = (t, sl, s, el, e, kv)
                if c > 1 or key not in p.rels:  # a duplicate identity is stale too
                    rels[(t, sl, el, kv is not None)].append({"s": s, "e": e, "k": kv})
                    if key in p.rels:
                        again[(t, sl, el, kv is not None)].append(key)
        return nodes, rels, again

    def run(self, p: Plan) -> PushResult:
        res = PushResult(skipped=p.skipped)
        t0 = time.perf_counter()
        self.schema()
        nodes, rels = read_counts(self.driver, self.database)  # the count store: no scan
        create = not any(nodes.values()) and not any(rels.values())
        res.mode = "create" if create else "merge"
        res.written = sum(map(len, p.nodes.values())) + len(p.rels)
        self.total = res.written
        # nodes first: the relationship statements MATCH their ends
        workers = self.workers if create else 1
        labels = [lb for lb in LABELS if p.nodes[lb]]
        element_ids: dict[tuple[str, str], str] = {}

        def created(job: int, rows: list[list[Any]], eids: list[Any]) -> None:
            element_ids.update(zip([(labels[job], r[0]) for r in rows], eids, strict=True))

        self.write_all([node_load(lb, p.nodes[lb], create) for lb in labels], workers,
                       created if create else None)
        self.write_all([rel_load(group, rows, create, element_ids if create else None)
                        for group, rows in p.groups().items()], workers)
        # Every node and relationship of the projection is on the server now, exactly once
        # where MERGE found or made it. So a label or type counted as often as the projection
        # has it holds nothing else: only the others need the read-back and the deletes.
        want_nodes, want_rels = p.counts()
        nodes, rels = read_counts(self.driver, self.database)
        labels = [lb for lb in LABELS if nodes[lb] != want_nodes[lb]]
        types = [t for t in REL_TYPES if rels[t] != want_rels[t]]
        if labels or types:
            res.deleted = self.prune(p, labels, types)
            nodes, rels = read_counts(self.driver, self.database)
        res.nodes, res.rels = nodes, rels
        res.seconds = time.perf_counter() - t0
        return res

    def prune(self, p: Plan, labels: list[str], types: list[str]) -> int:
        """Delete what ``stale`` finds (relationships, then nodes); rewrite duplicated ones."""
        stale_nodes, stale_rels, again = self.stale(p, labels, types)
        deleted = sum(map(len, stale_nodes.values())) + sum(map(len, stale_rels.values()))
        self.total += deleted + sum(map(len, again.values()))
        for (t, sl, el, has_k), rows in stale_rels.items():
            dprop = DISCRIMINATORS.get(t, "")
            cond = f"r.{dprop} = row.k" if has_k else (f"r.{dprop} IS NULL" if dprop else "true")
            self.write(f"UNWIND $rows AS row MATCH (a:{sl} {{id: row.s}}) MATCH (b:{el} {{id: row.e}}) "
                       f"MATCH (a)-[r:{t}]->(b) WHERE {cond} DELETE r", rows)
        for lb in labels:
            self.write(f"UNWIND $rows AS id MATCH (n:{lb} {{id: id}}) DETACH DELETE n", stale_nodes[lb])
            with self.driver.session(database=self.database) as s:  # junk without an id
                s.execute_write(write_batch, f"MATCH (n:{lb}) WHERE n.id IS NULL DETACH DELETE n", [])
        self.write_all([rel_load(group, [(k[2], k[4], p.rels[k]) for k in keys], False)
                        for group, keys in again.items()])
        return deleted


def read_counts(driver: Driver, database: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """``MATCH`` counts of every label and relationship type on the server."""
    with driver.session(database=database) as s:
        nodes = {lb: s.run(f"MATCH (n:{lb}) RETURN count(n) AS c").single(strict=True)["c"]
                 for lb in LABELS}
        rels = {t: s.run(f"MATCH ()-[r:{t}]->() RETURN count(r) AS c").single(strict=True)["c"]
                for t in REL_TYPES}
    return nodes, rels


def push(pg: PGraph, driver: Driver, uri: str = "", database: str | None = None,
         batch_size: int = BATCH_SIZE, progress: Progress | None = None,
         workers: int = WORKERS) -> PushResult:
    """Make the server's graph equal to ``pg``; a failed write is E306 (that batch rolled back).

    ``workers``: sessions writing batches of one statement at once on the create path."""
    import gc

    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    collecting = gc.isenabled()
    gc.disable()  # a push builds ~10^5 long-lived row lists; each collection would walk them all
    try:
        return _Pusher(driver, database, batch_size, progress, workers).run(plan(pg))
    except AuthError as exc:
        raise StoreError(E.E305, uri=uri) from exc
    except (DriverError, Neo4jError, OSError) as exc:
        raise StoreError(E.E306, uri=uri, detail=error_detail(exc)) from exc
    finally:
        if collecting:
            gc.enable()


def push_corpus(pg: PGraph, uri: str, auth: tuple[str, str] | None = None,
                database: str | None = None, batch_size: int = BATCH_SIZE,
                progress: Progress | None = None, retry_time: float = 30.0,
                workers: int = WORKERS) -> PushResult:
    """Connect (E304/E305), push (E306), and close."""
    with connect(uri, auth, database, retry_time) as driver:
        return push(pg, driver, uri, database, batch_size, progress, workers)
