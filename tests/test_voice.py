"""An article's voice toward its story (kg.analysis.voice): asserts, reports or denies,
read from its lead claims. Hand-made records, no spaCy: each rule must fire and must not."""

from __future__ import annotations

from kg.analysis.voice import ASSERTS, DENIES, REPORTS, of_article
from kg.model import Article, ArticleGraph, Attribution, Claim, Frame, Source, Span

SOURCES = {"anon": Source("anon", "people familiar with the matter", "anonymous"),
           "pub": Source("pub", "Daily Bugle", "publication"),
           "per": Source("per", "Jane Doe", "person"),
           "org": Source("org", "Acme", "organisation")}


def claim(i: int, text: str = "The bridge closed on Tuesday.", certainty: str = "asserted",
          cue: str | None = None, source: str | None = None, polarity: str = "affirmed",
          predicate: str = "close") -> Claim:
    span = Span("a", 0, len(cue), cue) if cue else None
    return Claim(id=f"c{i}", article="a", start=i * 100, end=i * 100 + len(text), text=text,
                 sentence=i, frame=Frame(predicate=predicate), certainty=certainty,
                 certainty_cue=span, polarity=polarity,
                 attribution=Attribution(source) if source else None)


def voice(*claims: Claim, publisher: str | None = None) -> tuple[str, str | None]:
    graph = ArticleGraph(Article("a", "", "a.txt", publisher=publisher), claims=list(claims))
    v = of_article(graph, SOURCES)
    return v.stance, v.claim


def test_plain_lead_asserts() -> None:
    assert voice(claim(0), claim(1), claim(2)) == (ASSERTS, None)
    assert voice() == (ASSERTS, None)


def test_hedged_or_second_hand_lead_reports() -> None:
    assert voice(claim(0), claim(1, certainty="hedged", cue="may")) == (REPORTS, "c1")
    assert voice(claim(0, certainty="reported", cue="reportedly", source="anon")) == (REPORTS, "c0")
    assert voice(claim(0, certainty="reported", cue="said", source="pub")) == (REPORTS, "c0")
    assert voice(claim(0, certainty="reported", cue="told", source="anon")) == (REPORTS, "c0")
    # a rumour cue with no source: "he is said to have left"
    assert voice(claim(0, certainty="reported", cue="said")) == (REPORTS, "c0")


def test_the_storys_own_named_source_is_no_distance() -> None:
    assert voice(claim(0, certainty="reported", cue="said", source="per")) == (ASSERTS, None)
    assert voice(claim(0, certainty="reported", cue="according to", source="org")) == (ASSERTS, None)
    # nor is the article's own publisher, nor a conditional
    assert voice(claim(0, certainty="reported", cue="said", source="pub"),
                 publisher="daily bugle") == (ASSERTS, None)
    assert voice(claim(0, certainty="speculative", cue="would")) == (ASSERTS, None)


def test_distance_below_the_lead_does_not_count() -> None:
    lead = [claim(i) for i in range(4)]
    assert voice(*lead, claim(4, certainty="hedged", cue="may")) == (ASSERTS, None)


def test_an_unverified_story_is_reported_wherever_it_is_said() -> None:
    lead = [claim(i) for i in range(6)]
    late = claim(6, "The video has not been independently verified.", "negated", "not",
                 polarity="negated", predicate="verify")
    assert voice(*lead, late) == (REPORTS, "c6")
    # a negated claim about something else is no such statement
    other = claim(6, "The bridge has not reopened.", "negated", "not", polarity="negated",
                  predicate="reopen")
    assert voice(*lead, other) == (ASSERTS, None)


def test_a_lead_that_calls_the_story_false_denies() -> None:
    hoax = claim(1, "The viral photo is a hoax.")
    assert voice(claim(0), hoax, claim(2, certainty="hedged", cue="may")) == (DENIES, "c1")
    denied = claim(0, "The ministry denied the report.", "reported", "denied", source="org")
    assert voice(denied) == (DENIES, "c0")
    # a denial word further down does not decide; "falsely" is not "false"
    assert voice(*(claim(i) for i in range(3)), claim(3, "The photo is fake.")) == (ASSERTS, None)
    assert voice(claim(0, "He was falsely accused, reportedly.", "reported", "reportedly",
                       source="anon")) == (REPORTS, "c0")
