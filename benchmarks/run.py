"""``make bench``: build throughput, incremental rebuild, query latency, peak memory, hot spots.

    python benchmarks/run.py [--sizes 1000,10000] [--out benchmarks/RESULTS.md] [--work DIR]

For each corpus size (benchmarks/corpus.py, seeded, so the same every run):

* **throughput**: words/s of a cold ``kg build`` (a fresh process, as a user runs it:
  start-up, model load, parse, extract, store, analysis) against a fresh process that
  loads the same spaCy model and runs plain ``nlp.pipe`` over the same texts. Target:
  kg >= 0.8x the plain pipe.
* **incremental**: 1% of the articles edited, ``kg build`` again; three times (a different
  edit each time, a 1% rebuild of a few seconds varies by a second from run to run), the
  median counts. Target: <= 5% of the full build's time.
* **query latency**: every named query of kg/query/named.py on the embedded store (largest
  size). Target: < 1 s each.
* **peak RSS** of ``kg build`` (os.wait4 rusage of that process) at each size: should not
  grow much with the corpus.

* **Neo4j**: the largest store pushed to a throwaway Neo4j (benchmarks/neo4j_bench.py),
  rows/s against 20,000, and every named query's Cypher on it.

Then one in-process build of a small corpus (``--profile-size``, 200) runs under
pyinstrument; its hot spots go into the results. The default sizes are the issue's, 1k
and 10k articles: about an hour on 2 cores (``--sizes 200,1000`` takes minutes). Nothing
here is a test: numbers on a shared machine are noisy, so the load average is recorded.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import corpus as gen  # noqa: E402

KG = Path(sys.executable).parent / "kg"
TARGET_THROUGHPUT = 0.8
TARGET_INCREMENTAL = 0.05
TARGET_QUERY_S = 1.0

BASELINE = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from kg.nlp import parse as nlp
model = nlp.load()
t1 = time.perf_counter()
paths = sorted(Path(sys.argv[1]).glob("*.txt"))[: int(sys.argv[2])]
texts = [p.read_text(encoding="utf-8") for p in paths]
t2 = time.perf_counter()
for _ in model.pipe(texts, batch_size=64):
    pass
t3 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "read_s": t2 - t1, "pipe_s": t3 - t2,
                  "words": sum(len(t.split()) for t in texts), "articles": len(texts)}))
"""


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    out: str
    code: int


@dataclass
class SizeResult:
    n: int
    words: int = 0
    full: Run | None = None
    baseline_total_s: float = 0.0
    baseline: dict[str, float] = field(default_factory=dict)

    @property
    def baseline_wps(self) -> float:
        """Words/s of the plain-pipe process (load included), over the articles it parsed."""
        return self.baseline.get("words", self.words) / self.baseline_total_s
    incremental: Run | None = None  # the median of ``incrementals``
    incrementals: list[Run] = field(default_factory=list)
    changed: int = 0
    summary: dict[str, Any] = field(default_factory=dict)
    #: named queries on the store as the full build left it (compacted), largest size only
    queries: list[tuple[str, float, int, str, str]] | None = None


TIMEOUT_S = 5400.0


def run(cmd: list[str]) -> Run:
    """Run ``cmd``; wall time and the peak RSS of that one process (os.wait4).

    A run over TIMEOUT_S is killed and reported (code -9), so the bench always ends."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    timer = threading.Timer(TIMEOUT_S, proc.kill)
    timer.start()
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(time.perf_counter() - t, usage.ru_maxrss / 1024, out, proc.returncode)


def _stages(r: Run) -> str:
    """The ``seconds`` of a ``kg build -f json`` summary: where that build's time went."""
    try:
        seconds = json.loads(r.out).get("seconds", {})
    except ValueError:
        return ""
    return ", ".join(f"{k} {v:.1f}" for k, v in seconds.items())


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def machine() -> dict[str, str]:
    import pyoxigraph
    import spacy

    from kg.nlp import parse as nlp

    mem = "n/a"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or "n/a"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": str(len(os.sched_getaffinity(0))), "cpu": cpu, "memory": mem,
            "python": platform.python_version(), "spacy": spacy.__version__,
            "model": ", ".join(nlp.model_names()), "pyoxigraph": pyoxigraph.__version__,
            "os": platform.platform()}


def bench_size(n: int, work: Path, publishers: bool = True, baseline_max: int = 2000,
               queries: bool = False) -> SizeResult:
    """One corpus size. The plain-pipe baseline parses at most ``baseline_max`` articles:
    its words/s does not depend on corpus size (it streams), and at 10k articles it would
    add some 25 minutes."""
    res = SizeResult(n)
    src, store = work / f"corpus-{n}", work / f"store-{n}"
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    paths = gen.generate(n, src, publishers=publishers)
    res.words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"[{n}] corpus: {n} articles, {res.words} words; load {loadavg()}", flush=True)

    b = run([sys.executable, "-c", BASELINE, str(src), str(baseline_max)])
    res.baseline_total_s = b.seconds
    res.baseline = json.loads(b.out.strip().splitlines()[-1])
    print(f"[{n}] plain nlp.pipe: {b.seconds:.1f}s total ({res.baseline['pipe_s']:.1f}s in pipe)", flush=True)

    res.full = run([str(KG), "build", str(src), "--store", str(store), "-f", "json"])
    if res.full.code != 0:
        raise SystemExit(f"[{n}] kg build exited {res.full.code} after {res.full.seconds:.0f} s "
                         f"(peak RSS {res.full.max_rss_mb:.0f} MB); -9 is the {TIMEOUT_S:.0f} s timeout")
    res.summary = json.loads(res.full.out)
    print(f"[{n}] kg build: {res.full.seconds:.1f}s, peak RSS {res.full.max_rss_mb:.0f} MB, "
          f"{res.summary['claims']} claims", flush=True)
    if queries:  # before the rebuild below, whose writes are not compacted (docs/performance.md)
        res.queries = bench_queries(store)

    res.changed = max(1, math.ceil(n / 100))
    for day in INCREMENTAL_EDITS:
        for p in paths[:: max(1, n // res.changed)][: res.changed]:
            with p.open("a", encoding="utf-8") as fh:
                fh.write(f"\nOfficials said on {day} that the review would take another month.\n")
        done = run([str(KG), "build", str(src), "--store", str(store), "-f", "json"])
        assert done.code == 0
        res.incrementals.append(done)
        print(f"[{n}] incremental ({res.changed} changed, {day}): {done.seconds:.1f}s", flush=True)
    res.incremental = sorted(res.incrementals, key=lambda r: r.seconds)[len(res.incrementals) // 2]
    return res


#: the 1% rebuild is measured once per edit; the median counts
INCREMENTAL_EDITS = ("Friday", "Saturday", "Sunday")


QUERY = r"""
import json, sys, time
from pathlib import Path
from kg.query import named as queries
from kg.store import opened
q = queries.get(sys.argv[2])
params = json.loads(sys.argv[3])
with opened(Path(sys.argv[1]), read_only=True) as st:
    t = time.perf_counter()
    rows = queries.run_sparql(st, q, params)
    first = time.perf_counter() - t
    t = time.perf_counter()
    queries.run_sparql(st, q, params)
    again = time.perf_counter() - t
    print(json.dumps({"first": first, "again": again, "rows": len(rows)}), flush=True)
    if q.paged:  # every page, for the record: a listing read to its end (a second line)
        t = time.perf_counter()
        pages = list(queries.pages(lambda p: queries.run_sparql(st, q, p), q, params))
        print(json.dumps({"all_s": time.perf_counter() - t, "pages": len(pages),
                          "all_rows": sum(len(p) for p in pages)}), flush=True)
"""


def bench_queries(store: Path, timeout: float = 120) -> list[tuple[str, float, int, str, str]] | None:
    """(name, seconds of the first run, rows, error, every page) per named query; None without
    kg/query/named.py. A paged query's first run is its first page; "every page" says how long
    reading all its pages took.

    Each query runs in its own process (store opened read-only, not timed) with a timeout,
    so one slow query cannot stall the bench."""
    try:
        from kg.query import named as queries
    except ImportError:
        return None
    from kg.store import load_corpus

    corpus = load_corpus(store)
    claim = next((c.id for c in corpus.claims() if c.attribution), corpus.claims()[0].id)
    entities = sorted(corpus.analysis.entities, key=lambda e: -len(e.mentions))
    values = {"claim": claim, "entity": entities[0].name if entities else "Anthropic"}
    out = []
    for name, q in queries.manifest().items():
        params = {p.name: (3 if p.type == "integer" else values.get(p.name, "Anthropic"))
                  for p in q.params if p.default is None}
        # the first page has ``timeout`` seconds; reading every page of a paged query
        # gets ``timeout`` more, and running out of it only cuts that figure short
        limit = timeout * (2 if q.paged else 1)
        try:
            done = subprocess.run([sys.executable, "-c", QUERY, str(store), name, json.dumps(params)],
                                  cwd=ROOT, capture_output=True, text=True, timeout=limit)
            code, lines, err = done.returncode, done.stdout.strip().splitlines(), done.stderr
        except subprocess.TimeoutExpired as exc:  # its stdout is bytes whatever text= says
            partial = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            code, lines, err = 0, partial.strip().splitlines(), ""
        if code != 0:
            out.append((name, float("nan"), 0, err.strip().splitlines()[-1][:160], ""))
        elif not lines:
            out.append((name, float("nan"), 0, f"no answer within {limit:.0f} s", ""))
        else:
            r = json.loads(lines[0])
            every = "(not paged)"
            if len(lines) > 1:
                a = json.loads(lines[1])
                every = f"{a['all_s']:.2f} s for {a['all_rows']} rows in {a['pages']} pages"
            elif q.paged:
                every = f"more than {limit - r['first'] - r['again']:.0f} s (stopped)"
            out.append((name, r["first"], r["rows"], "", every))
        print(f"query {name}: {out[-1][1]:.3f}s {out[-1][3]}", flush=True)
    return out


def bench_neo4j(store: Path) -> list[tuple[str, str, str, str]] | None:
    """Push and Cypher figures (benchmarks/neo4j_bench.py); None when Java is missing."""
    if shutil.which("java") is None:
        print("neo4j: java missing, skipped", flush=True)
        return None
    import neo4j_bench

    rows: list[tuple[str, str, str, str]] = neo4j_bench.bench_neo4j(store)
    for row in rows:
        print("neo4j " + " | ".join(row), flush=True)
    return rows


def profile(n: int, work: Path, top: int = 15) -> tuple[str, list[tuple[str, float]], list[tuple[str, float]], float]:
    """Profile one in-process build; (tree, self-time hot spots, kg functions inclusive, total)."""
    from pyinstrument import Profiler

    from kg.pipeline import build

    src, store = work / f"corpus-{n}", work / "profile-store"
    shutil.rmtree(store, ignore_errors=True)
    prof = Profiler(interval=0.005)
    prof.start()
    build([src], store, n_process=1)  # one process: the profile shows the parser and the rest
    prof.stop()
    session = prof.last_session
    assert session is not None
    root = session.root_frame()
    assert root is not None
    own: dict[str, float] = {}
    incl: dict[str, float] = {}

    def walk(frame: Any, stack: frozenset[str]) -> None:
        key = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        kids = [c for c in frame.children if not c.is_synthetic_leaf]
        own[key] = own.get(key, 0.0) + frame.time - sum(c.time for c in kids)
        if "kg/" in (frame.file_path or "") and "site-packages" not in (frame.file_path or "") \
                and key not in stack:
            incl[key] = incl.get(key, 0.0) + frame.time
        for c in kids:
            walk(c, stack | {key})

    walk(root, frozenset())
    text = prof.output_text(unicode=False, color=False, show_all=False)
    hot = sorted(own.items(), key=lambda kv: -kv[1])[:top]
    kg_fns = sorted(incl.items(), key=lambda kv: -kv[1])[:top]
    return text, hot, kg_fns, root.time


def write_results(path: Path, info: dict[str, str], sizes: list[SizeResult],
                  queries: list[tuple[str, float, int, str, str]] | None,
                  prof: tuple[str, list[tuple[str, float]], list[tuple[str, float]], float] | None,
                  loads: tuple[str, str], started: str,
                  neo: list[tuple[str, str, str, str]] | None = None, prof_n: int = 0) -> list[str]:
    lines = ["# Benchmark results", "",
             f"Written by `benchmarks/run.py` (`make bench`) on {started}. "
             "Numbers from a shared machine: other jobs ran at the same time, see the load average.", "",
             "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += [f"- load average (1, 5, 15 min) at start: {loads[0]}; at end: {loads[1]}", "",
              "## Results", "",
              "| size | metric | value | target | verdict |", "|---|---|---|---|---|"]
    verdicts = []
    for r in sizes:
        assert r.full and r.incremental
        kg_wps = r.words / r.full.seconds
        base_wps = r.baseline_wps
        ratio = kg_wps / base_wps
        inc = r.incremental.seconds / r.full.seconds
        rows = [
            ("build throughput", f"{kg_wps:,.0f} words/s ({r.words:,} words in {r.full.seconds:.1f} s)", "", ""),
            ("plain nlp.pipe", f"{base_wps:,.0f} words/s ({int(r.baseline.get('articles', r.n)):,} articles, "
                               f"{r.baseline_total_s:.1f} s: load "
                               f"{r.baseline['load_s']:.1f} + pipe {r.baseline['pipe_s']:.1f})", "", ""),
            ("kg build / nlp.pipe", f"{ratio:.2f}x", f">= {TARGET_THROUGHPUT}x", verdict(ratio >= TARGET_THROUGHPUT)),
            ("incremental rebuild", f"{r.incremental.seconds:.1f} s for {r.changed} changed "
                                    f"= {inc:.1%} of full (median of "
                                    f"{', '.join(f'{x.seconds:.1f}' for x in r.incrementals)} s)",
             f"<= {TARGET_INCREMENTAL:.0%}", verdict(inc <= TARGET_INCREMENTAL)),
            ("full build, seconds by stage", _stages(r.full), "", ""),
            ("incremental, seconds by stage", _stages(r.incremental), "", ""),
            ("peak RSS, full build", f"{r.full.max_rss_mb:,.0f} MB", "flat in size", ""),
            ("peak RSS, incremental", f"{r.incremental.max_rss_mb:,.0f} MB", "", ""),
            ("graph", f"{r.summary.get('claims')} claims, {r.summary.get('entities')} entities, "
                      f"{r.summary.get('propositions')} propositions, {r.summary.get('conflicts')} conflicts, "
                      f"{r.summary.get('flags')} flags", "", ""),
        ]
        for metric, value, target, v in rows:
            lines.append(f"| {r.n} | {metric} | {value} | {target} | {v} |")
            if v:
                verdicts.append(f"{r.n} {metric}: {value} (target {target}) {v}")
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        assert a.full and b.full
        growth = b.full.max_rss_mb / a.full.max_rss_mb
        ok = growth <= 1.5
        lines.append(f"| {a.n}->{b.n} | peak RSS growth | {growth:.2f}x for {b.n / a.n:.0f}x the articles "
                     f"| <= 1.5x | {verdict(ok)} |")
        verdicts.append(f"peak RSS growth {a.n}->{b.n}: {growth:.2f}x {verdict(ok)}")
    for when, found in (("after the full build (compacted)", sizes[-1].queries),
                       (f"after the 1% rebuilds ({len(sizes[-1].incrementals)} x {sizes[-1].changed} "
                        "changed, not compacted)", queries)):
        lines += ["", f"## Named queries (embedded store, {sizes[-1].n} articles, {when})", ""]
        if found is None:
            lines.append("not available (no kg/query/named.py)")
            verdicts.append(f"query latency {when}: not available")
            continue
        lines += ["| query | seconds (paged: first page) | rows | every page | target | verdict |",
                  "|---|---|---|---|---|---|"]
        for name, s, nrows, error, every in found:
            ok = not error and s < TARGET_QUERY_S
            shown = f"error: {error}" if error else f"{s:.3f}"
            lines.append(f"| {name} | {shown} | {nrows} | {every} | < {TARGET_QUERY_S:.0f} s | {verdict(ok)} |")
            verdicts.append(f"query {name} ({when}): {shown} {verdict(ok)}")
    if neo is not None:
        lines += ["", f"## Neo4j ({sizes[-1].n} articles, throwaway Neo4j 5.26 on this machine)", "",
                  "| metric | value | target | verdict |", "|---|---|---|---|"]
        for metric, value, target, v in neo:
            lines.append(f"| {metric} | {value} | {target} | {v} |")
            if v:
                verdicts.append(f"neo4j {metric}: {value} {v}")
    if prof:
        text, hot, kg_fns, total = prof
        lines += ["", f"## Hot spots (pyinstrument, one in-process build of {prof_n} articles, "
                      f"{total:.1f} s)", "", "Self time (where the CPU is):", "",
                  "| function | self s | share |", "|---|---|---|"]
        lines += [f"| `{k}` | {v:.2f} | {v / total:.0%} |" for k, v in hot]
        lines += ["", "kg functions, inclusive time:", "", "| function | s | share |", "|---|---|---|"]
        lines += [f"| `{k}` | {v:.2f} | {v / total:.0%} |" for k, v in kg_fns]
        lines += ["", "<details><summary>call tree</summary>", "", "```",
                  *text.strip().splitlines()[:120], "```", "", "</details>"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return verdicts


def main() -> None:
    global TIMEOUT_S
    ap = argparse.ArgumentParser(description="kg benchmarks (see the module docstring)")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    ap.add_argument("--profile-size", type=int, default=200, help="articles in the profiled build")
    ap.add_argument("--no-neo4j", action="store_true", help="skip the Neo4j push and Cypher queries")
    ap.add_argument("--baseline-max", type=int, default=2000,
                    help="articles parsed by the plain nlp.pipe baseline (its words/s does not depend on size)")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--no-publishers", action="store_true",
                    help="corpus without publishers: no article-to-article citation links")
    ap.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds allowed per kg run")
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load0 = loadavg()
    info = machine()
    TIMEOUT_S = args.timeout
    from kg import processes

    info["kg build workers"] = (f"{processes.workers(0, 10**6)} spaCy processes (--jobs 0, the "
                                f"default, for {processes.AUTO_MIN_PIECES}+ pieces); plain "
                                "nlp.pipe uses one")
    info["corpus"] = ("synthetic (benchmarks/corpus.py), "
                      + ("no publishers in the manifest" if args.no_publishers else "with publishers"))
    results = [bench_size(n, work, publishers=not args.no_publishers, baseline_max=args.baseline_max,
                          queries=n == sizes[-1]) for n in sizes]
    q = bench_queries(work / f"store-{sizes[-1]}")
    neo = None if args.no_neo4j else bench_neo4j(work / f"store-{sizes[-1]}")
    prof = None
    if not args.no_profile:
        gen.generate(args.profile_size, work / f"corpus-{args.profile_size}", publishers=not args.no_publishers)
        prof = profile(args.profile_size, work)
    verdicts = write_results(args.out, info, results, q, prof, (load0, loadavg()), started, neo,
                             prof_n=args.profile_size)
    print("\n".join(verdicts))
    print(f"-> {args.out}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
