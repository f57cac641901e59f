"""``kg sparql --timeout`` (issue 21): a query still running after the limit is stopped,
its process killed, and the user gets E210 (exit 2) instead of a command that never ends.

pyoxigraph cannot be interrupted from Python, so the query runs in a forked child that
opens the store itself (``kg.query.timed``); these tests run a cross join of the seed
store's triples with itself (85 million rows to count: about 30 s on this machine) under
a one-second limit, and check that the answers of quick queries, and the errors of bad
ones, come back from the child as they were in-process.
"""

from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from kg.cli.main import app
from kg.errors import E, InputError, KGError, StoreError

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _sparql(root: Path, text: str, *options: str) -> Result:
    return CliRunner().invoke(app, ["sparql", "-", "--store", str(root), "-f", "json", *options], input=text)


def _children() -> list[int]:
    """Processes whose parent is this one (Linux /proc)."""
    me, found = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts child processes in /proc")
def test_slow_query_is_stopped_at_the_limit(seed_store: Path) -> None:
    before = _children()
    start = time.monotonic()
    r = _sparql(seed_store, SLOW, "--timeout", "1")
    took = time.monotonic() - start
    assert r.exit_code == 2, r.output
    assert "[E210]" in r.stderr and "longer than 1 s" in r.stderr, r.stderr
    assert r.stdout == ""
    assert took < 15, took  # the query alone takes about 30 s
    assert _children() == before  # the query's process is killed and reaped, not left running


def test_quick_queries_answer_as_before(seed_store: Path) -> None:
    from kg.query.named import run_adhoc
    from kg.store import opened

    with opened(seed_store, read_only=True) as st:
        _, want = run_adhoc(st, COUNT)
    for options in ((), ("--timeout", "30"), ("--timeout", "0")):
        r = _sparql(seed_store, COUNT, *options)
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout) == want


def test_errors_come_back_coded(seed_store: Path, tmp_path: Path) -> None:
    r = _sparql(seed_store, "SELECT * WHERE {")
    assert r.exit_code == 2 and "[E205]" in r.stderr, r.output
    r = _sparql(tmp_path / "nothing", COUNT)
    assert r.exit_code == 3 and "[E302]" in r.stderr, r.output
    r = _sparql(seed_store, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert r.exit_code == 2 and "[E204]" in r.stderr, r.output


def test_coded_errors_pickle_whole() -> None:
    """The child sends its error through a pipe: code, fields, class and message survive."""
    for err in (InputError(E.E205, detail="x"), StoreError(E.E302, path=Path("/s")), KGError(E.E210, seconds="1")):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and back.code is err.code and back.fields == err.fields
        assert str(back) == str(err)
