"""``kg build``: articles in, graph out."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from kg.cli.output import Format, StoreOpt, emit, err, handle_errors, store_path
from kg.errors import EXIT_INPUT, EXIT_OK


class Compact(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


@handle_errors
def build(
    paths: list[Path] = typer.Argument(..., help="Files or folders of .txt, .md, .html, .jsonl."),
    store: Path | None = StoreOpt,
    manifest: Path | None = typer.Option(
        None, "--manifest", help="JSON manifest: {file name: {url, publisher, published, title}}."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Summary as table or json."),
    jobs: int = typer.Option(
        0, "--jobs", "-j", min=0,
        help="Worker processes that parse and extract; 0 (default) uses one per CPU (up to 4) "
             "for larger batches, 1 works in this process (the analysis too: no forked "
             "conflict rules)."),
    compact: Compact = typer.Option(
        Compact.auto, "--compact",
        help="Compact the store's files at the end: auto (after a build that wrote 10% of the "
             "articles or more, counting the builds since the last compaction), always, never."),
    follow_symlinks: bool = typer.Option(
        False, "--follow-symlinks",
        help="Read the files that symlinks inside the input folders point to (only regular "
             "files outside /proc, /sys and /dev); without it such symlinks are skipped (E115)."),
) -> None:
    """Build (or update) the graph from articles. Unchanged articles are not parsed again.

    Exit 0 when every input was built, 2 when some inputs were skipped (the good
    ones are still built), 3 when the store cannot be written.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kg.pipeline import build as run

    root = store_path(store)
    show = fmt is Format.table
    with Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  disable=not show, transient=True) as bar:
        task = bar.add_task("articles", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = run(paths, root, manifest=manifest, progress=tick, n_process=jobs, compact=compact.value,
                     follow_symlinks=follow_symlinks)
    for e in report.errors:
        err(str(e))
    summary = {
        "store": str(root), "articles": report.articles_total, "parsed": report.parsed,
        "unchanged": report.unchanged, "replaced": report.replaced, "claims": report.claims,
        "entities": report.entities, "propositions": report.propositions,
        "conflicts": report.conflicts, "flags": report.flags,
        "compacted": report.compacted,
        "skipped": [{"code": e.code.name, "message": str(e)} for e in report.errors],
        "seconds": report.seconds,
    }
    if fmt is Format.json:
        emit([], fmt, data=summary)
    else:
        rows = [{"what": k, "count": v if not isinstance(v, list) else len(v)}
                for k, v in summary.items() if k not in ("store", "seconds")]
        emit(rows, Format.table, title=f"kg build -> {root}")
    raise typer.Exit(EXIT_INPUT if report.errors else EXIT_OK)
