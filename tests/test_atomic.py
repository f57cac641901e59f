"""Kill a build at random points and after every pipeline stage: no half article, ever.

Method (docs/hardening.md): a store is built from corpus A (8 articles); corpus B
edits three of them and adds one. ``kg build B`` runs as a subprocess on a copy of
the A store and is SIGKILLed, either after a random delay spread over the measured
build duration or right after a named stage (``KG_TEST_KILL_AFTER``, a hook in
kg/pipeline.py). After each kill the store is opened and every article graph must be
complete: an article of A or of B, with exactly the claims a clean build gives that
article, every claim with both its selectors, and one graph per source file. Then the
build is rerun to completion and must give the counts of a clean build of B.

A failed write (full disk, simulated) must leave the previous file or store intact.
"""

from __future__ import annotations

import errno
import gc
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import codec
from kg.cli.main import app
from kg.graph.ns import GRAPH_ARTICLE, KG_NS, OA_NS
from kg.pipeline import build
from kg.store import load_corpus, open_store
from tests.conftest import ROOT, SEEDS

runner = CliRunner()
KG_BIN = Path(sys.executable).parent / "kg"
STAGES = ["read", "open", "prepare", "cache", "article", "articles", "analysis-cache", "analysis", "flush",
          "compact"]
KILLS = 20


@dataclass
class Expected:
    claims: dict[str, int]          # article id -> claims, over clean builds of A and B
    by_path_a: dict[str, str]       # source path -> article id in A
    by_path_b: dict[str, str]
    totals_b: tuple[int, int]       # (articles, claims) of a clean build of B


@dataclass
class Setup:
    corpus: Path      # the folder that holds B when the kills run (same paths as A)
    store_a: Path     # a clean store of A, copied before every kill
    expected: Expected
    duration: float   # seconds a `kg build B` subprocess takes on a copy of store_a


def _write_corpus(folder: Path, variant: str) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for p in seeds:
        shutil.copy(p, folder / p.name)
    for i, p in enumerate(seeds[:3]):  # copies with edits: different articles, same stories
        text = p.read_text(encoding="utf-8").replace("has", "had").replace("said", "reported")
        (folder / f"copy{i}.txt").write_text(f"Wire copy {i}\n\n{text}", encoding="utf-8")
    if variant == "B":
        for name in (seeds[1].name, seeds[3].name, "copy1.txt"):
            p = folder / name
            p.write_text(p.read_text(encoding="utf-8") + "\n\nOfficials said on Friday that the ban "
                         f"would be reviewed in {name[:3]} weeks.\n", encoding="utf-8")
        (folder / "new.txt").write_text(
            "The ministry announced a new fine against the firm on Tuesday, officials said.\n"
            "According to Reuters, the company will appeal the decision next month.\n", encoding="utf-8")


def _counts(root: Path) -> tuple[dict[str, int], dict[str, str]]:
    corpus = load_corpus(root)
    return ({g.article.id: len(g.claims) for g in corpus.articles},
            {g.article.source: g.article.id for g in corpus.articles})


def _kg(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(KG_BIN), *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    base = tmp_path_factory.mktemp("atomic")
    corpus = base / "corpus"
    _write_corpus(corpus, "A")
    store_a = base / "store-a"
    assert not build([corpus], store_a).errors
    claims_a, by_path_a = _counts(store_a)
    _write_corpus(corpus, "B")
    clean_b = base / "store-b"
    rep = build([corpus], clean_b)
    assert not rep.errors
    claims_b, by_path_b = _counts(clean_b)
    assert set(claims_a) != set(claims_b)
    expected = Expected({**claims_a, **claims_b}, by_path_a, by_path_b, (rep.articles_total, rep.claims))
    # how long one incremental `kg build B` on a copy of A takes, start to exit
    probe = base / "probe"
    shutil.copytree(store_a, probe)
    t = time.monotonic()
    proc = _kg("build", str(corpus), "--store", str(probe), "-f", "json")
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    duration = time.monotonic() - t
    return Setup(corpus, store_a, expected, duration)


def check_store(root: Path, exp: Expected) -> dict[str, str]:
    """Every article graph complete, one per source path; returns {path: article id}."""
    st = open_store(root)
    try:
        ids: dict[str, str] = {}
        rows = st.query(f"""
            PREFIX kg: <{KG_NS}> PREFIX oa: <{OA_NS}>
            SELECT ?g ?path (COUNT(DISTINCT ?c) AS ?claims) (SUM(?bad) AS ?broken) WHERE {{
              GRAPH ?g {{
                ?a kg:sourcePath ?path .
                OPTIONAL {{
                  ?c a kg:Claim .
                  OPTIONAL {{ ?c oa:hasSelector ?p . ?p a oa:TextPositionSelector ; oa:start ?s ; oa:end ?e }}
                  OPTIONAL {{ ?c oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?x }}
                  BIND(IF(BOUND(?s) && BOUND(?e) && BOUND(?x), 0, 1) AS ?bad)
                }}
              }}
            }} GROUP BY ?g ?path""")
        seen_graphs = {g.value for g in st.named_graphs() if g.value.startswith(GRAPH_ARTICLE)}
        for row in rows:
            aid = row["g"].value[len(GRAPH_ARTICLE):]
            path = row["path"].value
            assert aid in exp.claims, f"article graph {aid} is neither the old nor the new version"
            assert int(row["claims"].value) == exp.claims[aid], f"half article {aid} ({path})"
            broken = row["broken"]
            assert broken is None or int(broken.value) == 0, f"claim without selectors in {aid}"
            assert path not in ids, f"two graphs for {path}"
            assert aid in (exp.by_path_a.get(path), exp.by_path_b.get(path)), (path, aid)
            ids[path] = aid
        assert len(ids) == len(seen_graphs), "an article graph without its article"
        for path in exp.by_path_a:  # an article of A is never lost, only replaced
            assert path in ids, f"{path} lost"
        return ids
    finally:
        del st
        gc.collect()


def rerun_and_compare(root: Path, s: Setup) -> None:
    rep = build([s.corpus], root)
    assert not rep.errors
    assert (rep.articles_total, rep.claims) == s.expected.totals_b
    assert check_store(root, s.expected) == s.expected.by_path_b
    assert rep.parsed + rep.unchanged == len(s.expected.by_path_b)


#: A warm fork server: imports kg and loads the models once, then forks one child per
#: request that runs exactly what ``kg build CORPUS --store STORE`` runs (the CLI app) and
#: reports its pid, then its wait status. No store is ever opened in the server itself, so
#: no RocksDB thread is alive at fork time. This saves the 2-5 s of start-up per kill that
#: would otherwise dominate; the stage kills below use the real ``kg`` executable.
ZYGOTE = r"""
import os, sys
from kg.cli.main import app
from kg.nlp import parse as nlp
nlp.load()
try:
    from kg.analysis import similarity
    similarity.model()
except Exception:
    pass
os.write(1, b"ready\n")
for line in sys.stdin:
    corpus, store, stage = line.rstrip("\n").split("\t")
    pid = os.fork()
    if pid == 0:
        if stage:
            os.environ["KG_TEST_KILL_AFTER"] = stage
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        code = 99
        try:
            app(["build", corpus, "--store", store, "-f", "json"])
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        finally:
            os._exit(code)
    os.write(1, f"{pid}\n".encode())
    _, status = os.waitpid(pid, 0)
    os.write(1, f"{status}\n".encode())
"""


class Zygote:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", ZYGOTE], cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self.buf = b""
        assert self.line(300) == "ready"

    def line(self, timeout: float) -> str | None:
        """The next line from the server, or None after ``timeout`` seconds."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 4096)
            assert chunk, "fork server died"
            self.buf += chunk
        out, self.buf = self.buf.split(b"\n", 1)
        return out.decode()

    def build(self, corpus: Path, store: Path, kill_after: float, stage: str = "") -> bool:
        """Run a build; SIGKILL it after ``kill_after`` seconds (or have it SIGKILL itself
        after ``stage``). True if it died of SIGKILL."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{corpus}\t{store}\t{stage}\n".encode())
        self.proc.stdin.flush()
        pid = int(self.line(60) or "0")
        status = self.line(kill_after)
        if status is None:
            os.kill(pid, signal.SIGKILL)
            status = self.line(60)
            assert status is not None
        if os.WIFSIGNALED(int(status)):
            assert os.WTERMSIG(int(status)) == signal.SIGKILL, status
            return True
        assert os.WIFEXITED(int(status)) and os.WEXITSTATUS(int(status)) == 0, status
        return False

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    yield z
    z.close()


@pytest.mark.slow
def test_random_sigkills_never_leave_half_an_article(setup: Setup, zygote: Zygote, tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("KG_KILL_SEED", "20261123")))
    probe = tmp_path / "probe"
    shutil.copytree(setup.store_a, probe)
    t = time.monotonic()
    assert not zygote.build(setup.corpus, probe, 300)
    duration = time.monotonic() - t
    outcomes = {"killed": 0, "finished": 0}
    partway = 0
    i = 0
    # at least KILLS real kills: a build that beats its random delay (the machine's load
    # varies) still counts as a check, but not as a kill, so another attempt follows
    while outcomes["killed"] < KILLS and i < 3 * KILLS:
        root = tmp_path / f"s{i}"
        i += 1
        shutil.copytree(setup.store_a, root)
        # spread over the whole build, a little past its end
        killed = zygote.build(setup.corpus, root, rng.uniform(0.0, duration * 1.05))
        outcomes["killed" if killed else "finished"] += 1
        ids = check_store(root, setup.expected)
        partway += ids not in (setup.expected.by_path_a, setup.expected.by_path_b)
        rerun_and_compare(root, setup)
        shutil.rmtree(root)
    print(f"kills: {outcomes}; left part-way (some articles new, some old, none half): {partway}; "
          f"warm build {duration:.1f}s, cold `kg build` {setup.duration:.1f}s")
    assert outcomes["killed"] >= KILLS, outcomes


@pytest.mark.parametrize("stage", STAGES)
def test_kill_after_each_stage(setup: Setup, zygote: Zygote, tmp_path: Path, stage: str) -> None:
    root = tmp_path / "s"
    shutil.copytree(setup.store_a, root)
    assert zygote.build(setup.corpus, root, 300, stage=stage), "the kill hook did not fire"
    ids = check_store(root, setup.expected)
    if stage in ("read", "open", "prepare", "cache"):
        assert ids == setup.expected.by_path_a, "nothing may change before the first article is stored"
    else:
        assert ids != setup.expected.by_path_a
    if stage in ("articles", "analysis-cache", "analysis", "flush", "compact"):
        assert ids == setup.expected.by_path_b
    rerun_and_compare(root, setup)


@pytest.mark.parametrize("stage", ["article"])
def test_real_kg_executable_killed_mid_write(setup: Setup, tmp_path: Path, stage: str) -> None:
    """The same, through the installed ``kg`` executable in a fresh process."""
    root = tmp_path / "s"
    shutil.copytree(setup.store_a, root)
    proc = _kg("build", str(setup.corpus), "--store", str(root), env={"KG_TEST_KILL_AFTER": stage})
    assert proc.wait(timeout=300) == -signal.SIGKILL, "the kill hook did not fire"
    check_store(root, setup.expected)
    rerun_and_compare(root, setup)


def _enospc(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_failed_export_write_keeps_previous_file(seed_store: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graph.trig"
    ok = runner.invoke(app, ["export", "--format", "trig", "--out", str(out), "--store", str(seed_store)])
    assert ok.exit_code == 0, ok.output
    before = out.read_bytes()
    assert before
    monkeypatch.setattr(codec.os, "fsync", _enospc)
    for fmt in ("nquads", "trig"):
        bad = runner.invoke(app, ["export", "--format", fmt, "--out", str(out), "--store", str(seed_store)])
        assert bad.exit_code == 3 and "E307" in bad.stderr, bad.stderr
        assert "No space left on device" in bad.stderr, bad.stderr
        assert "Traceback" not in bad.stderr
        assert out.read_bytes() == before, "the previous export was damaged"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.trig"], "temporary file left"


def test_failed_partial_write_keeps_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up half-way through the write itself."""
    target = tmp_path / "out.json"
    codec.write_atomic(target, "previous")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh: object) -> None:
            self.fh = fh

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *a: object) -> None:
            self.fh.close()  # type: ignore[attr-defined]

        def write(self, text: str) -> int:
            self.fh.write(text[: len(text) // 2])  # type: ignore[attr-defined]
            self.fh.flush()  # type: ignore[attr-defined]
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(codec.os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    with pytest.raises(OSError):
        codec.write_atomic(target, "new content " * 1000)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_full_disk_during_build_leaves_store_usable(setup: Setup, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache write failing mid-build (ENOSPC) stops the build; the store keeps A's articles
    whole, and a rerun once there is space gives the clean result."""
    root = tmp_path / "s"
    shutil.copytree(setup.store_a, root)
    monkeypatch.setattr(codec.os, "fsync", _enospc)
    result = runner.invoke(app, ["build", str(setup.corpus), "--store", str(root)])
    assert result.exit_code == 3, result.stderr
    assert "[E307]" in result.stderr and "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert check_store(root, setup.expected) == setup.expected.by_path_a
    monkeypatch.undo()
    rerun_and_compare(root, setup)


def _session_members(sid: int) -> list[int]:
    """Pids of live processes in session ``sid`` (Linux /proc)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # fields: state ppid pgrp session
            pids.append(int(stat.parent.name))
    return pids


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_build_leaves_no_worker_processes(tmp_path: Path) -> None:
    """Two worker processes parse and extract; SIGKILL the build once it has stored its
    first article, while the workers are busy with later batches: they must go with it
    at once (orphans would finish their batch, or worse, keep the CPU and memory)."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(6):  # 6 x 113 pieces: the workers are mid-batch when the build dies
        for seed in sorted(SEEDS.glob("*.txt")):
            (corpus / f"{i}_{seed.name}").write_text(seed.read_text(encoding="utf-8") + f"\n\nCopy {i}.\n",
                                                    encoding="utf-8")
    proc = subprocess.Popen([str(KG_BIN), "build", str(corpus), "--store", str(tmp_path / "s"), "--jobs", "2"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "KG_TEST_KILL_AFTER": "article"}, start_new_session=True)
    assert proc.wait(timeout=300) == -signal.SIGKILL, "the kill hook did not fire"
    deadline = time.monotonic() + 0.3  # a batch takes a worker about a second
    while _session_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _session_members(proc.pid) == [], "worker processes outlived the killed build"
