"""``kg report``: contested and flagged claims as HTML, Markdown, JSON-LD or CSV files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from kg.cli.output import StoreOpt, handle_errors, printable, store_path


class ReportFormat(StrEnum):
    html = "html"
    md = "md"
    jsonld = "jsonld"
    csv = "csv"


@handle_errors
def report(
    fmt: ReportFormat = typer.Option(ReportFormat.html, "--format", "-f",
                                     help="html (one self-contained page), md, jsonld (schema.org ClaimReview) or csv."),
    out: Path = typer.Option(Path("reports"), "--out", "-o", help="Folder to write into (files are replaced atomically)."),
    proposition: str | None = typer.Option(None, "--proposition", help="Only this proposition (id or unique id prefix)."),
    entity: str | None = typer.Option(None, "--entity", help="Only items whose claims mention this entity (name or alias)."),
    base_url: str | None = typer.Option(None, "--base-url",
                                        help="Where the HTML report will be published; ClaimReview urls point at its anchors."),
    store: Path | None = StoreOpt,
) -> None:
    """Write a report of contested or flagged claims: evidence, never a verdict. Prints the paths written."""
    from kg.report import write_report
    from kg.store import load_corpus

    corpus = load_corpus(store_path(store))
    for path in write_report(corpus, fmt.value, out, proposition=proposition, entity=entity,
                             base_url=base_url):
        typer.echo(printable(str(path)))
