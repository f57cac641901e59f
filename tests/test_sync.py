"""kg.store.sync.sync_graph: the analysis graph is updated by its difference, never left stale."""

from __future__ import annotations

import hashlib
import shutil
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg import store as kgstore
from kg.graph.analysis import Record
from kg.graph.ns import GRAPH_ANALYSIS, KG, XSD
from kg.model import Corpus
from kg.store import sync as kgsync

G = NamedNode(GRAPH_ANALYSIS)


def lines(*pairs: tuple[str, str]) -> list[str]:
    """The triples of ``pairs`` as N-Triples lines."""
    return [kgsync.triple_line(Quad(NamedNode(f"https://example.org/{s}"), NamedNode(KG.label), Literal(o), G))
            for s, o in pairs]


def records(*pairs: tuple[str, str], made: list[str] | None = None) -> list[Record]:
    """One record per triple of ``pairs`` (keyed by its line); ``made`` collects the lines
    the sync asked the records to make."""
    def make(line: str) -> list[str]:
        if made is not None:
            made.append(line)
        return [line]

    return [Record(hashlib.blake2b(x.encode(), digest_size=16).digest(), partial(make, x)) for x in lines(*pairs)]


def held(st: Store) -> set[tuple[str, str]]:
    """(subject, object) of every data triple in the analysis graph (the digest left out)."""
    return {(str(q.subject.value).rsplit("/", 1)[-1], str(getattr(q.object, "value", "")))
            for q in st.quads_for_pattern(None, NamedNode(KG.label), None, G)}


def digest_of(st: Store) -> list[str]:
    return [str(getattr(q.object, "value", "")) for q in st.quads_for_pattern(G, NamedNode(KG.digest), None, G)]


@pytest.mark.parametrize("memo_state", ["kept", "missing", "stale", "broken"])
def test_sync_writes_exactly_the_wanted_triples(tmp_path: Path, memo_state: str) -> None:
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.sqlite"
    first = records(("a", "1"), ("b", "line\nbreak \"quoted\" \u2028 \x85"), ("c", "3"))
    assert kgsync.sync_graph(st, GRAPH_ANALYSIS, first, memo) == (0, 3)
    assert memo.is_file() and len(digest_of(st)) == 1
    shutil.copy(memo, tmp_path / "old.sqlite")
    second = records(("a", "1"), ("b", "line\nbreak \"quoted\" \u2028 \x85"), ("d", "4"))
    if memo_state == "missing":
        memo.unlink()
        (tmp_path / ".analysis.sqlite.1.tmp").write_bytes(b"a killed writer's partial memo")
    elif memo_state == "broken":  # not a database at all: must not be trusted, nor crash
        memo.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    removed, added = kgsync.sync_graph(st, GRAPH_ANALYSIS, second, memo)
    assert (removed, added) == (2, 2)  # c and the old digest out, d and the new digest in
    if memo_state == "stale":  # as after a kill between the store's commit and the memo's
        shutil.copy(tmp_path / "old.sqlite", memo)
    third = records(("a", "1"), ("e", "5"))
    kgsync.sync_graph(st, GRAPH_ANALYSIS, third, memo)
    assert held(st) == {("a", "1"), ("e", "5")}
    assert len(digest_of(st)) == 1
    assert not list(tmp_path.glob(".analysis.sqlite.*")), "a partial memo was left behind"


def test_sync_to_nothing_empties_the_graph(tmp_path: Path) -> None:
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.sqlite"
    kgsync.sync_graph(st, GRAPH_ANALYSIS, records(("a", "1")), memo)
    kgsync.sync_graph(st, GRAPH_ANALYSIS, [], memo)
    assert list(st.quads_for_pattern(None, None, None, G)) == []
    assert not memo.exists()


def test_unchanged_analysis_writes_nothing(tmp_path: Path) -> None:
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.sqlite"
    kgsync.sync_graph(st, GRAPH_ANALYSIS, records(("a", "1"), ("b", "2")), memo)
    made: list[str] = []
    assert kgsync.sync_graph(st, GRAPH_ANALYSIS, records(("b", "2"), ("a", "1"), made=made), memo) == (0, 0)
    assert made == [], "an unchanged graph (same records, any order) makes no lines"


def test_analysis_lines_are_what_pyoxigraph_prints(seed_corpus: Corpus) -> None:
    """The analysis graph is written as text (kg.graph.articles.analysis_triples); every line must be
    exactly what pyoxigraph prints for the triple it parses to, or the digest, the memo
    and the difference against triples read back from the store would disagree."""
    from pyoxigraph import RdfFormat, parse

    from kg.graph.analysis import analysis_triples

    lines = analysis_triples(seed_corpus)
    assert len(lines) > 500
    parsed = list(parse("".join(f"{x} .\n" for x in lines), format=RdfFormat.N_TRIPLES))
    assert [kgsync.triple_line(Quad(t.subject, t.predicate, t.object, G)) for t in parsed] == lines


@settings(max_examples=300, deadline=None)
@given(strategies.text(max_size=80).filter(lambda t: not any(0xD800 <= ord(ch) <= 0xDFFF for ch in t)))
def test_literal_text_matches_pyoxigraph(text: str) -> None:
    from kg.graph.analysis import term

    assert term(text) == str(Literal(text))
    assert term(len(text)) == str(Literal(str(len(text)), datatype=NamedNode(XSD.integer)))


class _NoReadBack:
    """The store, refusing to list a whole graph: the memo must spare that read."""

    def __init__(self, st: Store) -> None:
        self.st = st

    def __getattr__(self, name: str) -> object:
        return getattr(self.st, name)

    def quads_for_pattern(self, s: object, p: object, o: object, g: object = None) -> object:
        if s is None and p is None and o is None:
            raise AssertionError("the graph was read back although the memo serves")
        return self.st.quads_for_pattern(s, p, o, g)


def test_memo_spares_the_read_back_and_makes_only_new_records(tmp_path: Path) -> None:
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.sqlite"
    pairs = [(k, str(i)) for i, k in enumerate("abcdef")]
    assert kgsync.sync_graph(st, GRAPH_ANALYSIS, records(*pairs), memo) == (0, 6)
    made: list[str] = []
    changed = [*pairs[:4], ("e", "changed"), ("g", "new")]  # e changes, f goes, g comes
    removed, added = kgsync.sync_graph(_NoReadBack(st), GRAPH_ANALYSIS,  # type: ignore[arg-type]
                                       records(*changed, made=made), memo)
    assert (removed, added) == (3, 3)  # e, f and the old digest out; e, g and the new digest in
    assert made == lines(("e", "changed"), ("g", "new"))
    assert held(st) == set(changed)
    assert kgsync.sync_graph(st, GRAPH_ANALYSIS, records(*pairs[:2]), memo) == (5, 1)
    assert held(st) == set(pairs[:2])


class _Cut(Exception):
    pass


def test_large_writes_go_in_bounded_transactions_and_a_cut_one_is_completed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above TXN_TRIPLES a write is split (one transaction would hold ~1.2 KB per triple);
    a write cut off half way leaves a graph without its digest ("partial"), which the
    next sync completes to exactly the wanted triples."""
    monkeypatch.setattr(kgsync, "TXN_TRIPLES", 2)
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.sqlite"
    assert kgsync.graph_state(st, GRAPH_ANALYSIS) == "absent"
    want = records(*((k, str(i)) for i, k in enumerate("abcdefg")))
    real_load, calls = st.load, []

    class Cutting:  # pyoxigraph's Store cannot be patched per instance: wrap it
        def __getattr__(self, name: str) -> object:
            return getattr(st, name)

        def load(self, *args: object, **kwargs: object) -> None:
            calls.append(1)
            if len(calls) == 2:
                raise _Cut
            real_load(*args, **kwargs)

    with pytest.raises(_Cut):
        kgsync.sync_graph(Cutting(), GRAPH_ANALYSIS, want, memo)  # type: ignore[arg-type]
    assert kgsync.graph_state(st, GRAPH_ANALYSIS) == "partial"
    assert 0 < len(held(st)) < 7 and not memo.exists()
    kgsync.sync_graph(st, GRAPH_ANALYSIS, want, memo)
    assert kgsync.graph_state(st, GRAPH_ANALYSIS) == "complete"
    assert held(st) == {(k, str(i)) for i, k in enumerate("abcdefg")}
    removed, added = kgsync.sync_graph(st, GRAPH_ANALYSIS, want[:1], memo)  # a large removal
    assert (removed, added) == (7, 1) and held(st) == {("a", "0")}
    assert kgsync.graph_state(st, GRAPH_ANALYSIS) == "complete"


def test_query_warns_about_a_partial_analysis_graph(seed_store: Path, tmp_path: Path) -> None:
    import shutil

    from typer.testing import CliRunner

    from kg.cli.main import app

    root = tmp_path / "s"
    shutil.copytree(seed_store, root)
    runner = CliRunner()
    ok = runner.invoke(app, ["query", "unsupported-claims", "--store", str(root), "-f", "json"])
    assert ok.exit_code == 0 and "incomplete" not in ok.stderr
    st = kgstore.open_store(root)
    st.remove(next(iter(st.quads_for_pattern(G, NamedNode(KG.digest), None, G))))  # as a cut-off write leaves it
    del st
    cut = runner.invoke(app, ["query", "unsupported-claims", "--store", str(root), "-f", "json"])
    assert cut.exit_code == 0 and "analysis graph is incomplete" in cut.stderr
