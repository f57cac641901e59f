"""Shared CLI plumbing: output formats, error handling, the store option."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
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


#: what a terminal obeys instead of showing: C0 (ESC starts a colour, a title, a cursor
#: move; BEL, BS, CR overwrite), DEL, C1 (CSI 0x9b), the Unicode line and paragraph
#: separators, and the bidi controls that reorder what follows (U+202E shows "txt.exe" as
#: "exe.txt")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` for a terminal: each control character as a visible escape (``\\x1b``,
    ``\\u202e``). Only what is printed as a line or a table is escaped; stored text, JSON
    and CSV keep the exact characters (claim offsets point into them)."""
    return _CONTROLS.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def err(message: str) -> None:
    """One line on stderr: ``kg: message``, with control characters escaped (a file name
    may hold any of them)."""
    typer.echo(f"kg: {printable(message)}", err=True)


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
        for r in rows:  # a cell that would start a spreadsheet formula gets a leading '
            w.writerow({k: _csv_cell(r.get(k)) for k in cols})
        sys.stdout.write(buf.getvalue())
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(printable(title)) if title else None, show_lines=False)
    for c in cols:
        table.add_column(c, overflow="fold")
    for r in rows:  # Text: never read as markup; printable: never obeyed by the terminal
        table.add_row(*(Text(printable(_cell(r.get(c)))) for c in cols))
    Console().print(table)


def _csv_cell(v: Any) -> str:
    from kg.report.csvout import cell

    return cell(v if isinstance(v, int | float) else _cell(v))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return "; ".join(str(x) for x in v)
    return str(v)


def store_path(opt: Path | None) -> Path:
    from kg.store import store_dir

    return store_dir(opt)
