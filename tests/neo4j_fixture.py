"""pytest plugin: a real Neo4j server for tests.

Enable it once, in tests/conftest.py:

    pytest_plugins = ["tests.neo4j_fixture"]

Fixtures:
  neo4j_local_build  session: builds tools/neo4j-server (Maven) or skips/fails (see below)
  neo4j_uri          session: Bolt URI -- $KG_NEO4J_URI if set, else a dev server started
                     from tools/neo4j-server for the whole session
  neo4j_auth         session: None, or (user, password) from $KG_NEO4J_USER/$KG_NEO4J_PASSWORD
  neo4j_driver       session: a neo4j.Driver for neo4j_uri
  clean_neo4j        function: runs MATCH (n) DETACH DELETE n first, gives the driver

Without Java 17 + Maven (or when the build fails) the tests that need Neo4j are skipped,
unless CI=true or KG_REQUIRE_NEO4J=1, where they fail instead.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, NoReturn

import pytest

from tools.neo4j_server import Neo4jServerError, build_server, start_server

if TYPE_CHECKING:
    from neo4j import Driver

HOW_TO_ENABLE = (
    "to run the Neo4j tests install Java 17+ and Maven 3.8+ and run `make neo4j-build` "
    "(tools/neo4j-server/run.sh --build-only), or point KG_NEO4J_URI (plus KG_NEO4J_USER / "
    "KG_NEO4J_PASSWORD) at a Neo4j 5 server"
)


def neo4j_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("KG_REQUIRE_NEO4J") == "1"


def _unavailable(reason: str) -> NoReturn:
    if neo4j_required():
        pytest.fail(f"Neo4j required (CI=true or KG_REQUIRE_NEO4J=1) but: {reason}", pytrace=False)
    pytest.skip(f"Neo4j unavailable: {reason}; {HOW_TO_ENABLE}")


@pytest.fixture(scope="session")
def neo4j_local_build() -> None:
    """The local dev server is built (Java + Maven present); skip or fail otherwise."""
    try:
        build_server()
    except Neo4jServerError as exc:
        _unavailable(str(exc))


@pytest.fixture(scope="session")
def neo4j_auth() -> tuple[str, str] | None:
    user = os.environ.get("KG_NEO4J_USER")
    if os.environ.get("KG_NEO4J_URI") and user:
        return (user, os.environ.get("KG_NEO4J_PASSWORD", ""))
    return None


@pytest.fixture(scope="session")
def neo4j_uri(request: pytest.FixtureRequest) -> Iterator[str]:
    external = os.environ.get("KG_NEO4J_URI")
    if external:
        yield external
        return
    request.getfixturevalue("neo4j_local_build")
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(start_server())
        except Neo4jServerError as exc:  # built, but it does not start: a real failure
            pytest.fail(f"Neo4j dev server did not start: {exc}", pytrace=False)
        yield server.bolt_uri


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str, neo4j_auth: tuple[str, str] | None) -> Iterator[Driver]:
    import neo4j

    driver = neo4j.GraphDatabase.driver(neo4j_uri, auth=neo4j_auth)
    try:
        driver.verify_connectivity()
        yield driver
    finally:
        driver.close()


@pytest.fixture
def clean_neo4j(neo4j_driver: Driver) -> Driver:
    """The session driver, on an emptied database (nodes and relationships only)."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    return neo4j_driver
