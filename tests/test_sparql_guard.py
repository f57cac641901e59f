"""``kg sparql`` never touches the network: SERVICE is refused with E209 (issue 21).

A local HTTP server on 127.0.0.1 stands for the remote endpoint and records every request.
``test_the_server_sees_what_pyoxigraph_sends`` shows that pyoxigraph, left alone, does
call it; the others show that ``kg sparql`` (and ``run_adhoc``) never do, whatever form the
SERVICE clause takes, and that the word where it is no clause (a string, a comment, an
IRI, a variable, a prefixed name) does not stop a query.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.errors import KGError

REMOTE_ROWS = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]}}'


class Endpoint:
    def __init__(self) -> None:
        self.requests: list[str] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                endpoint.requests.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(REMOTE_ROWS)))
                self.end_headers()
                self.wfile.write(REMOTE_ROWS)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    ep = Endpoint()
    thread = threading.Thread(target=ep.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield ep
    ep.server.shutdown()
    ep.server.server_close()


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    from pyoxigraph import Literal, NamedNode, Quad, Store

    root = tmp_path / ".kg"
    root.mkdir()
    st = Store(str(root / "oxigraph"))
    st.add(Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal("SERVICE"),
                NamedNode("http://example.org/g")))
    st.flush()
    del st
    return root


def _sparql(root: Path, text: str) -> object:
    return CliRunner().invoke(app, ["sparql", "-", "--store", str(root), "-f", "json"], input=text)


def test_the_server_sees_what_pyoxigraph_sends(endpoint: Endpoint) -> None:
    """The detector works: pyoxigraph, asked directly, does send the request."""
    from pyoxigraph import Store

    rows = list(Store().query(f"SELECT ?x WHERE {{ SERVICE <{endpoint.url}> {{ ?s ?p ?x }} }}"))
    assert endpoint.requests and len(rows) == 1


REMOTE = [
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?x }} }}",
    "select * where {{ sErViCe <{url}> {{ ?s ?p ?x }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?x }} }}",
    "SELECT * WHERE {{ {{ SELECT ?x WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?x }} }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?x }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }} }}",
    "ASK {{ SERVICE SILENT <{url}> {{ ?s ?p ?x }} }}",
    "CONSTRUCT {{ ?s ?p ?x }} WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?x }} }}",
    "SELECT * WHERE {{ ?s ?p ?o.SERVICE SILENT <{url}> {{ ?s ?p ?x }} }}",
    "SELECT * WHERE {{ ?s ?p \"#\" . SERVICE # a comment\n SILENT <{url}> {{ ?s ?p ?x }} }}",
]


@pytest.mark.parametrize("template", REMOTE, ids=[f"remote-{i}" for i in range(len(REMOTE))])
def test_service_is_refused_and_nothing_is_sent(endpoint: Endpoint, store_dir: Path, template: str) -> None:
    result = _sparql(store_dir, template.format(url=endpoint.url))
    assert result.exit_code == 2, result.output
    assert "[E209]" in result.output and "Traceback" not in result.output
    assert endpoint.requests == []


def test_run_adhoc_refuses_service_too(endpoint: Endpoint) -> None:
    """The library call (what `kg serve`'s /sparql will use) refuses it by itself."""
    from pyoxigraph import Store

    from kg.query import named as queries

    with pytest.raises(KGError) as err:
        queries.run_adhoc(Store(), f"SELECT * WHERE {{ SERVICE SILENT <{endpoint.url}> {{ ?s ?p ?x }} }}")
    assert err.value.code.name == "E209" and endpoint.requests == []


LOCAL = [
    'SELECT ?o WHERE { ?s ?p ?o FILTER(?o = "SERVICE") }',
    "SELECT ?o WHERE { ?s ?p ?o FILTER(?o != '''SERVICE <http://127.0.0.1:9/> { }''') }",
    "SELECT ?o WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }",
    "SELECT ?service WHERE { ?s ?p ?service }",
    "PREFIX ex: <http://example.org/> SELECT ?o WHERE { ?s ?p ?o FILTER(?p != ex:SERVICE) }",
    "PREFIX service: <http://example.org/> SELECT ?o WHERE { ?s service:p ?o }",
    "SELECT ?o WHERE { ?s ?p ?o FILTER(?p != <http://example.org/SERVICE>) }",
]


@pytest.mark.parametrize("text", LOCAL, ids=[f"local-{i}" for i in range(len(LOCAL))])
def test_the_word_where_it_is_no_clause_is_fine(store_dir: Path, text: str) -> None:
    result = _sparql(store_dir, text)
    assert result.exit_code == 0, result.output


def test_guard_checks_agree() -> None:
    from kg.query.guard import parse_finds_service, scan_finds_service, uses_service

    text = r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert parse_finds_service(text) is True  # rdflib expands \u escapes; the scan does not
    assert uses_service(text)
    # only pyoxigraph's grammar knows this one (rdflib cannot parse it): the scan decides
    star = "SELECT * WHERE { << ?s ?p ?o >> ?q ?r . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert parse_finds_service(star) is None and scan_finds_service(star)
    assert not uses_service('SELECT * WHERE { ?s ?p "SERVICE" }')
