"""kg.sync.sync_graph: the analysis graph is updated by its difference, never left stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg import store as kgstore
from kg import sync as kgsync
from kg.model import Corpus
from kg.ns import GRAPH_ANALYSIS, KG, XSD

G = NamedNode(GRAPH_ANALYSIS)


def quads(*pairs: tuple[str, str]) -> list[str]:
    """The triples of ``pairs`` as the N-Triples lines ``sync_graph`` takes."""
    return [kgsync.triple_line(Quad(NamedNode(f"https://example.org/{s}"), NamedNode(KG.label), Literal(o), G))
            for s, o in pairs]


def held(st: Store) -> set[tuple[str, str]]:
    """(subject, object) of every data triple in the analysis graph (the digest left out)."""
    return {(str(q.subject.value).rsplit("/", 1)[-1], str(getattr(q.object, "value", "")))
            for q in st.quads_for_pattern(None, NamedNode(KG.label), None, G)}


def digest_of(st: Store) -> list[str]:
    return [str(getattr(q.object, "value", "")) for q in st.quads_for_pattern(G, NamedNode(KG.digest), None, G)]


@pytest.mark.parametrize("memo_state", ["kept", "missing", "stale", "tampered"])
def test_sync_writes_exactly_the_wanted_triples(tmp_path: Path, memo_state: str) -> None:
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.nt"
    first = quads(("a", "1"), ("b", "line\nbreak \"quoted\" \u2028 \x85"), ("c", "3"))
    assert kgsync.sync_graph(st, GRAPH_ANALYSIS, first, memo) == (0, 3)
    assert memo.is_file() and len(digest_of(st)) == 1
    old_memo = memo.read_text(encoding="utf-8")
    second = quads(("a", "1"), ("b", "line\nbreak \"quoted\" \u2028 \x85"), ("d", "4"))
    if memo_state == "missing":
        memo.unlink()
    elif memo_state == "tampered":  # same digest on top, different lines: must not be trusted
        head, _, _ = old_memo.partition("\n")
        memo.write_text(head + "\n<https://example.org/zz> <https://example.org/p> \"x\"\n", encoding="utf-8")
    removed, added = kgsync.sync_graph(st, GRAPH_ANALYSIS, second, memo)
    assert (removed, added) == (2, 2)  # c and the old digest out, d and the new digest in
    if memo_state == "stale":  # as after a kill between the store's commit and the memo's rename
        memo.write_text(old_memo, encoding="utf-8")
    third = quads(("a", "1"), ("e", "5"))
    kgsync.sync_graph(st, GRAPH_ANALYSIS, third, memo)
    assert held(st) == {("a", "1"), ("e", "5")}
    assert len(digest_of(st)) == 1


def test_sync_to_nothing_empties_the_graph(tmp_path: Path) -> None:
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.nt"
    kgsync.sync_graph(st, GRAPH_ANALYSIS, quads(("a", "1")), memo)
    kgsync.sync_graph(st, GRAPH_ANALYSIS, [], memo)
    assert list(st.quads_for_pattern(None, None, None, G)) == []
    assert not memo.exists()


def test_unchanged_analysis_writes_nothing(tmp_path: Path) -> None:
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.nt"
    same = quads(("a", "1"), ("b", "2"))
    kgsync.sync_graph(st, GRAPH_ANALYSIS, same, memo)
    assert kgsync.sync_graph(st, GRAPH_ANALYSIS, same, memo) == (0, 0)


def test_analysis_lines_are_what_pyoxigraph_prints(seed_corpus: Corpus) -> None:
    """The analysis graph is written as text (kg.rdf.analysis_triples); every line must be
    exactly what pyoxigraph prints for the triple it parses to, or the digest, the memo
    and the difference against triples read back from the store would disagree."""
    from pyoxigraph import RdfFormat, parse

    from kg.rdf import analysis_triples

    lines = analysis_triples(seed_corpus.analysis, seed_corpus.claims())
    assert len(lines) > 500
    parsed = list(parse("".join(f"{x} .\n" for x in lines), format=RdfFormat.N_TRIPLES))
    assert [kgsync.triple_line(Quad(t.subject, t.predicate, t.object, G)) for t in parsed] == lines


@settings(max_examples=300, deadline=None)
@given(strategies.text(max_size=80).filter(lambda t: not any(0xD800 <= ord(ch) <= 0xDFFF for ch in t)))
def test_literal_text_matches_pyoxigraph(text: str) -> None:
    from kg.rdf import _term

    assert _term(text) == str(Literal(text))
    assert _term(len(text)) == str(Literal(str(len(text)), datatype=NamedNode(XSD.integer)))


def test_chunked_text_is_the_whole_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Digest, memo and fresh load go a chunk of lines at a time; with chunks of two
    lines the digest is still that of the whole text and the memo still serves."""
    import hashlib

    monkeypatch.setattr(kgsync, "CHUNK_LINES", 2)
    lines = quads(("a", "1"), ("b", "é \u2028 x"), ("c", "3"), ("d", "4"), ("e", "5"))
    assert kgsync._digest(lines) == hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.nt"
    assert kgsync.sync_graph(st, GRAPH_ANALYSIS, lines, memo) == (0, 5)
    assert held(st) == {("a", "1"), ("b", "é \u2028 x"), ("c", "3"), ("d", "4"), ("e", "5")}
    assert kgsync._previous(st, GRAPH_ANALYSIS, memo) == {*lines, *(
        kgsync.triple_line(q) for q in st.quads_for_pattern(G, NamedNode(KG.digest), None, G))}
    assert kgsync.sync_graph(st, GRAPH_ANALYSIS, lines[:3], memo) == (3, 1)  # d, e and the old digest out


class _Cut(Exception):
    pass


def test_large_writes_go_in_bounded_transactions_and_a_cut_one_is_completed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above TXN_TRIPLES a write is split (one transaction would hold ~1.2 KB per triple);
    a write cut off half way leaves a graph without its digest ("partial"), which the
    next sync completes to exactly the wanted triples."""
    monkeypatch.setattr(kgsync, "TXN_TRIPLES", 2)
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.nt"
    assert kgsync.graph_state(st, GRAPH_ANALYSIS) == "absent"
    want = quads(*((k, str(i)) for i, k in enumerate("abcdefg")))
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
