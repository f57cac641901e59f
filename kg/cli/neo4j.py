"""``kg push`` (the graph into Neo4j) and ``kg neo4j style|guide`` (Browser helpers)."""

from __future__ import annotations

from pathlib import Path

import typer

from kg.cli.output import Format, StoreOpt, emit, handle_errors, store_path
from kg.errors import E, KGError
from kg.neo4j.push import BATCH_SIZE

neo4j_app = typer.Typer(
    name="neo4j", help="Neo4j Browser helpers: a GraSS style and starter queries.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None)


@handle_errors
def push(
    uri: str = typer.Option(..., "--uri", envvar="KG_NEO4J_URI",
                            help="Bolt URI, e.g. bolt://localhost:7687 or neo4j+s://x.databases.neo4j.io."),
    user: str | None = typer.Option(None, "--user", "-u", envvar="KG_NEO4J_USER",
                                    help="User name (omit when auth is off)."),
    password: str | None = typer.Option(None, "--password", envvar="KG_NEO4J_PASSWORD",
                                        help="Password (prompted for when --user is given without one)."),
    database: str | None = typer.Option(None, "--database", "-d", envvar="KG_NEO4J_DATABASE",
                                        help="Database name (default: the server's default)."),
    store: Path | None = StoreOpt,
    batch_size: int = typer.Option(BATCH_SIZE, "--batch-size", min=1, help="Rows per transaction."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Summary as table or json."),
) -> None:
    """Push the graph to Neo4j: constraints, then batched CREATEs (first push) or idempotent MERGEs; stale data is deleted.

    Exit 3 when the server is unreachable (E304), refuses the credentials (E305) or a
    write fails (E306; the failed batch is rolled back, push again).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kg.graph.pgraph import project
    from kg.neo4j.batches import check_uri
    from kg.neo4j.push import push_corpus
    from kg.store import load_corpus

    if fmt is Format.csv:
        raise KGError(E.E207, option="--format", detail="push prints table or json")
    check_uri(uri)
    if user and password is None:
        password = typer.prompt(f"Neo4j password for {user}", hide_input=True)
    auth = (user, password or "") if user else None
    pg = project(load_corpus(store_path(store)))
    with Progress(TextColumn("pushing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  disable=fmt is not Format.table, transient=True) as bar:
        task = bar.add_task("rows", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        res = push_corpus(pg, uri, auth, database, batch_size, tick)
    summary = {"uri": uri, "database": database, "nodes": res.nodes, "relationships": res.rels,
               "mode": res.mode, "written": res.written, "deleted": res.deleted, "skipped": res.skipped,
               "seconds": round(res.seconds, 3), "rows_per_second": round(res.rate, 1)}
    if fmt is Format.json:
        emit([], fmt, data=summary)
        return
    rows = [{"kind": "node", "name": k, "count": v} for k, v in res.nodes.items()]
    rows += [{"kind": "relationship", "name": k, "count": v} for k, v in res.rels.items()]
    rows += [{"kind": "push", "name": k, "count": summary[k]}
             for k in ("mode", "written", "deleted", "skipped", "seconds", "rows_per_second")]
    emit(rows, Format.table, title=f"kg push -> {uri}" + (f" ({database})" if database else ""))


def _print_resource(name: str) -> None:
    from kg.resources import resource

    typer.echo(resource("neo4j", name).read_text(encoding="utf-8"), nl=False)


@neo4j_app.command("style")
@handle_errors
def style() -> None:
    """Print the GraSS style for Neo4j Browser (paste it after `:style`)."""
    _print_resource("style.grass")


@neo4j_app.command("guide")
@handle_errors
def guide() -> None:
    """Print starter Cypher queries (with comments) for exploring the pushed graph."""
    _print_resource("guide.cypher")
