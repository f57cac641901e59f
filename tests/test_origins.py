"""kg.analysis.origins on hand-built corpora: citation chains, shared primary sources, loops."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.analysis.origins import article_cycles, build, chain, standalone, walk
from kg.model import Article, ArticleGraph, Citation, Claim, Corpus, Source, Span
from tests.test_propositions import considered, imposed, mk

FT = Source("s-ft", "Financial Times", "publication")
REUTERS = Source("s-reuters", "Reuters", "publication")
OFFICIALS = Source("s-officials", "US officials", "anonymous")
UNNAMED = Source("s-unnamed", "unnamed sources", "anonymous")
ANTHROPIC_SRC = Source("s-anthropic", "Anthropic", "organisation")
GOV = Source("s-gov", "US government", "official")


def graph(aid: str, claims: Sequence[Claim], sources: Sequence[Source] = (),
          cites: Sequence[tuple[str, str]] = (), standalone_cites: Sequence[Source] = (),
          inline_cites: Sequence[Source] = (), publisher: str | None = None,
          published: str | None = None) -> ArticleGraph:
    """An article whose text is long enough for every claim; standalone citations sit at 9000+."""
    text = "x" * 10_000
    cits = [Citation(aid, s.id, Span(aid, 9000 + 50 * i, 9000 + 50 * i + 10, "Source: " + s.name[:2]))
            for i, s in enumerate(standalone_cites)]
    for s in inline_cites:  # cue inside the first claim
        c = claims[0]
        cits.append(Citation(aid, s.id, Span(aid, c.start, c.start + 5, c.text[:5])))
    art = Article(aid, text, f"seeds/{aid}_0123456789abcdef.txt", publisher=publisher, published=published)
    return ArticleGraph(art, list(claims), list(sources), cits, list(cites))


def ft_claim(article: str, at: int = 0) -> Claim:
    return mk(article, "According to the Financial Times, US officials are considering export curbs.",
              source=FT.id, source_cue="According to", via=OFFICIALS.id, at=at)


def test_chain_follows_via_then_cites_and_stops_on_a_loop() -> None:
    c = ft_claim("a")
    sources = {s.id: s for s in (FT, OFFICIALS, REUTERS)}
    assert chain(c, sources, []) == [FT, OFFICIALS]
    plain = mk("a", "Reuters reported that the FT said so.", source=REUTERS.id, source_cue="reported")
    assert chain(plain, sources, [(REUTERS.id, FT.id)]) == [REUTERS, FT]
    assert walk(plain, [(REUTERS.id, FT.id), (FT.id, REUTERS.id)]) == ([REUTERS.id, FT.id], True)
    assert chain(imposed("a"), sources, []) == []
    assert chain(mk("a", "Someone X said it.", source="s-x", source_cue="said"), {}, []) == [
        Source("s-x", "s-x", "none")]


def test_standalone_citations_are_outside_claims() -> None:
    g = graph("a", [ft_claim("a")], [FT], standalone_cites=[FT], inline_cites=[FT])
    [only] = standalone(g)
    assert only.cue.start >= 9000


def test_articles_citing_the_same_publication_are_one_origin() -> None:
    # "000": "Source: Financial Times" at the end; "004": an inline FT-attributed claim.
    a_plain, a_ft = imposed("a"), ft_claim("a", at=200)
    b_plain = imposed("b")
    b_ft = mk("b", "An FT analysis revealed that Anthropic used risk terms at five per 1,000 words.",
              source=FT.id, source_cue="revealed", at=300)
    corpus = Corpus([
        graph("a", [a_plain, a_ft], [FT, OFFICIALS], standalone_cites=[FT], inline_cites=[FT]),
        graph("b", [b_plain, b_ft], [FT], inline_cites=[FT]),
    ])
    o = build(corpus)
    assert o.of_claim[a_plain.id] == o.of_claim[a_ft.id] == o.of_claim[b_ft.id] == FT.id
    assert o.of_claim[b_plain.id] == "b"  # an inline citation sources only its own claim
    assert o.of([a_plain.id, a_ft.id, b_ft.id]) == (FT.id,)
    assert o.name(FT.id) == "Financial Times" and o.name("a") == "a"
    assert {a_plain.id, a_ft.id, b_ft.id} <= o.sourced and b_plain.id not in o.sourced


def test_unattributed_and_anonymous_claims_trace_to_their_article() -> None:
    anon = mk("a", "US officials reportedly believe the flaw is serious.", source=OFFICIALS.id,
              source_cue="reportedly", at=100)
    named = mk("a", "An Anthropic spokesperson stated that the evidence was verbal.",
               source=ANTHROPIC_SRC.id, source_cue="stated", at=300)
    via_gov = mk("a", "According to Anthropic, the government's reasoning was a jailbreak.",
                 source=ANTHROPIC_SRC.id, source_cue="According to", via=GOV.id, at=500)
    plain = considered("a")
    o = build(Corpus([graph("a", [plain, anon, named, via_gov], [OFFICIALS, ANTHROPIC_SRC, GOV])]))
    assert o.of_claim[plain.id] == o.of_claim[anon.id] == "a"
    assert o.of_claim[named.id] == ANTHROPIC_SRC.id
    assert o.of_claim[via_gov.id] == GOV.id  # the primary named source of the chain
    assert o.of([plain.id, anon.id, named.id]) == tuple(sorted(("a", ANTHROPIC_SRC.id)))


def test_independent_articles_are_separate_origins_and_publishers_join() -> None:
    a, b, c = imposed("a"), imposed("b"), imposed("c")
    corpus = Corpus([graph("a", [a]), graph("b", [b]),
                     graph("c", [c], [FT], standalone_cites=[FT]),
                     graph("d", [imposed("d")], publisher="Financial Times")])
    o = build(corpus)
    assert o.of([a.id, b.id]) == ("a", "b")
    assert o.of_claim[c.id] == FT.id == o.article_origin["d"]  # the FT's own article


def test_a_publication_that_cites_a_named_source_traces_to_it() -> None:
    c = imposed("a")
    corpus = Corpus([graph("a", [c, ft_claim("a", at=300)], [FT, REUTERS, OFFICIALS],
                           cites=[(FT.id, REUTERS.id)], standalone_cites=[FT])])
    o = build(corpus)
    assert o.of_claim[c.id] == FT.id  # FT and Reuters are one group; the group is named by its first source
    assert o.of_claim[ft_claim("a", at=300).id] == FT.id


def test_article_cycles() -> None:
    a = graph("a", [imposed("a")], [REUTERS], inline_cites=[REUTERS], publisher="Financial Times")
    b = graph("b", [imposed("b")], [FT], inline_cites=[FT], publisher="Reuters")
    c = graph("c", [imposed("c")], [FT], inline_cites=[FT], publisher="Bloomberg")
    [cycle] = article_cycles(Corpus([a, b, c]))
    assert sorted(cite.article for cite, _ in cycle) == ["a", "b"]
    assert article_cycles(Corpus([a, c])) == []


def test_article_cycles_of_three_outlets_and_own_publisher_citations() -> None:
    bloomberg = Source("s-bloomberg", "Bloomberg", "publication")
    a = graph("a", [imposed("a")], [REUTERS], inline_cites=[REUTERS], publisher="Financial Times")
    b = graph("b", [imposed("b")], [bloomberg], inline_cites=[bloomberg], publisher="Reuters")
    c = graph("c", [imposed("c")], [FT], inline_cites=[FT], publisher="Bloomberg")
    [cycle] = article_cycles(Corpus([a, b, c]))
    assert [(cite.article, cite.source, cited) for cite, cited in cycle] == [
        ("a", REUTERS.id, "b"), ("b", bloomberg.id, "c"), ("c", FT.id, "a")]
    # an outlet citing itself is no loop between outlets, however many articles it has
    own = graph("d", [imposed("d")], [FT], inline_cites=[FT], publisher="Financial Times")
    also = graph("e", [imposed("e")], [FT], inline_cites=[FT], publisher="Financial Times")
    assert article_cycles(Corpus([own, also])) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=40))
def test_components_and_cycles_match_networkx(pairs: list[tuple[int, int]]) -> None:
    import networkx as nx

    from kg.analysis.origins import shortest_cycle, strong_components

    edges = sorted({(f"n{a:02}", f"n{b:02}") for a, b in pairs if a != b})
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    g = nx.DiGraph(edges)
    ours = sorted(map(sorted, strong_components(graph)))
    theirs = sorted(map(sorted, nx.strongly_connected_components(g)))
    assert [c for c in ours if len(c) > 1] == [c for c in theirs if len(c) > 1]
    for comp in ours:
        if len(comp) < 2:
            continue
        loop = shortest_cycle(graph, comp[0], set(comp))
        assert loop[0] == comp[0] and len(set(loop)) == len(loop)
        assert all(g.has_edge(a, b) for a, b in zip(loop, loop[1:] + loop[:1], strict=True))
        shortest = min(len(nx.shortest_path(g, comp[0], p)) for p in g.predecessors(comp[0]) if p in comp)
        assert len(loop) == shortest
