"""Neo4j figures for ``make bench``: ``kg push`` rows/s and the named queries' latency on Neo4j.

    python benchmarks/neo4j_bench.py STORE [--warmup N]

``bench_neo4j(store)`` starts a throwaway dev server (``tools/neo4j-server``, Neo4j Community
5.26, through ``tools.neo4j_server``; 2 GB heap and 512 MB page cache unless ``KG_NEO4J_HEAP``
says otherwise), then:

1. **warm-up**: cycles of a push into the empty database, a re-push, and a wipe (every node,
   constraint and index dropped), until one cycle in which the JVM's JIT compiler threads used
   less than 4 s of CPU (at most ``warmup`` cycles, default 4). A fresh JVM spends most of its
   first pushes compiling Neo4j's code: on the 2-core development machine, with a 1,000-article
   store, the compiler threads used about 27 s of CPU in the first cycle, 13 s in the second
   and 3.6 s in the third (docs/neo4j-push.md, "Rates"). These figures are reported without a
   target.
2. **empty database**: ``kg push`` into the wiped database (schema included: a first push),
   rows/s against the 20,000 target.
3. **re-push**: the same store again (MERGE of every row; the counts then show that nothing is
   stale, so nothing is read back), rows/s against the same target.
4. **queries**: every named query of ``kg/query/named.py`` on Neo4j (``run_cypher``'s text and
   bound parameters, picked as ``benchmarks/run.py`` picks them), seconds of the first run
   against the 1 s target (the second run is shown too).

The server is stopped at the end. Rows are ``(metric, value, target, verdict)`` with verdict
``PASS``, ``MISS`` or ``""`` (no target). Without Java or Maven the one row says why.
Nothing here is a test: numbers on a shared 2-core machine are noisy, so the CPU seconds
of the client and of the server are shown next to the wall-clock rates.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.graph.pgraph import PGraph
    from kg.model import Corpus
    from kg.neo4j.push import PushResult

TARGET_ROWS_S = 20_000
TARGET_QUERY_S = 1.0
QUERY_TIMEOUT_S = 120.0
HEAP, PAGECACHE = "2g", "512m"
WARMUP = 4  # at most this many warm-up cycles ...
JIT_SETTLED_S = 4.0  # ... ending after one in which the JIT compiler used less CPU than this
Row = tuple[str, str, str, str]


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _cpu(pid: int, task: str = "") -> float:
    """User + system CPU seconds of process ``pid`` (or one thread: ``task``) from /proc;
    0 where there is no /proc."""
    try:
        path = Path(f"/proc/{pid}/task/{task}/stat" if task else f"/proc/{pid}/stat")
        fields = path.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _jit_cpu(pid: int) -> float:
    """CPU seconds the JVM's JIT compiler threads ("C1/C2 CompilerThread") have used so far."""
    total = 0.0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                if "Compiler" in (task / "comm").read_text():
                    total += _cpu(pid, task.name)
            except OSError:
                continue
    except OSError:
        pass
    return total


@contextmanager
def _env(**values: str) -> Iterator[None]:
    """Set environment variables that are not set already, for the block only."""
    added = [k for k in values if k not in os.environ]
    for k in added:
        os.environ[k] = values[k]
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def wipe(driver: Driver) -> None:
    """Every relationship, every node, then every constraint and index except the token
    lookups. Relationships go first, in batches: a node batch with DETACH DELETE takes
    every relationship of a hub node (a source quoted 100,000 times) into one transaction,
    past Neo4j's transaction memory limit at 10,000 articles."""
    while driver.execute_query("MATCH ()-[r]->() WITH r LIMIT 50000 DELETE r "
                               "RETURN count(*) AS c").records[0]["c"]:
        pass
    while driver.execute_query("MATCH (n) WITH n LIMIT 20000 DETACH DELETE n "
                               "RETURN count(*) AS c").records[0]["c"]:
        pass
    for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records:
        driver.execute_query(f"DROP CONSTRAINT `{r['name']}`")
    for r in driver.execute_query("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'").records:
        driver.execute_query(f"DROP INDEX `{r['name']}`")


def _push(pg: PGraph, driver: Driver, server_pid: int) -> tuple[PushResult, float, float]:
    """One push; (result, client CPU s, server CPU s)."""
    from kg.neo4j.push import push

    c0, s0 = time.process_time(), _cpu(server_pid)
    res = push(pg, driver)
    return res, time.process_time() - c0, _cpu(server_pid) - s0


def _push_row(name: str, res: PushResult, client: float, server: float, target: bool) -> Row:
    value = (f"{res.rate:,.0f} rows/s ({res.written:,} rows in {res.seconds:.1f} s, {res.mode}; "
             f"CPU: client {client:.1f} s, server {server:.1f} s)")
    if not target:
        return name, value, "", ""
    return name, value, f">= {TARGET_ROWS_S:,} rows/s", _verdict(res.rate >= TARGET_ROWS_S)


def query_params(corpus: Corpus) -> dict[str, Any]:
    """Parameter values as ``benchmarks/run.py`` picks them: an attributed claim, the most
    mentioned entity, 3 for integers, "Anthropic" otherwise."""
    claims = corpus.claims()
    claim = next((c.id for c in claims if c.attribution), claims[0].id if claims else "")
    entities = sorted(corpus.analysis.entities, key=lambda e: -len(e.mentions))
    return {"claim": claim, "entity": entities[0].name if entities else "Anthropic"}


def bench_queries(driver: Driver, corpus: Corpus) -> list[Row]:
    """Every named query on Neo4j: seconds of the first and the second run, rows."""
    import neo4j
    from neo4j.exceptions import Neo4jError

    from kg.query import named as queries

    values = query_params(corpus)
    out: list[Row] = []
    for name, q in queries.manifest().items():
        raw = {p.name: (3 if p.type == "integer" else values.get(p.name, "Anthropic"))
               for p in q.params if p.default is None}  # a paged query: its first page
        bound = queries.bind(q, raw)
        text = neo4j.Query(q.cypher(), timeout=QUERY_TIMEOUT_S)
        times, nrows, error = [], 0, ""
        for _ in range(2):
            t = time.perf_counter()
            try:
                records, _, _ = driver.execute_query(text, bound, routing_=neo4j.RoutingControl.READ)
            except Neo4jError as exc:
                error = " ".join(str(exc.message or exc).split())[:160]
                break
            times.append(time.perf_counter() - t)
            nrows = len(records)
        metric = f"query {name}"
        if error:
            out.append((metric, f"error: {error}", f"< {TARGET_QUERY_S:.0f} s", "MISS"))
            continue
        out.append((metric, f"{times[0]:.3f} s (again {times[1]:.3f} s), {nrows} rows",
                    f"< {TARGET_QUERY_S:.0f} s", _verdict(times[0] < TARGET_QUERY_S)))
    return out


def bench_neo4j(store: Path, warmup: int = WARMUP) -> list[Row]:
    """Start a throwaway Neo4j, push ``store`` (cold, empty, re-push), run the named queries, stop."""
    import neo4j

    from kg.graph.pgraph import project
    from kg.neo4j.batches import connect
    from kg.store import load_corpus
    from tools.neo4j_server import Neo4jServerError, Neo4jToolsMissing, start_server

    corpus = load_corpus(Path(store))
    pg = project(corpus)
    rows: list[Row] = []
    t0 = time.perf_counter()
    try:
        with _env(KG_NEO4J_HEAP=HEAP), start_server(extra_args=["--pagecache", PAGECACHE]) as server:
            pid = server.process.pid  # run.sh execs java: this is the server JVM
            rows.append(("server start", f"{time.perf_counter() - t0:.1f} s "
                         f"(heap {os.environ.get('KG_NEO4J_HEAP', HEAP)}, page cache {PAGECACHE})", "", ""))
            with connect(server.bolt_uri) as driver:
                for i in range(warmup):
                    jit = _jit_cpu(pid)
                    rows.append(_push_row(f"warm-up {i + 1}: push, empty database",
                                          *_push(pg, driver, pid), target=False))
                    rows.append(_push_row(f"warm-up {i + 1}: re-push", *_push(pg, driver, pid),
                                          target=False))
                    wipe(driver)
                    jit = _jit_cpu(pid) - jit
                    rows.append((f"warm-up {i + 1}: JIT compiler CPU", f"{jit:.1f} s", "", ""))
                    if jit < JIT_SETTLED_S:
                        break
                rows.append(_push_row("push, empty database", *_push(pg, driver, pid), target=True))
                rows.append(_push_row("re-push", *_push(pg, driver, pid), target=True))
                rows += bench_queries(driver, corpus)
    except Neo4jToolsMissing as exc:
        rows.append(("neo4j", f"skipped: {exc}", "", ""))
    except (Neo4jServerError, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as exc:
        rows.append(("neo4j", f"failed: {' '.join(str(exc).split())[:300]}", "", "MISS"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description="kg push rate and Cypher query latency on a throwaway Neo4j")
    ap.add_argument("store", type=Path, help="a kg store (kg build ... --store DIR)")
    ap.add_argument("--warmup", type=int, default=WARMUP, help="at most this many warm-up cycles")
    args = ap.parse_args()
    rows = bench_neo4j(args.store, warmup=args.warmup)
    width = max((len(r[0]) for r in rows), default=0)
    for metric, value, target, verdict in rows:
        extra = f"  [target {target}: {verdict}]" if target else (f"  [{verdict}]" if verdict else "")
        print(f"{metric:<{width}}  {value}{extra}")


if __name__ == "__main__":
    main()
