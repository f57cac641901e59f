"""Paged named queries (keyset paging by stored keys, kg/graph/orders.py) on a corpus of
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

from kg.graph.orders import corpus_orders, story_order
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
from kg.query import named as queries

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


#: the records each paged query lists on the paging corpus, in order (by the model), and
#: the column that names the record
RECORD = {"anonymous-claims": "flag", "unsupported-claims": "flag", "hedge-laundering": "flag",
          "conflicting-claims": "conflict", "claims-about": "claim", "entity-timeline": "claim"}


def expected_records(name: str, corpus: Corpus) -> list[str]:
    orders, an = corpus_orders(corpus), corpus.analysis
    claims = {c.id: c for c in corpus.claims()}
    if name in ("anonymous-claims", "unsupported-claims"):
        kind = name.removesuffix("-claims")
        flags = [f for f in an.flags if f.kind == kind]
        return [f.id for f in sorted(flags, key=lambda f: (orders.flags[f.id], claims[f.target].start,
                                                          f.target, f.id))]
    if name == "hedge-laundering":
        flags = [f for f in an.flags if f.kind == name]
        return [f.id for f in sorted(flags, key=lambda f: (orders.flags[f.id], f.id))]
    if name == "conflicting-claims":
        return [k.id for k in sorted(an.conflicts, key=lambda k: (orders.conflicts[k.id], k.kind, k.claim_a,
                                                                  k.claim_b, k.id))]
    assert name in ("claims-about", "entity-timeline"), name
    return [c.id for c in sorted(claims.values(), key=lambda c: (orders.claims[c.id], c.start, c.id))]


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


def _records(name: str, rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(r[RECORD[name]] for r in rows))


def test_story_order_is_date_then_article_then_position() -> None:
    orders = [story_order(None, "0000aaaa", 9_000), story_order("not a date", "ffff0000", 0),
              story_order("2025-01-02", "0000aaaa", 0), story_order("2025-01-02T08:00", "0000aaaa", 2_048),
              story_order("2025-01-02", "0000aaab", 0), story_order("2025-01-10", "00000000", 0)]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert all(0 <= o < 2**63 for o in orders)  # an xsd:integer pyoxigraph keeps inline
    # positions less than 1 KiB apart share a value: the page takes them together
    assert story_order("2025-01-02", "0000aaaa", 10) == story_order("2025-01-02", "0000aaaa", 1000)


def test_every_paged_query_declares_its_page_in_both_files() -> None:
    assert set(PAGED) == {"unsupported-claims", "anonymous-claims", "conflicting-claims",
                          "claims-about", "entity-timeline", "hedge-laundering"}
    for name in PAGED:
        q = queries.get(name)
        assert f"LIMIT {q.page}" in q.sparql() and f"LIMIT {q.page}" in q.cypher(), name
        assert f"LIMIT {queries.PAGE_RECORDS_MAX}" in q.sparql() and f"LIMIT {queries.PAGE_RECORDS_MAX}" in q.cypher()
        assert q.columns[-1] == "key" and queries.bind(q, PARAMS.get(name, {}))["after"] == -1


@pytest.mark.parametrize("name", PAGED)
def test_pages_list_every_record_once_in_order(name: str, corpus: Corpus, paging_store: Path) -> None:
    from kg.store import opened

    q = queries.get(name)
    want = expected_records(name, corpus)
    assert len(want) > q.page  # the corpus needs more than one page
    with opened(paging_store, read_only=True) as st:
        pages = _pages(lambda p: queries.run_sparql(st, q, p), name)
        rows = queries.run_sparql_all(st, q, PARAMS.get(name, {}))
    assert rows == [r for p in pages for r in p]
    assert [x for p in pages for x in _records(name, p)] == want  # all, once each, in order
    assert all(len(_records(name, p)) >= q.page for p in pages[:-1])  # full pages but the last
    keys = [[r["key"] for r in p] for p in pages]
    assert all(k == sorted(k) for k in keys)
    # a run of equal keys is never cut: each page starts above the last key of the one before
    assert all(keys[i][-1] < keys[i + 1][0] for i in range(len(keys) - 1))
    # a page starts right after the key it is given, whatever page that key was on
    after = keys[0][len(keys[0]) // 2]
    with opened(paging_store, read_only=True) as st:
        middle = queries.run_sparql(st, q, {**PARAMS.get(name, {}), "after": after})
    assert middle[0]["key"] > after
    assert _records(name, middle)[0] == next(x for r in rows if r["key"] > after for x in [r[RECORD[name]]])


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
    from kg.graph.pgraph import project
    from kg.neo4j.push import push
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
    want = expected_records("conflicting-claims", corpus)
    base = ["query", "conflicting-claims", "--store", str(paging_store), "-f", "json"]
    first = runner.invoke(app, base)
    assert first.exit_code == 0, first.output
    rows = json.loads(first.stdout)
    assert [r["conflict"] for r in rows] == want[:len(rows)] and len(rows) >= 500
    last = rows[-1]["key"]
    assert f"--param after={last}" in first.stderr  # how to ask for the next page
    rest: list[dict[str, Any]] = []
    while True:
        page = runner.invoke(app, [*base, "--param", f"after={(rest or rows)[-1]['key']}"])
        got = json.loads(page.stdout)
        if not got:
            break
        rest += got
    assert [r["conflict"] for r in rows + rest] == want
    every = runner.invoke(app, [*base, "--all"])
    assert [r["conflict"] for r in json.loads(every.stdout)] == want
    assert "more rows" not in every.stderr
