"""kg.analysis.entities: alias table, typo guard, AI-model developers, government actor, lookup;
plus golden tests on the five seed articles through the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.analysis import entities
from kg.analysis.entities import entity_id, lookup, resolve
from kg.data.names import similar
from kg.model import Claim, Entity, Mention, short_hash

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def claim(text: str, *marks: tuple[str, str], article: str = "a1", at: int = 0) -> Claim:
    """A claim over ``text`` (at article offset ``at``) mentioning each (surface, label)."""
    ms, pos = [], 0
    for surface, label in marks:
        i = text.index(surface, pos)
        ms.append(Mention(article, at + i, at + i + len(surface), surface, label))
        pos = i + len(surface)
    return Claim(Claim.make_id(article, at, at + len(text)), article, at, at + len(text),
                 text, 1, mentions=tuple(ms))


def by_name(ents: list[Entity], name: str) -> Entity:
    return next(e for e in ents if e.name == name)


def named(ents: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in ents}


def test_typo_resolves_but_other_names_do_not_merge() -> None:
    ents = resolve([
        claim("Anthopic and Anthropic differ from OpenAI.",
              ("Anthopic", "ORG"), ("Anthropic", "org"), ("OpenAI", "PERSON")),
        claim("Meta and Mistral release models.", ("Meta", "org"), ("Mistral", "org"), at=100),
    ])
    e = named(ents)
    assert set(e) == {"Anthropic", "OpenAI", "Meta", "Mistral AI"}
    assert e["Anthropic"].aliases == ("Anthopic", "Anthropic")
    assert e["Anthropic"].type == "org"
    assert e["OpenAI"].type == "org"  # the table overrides a wrong NER label
    assert all(m.entity == e["Anthropic"].id for m in e["Anthropic"].mentions)


def test_short_unknown_names_never_fuzzy_merge() -> None:
    ents = resolve([claim("Kora met Kira and Beta.", ("Kora", "PERSON"), ("Kira", "PERSON"),
                          ("Beta", "ORG"))])
    assert sorted(e.name for e in ents) == ["Beta", "Kira", "Kora"]  # "Beta" is not "Meta"


def test_long_unknown_names_merge_on_a_typo() -> None:
    ents = resolve([claim("Jonathan Smithers and Jonathan Smithers told Jonathon Smithers.",
                          ("Jonathan Smithers", "PERSON"), ("Jonathan Smithers", "PERSON"),
                          ("Jonathon Smithers", "PERSON"))])
    assert [(e.name, e.type, len(e.mentions)) for e in ents] == [("Jonathan Smithers", "person", 3)]


def test_similar_guards() -> None:
    assert similar("anthopic", "anthropic") >= 88
    assert similar("openai", "anthropic") == 0
    assert similar("meta", "mistral") == 0
    assert similar("meta", "beta") == 0  # too short
    assert similar("llama 4", "llama 3") == 0  # digits never fuzzy-match
    assert similar("america", "american") == 0  # a prefix is another word form
    assert similar("zanthropic", "anthropic") == 0  # the first letter must agree


def test_government_actor_keeps_roles() -> None:
    ents = resolve([claim(
        "US officials, the US government, Washington, the government and the Trump "
        "administration agree.",
        ("US officials", "gov:officials"), ("US government", "gov:government"),
        ("Washington", "gov:capital"), ("government", "gov:government"),
        ("Trump administration", "gov:administration"))])
    assert len(ents) == 1
    gov = ents[0]
    assert (gov.name, gov.type, gov.id) == ("US government", "gov", short_hash("entity", "us government"))
    assert [m.label.split(":")[1] for m in gov.mentions] == [
        "officials", "government", "capital", "government", "administration"]


def test_a_country_acting_is_its_government_elsewhere_a_place() -> None:
    from dataclasses import replace

    from kg.model import Frame

    acts = replace(claim("The US already restricts exports of advanced AI chips.", ("US", "GPE")),
                   frame=Frame("The US", "restrict", "exports of advanced AI chips"))
    place = replace(claim("Fable 5 is blocked for users outside the US.", ("US", "GPE"), at=100),
                    frame=Frame("Fable 5", "block", "users"))
    state = replace(claim("The US is the largest market for AI models.", ("US", "GPE"), at=200),
                    frame=Frame("The US", "be", "the largest market"))
    ents = named(resolve([acts, place, state]))
    assert [m.start for m in ents["US government"].mentions] == [4]
    assert [m.start for m in ents["United States"].mentions] == [141, 204]
    assert ents["United States"].type == "place" and ents["US government"].type == "gov"


def test_models_get_developers_from_text_then_table() -> None:
    ents = resolve([
        claim("Anthropic's Fable 5 and Mythos 5 models were blocked.",
              ("Anthropic", "org"), ("Fable 5", "ai_model"), ("Mythos 5", "ai_model")),
        claim("China's Qwen 3.7-Max and Claude Opus 4.8 and Claude 4.8 Opus compete.",
              ("China", "place"), ("Qwen 3.7-Max", "ai_model"), ("Claude Opus 4.8", "ai_model"),
              ("Claude 4.8 Opus", "ai_model"), at=100),
        claim("OpenAI's Claude 9 is a made-up model.", ("OpenAI", "org"),
              ("Claude 9", "ai_model"), at=200),
    ])
    e = named(ents)
    assert e["Fable 5"].type == e["Mythos 5"].type == "ai_model"
    assert e["Fable 5"].developer == e["Mythos 5"].developer == e["Anthropic"].id
    assert e["Qwen 3.7-Max"].developer == entity_id("Alibaba")  # a place is no developer
    assert e["Alibaba"].type == "org" and e["Alibaba"].mentions == ()  # created for the link
    claude = [x for x in ents if x.name.startswith("Claude 4")]
    assert len(claude) == 1 and len(claude[0].mentions) == 2  # tier order does not matter
    assert claude[0].developer == entity_id("Anthropic")  # from the table
    assert e["Claude 9"].developer == e["OpenAI"].id  # text evidence beats the table


def test_same_span_in_two_claims_is_one_mention() -> None:
    c = claim("Anthropic warns.", ("Anthropic", "org"))
    ents = resolve([c, c])
    assert len(ents[0].mentions) == 1


def test_lookup() -> None:
    ents = resolve([
        claim("Anthopic, the FT and Washington discuss Claude 4.8 Opus with Meta.",
              ("Anthopic", "ORG"), ("FT", "publication"), ("Washington", "gov:capital"),
              ("Claude 4.8 Opus", "ai_model"), ("Meta", "org")),
    ])
    assert lookup(ents, "anthropic’s").name == "Anthropic"  # type: ignore[union-attr]
    assert lookup(ents, "Anthropik").name == "Anthropic"  # type: ignore[union-attr]
    assert lookup(ents, "the Financial Times").name == "Financial Times"  # type: ignore[union-attr]
    assert lookup(ents, "US officials").name == "US government"  # type: ignore[union-attr]
    assert lookup(ents, "claude opus 4.8").name == "Claude 4.8 Opus"  # type: ignore[union-attr]
    assert lookup(ents, "Mistral") is None  # in the table but not in this corpus
    assert lookup(ents, "OpenAI") is None
    assert lookup(ents, "Beta") is None


def test_mentions_by_claim_and_link() -> None:
    a = claim("OpenAI and Anthropic and OpenAI.", ("OpenAI", "org"), ("Anthropic", "org"),
              ("OpenAI", "org"))
    b = claim("Nothing named here.", at=100)
    ents = resolve([a, b])
    ids = entities.mentions_by_claim([a, b], ents)
    assert ids == {a.id: [entity_id("OpenAI"), entity_id("Anthropic")], b.id: []}
    linked = entities.link([a, b], ents)
    assert [m.entity for m in linked[0].mentions] == [
        entity_id("OpenAI"), entity_id("Anthropic"), entity_id("OpenAI")]


# --- golden tests on the seeds -------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> Iterator[tuple[dict[str, str], list[Claim], list[Entity]]]:
    from kg.ingest import read as ingest
    from kg.nlp import extract
    from kg.nlp import parse as nlp

    texts: dict[str, str] = {}
    claims: list[Claim] = []
    for raw in ingest.read_inputs([SEEDS]):
        assert hasattr(raw, "text"), raw
        article, pieces, blocks = extract.prepare(raw)  # type: ignore[arg-type]
        graph = extract.extract(article, blocks, nlp.parse(pieces))
        texts[article.id] = article.text
        claims.extend(graph.claims)
    yield texts, claims, resolve(claims)


def test_seed_spans_are_exact(seeds: tuple[dict[str, str], list[Claim], list[Entity]]) -> None:
    texts, claims, ents = seeds
    for e in ents:
        assert e.id == short_hash("entity", e.name.casefold())
        for m in e.mentions:
            assert texts[m.article][m.start:m.end] == m.text
            assert m.entity == e.id
            assert not m.text.endswith(("'s", "’s")) and not m.text.lower().startswith("the ")
    spans = {(m.article, m.start, m.end) for c in claims for m in c.mentions}
    assert spans == {(m.article, m.start, m.end) for e in ents for m in e.mentions}


def test_seed_entities(seeds: tuple[dict[str, str], list[Claim], list[Entity]]) -> None:
    _, _, ents = seeds
    e = named(ents)
    anthropic = e["Anthropic"]
    assert "Anthopic" in anthropic.aliases and anthropic.type == "org"
    assert lookup(ents, "Anthopic") is anthropic
    for model in ("Fable 5", "Mythos 5", "Claude 4.8 Opus"):
        assert e[model].type == "ai_model" and e[model].developer == anthropic.id
    assert e["GPT-5.5"].developer == e["OpenAI"].id
    assert e["Gemini 3.5"].developer == e["Gemma 4 (12B)"].developer == e["Google"].id
    assert e["Llama 4"].developer == e["Meta"].id
    assert e["Qwen 3.7-Max"].developer == e["Alibaba"].id
    assert e["DeepSeek-V4-Pro"].developer == e["DeepSeek"].id
    assert e["GLM-5.2.2.2"].developer == e["Zhipu AI"].id
    assert e["Mistral Large 3"].developer == e["Mistral AI"].id
    ft = e["Financial Times"]
    assert ft.type == "publication" and {"FT", "Financial Times"} <= set(ft.aliases)
    gov = e["US government"]
    assert gov.type == "gov"
    assert {"US officials", "US government", "Washington"} <= set(gov.aliases)
    assert "OpenAI" not in anthropic.aliases and "Mistral" not in e["Meta"].aliases
