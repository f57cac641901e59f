"""Shared CLI plumbing: output formats, error handling, the store option."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import typer

from kg.errors import EXIT_INTERNAL, KGError

F = TypeVar("F", bound=Callable[..., Any])


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


StoreOpt = typer.Option(None, "--store", envvar="KG_STORE",
                        help="Store directory (default .kg in the working directory).")
FormatOpt = typer.Option(Format.table, "--format", "-f", help="Output: table, json or csv.")


def err(message: str) -> None:
    typer.echo(f"kg: {message}", err=True)


def handle_errors(fn: F) -> F:
    """Turn a KGError into its one-line message and exit code; never show a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KGError as e:
            err(str(e))
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            err("interrupted; the store is left as it was before the unfinished article.")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as e:  # a bug: say so plainly, with the code to report
            err(f"[E999] internal error: {type(e).__name__}: {e}. Please report it.")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def emit(rows: Sequence[dict[str, Any]], fmt: Format, columns: Sequence[str] | None = None,
         title: str | None = None, data: Any = None) -> None:
    """Print rows as a Rich table, JSON (``data`` if given, else rows) or CSV."""
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.json:
        typer.echo(json.dumps(rows if data is None else data, ensure_ascii=False, indent=2))
        return
    if fmt is Format.csv:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: _cell(r.get(k)) for k in cols})
        sys.stdout.write(buf.getvalue())
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*(Text(_cell(r.get(c))) for c in cols))  # Text: never read as markup
    Console().print(table)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return "; ".join(str(x) for x in v)
    return str(v)


def store_path(opt: Path | None) -> Path:
    from kg.store import store_dir

    return store_dir(opt)
