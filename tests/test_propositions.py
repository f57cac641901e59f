"""kg.analysis.propositions on hand-built claims: parse keys, grouping rules, similarity as a filter.

The builders here (``ent``, ``mk``, ``stub``) are shared by the other analysis tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.analysis.explain import article_label, quote
from kg.analysis.propositions import group, sample
from kg.analysis.similarity import Scorer
from kg.analysis.slots import ANY, Reader, read
from kg.model import Attribution, Claim, Entity, Frame, Mention, Span, short_hash

# -- builders ----------------------------------------------------------------------


def ent(name: str, type_: str, developer: Entity | None = None) -> Entity:
    return Entity(short_hash("entity", name.casefold()), name, type_,
                  developer=developer.id if developer else None)


US = ent("US government", "gov")
ANTHROPIC = ent("Anthropic", "org")
OPENAI = ent("OpenAI", "org")
FABLE = ent("Fable 5", "ai_model", developer=ANTHROPIC)
ENTS = [US, ANTHROPIC, OPENAI, FABLE]


def span(article: str, text: str, word: str, at: int = 0) -> Span:
    i = text.index(word)
    return Span(article, at + i, at + i + len(word), word)


def mk(article: str, text: str, *, event: str | None = None, status: str | None = None,
       cue: str | None = None, subject: str = "", predicate: str = "", obj: str = "",
       certainty: str = "asserted", certainty_cue: str | None = None, polarity: str = "affirmed",
       source: str | None = None, source_cue: str | None = None, via: str | None = None,
       mentions: Sequence[tuple[str, Entity]] = (), at: int = 0, target: str | None = None) -> Claim:
    """A claim of ``article`` at offset ``at``; cue words are found in ``text``."""
    ms, pos = [], 0
    for surface, e in mentions:
        i = text.index(surface, pos)
        ms.append(Mention(article, at + i, at + i + len(surface), surface, e.type, e.id))
        pos = i + len(surface)
    attr = None
    if source is not None:
        attr = Attribution(source, span(article, text, source_cue, at) if source_cue else None, via)
    return Claim(
        id=Claim.make_id(article, at, at + len(text)), article=article, start=at, end=at + len(text),
        text=text, sentence=1,
        frame=Frame(subject, predicate, obj, event, target),
        certainty=certainty, certainty_cue=span(article, text, certainty_cue, at) if certainty_cue else None,
        event_status=status, event_cue=span(article, text, cue, at) if cue else None,
        polarity=polarity, attribution=attr, mentions=tuple(ms))


def stub(pairs: dict[frozenset[str], float] | None = None, default: float = 0.5) -> Scorer:
    """A similarity scorer: ``pairs`` of texts to scores, else ``default``."""
    def score(a: str, b: str) -> float:
        return 1.0 if a == b else (pairs or {}).get(frozenset((a, b)), default)
    return score


def considered(article: str, at: int = 0) -> Claim:
    text = "US officials are actively considering export restrictions on Anthropic's models."
    return mk(article, text, event="model-export-ban", status="considered", cue="considering",
              subject="US officials", predicate="consider", obj="export restrictions on Anthropic 's models",
              mentions=[("US officials", US), ("Anthropic", ANTHROPIC)], at=at)


def imposed(article: str, at: int = 0) -> Claim:
    text = "The US government has imposed an export ban on Anthropic's AI models."
    return mk(article, text, event="model-export-ban", status="enacted", cue="imposed",
              subject="The US government", predicate="impose", obj="an export ban on Anthropic 's AI models",
              mentions=[("US government", US), ("Anthropic", ANTHROPIC)], at=at)


def ordered(article: str, at: int = 0) -> Claim:
    text = "A big development: the US government has ordered the blocking of Fable 5 outside the US."
    return mk(article, text, event="model-export-ban", status="enacted", cue="ordered",
              subject="the US government", predicate="order", obj="A big development",
              mentions=[("US government", US), ("Fable 5", FABLE)], at=at)


# -- keys --------------------------------------------------------------------------


def test_key_reads_actor_target_and_model_developer() -> None:
    slots = read([imposed("a"), ordered("b")], ENTS)
    assert {s.key() for s in slots.values()} == {f"model-export-ban|{US.id}|{ANTHROPIC.id}|enacted"}


def test_target_needs_a_targeting_preposition_after_the_cue() -> None:
    text = "US officials consider export restrictions after Anthropic highlights risks."
    c = mk("a", text, event="model-export-ban", status="considered", cue="consider",
           subject="US officials", predicate="consider", obj="export restrictions",
           mentions=[("US officials", US), ("Anthropic", ANTHROPIC)])
    s = Reader(ENTS).slots(c)
    assert s is not None and (s.actor, s.target) == (US.id, ANY)


def test_frame_target_from_extraction_wins() -> None:
    c = mk("a", "The ban was imposed last week.", event="model-export-ban", status="enacted",
           cue="imposed", subject="The ban", predicate="impose", target="Anthropic")
    s = Reader(ENTS).slots(c)
    assert s is not None and s.target == ANTHROPIC.id and s.actor == ANY


def test_claims_without_event_or_status_have_no_key() -> None:
    plain = mk("a", "Anthropic published research on model risks.", subject="Anthropic",
               predicate="publish", mentions=[("Anthropic", ANTHROPIC)])
    no_status = mk("a", "The export ban reflects a turning point.", event="model-export-ban",
                   subject="The export ban", predicate="reflect")
    assert read([plain, no_status], ENTS) == {}
    assert group([plain, no_status], ENTS) == []


def test_negation_counts_only_on_the_event_verb() -> None:
    denied = mk("a", "The US government has not imposed a ban on Anthropic.", event="model-export-ban",
                status="enacted", cue="imposed", subject="The US government", predicate="impose",
                obj="a ban on Anthropic", polarity="negated", certainty="negated",
                mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    passing = mk("a", "The debate over AI export controls is no longer theoretical.",
                 event="model-export-ban", status="considered", cue="debate",
                 subject="The debate over AI export controls", predicate="be", obj="theoretical",
                 polarity="negated", certainty="negated")
    slots = read([denied, passing], ENTS)
    assert slots[denied.id].negated and slots[denied.id].key().endswith("|not")
    assert not slots[passing.id].negated


# -- grouping ----------------------------------------------------------------------


def test_same_key_across_articles_is_one_proposition_with_a_reason() -> None:
    a, b = imposed("a"), ordered("b")
    [p] = group([a, b], ENTS, stub(default=0.46))
    assert set(p.claims) == {a.id, b.id}
    assert p.key == f"model-export-ban|{US.id}|{ANTHROPIC.id}|enacted"
    assert p.id == short_hash("proposition", p.key)
    assert "same actor US government, event model-export-ban, target Anthropic" in p.reason
    assert "similarity 0.46" in p.reason
    assert p.label == "US government: model export ban against Anthropic (enacted)"
    assert p.origins == ()


def test_single_article_event_claim_gets_its_own_proposition() -> None:
    [p] = group([imposed("a")], ENTS)
    assert p.claims == (imposed("a").id,)
    assert p.reason.startswith("single claim: actor US government, event model-export-ban")


def test_status_splits_propositions() -> None:
    props = group([considered("a"), imposed("b")], ENTS, stub(default=0.9))
    assert len(props) == 2
    assert {p.key.split("|")[-1] for p in props} == {"considered", "enacted"}


def test_chip_controls_and_model_ban_are_never_merged_even_when_similar() -> None:
    chips = mk("a", "The US government has imposed export controls on Anthropic's chips.",
               event="chip-export-control", status="enacted", cue="imposed", subject="The US government",
               predicate="impose", obj="export controls on Anthropic 's chips",
               mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    ban = imposed("b")
    props = group([chips, ban], ENTS, stub(default=0.99))
    assert sorted(len(p.claims) for p in props) == [1, 1]
    assert {p.key.split("|")[0] for p in props} == {"chip-export-control", "model-export-ban"}


def test_blacklist_and_export_ban_are_never_merged() -> None:
    black = mk("a", "The US government placed Anthropic on a supply chain blacklist.", event="blacklist",
               status="enacted", cue="placed", subject="The US government", predicate="place",
               obj="Anthropic", mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    props = group([black, imposed("b")], ENTS, stub(default=0.99))
    assert len(props) == 2 and all(len(p.claims) == 1 for p in props)


def test_different_targets_are_different_propositions() -> None:
    other = mk("b", "The US government has imposed an export ban on OpenAI's models.",
               event="model-export-ban", status="enacted", cue="imposed", subject="The US government",
               predicate="impose", obj="an export ban on OpenAI 's models",
               mentions=[("US government", US), ("OpenAI", OPENAI)])
    assert len(group([imposed("a"), other], ENTS, stub(default=0.95))) == 2


def test_similarity_floor_filters_same_key_candidates() -> None:
    a, b = imposed("a"), ordered("b")
    props = group([a, b], ENTS, stub(default=0.01))
    assert len(props) == 2
    assert len({p.id for p in props}) == 2  # a second cluster of one key gets its own id


def wildcard(article: str) -> Claim:
    text = "Regulators now contemplate imposing strict export bans on frontier AI models."
    return mk(article, text, event="model-export-ban", status="considered", cue="contemplate",
              subject="Regulators", predicate="contemplate", obj="imposing strict export bans")


def test_unknown_actor_joins_the_compatible_specific_group_when_similar() -> None:
    w, c = wildcard("w"), considered("a")
    [p] = group([w, c], ENTS, stub(default=0.6))
    assert set(p.claims) == {w.id, c.id}
    assert "unknown actor or target joined at similarity >= 0.60" in p.reason
    assert len(group([w, c], ENTS, stub(default=0.1))) == 2  # not similar enough: kept apart


def test_unknown_actor_joins_the_one_specific_group_of_its_own_article() -> None:
    black = mk("c", "The US government placed Anthropic on a supply chain blacklist.", event="blacklist",
               status="enacted", cue="placed", subject="The US government", predicate="place",
               obj="Anthropic", mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    vague = mk("c", "This blacklisting occurred after the company refused a request.", event="blacklist",
               status="enacted", cue="blacklisting", subject="This blacklisting", predicate="occur", at=300)
    [p] = group([black, vague], ENTS, stub(default=0.05))  # not similar, but the same story
    assert set(p.claims) == {black.id, vague.id}
    elsewhere = mk("d", vague.text, event="blacklist", status="enacted", cue="blacklisting",
                   subject="This blacklisting", predicate="occur")
    assert len(group([black, elsewhere], ENTS, stub(default=0.05))) == 2  # another article: kept apart


def test_unknown_slots_never_join_another_status_or_event() -> None:
    w = wildcard("w")
    assert len(group([w, imposed("a")], ENTS, stub(default=0.99))) == 2


def test_ambiguous_attachment_is_refused() -> None:
    on_openai = mk("b", "US officials are considering export restrictions on OpenAI's models.",
                   event="model-export-ban", status="considered", cue="considering", subject="US officials",
                   predicate="consider", obj="export restrictions on OpenAI 's models",
                   mentions=[("US officials", US), ("OpenAI", OPENAI)])
    props = group([wildcard("w"), considered("a"), on_openai], ENTS, stub(default=0.6))
    assert len(props) == 3  # two equally similar specific groups: the wildcard stays alone


def test_ids_are_stable_and_order_independent() -> None:
    claims = [considered("a"), imposed("b"), ordered("c"), wildcard("d")]
    one = group(claims, ENTS, stub(default=0.5))
    two = group(list(reversed(claims)), ENTS, stub(default=0.5))
    assert [(p.id, p.claims) for p in one] == [(p.id, p.claims) for p in two]


# -- helpers -----------------------------------------------------------------------


def test_article_label_and_quote() -> None:
    assert article_label("x1", "seeds/000_94e0bd11fb1681c0.txt") == "000"
    assert article_label("x1", "in/report.txt") == "report"
    assert quote("Short  text.") == '"Short text."'
    long = "word " * 20 + "KEY" + " word" * 20
    q = quote(long, long.index("KEY"), long.index("KEY") + 3, 40)
    assert q.startswith('"…') and q.endswith('…"') and "KEY" in q and len(q) <= 46


def test_unattributed_source_ids_do_not_matter_for_keys() -> None:
    a = considered("a")
    b = mk("b", a.text, event="model-export-ban", status="considered", cue="considering",
           subject="US officials", predicate="consider", obj="export restrictions on Anthropic 's models",
           mentions=[("US officials", US), ("Anthropic", ANTHROPIC)], source="s1", source_cue="US officials")
    assert len(group([a, b], ENTS)) == 1


def test_big_groups_compare_against_a_bounded_sample() -> None:
    members = [imposed(f"a{i:03d}") for i in range(100)]
    picked = sample(members, 32)
    assert len(picked) == 32 and picked[0] is members[0] and picked[-1] is members[-1]
    assert sample(members[:10], 32) == members[:10]
    calls: list[int] = []

    def counting(a: str, b: str) -> float:
        calls.append(1)
        return 0.5

    [p] = group(members, ENTS, counting)
    assert len(p.claims) == 100 and "(to the first claim)" in p.reason
    assert len(calls) < 100 * 32  # all pairs would be 4,950 for the reason alone
