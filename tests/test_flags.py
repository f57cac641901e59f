"""kg.analysis.flags on hand-built corpora: every rule, its evidence spans and quoted explanation."""

from __future__ import annotations

from dataclasses import replace

from kg.analysis.flags import find
from kg.analysis.origins import build
from kg.analysis.propositions import group
from kg.model import FLAG_KINDS, Corpus, Flag, short_hash
from tests.test_origins import FT, OFFICIALS, REUTERS, UNNAMED, ft_claim, graph
from tests.test_propositions import ANTHROPIC, ENTS, US, considered, imposed, mk, ordered, stub


def analyse(corpus: Corpus) -> list[Flag]:
    props = group(corpus.claims(), ENTS, stub())
    origins = build(corpus)
    props = [replace(p, origins=origins.of(p.claims)) for p in props]
    flags = find(corpus, props, origins)
    assert all(f.kind in FLAG_KINDS and f.rule.startswith(f.kind + ".") for f in flags)
    assert all(f.id == short_hash("flag", f.rule, f.target) for f in flags)
    return flags


def rules(flags: list[Flag], kind: str) -> list[tuple[str, str]]:
    return [(f.rule, f.target) for f in flags if f.kind == kind]


def test_unsupported_plain_event_with_no_sourced_corroboration() -> None:
    b, c = imposed("b"), ordered("c")
    flags = analyse(Corpus([graph("b", [b]), graph("c", [c])]))
    assert sorted(rules(flags, "unsupported")) == sorted(
        [("unsupported.no-source", b.id), ("unsupported.no-source", c.id)])
    f = next(f for f in flags if f.target == b.id)
    assert f.explanation.startswith(f'Unsupported: b states "{b.text}" as plain fact with no source')
    assert "1 other article(s) repeat it without a source either" in f.explanation
    assert f.evidence[0].text == b.text and f.evidence[1].text == "imposed"


def test_a_sourced_claim_in_another_article_is_corroboration() -> None:
    b = imposed("b")
    text = "According to Reuters, the US government has imposed an export ban on Anthropic's AI models."
    sourced = mk("c", text, event="model-export-ban", status="enacted", cue="imposed",
                 subject="the US government", predicate="impose", obj="an export ban on Anthropic 's AI models",
                 certainty="reported", source=REUTERS.id, source_cue="According to",
                 mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    flags = analyse(Corpus([graph("b", [b]), graph("c", [sourced], [REUTERS])]))
    assert rules(flags, "unsupported") == []


def test_not_unsupported_when_hedged_attributed_article_cited_or_no_entity() -> None:
    hedged = replace(imposed("a"), certainty="hedged")
    cited = imposed("b")
    text = "We foresee a rise in the debate about the need for AI export controls."
    vague = mk("c", text, event="model-export-ban", status="considered", cue="debate",
               subject="We", predicate="foresee", obj="a rise")
    plain = mk("d", "Anthropic published research on model risks.", subject="Anthropic",
               predicate="publish", mentions=[("Anthropic", ANTHROPIC)])
    corpus = Corpus([graph("a", [hedged]), graph("b", [cited], [FT], standalone_cites=[FT]),
                     graph("c", [vague]), graph("d", [plain])])
    assert rules(analyse(corpus), "unsupported") == []


def test_anonymous_sources_and_reportedly() -> None:
    officials = mk("a", "US officials reportedly believe this flaw could bypass safeguards.",
                   certainty="reported", source=OFFICIALS.id, source_cue="reportedly")
    adverb = mk("a", "Anthropic is reportedly working to restore access.", certainty="reported",
                certainty_cue="reportedly", at=200)
    named = ft_claim("a", at=400)  # FT is named, though its own source is not
    flags = analyse(Corpus([graph("a", [officials, adverb, named], [OFFICIALS, UNNAMED, FT])]))
    assert sorted(rules(flags, "anonymous")) == sorted([
        ("anonymous.unnamed-source", officials.id), ("anonymous.reported-adverb", adverb.id)])
    f = next(f for f in flags if f.target == officials.id)
    assert f.explanation == (f'Anonymous: a rests "{officials.text}" only on unnamed sources '
                             "('US officials', cue 'reportedly').")
    assert [s.text for s in f.evidence] == ["reportedly", officials.text]


def test_single_origin_shared_source_and_one_article() -> None:
    a, b = ft_claim("a"), ft_claim("b")
    a = replace(a, frame=replace(considered("a").frame), event_status="considered",
                event_cue=considered("a").event_cue, mentions=())
    b = replace(b, frame=a.frame, event_status="considered", event_cue=a.event_cue, mentions=())
    alone = imposed("c")
    flags = analyse(Corpus([graph("a", [a], [FT]), graph("b", [b], [FT]), graph("c", [alone])]))
    got = dict((rule, target) for rule, target in rules(flags, "single-origin"))
    assert set(got) == {"single-origin.shared-source", "single-origin.one-article"}
    shared = next(f for f in flags if f.rule == "single-origin.shared-source")
    assert "2 claims in 2 articles (a, b)" in shared.explanation and "all trace to Financial Times" in shared.explanation
    assert len(shared.evidence) == 2
    one = next(f for f in flags if f.rule == "single-origin.one-article")
    assert "rests on one article, c" in one.explanation and alone.text in one.explanation


def test_two_independent_articles_are_not_single_origin() -> None:
    flags = analyse(Corpus([graph("b", [imposed("b")]), graph("c", [ordered("c")])]))
    assert rules(flags, "single-origin") == []


def test_hedge_laundering_from_the_same_origin() -> None:
    text = "According to the FT, the US government may impose an export ban on Anthropic's AI models."
    upstream = mk("a", text, event="model-export-ban", status="enacted", cue="impose",
                  subject="the US government", predicate="impose", obj="an export ban on Anthropic 's AI models",
                  certainty="hedged", certainty_cue="may", source=FT.id, source_cue="According to",
                  mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    downstream = imposed("b")  # article b: "Source: Financial Times", states it as fact
    flags = analyse(Corpus([graph("a", [upstream], [FT]), graph("b", [downstream], [FT], standalone_cites=[FT])]))
    [f] = [f for f in flags if f.kind == "hedge-laundering"]
    assert (f.rule, f.target) == ("hedge-laundering.same-origin", downstream.id)
    assert (f'a says "{text}" (attributed to Financial Times, hedged ' + "'may') while b, downstream, "
            f'states "{downstream.text}"') in f.explanation
    assert [s.text for s in f.evidence] == ["According to", "may", text, downstream.text]


def test_hedge_laundering_by_date_and_not_without_a_link() -> None:
    upstream = replace(imposed("a"), certainty="hedged")
    down = imposed("b")
    linked = Corpus([graph("a", [upstream], published="2026-01-01"), graph("b", [down], published="2026-01-05")])
    assert rules(analyse(linked), "hedge-laundering") == [("hedge-laundering.later-article", down.id)]
    unlinked = Corpus([graph("a", [upstream]), graph("b", [down])])
    assert rules(analyse(unlinked), "hedge-laundering") == []


def test_circular_article_cycle_and_source_loop() -> None:
    a_claim = mk("a", "Reuters reported that the ban was imposed.", source=REUTERS.id, source_cue="reported")
    b_claim = mk("b", "The FT reported that the ban was imposed.", source=FT.id, source_cue="reported")
    a = graph("a", [a_claim], [REUTERS], inline_cites=[REUTERS], publisher="Financial Times")
    b = graph("b", [b_claim], [FT], inline_cites=[FT], publisher="Reuters")
    flags = analyse(Corpus([a, b]))
    assert sorted(rules(flags, "circular")) == sorted(
        [("circular.article-cycle", a_claim.id), ("circular.article-cycle", b_claim.id)])
    f = next(f for f in flags if f.target == a_claim.id)
    assert "in a loop of articles citing each other (a -> b -> a)" in f.explanation

    looped = graph("c", [mk("c", "Reuters said the FT had it.", source=REUTERS.id, source_cue="said")],
                   [REUTERS, FT], cites=[(REUTERS.id, FT.id), (FT.id, REUTERS.id)])
    [f] = [f for f in analyse(Corpus([looped])) if f.kind == "circular"]
    assert f.rule == "circular.source-loop" and "(Reuters -> Financial Times -> Reuters)" in f.explanation
