"""Two ``kg build`` runs on one store at once: the second stops with E301 (exit 3) at once,
touches nothing, and the store stays sound (``kg stats`` works, counts equal a clean build)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.errors import EXIT_STORE, StoreError
from kg.pipeline import build
from kg.store import open_store
from tests.conftest import ROOT, SEEDS

runner = CliRunner()
KG_BIN = Path(sys.executable).parent / "kg"


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, folder / p.name)
        text = p.read_text(encoding="utf-8").replace("said", "stated")
        (folder / f"copy-{p.name}").write_text(f"Syndicated\n\n{text}", encoding="utf-8")
    return folder


def _stats(root: Path) -> dict[str, int]:
    result = runner.invoke(app, ["stats", "--store", str(root), "-f", "json"])
    assert result.exit_code == 0, result.output
    counts: dict[str, int] = json.loads(result.stdout)
    return counts


def _start(corpus: Path, root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([str(KG_BIN), "build", str(corpus), "--store", str(root), "-f", "json"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ})


def _wait_until_open(proc: subprocess.Popen[str], root: Path) -> None:
    """Until the first build has created (and so locked) the store."""
    deadline = time.monotonic() + 120
    while not (root / "oxigraph" / "CURRENT").exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the first build never opened its store"
        time.sleep(0.02)
    time.sleep(0.2)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    base = tmp_path_factory.mktemp("conc")
    corpus = _corpus(base / "corpus")
    root = base / "clean"
    assert not build([corpus], root).errors
    return corpus, _stats(root)


def test_second_build_gets_lock_error(clean: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    corpus, expected = clean
    root = tmp_path / ".kg"
    first = _start(corpus, root)
    _wait_until_open(first, root)
    second = _start(corpus, root)
    out2, err2 = second.communicate(timeout=300)
    first_still_running = first.poll() is None
    print("first build still running when the second ended:", first_still_running)
    _out1, err1 = first.communicate(timeout=300)
    assert first.returncode == 0, err1
    if first_still_running:
        assert second.returncode == EXIT_STORE, (second.returncode, err2)
        lines = [ln for ln in err2.splitlines() if ln.strip()]
        assert lines == [f"kg: [E301] store {root} is in use by another kg process; "
                         "wait for it to finish and retry."], err2
        assert out2 == ""
    else:  # the first finished before the second even started: then it simply rebuilds
        assert second.returncode == 0, err2
    assert _stats(root) == expected


def test_three_builds_at_once_one_wins(clean: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    corpus, expected = clean
    root = tmp_path / ".kg"
    first = _start(corpus, root)
    _wait_until_open(first, root)
    others = [_start(corpus, root) for _ in range(2)]
    codes = [p.wait(timeout=300) for p in others]
    first_running = first.poll() is None
    assert first.wait(timeout=300) == 0
    if first_running:
        assert codes == [EXIT_STORE, EXIT_STORE], [p.stderr.read() for p in others if p.stderr]
    assert _stats(root) == expected
    # and a later build on the same store is an unchanged rebuild with the same counts
    rep = build([corpus], root)
    assert rep.parsed == 0 and not rep.errors
    assert _stats(root) == expected


def test_lock_error_in_process(tmp_path: Path) -> None:
    """The same store opened twice (even by one process) is E301, exit code 3."""
    st = open_store(tmp_path / ".kg")
    try:
        with pytest.raises(StoreError) as info:
            open_store(tmp_path / ".kg")
        assert info.value.exit_code == EXIT_STORE and info.value.code.name == "E301"
        result = runner.invoke(app, ["build", str(SEEDS), "--store", str(tmp_path / ".kg")])
        assert result.exit_code == EXIT_STORE
        assert "[E301]" in result.stderr and "Traceback" not in result.stderr
    finally:
        del st
