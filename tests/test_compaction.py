"""Store compaction after a build (kg.store.compact): when it runs, what it keeps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import store as kgstore
from kg.pipeline import build
from tests.conftest import SEEDS


def _fill(st: ox.Store, graphs: int, per_graph: int = 200) -> None:
    """Many small transactions and flushes, as a build writes: many level-0 files."""
    p = ox.NamedNode("https://example.org/p")
    for g in range(graphs):
        name = ox.NamedNode(f"https://example.org/g/{g}")
        st.extend([ox.Quad(ox.NamedNode(f"https://example.org/s/{g}/{i}"), p, ox.Literal(f"v{i}"), name)
                   for i in range(per_graph)])
        st.flush()


class Counted:
    """The store, counting its compactions (what they gain is measured in benchmarks/)."""

    def __init__(self, st: ox.Store) -> None:
        self.st, self.calls = st, 0

    def optimize(self) -> None:
        self.calls += 1
        self.st.optimize()


def test_compaction_keeps_every_quad(tmp_path: Path) -> None:
    root = tmp_path / "s"
    st = kgstore.open_store(root)
    _fill(st, 12)
    quads = set(st)
    counted = Counted(st)
    assert kgstore.compact(root, counted, written=12, articles=12, mode="auto")  # type: ignore[arg-type]
    assert counted.calls == 1
    assert set(st) == quads
    assert json.loads((root / "compaction.json").read_text()) == {"written": 0}
    del st, counted
    assert set(kgstore.open_store(root, read_only=True)) == quads


def test_small_rebuilds_add_up_before_compacting(tmp_path: Path) -> None:
    root = tmp_path / "s"
    st = kgstore.open_store(root)
    _fill(st, 2)
    assert kgstore.compact(root, st, written=100, articles=100), "a first build always compacts"
    for _ in range(9):  # 1% each: 9% since the compaction, not yet due
        assert not kgstore.compact(root, st, written=1, articles=100)
    assert json.loads((root / "compaction.json").read_text()) == {"written": 9}
    assert kgstore.compact(root, st, written=1, articles=100), "the tenth 1% rebuild reaches 10%"
    assert not kgstore.compact(root, st, written=0, articles=100), "nothing written, nothing to do"


@pytest.mark.parametrize("mode,expected", [("never", False), ("always", True)])
def test_mode_overrides_the_count(tmp_path: Path, mode: str, expected: bool) -> None:
    root = tmp_path / "s"
    st = kgstore.open_store(root)
    _fill(st, 2)
    (root / "compaction.json").write_text('{"written": 0}')
    assert kgstore.compact(root, st, written=0 if expected else 50, articles=100, mode=mode) is expected


def test_unreadable_count_compacts_once(tmp_path: Path) -> None:
    root = tmp_path / "s"
    st = kgstore.open_store(root)
    _fill(st, 2)
    (root / "compaction.json").write_text("{not json")
    assert kgstore.compact(root, st, written=0, articles=100)
    assert json.loads((root / "compaction.json").read_text()) == {"written": 0}


def test_build_reports_compaction(seed_store: Path, tmp_path: Path) -> None:
    """The seed build compacted (a first build); an unchanged rebuild does not; editing one
    of the five articles (20%) does."""
    root = tmp_path / ".kg"
    shutil.copytree(seed_store, root)
    assert json.loads((root / "compaction.json").read_text()) == {"written": 0}
    assert not build([SEEDS], root).compacted
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nThe agency denied the report.\n", encoding="utf-8")
    report = build([corpus], root)
    assert report.parsed == 1 and report.compacted
    assert "compact" in report.seconds


@pytest.mark.parametrize("mode,expected", [("never", False), ("always", True)])
def test_cli_compact_option(seed_store: Path, tmp_path: Path, mode: str, expected: bool) -> None:
    from typer.testing import CliRunner

    from kg.cli.main import app

    root = tmp_path / ".kg"
    shutil.copytree(seed_store, root)
    done = CliRunner().invoke(app, ["build", str(SEEDS), "--store", str(root), "--compact", mode, "-f", "json"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["compacted"] is expected and summary["parsed"] == 0
