"""`kg check` compares the record cache with the RDF graphs (kg.store.verify), and the
analysis is stored by one writer in a fixed order (kg.store.save_analysis).

Each test corrupts one side of a copy of the seed store, as a kill, a hand edit or a
SPARQL update could, and expects `kg check` to exit 1 naming the file and the id; where
the message says how to repair, the repair is followed and the store checks clean again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg import store as kgstore
from kg.cli.main import app
from kg.graph.ns import GRAPH_ANALYSIS, KG_NS, article_graph
from kg.pipeline import build
from kg.store.sync import stored_digest
from tests.conftest import SEEDS

runner = CliRunner()


@pytest.fixture
def root(seed_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / ".kg"
    shutil.copytree(seed_store, copy)
    return copy


def _check(root: Path) -> tuple[int, list[dict[str, Any]], str]:
    r = runner.invoke(app, ["check", "--store", str(root), "-f", "json"])
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.stdout), r.stderr


def _store_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in rows if v["shape"].startswith("Store-")]


def _update(root: Path, sparql: str) -> None:
    st = kgstore.open_store(root)
    st.update(sparql)
    st.flush()
    del st


def _analysis(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / "analysis.json").read_text(encoding="utf-8"))
    return data


def _first_claim(root: Path) -> tuple[str, str]:
    """(article id, claim id) of the first claim of the first article."""
    g = kgstore.load_corpus(root).articles[0]
    return g.article.id, g.claims[0].id


def test_clean_build_agrees(root: Path) -> None:
    code, rows, stderr = _check(root)
    assert code == 0 and rows == [], rows
    assert "record cache agrees" in stderr


def test_conflict_deleted_from_analysis_json(root: Path) -> None:
    data = _analysis(root)
    gone = data["conflicts"].pop(0)["id"]
    (root / "analysis.json").write_text(json.dumps(data), encoding="utf-8")
    code, rows, stderr = _check(root)
    assert code == 1
    assert _store_rows(rows) == [{
        "shape": "Store-conflict", "focus": f"conflict/{gone}", "graph": "analysis", "path": None,
        "value": "analysis.json", "severity": "Violation",
        "message": f"the analysis graph holds conflict {gone}, which analysis.json does not list; "
                   "run `kg build` again on the same inputs."}]
    assert "1 disagreements between the record cache and the graphs" in stderr
    # the advice holds: the build writes analysis.json again (the graph was right)
    build([SEEDS], root)
    assert _check(root)[0] == 0


def test_changed_analysis_record_is_caught_by_the_digest(root: Path) -> None:
    data = _analysis(root)
    data["flags"][0]["explanation"] = "edited by hand"
    (root / "analysis.json").write_text(json.dumps(data), encoding="utf-8")
    code, rows, _ = _check(root)
    assert code == 1
    assert [v["shape"] for v in _store_rows(rows)] == ["Store-analysis"]
    assert "digest differs" in rows[-1]["message"] and "analysis.json" in rows[-1]["message"]


def test_flag_dropped_from_the_analysis_graph(root: Path) -> None:
    flag = _analysis(root)["flags"][0]["id"]
    _update(root, f"DELETE WHERE {{ GRAPH <{GRAPH_ANALYSIS}> {{ <https://w3id.org/kg-claims/id/flag/{flag}> "
                  f"a <{KG_NS}Flag> }} }}")
    code, rows, _ = _check(root)
    assert code == 1
    (found,) = [v for v in _store_rows(rows) if v["focus"] == f"flag/{flag}"]
    # analysis.json and the graph's digest agree: the graph was changed after the build, and a
    # rebuild would not see it (its digest says it is up to date), so the advice is a new store
    assert "missing from the analysis graph" in found["message"]
    assert "remove the store directory and build it again" in found["message"]


def test_claim_triple_dropped_from_an_article_graph(root: Path) -> None:
    claims = len(kgstore.load_corpus(root).claims())
    aid, cid = _first_claim(root)
    _update(root, f"DELETE DATA {{ GRAPH <{article_graph(aid)}> {{ "
                  f"<https://w3id.org/kg-claims/id/claim/{cid}> a <{KG_NS}Claim> }} }}")
    code, rows, _ = _check(root)
    assert code == 1
    (found,) = _store_rows(rows)
    assert found["shape"] == "Store-claim" and found["focus"] == f"claim/{cid}" and found["graph"] == aid
    assert found["value"] == f"cache/{aid}.json"
    assert found["message"].startswith(f"claim {cid} of cache/{aid}.json is missing from article graph {aid}; "
                                       f"remove cache/{aid}.json and run `kg build` again")
    (root / "cache" / f"{aid}.json").unlink()  # the advice: the article is parsed again
    rep = build([SEEDS], root)
    assert rep.parsed == 1 and rep.claims == claims
    assert _check(root)[0] == 0


def test_cache_entry_deleted(root: Path) -> None:
    aid, _ = _first_claim(root)
    (root / "cache" / f"{aid}.json").unlink()
    code, rows, _ = _check(root)
    assert code == 1
    (found,) = _store_rows(rows)
    assert found["shape"] == "Store-article" and found["focus"] == f"article/{aid}"
    assert f"no entry cache/{aid}.json" in found["message"] and "kg build" in found["message"]
    assert build([SEEDS], root).parsed == 1
    assert _check(root)[0] == 0


def test_leftover_cache_entry_is_reported_and_removed_by_the_next_build(root: Path) -> None:
    aid, _ = _first_claim(root)
    shutil.copy(root / "cache" / f"{aid}.json", root / "cache" / "0123456789abcdef.json")
    code, rows, _ = _check(root)
    assert code == 1
    (found,) = _store_rows(rows)
    assert found["focus"] == "article/0123456789abcdef"
    assert "cache/0123456789abcdef.json has no article graph" in found["message"]
    rep = build([SEEDS], root)
    assert rep.parsed == 0 and not (root / "cache" / "0123456789abcdef.json").exists()
    assert _check(root)[0] == 0


def test_save_analysis_writes_records_then_graph_then_memo(root: Path) -> None:
    """The order its docstring promises: when the hook runs (the "analysis-cache"
    checkpoint), analysis.json is new and the graph still old; after it returns, the
    graph holds the new records and the memo describes that graph."""
    from kg.store import memo

    corpus = kgstore.load_corpus(root)
    gone = corpus.analysis.conflicts.pop(0).id
    seen: dict[str, object] = {}
    with kgstore.opened(root) as st:
        old = stored_digest(st, GRAPH_ANALYSIS)

        def hook() -> None:
            seen["json"] = {k["id"] for k in _analysis(root)["conflicts"]}
            seen["graph"] = stored_digest(st, GRAPH_ANALYSIS)
            seen["memo"] = memo.digest(root / "analysis.sqlite")

        kgstore.save_analysis(root, st, corpus, records_saved=hook)
        new = stored_digest(st, GRAPH_ANALYSIS)
        disagree = kgstore.disagreements(root, st)
    assert gone not in seen["json"]  # type: ignore[operator]
    assert seen["graph"] == old == seen["memo"]
    assert new != old and memo.digest(root / "analysis.sqlite") == new
    assert disagree == []


def test_one_source_spelt_two_ways_checks_clean(tmp_path: Path) -> None:
    """Issue 21: "Analysts said" (a capital only because the sentence starts) in one article
    and "... analysts said" in another were one source id with two names, so `kg check`
    exited 1 (Source-name) on a clean build. The name is now lower-cased and the id is the
    hash of the name as kept: one source, one name."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Markets fell sharply on Monday.\n\n"
                               "Analysts said the central bank would raise interest rates in March.\n",
                               encoding="utf-8")
    (src / "b.txt").write_text("Oil prices rose on Tuesday.\n\n"
                               "On Tuesday, analysts said the pipeline would reopen next week.\n",
                               encoding="utf-8")
    root = tmp_path / ".kg"
    build([src], root)
    code, rows, _ = _check(root)
    assert code == 0 and rows == [], rows
    names: dict[str, set[str]] = {}
    for g in kgstore.load_corpus(root).articles:
        for s in g.sources:
            names.setdefault(s.id, set()).add(s.name)
    analysts = [n for ns in names.values() for n in ns if n.casefold() == "analysts"]
    assert analysts == ["analysts"], names
    assert all(len(ns) == 1 for ns in names.values()), names
