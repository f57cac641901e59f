"""Push the property-graph projection (``kg.pgraph``) to a Neo4j 5 server.

Protocol (see docs/neo4j-push.md): uniqueness constraints and indexes first, then
the ids and relationship keys already on the server are read back and diffed with
the projection; stale relationships and nodes are deleted, then every node and
relationship is written with ``UNWIND $rows ... MERGE ... SET x = row.props`` in
batches, one managed transaction (``execute_write``) per batch. Every statement is
idempotent, so a retried or repeated batch, a second push, or a push after a crash
all end in the same graph. Labels and types come from ``pgraph.LABELS`` /
``pgraph.REL_TYPES`` only: Neo4j cannot take them as parameters.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import E, StoreError
from kg.pgraph import LABELS, REL_TYPES, PGraph

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: where several relationships of one type can join the same pair, the property that tells them apart
DISCRIMINATORS = {"CONFLICTS_WITH": "conflict", "BETWEEN": "role", "CITES": "start"}
INDEXES = (("Claim", "article"), ("Claim", "certainty"), ("Source", "name"), ("Entity", "name"),
           ("Proposition", "key"), ("Conflict", "kind"), ("Flag", "kind"))
FULLTEXT = "CREATE FULLTEXT INDEX claim_text IF NOT EXISTS FOR (n:Claim) ON EACH [n.text]"
Progress = Callable[[int, int], None]
RelKey = tuple[str, str, str, str, str, Any]  # type, start label, start id, end label, end id, disc


@dataclass(slots=True)
class PushResult:
    """Counts read back from the server after the push, plus what the push did."""

    nodes: dict[str, int] = field(default_factory=dict)
    rels: dict[str, int] = field(default_factory=dict)
    written: int = 0  # node and relationship rows merged
    deleted: int = 0  # stale nodes and relationships removed
    skipped: int = 0  # relationships whose end node is not in the projection
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class Plan:
    """The projection as load rows: nodes per label, relationships per (type, labels, disc)."""

    nodes: dict[str, list[dict[str, Any]]]
    rels: dict[RelKey, dict[str, Any]]
    skipped: int = 0

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        rels = dict.fromkeys(REL_TYPES, 0)
        for k in self.rels:
            rels[k[0]] += 1
        return {lb: len(self.nodes.get(lb, ())) for lb in LABELS}, rels


def plan(pg: PGraph) -> Plan:
    """Load rows from a projection; duplicate relationships collapse to one, dangling ones are skipped."""
    nodes = {lb: list(pg.nodes.get(lb, {}).values()) for lb in LABELS}
    rels: dict[RelKey, dict[str, Any]] = {}
    skipped = 0
    for rtype in REL_TYPES:
        dprop = DISCRIMINATORS.get(rtype)
        for sl, sid, el, eid, props in pg.rels.get(rtype, ()):
            _check(sl, el)
            if sid not in pg.nodes.get(sl, {}) or eid not in pg.nodes.get(el, {}):
                skipped += 1
                continue
            rels[(rtype, sl, sid, el, eid, props.get(dprop) if dprop else None)] = props
    return Plan(nodes, rels, skipped)


def _check(*names: str) -> None:
    for n in names:  # the allowlist is the only source of label and type text in Cypher
        if n not in LABELS and n not in REL_TYPES:
            raise ValueError(f"not an allowlisted label or type: {n!r}")


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def check_uri(uri: str) -> None:
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in SCHEMES:
        raise StoreError(E.E304, uri=uri, detail=f"unsupported URI scheme {scheme or uri!r}; "
                         f"use one of {', '.join(s + '://' for s in SCHEMES)}")


@contextmanager
def connect(uri: str, auth: tuple[str, str] | None = None, database: str | None = None,
            retry_time: float = 30.0) -> Iterator[Driver]:
    """A verified driver; E304 unreachable or unknown database, E305 bad credentials."""
    check_uri(uri)
    import neo4j
    from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError

    try:
        driver = neo4j.GraphDatabase.driver(
            uri, auth=auth, max_transaction_retry_time=retry_time,
            notifications_min_severity="OFF", connection_timeout=min(retry_time, 15.0))
    except (ValueError, DriverError) as exc:
        raise StoreError(E.E304, uri=uri, detail=str(exc)) from exc
    try:
        try:
            with driver.session(database=database) as s:
                s.run("RETURN 1").consume()
        except AuthError as exc:
            raise StoreError(E.E305, uri=uri) from exc
        except ClientError as exc:
            raise StoreError(E.E304, uri=uri, detail=exc.message or str(exc)) from exc
        except (DriverError, Neo4jError, OSError) as exc:
            raise StoreError(E.E304, uri=uri, detail=_detail(exc)) from exc
        yield driver
    finally:
        driver.close()


def _detail(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _write(tx: ManagedTransaction, query: str, rows: list[Any]) -> None:
    tx.run(query, rows=rows).consume()


def _read(tx: ManagedTransaction, query: str) -> list[dict[str, Any]]:
    return [r.data() for r in tx.run(query)]


class _Pusher:
    def __init__(self, driver: Driver, database: str | None, batch: int,
                 progress: Progress | None) -> None:
        self.driver, self.database, self.batch = driver, database, max(1, batch)
        self.progress, self.done, self.total = progress, 0, 0

    def write(self, query: str, rows: list[Any]) -> None:
        with self.driver.session(database=self.database) as s:
            for chunk in _batches(rows, self.batch):
                s.execute_write(_write, query, chunk)  # one transaction per batch
                self.done += len(chunk)
                if self.progress:
                    self.progress(self.done, self.total)

    def read(self, query: str) -> list[dict[str, Any]]:
        with self.driver.session(database=self.database) as s:
            return s.execute_read(_read, query)

    def schema(self) -> None:
        stmts = [f"CREATE CONSTRAINT {lb.lower()}_id IF NOT EXISTS FOR (n:{lb}) REQUIRE n.id IS UNIQUE"
                 for lb in LABELS]
        stmts += [f"CREATE INDEX {lb.lower()}_{p} IF NOT EXISTS FOR (n:{lb}) ON (n.{p})"
                  for lb, p in INDEXES]
        stmts += [f"CREATE INDEX {t.lower()}_{p} IF NOT EXISTS FOR ()-[r:{t}]-() ON (r.{p})"
                  for t, p in DISCRIMINATORS.items()]
        with self.driver.session(database=self.database) as s:
            for q in [*stmts, FULLTEXT]:
                s.run(q).consume()  # schema commands cannot share a write transaction
            s.run("CALL db.awaitIndexes(300)").consume()

    def stale(self, p: Plan) -> tuple[dict[str, list[str]], dict[tuple[str, str, str, bool], list[dict[str, Any]]]]:
        """Node ids and relationship keys on the server that the projection does not have."""
        nodes = {}
        for lb in LABELS:
            have = {r["id"] for r in self.read(f"MATCH (n:{lb}) WHERE n.id IS NOT NULL RETURN n.id AS id")}
            nodes[lb] = sorted(have - {n["id"] for n in p.nodes[lb]}, key=str)
        rels: dict[tuple[str, str, str, bool], list[dict[str, Any]]] = defaultdict(list)
        for t in REL_TYPES:
            k = f"r.{DISCRIMINATORS[t]}" if t in DISCRIMINATORS else "null"
            for r in self.read(f"MATCH (a)-[r:{t}]->(b) RETURN labels(a) AS la, a.id AS s, "
                               f"labels(b) AS lb, b.id AS e, {k} AS k, count(r) AS c"):
                sl = next((x for x in r["la"] if x in LABELS), None)
                el = next((x for x in r["lb"] if x in LABELS), None)
                if sl is None or el is None or r["s"] is None or r["e"] is None:
                    continue  # not ours
                if r["c"] > 1 or (t, sl, r["s"], el, r["e"], r["k"]) not in p.rels:
                    rels[(t, sl, el, r["k"] is not None)].append({"s": r["s"], "e": r["e"], "k": r["k"]})
        return nodes, rels

    def run(self, p: Plan) -> PushResult:
        res = PushResult(skipped=p.skipped)
        t0 = time.perf_counter()
        self.schema()
        stale_nodes, stale_rels = self.stale(p)
        res.deleted = sum(map(len, stale_nodes.values())) + sum(map(len, stale_rels.values()))
        res.written = sum(map(len, p.nodes.values())) + len(p.rels)
        self.total = res.deleted + res.written
        for (t, sl, el, has_k), rows in stale_rels.items():
            dprop = DISCRIMINATORS.get(t, "")
            cond = f"r.{dprop} = row.k" if has_k else (f"r.{dprop} IS NULL" if dprop else "true")
            self.write(f"UNWIND $rows AS row MATCH (a:{sl} {{id: row.s}})-[r:{t}]->(b:{el} {{id: row.e}}) "
                       f"WHERE {cond} DELETE r", rows)
        for lb, ids in stale_nodes.items():
            self.write(f"UNWIND $rows AS id MATCH (n:{lb} {{id: id}}) DETACH DELETE n", ids)
            with self.driver.session(database=self.database) as s:  # junk without an id
                s.execute_write(_write, f"MATCH (n:{lb}) WHERE n.id IS NULL DETACH DELETE n", [])
        for lb in LABELS:
            rows = [{"id": n["id"], "props": n} for n in p.nodes[lb]]
            self.write(f"UNWIND $rows AS row MERGE (n:{lb} {{id: row.id}}) SET n = row.props", rows)
        groups: dict[tuple[str, str, str, bool], list[dict[str, Any]]] = defaultdict(list)
        for (t, sl, sid, el, eid, k), props in p.rels.items():
            groups[(t, sl, el, k is not None)].append({"s": sid, "e": eid, "k": k, "props": props})
        for (t, sl, el, has_k), rows in groups.items():
            key = f" {{{DISCRIMINATORS[t]}: row.k}}" if has_k else ""
            self.write(f"UNWIND $rows AS row MATCH (a:{sl} {{id: row.s}}) MATCH (b:{el} {{id: row.e}}) "
                       f"MERGE (a)-[r:{t}{key}]->(b) SET r = row.props", rows)
        res.nodes, res.rels = read_counts(self.driver, self.database)
        res.seconds = time.perf_counter() - t0
        return res


def read_counts(driver: Driver, database: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """``MATCH`` counts of every label and relationship type on the server."""
    with driver.session(database=database) as s:
        nodes = {lb: s.run(f"MATCH (n:{lb}) RETURN count(n) AS c").single(strict=True)["c"]
                 for lb in LABELS}
        rels = {t: s.run(f"MATCH ()-[r:{t}]->() RETURN count(r) AS c").single(strict=True)["c"]
                for t in REL_TYPES}
    return nodes, rels


def push(pg: PGraph, driver: Driver, uri: str = "", database: str | None = None,
         batch_size: int = 5000, progress: Progress | None = None) -> PushResult:
    """Make the server's graph equal to ``pg``; a failed write is E306 (that batch rolled back)."""
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    try:
        return _Pusher(driver, database, batch_size, progress).run(plan(pg))
    except AuthError as exc:
        raise StoreError(E.E305, uri=uri) from exc
    except (DriverError, Neo4jError, OSError) as exc:
        raise StoreError(E.E306, uri=uri, detail=_detail(exc)) from exc


def push_corpus(pg: PGraph, uri: str, auth: tuple[str, str] | None = None,
                database: str | None = None, batch_size: int = 5000,
                progress: Progress | None = None, retry_time: float = 30.0) -> PushResult:
    """Connect (E304/E305), push (E306), and close."""
    with connect(uri, auth, database, retry_time) as driver:
        return push(pg, driver, uri, database, batch_size, progress)
