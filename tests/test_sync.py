"""kg.store.sync_graph: the analysis graph is updated by its difference, never left stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg import store as kgstore
from kg.model import Corpus
from kg.ns import GRAPH_ANALYSIS, KG, XSD

G = NamedNode(GRAPH_ANALYSIS)


def quads(*pairs: tuple[str, str]) -> list[str]:
    """The triples of ``pairs`` as the N-Triples lines ``sync_graph`` takes."""
    return [kgstore.triple_line(Quad(NamedNode(f"https://example.org/{s}"), NamedNode(KG.label), Literal(o), G))
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
    assert kgstore.sync_graph(st, GRAPH_ANALYSIS, first, memo) == (0, 3)
    assert memo.is_file() and len(digest_of(st)) == 1
    old_memo = memo.read_text(encoding="utf-8")
    second = quads(("a", "1"), ("b", "line\nbreak \"quoted\" \u2028 \x85"), ("d", "4"))
    if memo_state == "missing":
        memo.unlink()
    elif memo_state == "tampered":  # same digest on top, different lines: must not be trusted
        head, _, _ = old_memo.partition("\n")
        memo.write_text(head + "\n<https://example.org/zz> <https://example.org/p> \"x\"\n", encoding="utf-8")
    removed, added = kgstore.sync_graph(st, GRAPH_ANALYSIS, second, memo)
    assert (removed, added) == (2, 2)  # c and the old digest out, d and the new digest in
    if memo_state == "stale":  # as after a kill between the store's commit and the memo's rename
        memo.write_text(old_memo, encoding="utf-8")
    third = quads(("a", "1"), ("e", "5"))
    kgstore.sync_graph(st, GRAPH_ANALYSIS, third, memo)
    assert held(st) == {("a", "1"), ("e", "5")}
    assert len(digest_of(st)) == 1


def test_sync_to_nothing_empties_the_graph(tmp_path: Path) -> None:
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.nt"
    kgstore.sync_graph(st, GRAPH_ANALYSIS, quads(("a", "1")), memo)
    kgstore.sync_graph(st, GRAPH_ANALYSIS, [], memo)
    assert list(st.quads_for_pattern(None, None, None, G)) == []
    assert not memo.exists()


def test_unchanged_analysis_writes_nothing(tmp_path: Path) -> None:
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.nt"
    same = quads(("a", "1"), ("b", "2"))
    kgstore.sync_graph(st, GRAPH_ANALYSIS, same, memo)
    assert kgstore.sync_graph(st, GRAPH_ANALYSIS, same, memo) == (0, 0)


def test_analysis_lines_are_what_pyoxigraph_prints(seed_corpus: Corpus) -> None:
    """The analysis graph is written as text (kg.rdf.analysis_triples); every line must be
    exactly what pyoxigraph prints for the triple it parses to, or the digest, the memo
    and the difference against triples read back from the store would disagree."""
    from pyoxigraph import RdfFormat, parse

    from kg.rdf import analysis_triples

    lines = analysis_triples(seed_corpus.analysis, seed_corpus.claims())
    assert len(lines) > 500
    parsed = list(parse("".join(f"{x} .\n" for x in lines), format=RdfFormat.N_TRIPLES))
    assert [kgstore.triple_line(Quad(t.subject, t.predicate, t.object, G)) for t in parsed] == lines


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

    monkeypatch.setattr(kgstore, "CHUNK_LINES", 2)
    lines = quads(("a", "1"), ("b", "é \u2028 x"), ("c", "3"), ("d", "4"), ("e", "5"))
    assert kgstore._digest(lines) == hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    st, memo = Store(str(tmp_path / "db")), tmp_path / "analysis.nt"
    assert kgstore.sync_graph(st, GRAPH_ANALYSIS, lines, memo) == (0, 5)
    assert held(st) == {("a", "1"), ("b", "é \u2028 x"), ("c", "3"), ("d", "4"), ("e", "5")}
    assert kgstore._previous(st, GRAPH_ANALYSIS, memo) == {*lines, *(
        kgstore.triple_line(q) for q in st.quads_for_pattern(G, NamedNode(KG.digest), None, G))}
    assert kgstore.sync_graph(st, GRAPH_ANALYSIS, lines[:3], memo) == (3, 1)  # d, e and the old digest out
