"""No CSV that kg writes holds a spreadsheet formula (issue 21, OWASP "CSV Injection").

An article's text and the source names read from it are the article writer's: a claim
``=HYPERLINK("http://evil.example/x","report") said ...`` or a source ``+1 analysts``
ran as formulas when ``kg claims -f csv`` (and every other ``-f csv`` listing) was opened
in a spreadsheet. Every cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR now gets
a leading ``'`` (``kg.report.csvout.cell``, which the report's CSV already used); numbers
stay numbers, and JSON keeps the exact text.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.graph.ns import KG_NS, SCHEMA_NS
from kg.pipeline import build

runner = CliRunner()
HYPERLINK = '=HYPERLINK("http://evil.example/x","report") said the agency fined the company 5 million dollars.'
ARTICLE = "\n\n".join([
    "Markets fell sharply on Monday after the agency published its review.",
    HYPERLINK,
    "@SUM(1+1) The agency said the ban would end in March.",
    "+1 analysts said the market fell on Tuesday.",
]) + "\n"
STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("formulas")
    (src / "a.txt").write_text(ARTICLE, encoding="utf-8")
    root = src / ".kg"
    assert not build([src], root).errors
    return root


def _csv(*args: str) -> list[dict[str, str]]:
    r = runner.invoke(app, [*args, "-f", "csv"])
    assert r.exit_code == 0, r.output
    return list(csv.DictReader(io.StringIO(r.stdout, newline="")))


def _no_formula(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for key, value in row.items():
            assert not value.startswith(STARTS), (key, value)


def test_claims_csv_neutralises_formulas(store: Path) -> None:
    rows = _csv("claims", "--store", str(store))
    _no_formula(rows)
    texts = {r["text"] for r in rows}
    assert "'" + HYPERLINK in texts
    assert "'@SUM(1+1) The agency said the ban would end in March." in texts
    assert "'+1 analysts" in {r["source"] for r in rows}  # a source name, too
    claims = json.loads(runner.invoke(app, ["claims", "--store", str(store), "-f", "json"]).stdout)
    hyperlink = next(c for c in claims if c["text"] == HYPERLINK)  # JSON: the exact text
    assert ARTICLE[hyperlink["start"]:hyperlink["end"]] == HYPERLINK


def test_every_csv_listing_neutralises_formulas(store: Path) -> None:
    for args in (("flags",), ("conflicts",), ("entities",), ("query", "anonymous-claims")):
        _no_formula(_csv(*args, "--store", str(store)))
    r = runner.invoke(app, ["sparql", "-", "--store", str(store), "-f", "csv"],
                      input=f"SELECT ?name WHERE {{ ?s a <{KG_NS}Source> ; <{SCHEMA_NS}name> ?name }}")
    assert r.exit_code == 0, r.output
    names = list(csv.DictReader(io.StringIO(r.stdout, newline="")))
    _no_formula(names)
    assert "'+1 analysts" in {n["name"] for n in names}


def test_sparql_csv_keeps_numbers(store: Path) -> None:
    r = runner.invoke(app, ["sparql", "-", "--store", str(store), "-f", "csv"],
                      input='SELECT (-3 AS ?n) ("=1+1" AS ?t) ("-x" AS ?u) WHERE {}')
    assert r.exit_code == 0, r.output
    assert list(csv.reader(io.StringIO(r.stdout, newline=""))) == [["n", "t", "u"], ["-3", "'=1+1", "'-x"]]


def test_report_csv_neutralises_formulas(store: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["report", "-f", "csv", "--store", str(store), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text(encoding="utf-8"), newline="")))
    _no_formula(rows)
    assert "'" + HYPERLINK in {r["quote"] for r in rows}
    assert any(r["attribution"].startswith("'+1 analysts") for r in rows)
