"""The CLI on the seed store: analysis commands, exit codes, and a light `kg --help`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from kg.cli.main import app

runner = CliRunner()


def _json(args: list[str]) -> object:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_help_loads_no_heavy_module() -> None:
    code = ("import sys; from typer.testing import CliRunner; from kg.cli.main import app; "
            "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; "
            "heavy = [m for m in ('spacy', 'neo4j', 'pyoxigraph', 'rdflib', 'wordllama') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_command_has_help() -> None:
    for cmd in ("build", "claims", "stats", "export", "flags", "conflicts", "entities", "show"):
        result = runner.invoke(app, [cmd, "--help"])
        assert result.exit_code == 0, cmd
        assert "--store" in result.output or cmd == "build" or "--help" in result.output


def test_conflicts_show_ban_status_and_stance(seed_store: Path) -> None:
    rows = _json(["conflicts", "--pairs", "--store", str(seed_store), "-f", "json"])
    assert isinstance(rows, list)
    status = [r for r in rows if r["kind"] == "status"]
    assert any("has imposed an export ban" in r["text_b"] or "has imposed an export ban" in r["text_a"]
               for r in status)
    stance = [r for r in rows if r["kind"] == "stance"]
    # 001 says Anthropic advocated intervention; 004 that it voiced strong disagreement
    assert any("disagreement" in (r["text_a"] + r["text_b"]) and "advocated" in (r["text_a"] + r["text_b"])
               for r in stance)
    for r in rows:  # every explanation quotes both spans
        assert r["explanation"].count('"') >= 4


def test_flags_and_fail_on(seed_store: Path) -> None:
    rows = _json(["flags", "--store", str(seed_store), "-f", "json"])
    assert isinstance(rows, list)
    unsupported = [r for r in rows if r["kind"] == "unsupported"]
    assert any("has imposed an export ban" in r["explanation"] for r in unsupported)
    assert all(r["rule"] and r["evidence"] for r in rows)
    result = runner.invoke(app, ["flags", "--store", str(seed_store), "--fail-on", "any", "-f", "json"])
    assert result.exit_code == 1


def test_entities_resolve_the_typo(seed_store: Path) -> None:
    rows = _json(["entities", "--store", str(seed_store), "-f", "json"])
    assert isinstance(rows, list)
    anthropic = next(r for r in rows if r["name"] == "Anthropic")
    assert "Anthopic" in anthropic["aliases"]


def test_show_claim_with_chain(seed_store: Path) -> None:
    claims = _json(["claims", "--store", str(seed_store), "-f", "json"])
    assert isinstance(claims, list)
    ft = next(c for c in claims if c["text"].startswith("According to the Financial Times, US officials"))
    info = _json(["show", ft["id"], "--store", str(seed_store), "-f", "json"])
    assert isinstance(info, dict)
    assert [s["name"] for s in info["chain"]] == ["Financial Times", "US officials"]
    result = runner.invoke(app, ["show", "nope", "--store", str(seed_store)])
    assert result.exit_code == 2 and "E206" in result.output


def test_graphml_export_of_the_seeds_reads_back(seed_store: Path, seed_corpus: Any, tmp_path: Path) -> None:
    """Issue 21: the export crashed on any store with propositions (a Proposition's own
    ``label`` property and the node's label were both passed as ``label``)."""
    import networkx as nx

    out = tmp_path / "seeds.graphml"
    result = runner.invoke(app, ["export", "--format", "graphml", "--store", str(seed_store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out)
    kinds: dict[str, int] = {}
    for _, attrs in g.nodes(data=True):
        kinds[attrs["label"]] = kinds.get(attrs["label"], 0) + 1
    an = seed_corpus.analysis
    assert an.propositions
    assert kinds["Article"] == len(seed_corpus.articles) and kinds["Claim"] == len(seed_corpus.claims())
    assert kinds["Proposition"] == len(an.propositions)
    for p in an.propositions:
        assert g.nodes[f"Proposition:{p.id}"]["proposition_label"] == p.label
    assert g.number_of_edges() > 0
