"""What a user reads when the store's disk is full or a build holds the store (issue 21).

- A full disk under pyoxigraph (its write, flush or compaction) was E999, exit 4; it is
  E307, exit 3, and the store stays readable. pyoxigraph's OSError carries no errno, so
  the failure is raised with its own text, as measured on a 3 MB tmpfs.
- A read-only open during a build failed with "Corruption: ... MANIFEST ... may be
  corrupted" (E999) or "CURRENT: No such file" (E303: "remove it and rebuild"); while a
  process holds the store's lock it is E308: being written, retry. The lock is held by a
  real pyoxigraph writer in another process; the failing read-only open is pyoxigraph's
  error text as seen in the probe (it comes only by chance in a real race).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg.store.articles
from kg.cli.main import app
from tests.conftest import ROOT, SEEDS

runner = CliRunner()
FULL = ("IO error: No space left on device: While appending to file: {db}/000008.log: "
        "No space left on device")
CORRUPTION = ("Corruption: Corruption: IO error: No such file or directory: While open a file for random "
              "read: {db}/000041.sst: No such file or directory  The file {db}/MANIFEST-000005 may be "
              "corrupted.")


def test_full_disk_during_a_build_is_e307(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, root = tmp_path / "in", tmp_path / ".kg"
    src.mkdir()
    shutil.copy(SEEDS / "003_d7726dfd9e2ab360.txt", src)
    assert runner.invoke(app, ["build", str(src), "--store", str(root), "-j", "1"]).exit_code == 0
    before = runner.invoke(app, ["stats", "--store", str(root), "-f", "json"]).stdout
    shutil.copy(SEEDS / "001_ee2cbb9e4f7dfe8c.txt", src)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(FULL.format(db=root / "oxigraph"))

    monkeypatch.setattr(kg.store.articles, "replace_graph", full)
    result = runner.invoke(app, ["build", str(src), "--store", str(root), "-j", "1"])
    assert result.exit_code == 3, result.output  # was 4, E999
    assert "[E307]" in result.output and "No space left on device" in result.output
    monkeypatch.undo()
    after = runner.invoke(app, ["stats", "--store", str(root), "-f", "json"])
    assert after.exit_code == 0 and json.loads(after.stdout) == json.loads(before)


class _FailingReadOnly:
    """pyoxigraph's Store whose read-only open fails as it did during a build."""

    def __init__(self, db: str) -> None:
        self.db = db

    @staticmethod
    def read_only(db: str) -> object:
        raise RuntimeError(CORRUPTION.format(db=db))


@pytest.fixture
def built(seed_store: Path, tmp_path: Path) -> Path:
    root = tmp_path / ".kg"
    shutil.copytree(seed_store, root)
    return root


def test_read_during_a_build_says_retry(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pyoxigraph import Store
            st = Store({str(built / "oxigraph")!r})
            print("open", flush=True)
            sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
        import pyoxigraph

        monkeypatch.setattr(pyoxigraph, "Store", _FailingReadOnly)
        result = runner.invoke(app, ["export", "--format", "nquads", "--store", str(built)])
        assert result.exit_code == 3, result.output  # was 4, E999 "... may be corrupted"
        assert "[E308]" in result.output and "retry" in result.output
        assert "corrupt" not in result.output and "remove it" not in result.output
    finally:
        assert writer.stdin is not None
        writer.stdin.close()
        writer.wait(timeout=60)
    # the writer is gone: the same failure is now what it says, not a build in progress
    result = runner.invoke(app, ["export", "--format", "nquads", "--store", str(built)])
    assert result.exit_code == 3 and "[E303]" in result.output, result.output
    monkeypatch.undo()
    assert runner.invoke(app, ["stats", "--store", str(built)]).exit_code == 0
