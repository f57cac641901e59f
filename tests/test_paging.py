"""Paged named queries (keyset paging by stored keys, kg/listing.py) on a corpus of
more than two pages: every record comes exactly once, in key order, pages are full
but the last, and SPARQL and Cypher cut the same pages.

The corpus is made by hand (no spaCy): 12 articles of 100 one-sentence claims, two of
them undated; every claim is anonymous and mentions Anthropic, every other one is also
unsupported, and each pair of claims is one proposition (flagged hedge-laundering) and
one conflict. So anonymous-claims, claims-about and entity-timeline have three pages,
the others two.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kg import queries
from kg.listing import corpus_keys, story_key
from kg.model import (
    Analysis,
    Article,
    ArticleGraph,
    Attribution,
    Claim,
    Conflict,
    Corpus,
    Entity,
    Flag,
    Mention,
    Proposition,
    Source,
    Span,
)

if TYPE_CHECKING:
    from neo4j import Driver

ARTICLES, CLAIMS = 12, 100
OFFICIALS = Source("officials", "officials", "anonymous")
PAGED = [name for name, q in queries.manifest().items() if q.paged]


def paging_corpus() -> Corpus:
    graphs: list[ArticleGraph] = []
    for i in range(ARTICLES):
        aid = f"art{i:02d}"
        sentences = [f"Anthropic claim {j} of story {i}, officials said." for j in range(CLAIMS)]
        text = " ".join(sentences)
        claims, start = [], 0
        for j, s in enumerate(sentences):
            body = s[:s.index(",")]
            said = start + s.index("said")
            claims.append(Claim(
                id=f"c{i:02d}{j:03d}", article=aid, start=start, end=start + len(body), text=body,
                sentence=j, certainty="reported",
                attribution=Attribution("officials", Span(aid, said, said + 4, "said")),
                mentions=(Mention(aid, start, start + 9, "Anthropic", "ORG", "anthropic"),)))
            start += len(s) + 1
        # two undated articles (first in story order), the others on ten days
        published = None if i in (3, 7) else f"2025-02-{i + 1:02d}"
        graphs.append(ArticleGraph(Article(aid, text, f"{aid}.txt", published=published),
                                   claims, [OFFICIALS]))
    ids = [c.id for g in graphs for c in g.claims]
    pairs = list(zip(ids[::2], ids[1::2], strict=True))
    analysis = Analysis(
        entities=[Entity("anthropic", "Anthropic", "org")],
        propositions=[Proposition(f"p{n}", f"k{n}", f"pair {n}", pair, "same words", (pair[0],))
                      for n, pair in enumerate(pairs)],
        conflicts=[Conflict(f"k{n}", a, b, "status", "R-status", f"{a} vs {b}")
                   for n, (a, b) in enumerate(pairs)],
        flags=[*(Flag(f"fa{n}", c, "anonymous", "R-anon", "officials only") for n, c in enumerate(ids)),
               *(Flag(f"fu{n}", c, "unsupported", "R-uns", "no source") for n, c in enumerate(ids[::2])),
               *(Flag(f"fh{n}", f"p{n}", "hedge-laundering", "R-hedge", "hedged, then asserted")
                 for n in range(len(pairs)))])
    return Corpus(graphs, analysis)


#: the records each paged query lists on the paging corpus, and their keys (by the model)
def expected_keys(name: str, corpus: Corpus) -> list[str]:
    keys, an = corpus_keys(corpus), corpus.analysis
    if name in ("anonymous-claims", "unsupported-claims", "hedge-laundering"):
        kind = name.removesuffix("-claims")
        return sorted(keys.flags[f.id] for f in an.flags if f.kind == kind)
    if name == "conflicting-claims":
        return sorted(keys.conflicts.values())
    if name == "claims-about":
        return sorted(f"anthropic {k}" for k in keys.claims.values())
    assert name == "entity-timeline", name
    return sorted(keys.claims.values())


PARAMS = {"claims-about": {"entity": "ANTHROPIC"}, "entity-timeline": {"entity": "anthropic"}}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return paging_corpus()


@pytest.fixture(scope="module")
def paging_store(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.test_equivalence import write_store

    return write_store(corpus, tmp_path_factory.mktemp("paging") / ".kg")


def _pages(run: Callable[[dict[str, object]], list[dict[str, Any]]], name: str) -> list[list[dict[str, Any]]]:
    return list(queries.pages(run, queries.get(name), PARAMS.get(name, {})))


def _record_keys(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(r["key"] for r in rows))


def test_story_key_orders_undated_first_then_by_date_article_position() -> None:
    keys = [story_key(None, "b", 5, "x"), story_key("2025-01-02", "a", 0, "y"),
            story_key("2025-01-02", "a", 40, "z"), story_key("2025-01-02", "a", 100, "w"),
            story_key("2025-01-02T08:00", "a", 0, "v"), story_key("2025-01-10", "a", 0, "u")]
    assert sorted(keys) == keys
    assert all(k.isascii() and len(k.split(" ")) == 4 for k in keys)
    # a date with a space or a non-ASCII letter is percent-encoded: still one ASCII field
    odd = story_key("2 février 2025", "a", 0, "c")
    assert odd.isascii() and odd.split(" ")[0] == "2%20f%C3%A9vrier%202025"


def test_every_paged_query_declares_its_page_in_both_files() -> None:
    assert set(PAGED) == {"unsupported-claims", "anonymous-claims", "conflicting-claims",
                          "claims-about", "entity-timeline", "hedge-laundering"}
    for name in PAGED:
        q = queries.get(name)
        assert f"LIMIT {q.page}" in q.sparql() and f"LIMIT {q.page}" in q.cypher(), name
        assert q.columns[-1] == "key" and queries.bind(q, PARAMS.get(name, {}))["after"] == ""


@pytest.mark.parametrize("name", PAGED)
def test_pages_list_every_record_once_in_key_order(name: str, corpus: Corpus, paging_store: Path) -> None:
    from kg.store import opened

    q = queries.get(name)
    want = expected_keys(name, corpus)
    assert len(want) > q.page  # the corpus needs more than one page
    with opened(paging_store, read_only=True) as st:
        pages = _pages(lambda p: queries.run_sparql(st, q, p), name)
        rows = queries.run_sparql_all(st, q, PARAMS.get(name, {}))
    per_page = [_record_keys(p) for p in pages]
    assert [len(k) for k in per_page] == [q.page] * (len(want) // q.page) + [len(want) % q.page]
    assert [k for page in per_page for k in page] == want  # all, once each, in key order
    assert rows == [r for p in pages for r in p]
    # a page starts right after the key it is given, whatever page that key was on
    with opened(paging_store, read_only=True) as st:
        middle = queries.run_sparql(st, q, {**PARAMS.get(name, {}), "after": want[q.page + 9]})
    assert _record_keys(middle)[0] == want[q.page + 10]


def test_hedge_laundering_pages_keep_each_flag_whole(corpus: Corpus, paging_store: Path) -> None:
    from kg.store import opened

    with opened(paging_store, read_only=True) as st:
        pages = _pages(lambda p: queries.run_sparql(st, queries.get("hedge-laundering"), p),
                       "hedge-laundering")
    for page in pages:
        by_flag: dict[str, list[str]] = {}
        for r in page:
            by_flag.setdefault(r["flag"], []).append(r["claim"])
        assert all(len(cs) == 2 and cs == sorted(cs) for cs in by_flag.values())


@pytest.mark.neo4j
@pytest.mark.parametrize("name", PAGED)
def test_cypher_cuts_the_same_pages(name: str, corpus: Corpus, paging_store: Path,
                                    clean_neo4j: Driver) -> None:
    from kg.neo4j_push import push
    from kg.pgraph import project
    from kg.store import opened

    push(project(corpus), clean_neo4j)
    q = queries.get(name)
    with opened(paging_store, read_only=True) as st:
        want = _pages(lambda p: queries.run_sparql(st, q, p), name)
    got = _pages(lambda p: queries.run_cypher(clean_neo4j, q, p), name)
    assert [len(p) for p in got] == [len(p) for p in want]
    assert got == want


def test_cli_gives_the_first_page_and_the_next_key(corpus: Corpus, paging_store: Path) -> None:
    import json

    from typer.testing import CliRunner

    from kg.cli.main import app

    runner = CliRunner()
    want = expected_keys("conflicting-claims", corpus)
    first = runner.invoke(app, ["query", "conflicting-claims", "--store", str(paging_store), "-f", "json"])
    assert first.exit_code == 0, first.output
    rows = json.loads(first.stdout)
    assert [r["key"] for r in rows] == want[:500]
    assert f"--param after='{want[499]}'" in first.stderr  # how to ask for the next page
    rest = runner.invoke(app, ["query", "conflicting-claims", "--store", str(paging_store), "-f", "json",
                               "--param", f"after={want[499]}"])
    assert [r["key"] for r in json.loads(rest.stdout)] == want[500:]
    assert "more rows" not in rest.stderr
    every = runner.invoke(app, ["query", "conflicting-claims", "--store", str(paging_store), "-f", "json", "--all"])
    assert [r["key"] for r in json.loads(every.stdout)] == want
