"""The dev Neo4j server (tools/neo4j-server) works end to end through the Python driver."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tools.neo4j_server import start_server

if TYPE_CHECKING:
    from neo4j import Driver

# Harmless if tests/conftest.py lists the plugin too.
pytest_plugins = ["tests.neo4j_fixture"]

pytestmark = pytest.mark.neo4j


def _count(driver: Driver, label: str) -> int:
    records, _, _ = driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS c")
    return int(records[0]["c"])


def test_return_one_and_create_node(clean_neo4j: Driver) -> None:
    records, _, _ = clean_neo4j.execute_query("RETURN 1 AS x")
    assert records[0]["x"] == 1

    clean_neo4j.execute_query("CREATE (:Probe {name: $name})", name="first")
    assert _count(clean_neo4j, "Probe") == 1

    records, _, _ = clean_neo4j.execute_query(
        "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS v, edition"
    )
    assert records[0]["v"].startswith("5.")


@pytest.mark.slow
def test_restart_after_sigkill_keeps_data(neo4j_local_build: None, tmp_path: Path) -> None:
    import neo4j

    data = tmp_path / "data"
    with start_server(data_dir=data) as server:
        with neo4j.GraphDatabase.driver(server.bolt_uri, auth=None) as driver:
            driver.execute_query("CREATE (:Survivor {id: 42})")
            assert _count(driver, "Survivor") == 1
        server.kill()  # SIGKILL: no clean shutdown, no checkpoint
        assert server.process.returncode == -9

    with (
        start_server(data_dir=data) as server,
        neo4j.GraphDatabase.driver(server.bolt_uri, auth=None) as driver,
    ):
        records, _, _ = driver.execute_query("MATCH (n:Survivor) RETURN n.id AS id")
        assert [r["id"] for r in records] == [42]
        server.stop()
        assert server.process.returncode in (0, 143)  # clean exit on SIGTERM
