"""End-to-end build on the seeds: spans, acceptance claims, incremental rebuild, bad inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.model import Corpus
from kg.nlp import parse as nlp
from kg.pipeline import build
from tests.conftest import SEEDS, seed_article

runner = CliRunner()


def test_every_claim_span_is_exact(seed_corpus: Corpus) -> None:
    assert len(seed_corpus.articles) == 5
    for g in seed_corpus.articles:
        assert g.claims, g.article.source
        for c in g.claims:
            assert g.article.text[c.start:c.end] == c.text
            assert c.start < c.end


def _texts(corpus: Corpus, prefix: str) -> list[str]:
    aid = seed_article(corpus, prefix)
    return [c.text for c in corpus.claims() if c.article == aid]


def test_acceptance_claims_are_found(seed_corpus: Corpus) -> None:
    assert any("According to the Financial Times, US officials are actively considering export restrictions" in t
               for t in _texts(seed_corpus, "000"))
    assert any(t.startswith("The US government has imposed an export ban on Anthropic's AI models")
               for t in _texts(seed_corpus, "003"))
    assert any("ordered the blocking of Anthropic's Fable 5 and Mythos 5 models" in t
               for t in _texts(seed_corpus, "004"))


def test_no_navigation_line_is_a_claim(seed_corpus: Corpus) -> None:
    junk = ("Español", "Italiano", "AI Benchmark", "Learn by Doing", "READ MORE", "Guias de uso",
            "Compare GPT, Claude", "Source: Financial Times")
    for c in seed_corpus.claims():
        assert not any(j in c.text for j in junk), c.text


def test_no_question_or_heading_is_a_claim(seed_corpus: Corpus) -> None:
    texts = {c.text for c in seed_corpus.claims()}
    assert "Did Anthropic talk itself into an export ban?" not in texts
    assert "How we got here" not in texts
    assert not any(t.endswith("?") for t in texts)


def test_one_claim_per_independent_clause() -> None:
    from kg.nlp.clauses import split

    doc = nlp.load()("The agency imposed the ban in May, and the company appealed the decision in June.")
    parts = [s.text for s in split(next(iter(doc.sents)))]
    assert parts == ["The agency imposed the ban in May", "the company appealed the decision in June."]


def test_rebuild_parses_nothing_and_keeps_ids(tmp_path: Path) -> None:
    root = tmp_path / ".kg"
    first = build([SEEDS], root)
    before = nlp.PARSES
    (root / "analysis.nt").write_text("the memo of an older kg\n", encoding="utf-8")
    second = build([SEEDS], root)
    assert not (root / "analysis.nt").exists(), "an older kg's memo is removed"
    assert before == nlp.PARSES, "an unchanged rebuild must not run spaCy"
    assert second.unchanged == 5 and second.parsed == 0
    assert first.claims == second.claims
    from tests.test_rdf import same_dataset, store_dataset

    g1 = store_dataset(root)
    build([SEEDS], root)
    assert same_dataset(g1, store_dataset(root))


def test_changed_article_replaces_only_its_graph(tmp_path: Path) -> None:
    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    root = tmp_path / ".kg"
    build([src], root)
    target = src / "003_d7726dfd9e2ab360.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("has imposed", "is weighing"),
                      encoding="utf-8")
    before = nlp.PARSES
    rep = build([src], root)
    assert rep.parsed == 1 and rep.unchanged == 4 and rep.replaced == 1
    assert before < nlp.PARSES
    assert rep.articles_total == 5
    # the analysis graph, synced by its changed records only, is the one a fresh build writes
    from tests.test_rdf import same_dataset, store_dataset

    fresh = tmp_path / "fresh"
    build([src], fresh)
    assert same_dataset(store_dataset(root), store_dataset(fresh))


def test_bad_inputs_are_reported_and_good_ones_built(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "003_d7726dfd9e2ab360.txt", src / "good.txt")
    (src / "empty.txt").write_text("   \n", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (src / "latin1.txt").write_bytes("Le caf\xe9 est ferm\xe9 depuis longtemps.".encode("latin-1"))
    (src / "feed.jsonl").write_text(
        json.dumps({"text": "The ministry announced a new fine against the firm on Monday."}) + "\n{not json\n",
        encoding="utf-8")
    result = runner.invoke(app, ["build", str(src), "--store", str(tmp_path / ".kg"), "-f", "json"])
    assert result.exit_code == 2, result.output
    summary = json.loads(result.stdout)
    codes = sorted(s["code"] for s in summary["skipped"])
    assert codes == ["E101", "E102", "E103", "E104"]
    for s in summary["skipped"]:
        assert str(src) in s["message"]
    assert summary["articles"] == 2


def test_claims_json_has_offsets(seed_store: Path) -> None:
    result = runner.invoke(app, ["claims", "--store", str(seed_store), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {"id", "article", "start", "end", "text"} <= set(rows[0])


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["claims", "--store", str(tmp_path / "nope")])
    assert result.exit_code == 3
    assert "E302" in result.output


def test_worker_processes_build_the_same_graph(tmp_path: Path, seed_store: Path) -> None:
    """Parsing in two spaCy worker processes (forced: the seeds are below the auto
    threshold) gives exactly the graph of the one-process build."""
    from tests.test_rdf import same_dataset, store_dataset

    root = tmp_path / ".kg"
    before = nlp.PARSES
    rep = build([SEEDS], root, n_process=2)
    assert rep.parsed == 5 and not rep.errors
    assert before < nlp.PARSES
    assert same_dataset(store_dataset(seed_store), store_dataset(root))


def test_auto_workers_only_for_larger_batches() -> None:
    from kg import processes

    assert processes.workers(0, 5) == 1
    assert processes.workers(3, 5) == 3
    assert 1 <= processes.workers(0, 10_000) <= processes.MAX_AUTO_WORKERS


def test_worker_batches_cover_every_job_in_order() -> None:
    from kg.model import Article
    from kg.nlp.workers import Job, batches

    jobs = [Job(Article(id=str(i), text="x", source=f"{i}.txt"), [], pieces=n)
            for i, n in enumerate([30, 30, 0, 5, 60, 1])]
    got = list(batches(jobs, 48))
    assert [[j.article.id for j in b] for b in got] == [["0", "1"], ["2", "3", "4"], ["5"]]
    assert [j for b in got for j in b] == jobs


def test_damaged_cache_entry_is_parsed_again(tmp_path: Path, seed_store: Path) -> None:
    """Unchanged articles are read back from the cache while the workers parse the
    changed ones; an entry that no longer reads is parsed again, never trusted."""
    from tests.test_rdf import same_dataset, store_dataset

    root = tmp_path / ".kg"
    shutil.copytree(seed_store, root)
    victim = sorted((root / "cache").glob("*.json"))[0]
    victim.write_text('{"article": {"id": "broken"', encoding="utf-8")
    before = nlp.PARSES
    rep = build([SEEDS], root, n_process=2)
    assert (rep.parsed, rep.unchanged, rep.replaced) == (1, 4, 0) and not rep.errors
    assert before < nlp.PARSES
    assert same_dataset(store_dataset(seed_store), store_dataset(root))


def test_rebuild_starts_its_workers_first_and_stops_them(tmp_path: Path, seed_store: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild starts its spaCy workers before it reads the inputs (they load the model
    meanwhile); they parse the changed articles, no second set is started, and with
    nothing to parse they are stopped. A first build and ``--jobs 1`` start none early."""
    import multiprocessing as mp

    from kg import processes

    assert processes.head_start(0, rebuild=False) == 0
    root = tmp_path / ".kg"
    shutil.copytree(seed_store, root)
    assert processes.head_start(1, rebuild=True) == 0
    early = processes.head_start(0, rebuild=True)
    assert early == processes.workers(0, processes.AUTO_MIN_PIECES) >= 1
    started: list[int] = []
    real = processes.start_pool
    monkeypatch.setattr(processes, "start_pool", lambda n, setup: started.append(n) or real(n, setup))

    rep = build([SEEDS], root)
    assert (rep.parsed, rep.unchanged) == (0, 5) and started == [early]
    assert not mp.active_children(), "the early workers of a rebuild with nothing to parse are stopped"

    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    target = src / "003_d7726dfd9e2ab360.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("has imposed", "is weighing"), encoding="utf-8")
    started.clear()
    before = nlp.PARSES
    rep = build([src], root)
    assert rep.parsed == 1 and before < nlp.PARSES
    assert started == [early], "the changed article is parsed by the workers started first"
    assert not mp.active_children()


def test_article_ids_read_each_article_graph_its_source_and_version(seed_store: Path,
                                                                    seed_corpus: Corpus) -> None:
    from kg import store as kgstore

    with kgstore.opened(seed_store, read_only=True) as st:
        ids = kgstore.article_ids(st)
    # every article graph, and nothing else (not the analysis graph)
    assert set(ids) == {g.article.id for g in seed_corpus.articles}
    for g in seed_corpus.articles:
        path, version = ids[g.article.id]
        assert Path(path).name == Path(g.article.source).name
        assert version == nlp.pipeline_version()


def test_a_change_of_extraction_code_changes_the_pipeline_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key covers the code that extracts an article, not only the vocabularies:
    a changed attribution rule re-extracts the articles, it does not reuse stale records."""
    before = nlp.pipeline_version()
    code = nlp.extraction_code()
    names = {name for name, _ in code}
    assert {"kg.nlp/attribution.py", "kg.nlp/attributor.py", "kg.nlp/extract.py",
            "kg.ingest/segment.py"} <= names
    assert nlp.pipeline_version() == before  # stable while nothing changes
    changed = [(name, text + "\n# a changed rule\n") if name == "kg.nlp/attribution.py" else (name, text)
               for name, text in code]
    monkeypatch.setattr(nlp, "extraction_code", lambda: changed)
    assert nlp.pipeline_version() != before
