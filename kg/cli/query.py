"""``kg query``, ``kg sparql``, ``kg check``: named queries, ad-hoc SPARQL, SHACL validation."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kg.cli.output import Format, FormatOpt, StoreOpt, emit, err, handle_errors, store_path
from kg.errors import EXIT_FINDINGS, EXIT_OK, E, InputError
from kg.query.timed import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from pyoxigraph import Store


@handle_errors
def query(
    name: str | None = typer.Argument(None, help="A named query; see --list."),
    param: list[str] = typer.Option([], "--param", "-p", metavar="KEY=VALUE",
                                    help="A query parameter, e.g. --param claim=ID (repeatable)."),
    list_: bool = typer.Option(False, "--list", help="List the named queries with their parameters."),
    all_: bool = typer.Option(False, "--all", help="A paged query: every page, not just the first."),
    store: Path | None = StoreOpt,
    fmt: Format = FormatOpt,
) -> None:
    """Run a named query (queries/NAME.rq) on the store; parameters are bound, never pasted in.

    A paged query (listings: flags, conflicts, an entity's claims) gives its rows a page
    at a time, in key order, with each row's `key`; the next page is
    `--param after=KEY` with the last key, and `--all` gives every page.
    """
    from kg.query import named as queries

    if list_ or name is None:
        _list(fmt)
        return
    q = queries.get(name)  # E201 before touching the store
    values = queries.bind(q, queries.parse_params(param))  # E202 / E203 / E207
    from kg.store import opened

    with opened(store_path(store), read_only=True) as st:
        _warn_if_partial(st)
        rows = (queries.run_sparql_all if all_ else queries.run_sparql)(st, q, values)
    more = q.paged and not all_ and len(rows) >= q.page
    emit(rows, fmt, columns=q.columns, title=f"{q.name} ({len(rows)} rows{', first page' if more else ''})")
    if more:
        err(f"more rows may follow; the next page: --param after={rows[-1][queries.PAGE_KEY]}"
            " (or --all for every page)")


def _warn_if_partial(st: Store) -> None:
    """A large analysis write cut off by a kill leaves the graph without its digest."""
    from kg.graph.ns import GRAPH_ANALYSIS
    from kg.store.sync import graph_state

    if graph_state(st, GRAPH_ANALYSIS) == "partial":
        _warn_partial()


def _warn_partial() -> None:
    err("warning: the analysis graph is incomplete (a build was interrupted while writing it); "
        "results may miss conflicts and flags. Run `kg build` again to complete it.")


def _list(fmt: Format) -> None:
    from kg.query import named as queries

    rows = [{"name": q.name, "description": q.description,
             "params": ", ".join(f"{p.name} ({p.type}): {p.description}" for p in q.params) or "-",
             "columns": list(q.columns)}
            for q in queries.manifest().values()]
    emit(rows, fmt, columns=["name", "params", "description"], title="named queries")


@handle_errors
def sparql(
    source: str = typer.Argument(..., metavar="FILE|-", help="A file holding one SPARQL query, or - for stdin."),
    store: Path | None = StoreOpt,
    fmt: Format = FormatOpt,
    timeout: float = typer.Option(
        DEFAULT_TIMEOUT, "--timeout", min=0, metavar="SECONDS",
        help="Stop the query after this many seconds (E210, exit 2); 0: no limit."),
) -> None:
    """Run an ad-hoc read-only SPARQL query over all graphs; updates are refused (E204), and
    so is SERVICE, which would send requests to another server (E209). A query still
    running after --timeout seconds is stopped (E210)."""
    from kg.query.timed import run_within

    if source == "-":
        text = sys.stdin.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(E.E109, path=path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(E.E113, path=path, detail=str(e)) from None
    # an update (E204) or SERVICE (E209) is refused before the store is even opened
    found = run_within(store_path(store), text, timeout)
    if found.partial:
        _warn_partial()
    emit(found.rows, fmt, columns=found.columns)


@handle_errors
def check(store: Path | None = StoreOpt, fmt: Format = FormatOpt) -> None:
    """Validate the store: SHACL (schemas/shapes.ttl), and the record cache against the RDF
    graphs (docs/store.md). Exit 0 conforms, 1 violations."""
    from dataclasses import asdict

    from kg.query.check import check_agreement, check_store
    from kg.store import opened

    root = store_path(store)
    with opened(root, read_only=True) as st:
        found = check_store(st) + check_agreement(root, st)
    rows = [asdict(v) for v in found]
    if rows or fmt is not Format.table:
        emit(rows, fmt, columns=["shape", "focus", "graph", "path", "value", "message"],
             title=f"{len(rows)} violations")
    if not rows:
        err("the store conforms to schemas/shapes.ttl, and its record cache agrees with its graphs.")
        raise typer.Exit(EXIT_OK)
    shacl = sum(not v.shape.startswith("Store-") for v in found)
    err(f"{shacl} violations of schemas/shapes.ttl, {len(found) - shacl} disagreements between "
        "the record cache and the graphs.")
    raise typer.Exit(EXIT_FINDINGS)
