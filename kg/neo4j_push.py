"""Push the property-graph projection (``kg.pgraph``) to a Neo4j 5 server.

Protocol (see docs/neo4j-push.md): uniqueness constraints and indexes first. If the count
store says the database holds none of our labels and relationship types (a first push),
every node and relationship is written with ``UNWIND $rows ... CREATE``, the batches of
one statement on ``workers`` sessions at once; otherwise, one batch at a time, with
``UNWIND $rows ... MERGE ... SET x = {...}``. Rows are positional lists (``row[0]``), far
cheaper for the driver to pack than maps, and relationships are grouped by (type, end
labels) so that both ends are found through a uniqueness-constraint index. Then every
label and type is counted: one counted more often than the projection has it holds
something stale, so only those are read back (ids and relationship keys, one
``collect`` list each) and their stale relationships and nodes deleted. One managed
transaction (``execute_write``) per batch; every statement is idempotent or, on the
CREATE path, safe to retry (a retried transaction was rolled back), so a retried batch, a
second push, or a push after a crash all end in the same graph. Labels, types and
property keys come from ``pgraph.LABELS`` / ``REL_TYPES`` / ``NODE_PROPS`` / ``REL_PROPS``
only: Neo4j cannot take them as parameters. Values are always parameters.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import E, StoreError
from kg.pgraph import LABELS, NODE_PROPS, REL_PROPS, REL_TYPES, PGraph

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: where several relationships of one type can join the same pair, the property that tells them apart
DISCRIMINATORS = {"CONFLICTS_WITH": "conflict", "BETWEEN": "role", "CITES": "start"}
INDEXES = (("Claim", "article"), ("Claim", "certainty"), ("Source", "name"), ("Entity", "name"),
           ("Proposition", "key"), ("Conflict", "kind"), ("Flag", "kind"),
           # the paged named queries pick a page by these keys (kg/listing.py)
           ("Claim", "story_key"), ("Conflict", "key"), ("Flag", "key"))
FULLTEXT = "CREATE FULLTEXT INDEX claim_text IF NOT EXISTS FOR (n:Claim) ON EACH [n.text]"
#: rows per transaction: 5,000, 10,000 and 20,000 measured within noise of each other on the dev
#: server (docs/neo4j-push.md, "Rates"); 10,000 keeps a claim batch's transaction state small
BATCH_SIZE = 10_000
#: sessions writing at once on the create path (a first push); merges and deletes use one
WORKERS = 2
Progress = Callable[[int, int], None]
Done = Callable[[int, list[Any], list[Any]], None]  # job index, batch rows, what the batch returned
RelKey = tuple[str, str, str, str, str, Any]  # type, start label, start id, end label, end id, disc
Group = tuple[str, str, str, bool]  # type, start label, end label, has a discriminator value


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

    def groups(self) -> dict[Group, list[tuple[str, str, dict[str, Any]]]]:
        """Relationships by (type, start label, end label, has disc): one statement each, so
        both ends are found through their label's uniqueness-constraint index."""
        out: dict[Group, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        for (t, sl, sid, el, eid, k), props in self.rels.items():
            out[(t, sl, el, k is not None)].append((sid, eid, props))
        return out


def plan(pg: PGraph) -> Plan:
    """Load rows from a projection; duplicate relationships collapse to one, dangling ones are skipped."""
    nodes = {lb: list(pg.nodes.get(lb, {}).values()) for lb in LABELS}
    for lb, rows in nodes.items():
        _check_props(lb, NODE_PROPS[lb], rows)
    rels: dict[RelKey, dict[str, Any]] = {}
    skipped = 0
    for rtype in REL_TYPES:
        dprop = DISCRIMINATORS.get(rtype)
        seen = []
        for sl, sid, el, eid, props in pg.rels.get(rtype, ()):
            _check(sl, el)
            if sid not in pg.nodes.get(sl, {}) or eid not in pg.nodes.get(el, {}):
                skipped += 1
                continue
            rels[(rtype, sl, sid, el, eid, props.get(dprop) if dprop else None)] = props
            seen.append(props)
        _check_props(rtype, REL_PROPS[rtype], seen)
    return Plan(nodes, rels, skipped)


def _check(*names: str) -> None:
    for n in names:  # the allowlist is the only source of label and type text in Cypher
        if n not in LABELS and n not in REL_TYPES:
            raise ValueError(f"not an allowlisted label or type: {n!r}")


def _check_props(owner: str, allowed: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    keys: set[str] = set().union(*rows)
    if bad := keys - set(allowed):  # the allowlist is the only source of property keys in Cypher
        raise ValueError(f"not an allowlisted property of {owner}: {', '.join(sorted(bad))}")


def _columns(allowed: tuple[str, ...], rows: list[dict[str, Any]], *first: str) -> tuple[str, ...]:
    """The allowlisted keys that some row has, ``first`` first: the columns of the load rows."""
    used: set[str] = set().union(*rows)
    return (*first, *(c for c in allowed if c in used and c not in first))


def _map(cols: tuple[str, ...], offset: int = 0) -> str:
    """``{`k`: row[i], ...}``: a map literal of allowlisted keys over positional row values."""
    return "{" + ", ".join(f"`{c}`: row[{i + offset}]" for i, c in enumerate(cols)) + "}"


def node_load(label: str, nodes: list[dict[str, Any]], create: bool) -> tuple[str, list[list[Any]]]:
    """Statement and positional rows loading ``nodes``; a null value sets no property."""
    _check(label)
    cols = _columns(NODE_PROPS[label], nodes, "id")
    rows = [list(map(n.get, cols)) for n in nodes]
    if create:  # the new nodes' element ids, in row order, for the relationship rows
        return f"UNWIND $rows AS row CREATE (n:{label} {_map(cols)}) RETURN collect(elementId(n)) AS v", rows
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row[0]}}) SET n = {_map(cols)}", rows


def rel_load(group: Group, rels: list[tuple[str, str, dict[str, Any]]], create: bool,
             element_ids: dict[tuple[str, str], str] | None = None) -> tuple[str, list[list[Any]]]:
    """Statement and rows ``[start, end, props...]`` for one group of relationships. The ends
    are ids, found through the labels' uniqueness-constraint indexes, or, when creating with
    ``element_ids`` ((label, id) -> element id of the node just created), element ids: a
    direct lookup, about 40% less server time than the index (docs/neo4j-push.md, "Rates")."""
    t, sl, el, has_k = group
    _check(t, sl, el)
    cols = _columns(REL_PROPS[t], [p for _, _, p in rels])
    if create and element_ids is not None:
        rows = [[element_ids[(sl, s)], element_ids[(el, e)], *map(p.get, cols)] for s, e, p in rels]
        ends = (f"UNWIND $rows AS row MATCH (a:{sl}) WHERE elementId(a) = row[0] "
                f"MATCH (b:{el}) WHERE elementId(b) = row[1] ")
    else:
        rows = [[s, e, *map(p.get, cols)] for s, e, p in rels]
        ends = f"UNWIND $rows AS row MATCH (a:{sl} {{id: row[0]}}) MATCH (b:{el} {{id: row[1]}}) "
    if create:
        return ends + f"CREATE (a)-[:{t}{' ' + _map(cols, 2) if cols else ''}]->(b)", rows
    key = ""
    if has_k:
        disc = DISCRIMINATORS[t]
        key = f" {{`{disc}`: row[{2 + cols.index(disc)}]}}"
    return ends + f"MERGE (a)-[r:{t}{key}]->(b) SET r = {_map(cols, 2)}", rows


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


def _write(tx: ManagedTransaction, query: str, rows: list[Any]) -> list[Any]:
    """Run one batch; the ``v`` list it returns (element ids of created nodes), else []."""
    record = tx.run(query, rows=rows).single(strict=False)
    return list(record["v"]) if record is not None else []


def _read_list(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> list[Any]:
    """The one list value of a ``RETURN collect(...) AS v`` query."""
    return list(tx.run(query, params).single(strict=True)["v"])


class _Pusher:
    def __init__(self, driver: Driver, database: str | None, batch: int,
                 progress: Progress | None, workers: int = 1) -> None:
        self.driver, self.database, self.batch = driver, database, max(1, batch)
        self.progress, self.done, self.total = progress, 0, 0
        self.workers, self.lock = workers, threading.Lock()

    def write(self, query: str, rows: list[Any]) -> None:
        self.write_all([(query, rows)])

    def write_all(self, jobs: list[tuple[str, list[Any]]], workers: int = 1,
                  done: Done | None = None) -> None:
        """Every batch of every job, one transaction each, job after job; with ``workers`` > 1 the
        batches of one job run that many at a time (only ever for CREATE: see ``run``).
        ``done(job index, batch, what the batch returned)`` after each batch."""
        for i, (query, rows) in enumerate(jobs):
            chunks = list(_batches(rows, self.batch))

            def finish(chunk: list[Any], out: list[Any], i: int = i) -> None:
                with self.lock:
                    if done:
                        done(i, chunk, out)
                    self.done += len(chunk)
                    if self.progress:
                        self.progress(self.done, self.total)

            if workers <= 1 or len(chunks) <= 1:
                with self.driver.session(database=self.database) as s:
                    for chunk in chunks:
                        finish(chunk, s.execute_write(_write, query, chunk))  # a transaction each
            else:
                self._parallel(query, chunks, workers, finish)

    def _parallel(self, query: str, chunks: list[list[Any]], workers: int,
                  finish: Callable[[list[Any], list[Any]], None]) -> None:
        todo: queue.SimpleQueue[list[Any]] = queue.SimpleQueue()
        for chunk in chunks:
            todo.put(chunk)
        errors: list[BaseException] = []

        def work() -> None:
            try:
                with self.driver.session(database=self.database) as s:
                    while not errors:
                        try:
                            chunk = todo.get_nowait()
                        except queue.Empty:
                            return
                        finish(chunk, s.execute_write(_write, query, chunk))
            except BaseException as exc:  # re-raised in the calling thread
                errors.append(exc)

        threads = [threading.Thread(target=work, daemon=True) for _ in range(min(workers, len(chunks)))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if errors:
            raise errors[0]

    def read_list(self, query: str, **params: Any) -> list[Any]:
        with self.driver.session(database=self.database) as s:
            return s.execute_read(_read_list, query, params)

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
                s.execute_write(_write, f"MATCH (n:{lb}) WHERE n.id IS NULL DETACH DELETE n", [])
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
        raise StoreError(E.E306, uri=uri, detail=_detail(exc)) from exc
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
