"""kg.analysis.conflicts on hand-built claims: status, polarity, value and stance rules."""

from __future__ import annotations

from kg.analysis.conflicts import find, stance_of
from kg.analysis.slots import Reader
from kg.analysis.values import figures
from kg.model import CONFLICT_KINDS, REVIEW_STATES, Claim, Source, short_hash
from tests.test_propositions import (
    ANTHROPIC,
    ENTS,
    OPENAI,
    US,
    considered,
    imposed,
    mk,
    ordered,
    stub,
)

LABELS = {"a": "000", "b": "003", "c": "004", "d": "001"}


def test_status_conflict_quotes_both_spans_and_keeps_both_claims() -> None:
    a, b = considered("a"), imposed("b")
    [k] = find([b, a], ENTS, stub(), LABELS)
    assert (k.kind, k.rule, k.review) == ("status", "status.considered-vs-enacted", "found")
    assert (k.claim_a, k.claim_b) == (a.id, b.id)  # considered first
    assert k.id == short_hash("conflict", *sorted((a.id, b.id)), "status")
    assert k.explanation == (
        f'Status conflict: 000 says "{a.text}" (considered) while 003 says "{b.text}" (enacted).')
    assert k.kind in CONFLICT_KINDS and k.review in REVIEW_STATES


def test_status_conflict_with_unknown_target_on_one_side() -> None:
    text = "US officials are considering export restrictions on advanced AI models."
    generic = mk("a", text, event="model-export-ban", status="considered", cue="considering",
                 subject="US officials", predicate="consider", obj="export restrictions",
                 mentions=[("US officials", US)])
    [k] = find([generic, ordered("c")], ENTS, stub(), LABELS)
    assert k.kind == "status" and "004 says" in k.explanation and "has ordered the blocking" in k.explanation


def test_no_conflict_within_one_article_or_for_other_targets_or_events() -> None:
    assert find([considered("a"), imposed("a", at=500)], ENTS, stub()) == []
    other = mk("b", "The US government has imposed an export ban on OpenAI's models.",
               event="model-export-ban", status="enacted", cue="imposed", subject="The US government",
               predicate="impose", obj="an export ban on OpenAI 's models",
               mentions=[("US government", US), ("OpenAI", OPENAI)])
    assert find([considered("a"), other], ENTS, stub()) == []
    chips = mk("b", "The US government has imposed export controls on Anthropic's chips.",
               event="chip-export-control", status="enacted", cue="imposed", subject="The US government",
               predicate="impose", obj="export controls on Anthropic 's chips",
               mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    assert find([considered("a"), chips], ENTS, stub()) == []


def test_speculative_claims_take_no_part() -> None:
    text = "If the US government imposed an export ban on Anthropic, prices would rise."
    spec = mk("b", text, event="model-export-ban", status="enacted", cue="imposed", certainty="speculative",
              subject="prices", predicate="rise", obj="", mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    assert find([considered("a"), spec], ENTS, stub()) == []


def test_one_conflict_per_article_pair_the_most_specific() -> None:
    a1 = considered("a")
    text = "Officials are considering export restrictions on advanced AI models."
    a2 = mk("a", text, event="model-export-ban", status="considered", cue="considering",
            subject="Officials", predicate="consider", obj="export restrictions", at=300)
    found = find([a1, a2, imposed("b"), ordered("c")], ENTS, stub(), LABELS)
    assert [(k.kind, k.claim_a) for k in found] == [("status", a1.id), ("status", a1.id)]


def test_a_status_verb_is_quoted_before_a_noun_naming_the_event() -> None:
    noun = mk("a", "The core of the discussion on AI export bans lies in new capabilities.",
              event="model-export-ban", status="considered", cue="discussion", subject="The core",
              predicate="lie", obj="")
    verb = mk("a", "A regulatory climate now contemplates imposing export bans on AI models.",
              event="model-export-ban", status="considered", cue="contemplates",
              subject="A regulatory climate", predicate="seem", obj="", at=300)
    for order in ([noun, verb], [verb, noun]):
        [k] = find([*order, ordered("c")], ENTS, stub(), LABELS)
        assert k.claim_a == verb.id, k.explanation


def test_enacted_vs_lifted() -> None:
    text = "The US government has lifted the export ban on Anthropic's models."
    lifted = mk("c", text, event="model-export-ban", status="lifted", cue="lifted", subject="The US government",
                predicate="lift", obj="the export ban on Anthropic 's models",
                mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    [k] = find([imposed("b"), lifted], ENTS, stub(), LABELS)
    assert k.rule == "status.enacted-vs-lifted" and "(enacted) while 004 says" in k.explanation


def test_polarity_conflict_on_the_event() -> None:
    text = "The US government has not imposed any export ban on Anthropic's models."
    denied = mk("c", text, event="model-export-ban", status="enacted", cue="imposed", polarity="negated",
                certainty="negated", subject="The US government", predicate="impose",
                obj="any export ban on Anthropic 's models", mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    [k] = find([denied, imposed("b")], ENTS, stub(), LABELS)
    assert (k.kind, k.rule) == ("polarity", "polarity.affirmed-vs-negated")
    assert (k.claim_a, k.claim_b) == (imposed("b").id, denied.id)
    assert '(affirmed) while 004 says "The US government has not imposed' in k.explanation


def test_polarity_conflict_on_a_plain_frame_needs_similar_sentences() -> None:
    yes = mk("a", "Anthropic received written evidence of the flaw.", subject="Anthropic", predicate="receive",
             obj="written evidence", mentions=[("Anthropic", ANTHROPIC)])
    no = mk("b", "Anthropic never received written evidence of the flaw.", subject="Anthropic",
            predicate="receive", obj="written evidence", polarity="negated", certainty="negated",
            mentions=[("Anthropic", ANTHROPIC)])
    [k] = find([yes, no], ENTS, stub(default=0.8), LABELS)
    assert k.rule == "polarity.same-frame"
    assert find([yes, no], ENTS, stub(default=0.2)) == []



def test_families_found_apart_and_merged_are_all_found_at_once() -> None:
    """kg.analysis.run runs the ``HERE`` families in one process and the others in another:
    the two halves, merged and sorted, must be ``find`` over every family."""
    from kg.analysis import run as analysis
    from kg.analysis.conflicts import FAMILIES

    yes = mk("a", "Anthropic received written evidence of the flaw.", subject="Anthropic", predicate="receive",
             obj="written evidence", mentions=[("Anthropic", ANTHROPIC)])
    no = mk("b", "Anthropic never received written evidence of the flaw.", subject="Anthropic",
            predicate="receive", obj="written evidence", polarity="negated", certainty="negated",
            mentions=[("Anthropic", ANTHROPIC)])
    s = mk("d", SUPPORT, subject="Anthropic", predicate="advocate", mentions=[("Anthropic", ANTHROPIC)])
    o = mk("c", OPPOSE, subject="Anthropic", predicate="respond", mentions=[("Anthropic", ANTHROPIC)])
    claims = [yes, no, considered("c"), imposed("d"), s, o]
    every = find(claims, ENTS, stub(default=0.8), LABELS)
    here = find(claims, ENTS, stub(default=0.8), LABELS, families=analysis.HERE)
    there = find(claims, ENTS, stub(default=0.8), LABELS, families=[f for f in FAMILIES if f not in analysis.HERE])
    assert {k.rule for k in here} == {"polarity.same-frame", "stance.support-vs-oppose"}
    assert {k.rule for k in there} == {"status.considered-vs-enacted"}
    assert sorted(here + there, key=lambda k: (k.kind, k.rule, k.id)) == every


RATE_A = ("An FT analysis revealed that Anthropic used risk terms at a rate of five per 1,000 words, "
          "while OpenAI registered only 0.6 per 1,000 words in 2026.")
RATE_B = "Anthropic used risk terms at a rate of eight per 1,000 words in its statements."


def rate(article: str, text: str) -> Claim:
    ms = [("Anthropic", ANTHROPIC)] + ([("OpenAI", OPENAI)] if "OpenAI" in text else [])
    return mk(article, text, subject="Anthropic", predicate="use", obj="risk terms", mentions=ms)


def test_figures_tie_numbers_to_the_nearest_entity_and_skip_model_names() -> None:
    reader = Reader(ENTS)
    got = [(f.value, f.unit, f.entity) for f in figures(rate("a", RATE_A), reader)]
    assert got == [(5.0, "per 1,000 words", ANTHROPIC.id), (0.6, "per 1,000 words", OPENAI.id)]
    model = mk("a", "Anthropic's Fable 5 models are offline.", mentions=[("Anthropic", ANTHROPIC), ("Fable 5", ENTS[3])])
    assert figures(model, reader) == []
    times = mk("a", "The term appeared 336 times for Anthropic versus 30 times for OpenAI.",
               mentions=[("Anthropic", ANTHROPIC), ("OpenAI", OPENAI)])
    assert [(f.value, f.entity) for f in figures(times, reader)] == [(336.0, ANTHROPIC.id), (30.0, OPENAI.id)]


def test_value_conflict_for_the_same_measure() -> None:
    a, b = rate("c", RATE_A), rate("b", RATE_B)
    [k] = find([a, b], ENTS, stub(default=0.7), LABELS)
    assert (k.kind, k.rule) == ("value", "value.number")
    assert "five per 1,000 words" in k.explanation and "eight per 1,000 words" in k.explanation
    assert "(5 per 1,000 words" not in k.explanation and "for Anthropic" in k.explanation
    same = rate("b", RATE_B.replace("eight", "five"))
    assert find([a, same], ENTS, stub(default=0.7)) == []
    assert find([a, b], ENTS, stub(default=0.1)) == []


def test_value_conflict_on_event_dates() -> None:
    a = imposed("b")
    text = "In 2025 the US government has imposed an export ban on Anthropic's AI models."
    b = mk("c", text, event="model-export-ban", status="enacted", cue="imposed", subject="the US government",
           predicate="impose", obj="an export ban on Anthropic 's AI models",
           mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    a2 = mk("b", a.text.replace("models.", "models in 2026."), event="model-export-ban", status="enacted",
            cue="imposed", subject="The US government", predicate="impose", obj="an export ban on Anthropic 's AI models",
            mentions=[("US government", US), ("Anthropic", ANTHROPIC)])
    assert find([a, b], ENTS, stub()) == []  # only one side dated
    [k] = find([a2, b], ENTS, stub(), LABELS)
    assert k.rule == "value.event-date" and "dated 2026" in k.explanation and "dated 2025" in k.explanation


SUPPORT = "Anthropic has consistently advocated for proactive government intervention."
OPPOSE = "Anthropic has responded, voicing strong disagreement with the export ban."


def fine(article: str, text: str, status: str, cue: str) -> Claim:
    return mk(article, text, event="regulatory-fine", status=status, cue=cue, subject="US officials",
              predicate=cue, obj="a penalty", mentions=[("US", US), ("OpenAI", OPENAI)])


def test_value_conflict_on_the_sum_of_an_event_whatever_its_status() -> None:
    proposed = fine("a", "US officials could propose a penalty of about $15 million against OpenAI.",
                    "considered", "propose")
    fined = fine("b", "The US government has fined OpenAI $20 million for its training data.", "enacted", "fined")
    found = find([proposed, fined], ENTS, stub(default=0.1), LABELS)
    [k] = [k for k in found if k.kind == "value"]
    assert k.rule == "value.event-amount" and (k.claim_a, k.claim_b) == (proposed.id, fined.id)
    assert "(about $15 million, considered)" in k.explanation and "($20 million, enacted)" in k.explanation
    assert [k.rule for k in found if k.kind == "status"] == ["status.considered-vs-enacted"]
    same = fine("b", "The US government has fined OpenAI $15 million for its training data.", "enacted", "fined")
    euros = fine("b", "The US government has fined OpenAI €20 million for its training data.", "enacted", "fined")
    for other in (same, euros):  # the same sum, or another currency: nothing to compare
        assert not [k for k in find([proposed, other], ENTS, stub(default=0.1)) if k.kind == "value"]


def test_stance_conflict_support_vs_oppose() -> None:
    s = mk("d", SUPPORT, subject="Anthropic", predicate="advocate", mentions=[("Anthropic", ANTHROPIC)])
    o = mk("c", OPPOSE, subject="Anthropic", predicate="respond", mentions=[("Anthropic", ANTHROPIC)])
    [k] = find([o, s], ENTS, stub(), LABELS)
    assert (k.kind, k.rule) == ("stance", "stance.support-vs-oppose")
    assert (k.claim_a, k.claim_b) == (s.id, o.id)
    assert k.explanation.startswith("Stance conflict on government restrictions on AI")
    assert f'001 says "{SUPPORT}" (Anthropic supports)' in k.explanation
    assert f"004 says \"{OPPOSE}\" (Anthropic opposes)" in k.explanation


def test_stance_needs_same_actor_topic_and_other_article() -> None:
    s = mk("d", SUPPORT, subject="Anthropic", predicate="advocate", mentions=[("Anthropic", ANTHROPIC)])
    other = mk("c", OPPOSE.replace("Anthropic", "OpenAI"), subject="OpenAI", predicate="respond",
               mentions=[("OpenAI", OPENAI)])
    off_topic = mk("c", "Anthropic disagreed with the review of its safety paper.", subject="Anthropic",
                   predicate="disagree", mentions=[("Anthropic", ANTHROPIC)])
    same_article = mk("d", OPPOSE, subject="Anthropic", predicate="respond", mentions=[("Anthropic", ANTHROPIC)], at=400)
    assert find([s, other, off_topic, same_article], ENTS, stub()) == []


def test_stance_actor_from_named_speaker_and_negated_support_is_skipped() -> None:
    reader = Reader(ENTS)
    said = mk("c", "They argue that they oppose a complete export ban.",
              subject="they", predicate="oppose", source="src-anthropic", source_cue="argue")
    sources = {"src-anthropic": Source("src-anthropic", "Anthropic", "organisation")}
    [(actor, _, side, topic, cue)] = stance_of(said, reader, sources)
    assert (actor, side, topic, cue.text) == (ANTHROPIC.id, "oppose", "government-restriction", "oppose")
    neg = mk("d", "Anthropic has never advocated for export controls.", subject="Anthropic",
             predicate="advocate", polarity="negated", mentions=[("Anthropic", ANTHROPIC)])
    assert stance_of(neg, reader) == []


def test_conflict_ids_are_stable_across_input_order() -> None:
    claims = [considered("a"), imposed("b"), ordered("c")]
    one = find(claims, ENTS, stub(), LABELS)
    two = find(list(reversed(claims)), ENTS, stub(), LABELS)
    assert one == two and len(one) == 2


# -- scaling: big blocks become a star (docs/analysis-scaling.md) -------------------


def _story(n_considered: int, n_enacted: int) -> list[Claim]:
    claims = [considered(f"c{i:02d}") for i in range(n_considered)]
    claims += [imposed(f"e{i:02d}") for i in range(n_enacted)]
    claims += [ordered(f"e{i:02d}", at=300) for i in range(0, n_enacted, 3)]  # some articles say both
    return claims


def test_big_story_gives_a_linear_number_of_conflicts_touching_every_article() -> None:
    claims = _story(30, 30)
    articles = {c.article for c in claims}
    found = find(claims, ENTS, stub())
    assert 0 < len(found) <= 2 * len(articles)  # exhaustive pairs would be 30 x 30 = 900
    assert all(k.rule == "status.considered-vs-enacted" for k in found)
    by_id = {c.id: c for c in claims}
    touched = {by_id[i].article for k in found for i in (k.claim_a, k.claim_b)}
    assert touched == articles
    assert len({k.id for k in found}) == len(found)
    assert find(list(reversed(claims)), ENTS, stub()) == found  # order-independent


def test_small_story_stays_exhaustive_up_to_max_pairwise_articles() -> None:
    found = find(_story(8, 8), ENTS, stub())
    assert len(found) == 8 * 8  # every considered article against every enacted one
    assert len(find(_story(9, 8), ENTS, stub())) <= 2 * 17


def test_big_value_block_is_linear_too() -> None:
    rates = [rate(f"r{i:02d}", RATE_A if i % 2 else RATE_B) for i in range(40)]
    found = find(rates, ENTS, stub(default=0.9))
    assert 0 < len(found) <= 40
    assert {c.article for c in rates} == {c.article for k in found for c in rates if c.id in (k.claim_a, k.claim_b)}
