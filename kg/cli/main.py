"""``kg``: build and question a claim-verification knowledge graph.

Exit codes: 0 ok; 1 findings (``--fail-on``, ``kg check`` violations);
2 usage or input error; 3 store or server error; 4 internal error.
"""

from __future__ import annotations

import typer

from kg.cli import analysis as analysis_cmd
from kg.cli import build as build_cmd
from kg.cli import inspect as inspect_cmd
from kg.cli import neo4j as neo4j_cmd
from kg.cli import query as query_cmd
from kg.cli import report as report_cmd

app = typer.Typer(
    name="kg",
    help=__doc__,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode=None,
)
app.command("build")(build_cmd.build)
app.command("claims")(inspect_cmd.claims)
app.command("stats")(inspect_cmd.stats)
app.command("export")(inspect_cmd.export)
app.command("report")(report_cmd.report)
app.command("flags")(analysis_cmd.flags)
app.command("conflicts")(analysis_cmd.conflicts)
app.command("entities")(analysis_cmd.entities)
app.command("show")(analysis_cmd.show)
app.command("query")(query_cmd.query)
app.command("sparql")(query_cmd.sparql)
app.command("check")(query_cmd.check)

app.command("push")(neo4j_cmd.push)
app.add_typer(neo4j_cmd.neo4j_app, name="neo4j")


def main() -> None:  # pragma: no cover - console entry
    app()


__all__ = ["app"]
