"""What reaches a terminal (issue 21): a file name or a claim holding control characters
is shown escaped, never obeyed; stored text and JSON keep the exact characters.

A file named ``in<ESC>]0;pwned<BEL><U+202E>gnp.txt`` set the terminal's title and
reversed the rest of the error line; an article with bidi controls printed them raw in
``kg claims``. Now ``kg.cli.output.printable`` escapes C0, DEL, C1 and the bidi controls in
every error line and table cell; ``--format json`` and the store are unchanged (a claim's
offsets point into its exact text).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from kg.cli.main import app

runner = CliRunner()
#: what must never reach the terminal raw (the newline ending each line aside)
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "in\x1b]0;pwned\x07\x1b[2J\u202egnp\x9b31m.txt"
BIDI_TEXT = ("The agency fined the company 5 million dollars on Monday after a long review "
             "of the \u202ereport\u202c and the \u2067files\u2069.\n")


def _kg(*args: str) -> Result:
    return runner.invoke(app, list(args), env={"COLUMNS": "400"})


def test_printable_escapes_every_control() -> None:
    from kg.cli.output import printable

    assert printable("a\x1b[31mb\x07c\x7fd\x9be\u202ef\u2066g\u200eh\nA\tB") == (
        "a\\x1b[31mb\\x07c\\x7fd\\x9be\\u202ef\\u2066g\\u200eh\\x0aA\\x09B")
    assert printable("café, 東京, emoji 👍, Arabic مرحبا") == "café, 東京, emoji 👍, Arabic مرحبا"


def test_file_name_with_escape_sequences_is_escaped_in_the_error_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / HOSTILE).write_bytes(b"")  # empty: E101, an error line naming the file
    r = _kg("build", str(src), "--store", str(tmp_path / ".kg"), "-f", "json")
    assert r.exit_code == 2, r.output
    stderr = r.stderr
    assert "[E101]" in stderr
    assert not RAW.search(stderr), repr(stderr)
    assert "in\\x1b]0;pwned\\x07\\x1b[2J\\u202egnp\\x9b31m.txt" in stderr
    # the JSON summary is data: the name exactly as it is
    skipped = json.loads(r.stdout)["skipped"]
    assert [s["code"] for s in skipped] == ["E101"] and HOSTILE in skipped[0]["message"]


def test_bidi_controls_in_claims_are_escaped_in_tables_only(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(BIDI_TEXT, encoding="utf-8")
    store = str(tmp_path / ".kg")
    assert _kg("build", str(src), "--store", store).exit_code == 0
    table = _kg("claims", "--store", store)
    assert table.exit_code == 0
    assert not RAW.search(table.stdout), repr(table.stdout)
    assert "\\u202ereport\\u202c" in table.stdout
    rows = json.loads(_kg("claims", "--store", store, "-f", "json").stdout)
    [claim] = [c for c in rows if "report" in c["text"]]
    assert "\u202ereport\u202c" in claim["text"] and "\u2067files\u2069" in claim["text"]
    text = (src / "a.txt").read_text(encoding="utf-8").strip()
    assert text[claim["start"]:claim["end"]] == claim["text"]
    shown = _kg("show", claim["id"], "--store", store)
    assert shown.exit_code == 0, shown.output
    assert not RAW.search(shown.stdout) and "\\u202ereport" in shown.stdout
