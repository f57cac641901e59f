"""kg.analysis.entities and kg.analysis.merging on hand-made mentions: what must merge
("Altman" / "Sam Altman", "Anthopic" / "Anthropic", "FT" / "Financial Times") and what must
not ("Huang" with two Huangs, "Meta" / "Metal"); type by vote; governments; developers;
lookup. Plus golden tests on the five seed articles through the real pipeline."""

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
    """No alias table: a misspelling merges with the corpus's own spelling by fuzzy match."""
    ents = resolve([
        claim("Anthopic and Anthropic differ from OpenAI.",
              ("Anthopic", "ORG"), ("Anthropic", "ORG"), ("OpenAI", "ORG")),
        claim("Anthropic and Meta and Metal release models.", ("Anthropic", "ORG"), ("Meta", "ORG"),
              ("Metal", "ORG"), at=100),
    ])
    e = named(ents)
    assert set(e) == {"Anthropic", "OpenAI", "Meta", "Metal"}  # "Meta"/"Metal" do not merge
    assert e["Anthropic"].aliases == ("Anthopic", "Anthropic")
    assert e["Anthropic"].type == "org"
    assert all(m.entity == e["Anthropic"].id for m in e["Anthropic"].mentions)


def test_short_unknown_names_never_fuzzy_merge() -> None:
    ents = resolve([claim("Kora met Kira and Beta.", ("Kora", "PERSON"), ("Kira", "PERSON"),
                          ("Beta", "ORG"))])
    assert sorted(e.name for e in ents) == ["Beta", "Kira", "Kora"]


def test_long_unknown_names_merge_on_a_typo() -> None:
    ents = resolve([claim("Jonathan Smithers and Jonathan Smithers told Jonathon Smithers.",
                          ("Jonathan Smithers", "PERSON"), ("Jonathan Smithers", "PERSON"),
                          ("Jonathon Smithers", "PERSON"))])
    assert [(e.name, e.type, len(e.mentions)) for e in ents] == [("Jonathan Smithers", "person", 3)]


def test_spelling_variants_are_one_name() -> None:
    ents = resolve([claim("Open AI, OpenAI and Erdoğan met Erdogan.", ("Open AI", "ORG"),
                          ("OpenAI", "ORG"), ("Erdoğan", "PERSON"), ("Erdogan", "PERSON"))])
    assert sorted(e.aliases for e in ents) == [("Erdogan", "Erdoğan"), ("Open AI", "OpenAI")]


def test_similar_guards() -> None:
    assert similar("anthopic", "anthropic") >= 88
    assert similar("openai", "anthropic") == 0
    assert similar("meta", "metal") == 0  # too short
    assert similar("llama 4", "llama 3") == 0  # digits never fuzzy-match
    assert similar("america", "american") == 0  # a prefix is another word form
    assert similar("zanthropic", "anthropic") == 0  # the first letter must agree


def test_surname_merges_with_the_full_name_in_its_article_and_across_articles() -> None:
    ents = resolve([
        claim("Sam Altman said so, and Altman repeated it.", ("Sam Altman", "PERSON"),
              ("Altman", "ORG")),
        claim("Altman spoke again.", ("Altman", "PERSON"), article="a2"),
    ])
    assert [(e.name, e.type, len(e.mentions)) for e in ents] == [("Sam Altman", "person", 3)]


def test_an_ambiguous_surname_stays_alone() -> None:
    ents = resolve([
        claim("Jensen Huang spoke.", ("Jensen Huang", "PERSON"), article="a1"),
        claim("Chelsea Huang replied.", ("Chelsea Huang", "PERSON"), article="a2"),
        claim("Huang disagreed.", ("Huang", "PERSON"), article="a3"),
        claim("Huang, said Jensen Huang, agreed.", ("Huang", "PERSON"), ("Jensen Huang", "PERSON"),
              article="a4"),
    ])
    e = named(ents)
    assert set(e) == {"Jensen Huang", "Chelsea Huang", "Huang"}
    assert [m.article for m in e["Huang"].mentions] == ["a3"]  # a4 names its Huang in full
    assert sorted(m.article for m in e["Jensen Huang"].mentions) == ["a1", "a4", "a4"]


def test_a_place_alone_does_not_join_a_person_of_another_article() -> None:
    ents = resolve([claim("George Washington wrote.", ("George Washington", "PERSON")),
                    claim("Officials in Washington met.", ("Washington", "GPE"), article="a2")])
    assert sorted(e.name for e in ents) == ["George Washington", "Washington"]


def test_an_acronym_joins_the_one_name_it_spells() -> None:
    ents = resolve([
        claim("The Financial Times said the FT would print.", ("Financial Times", "publication"),
              ("FT", "acronym")),
        claim("The CEO of the ADL and the Anti-Defamation League spoke.", ("CEO", "acronym"),
              ("ADL", "ORG"), ("Anti-Defamation League", "ORG"), article="a2"),
    ])
    e = named(ents)
    assert set(e) == {"Financial Times", "Anti-Defamation League"}  # "CEO" spells no name
    assert e["Financial Times"].aliases == ("FT", "Financial Times")
    assert e["Financial Times"].type == "publication"
    assert set(e["Anti-Defamation League"].aliases) == {"ADL", "Anti-Defamation League"}


def test_type_is_a_vote_not_the_first_label() -> None:
    ents = resolve([claim("Acme, Acme, Acme and Acme.", ("Acme", "PERSON"), ("Acme", "ORG"),
                          ("Acme", "ORG"), ("Acme", "PERSON"))])
    assert ents[0].type == "org"  # one-word PERSON labels count half: a person is named in full
    ents = resolve([claim("Daily Herald and Daily Herald.", ("Daily Herald", "PERSON"),
                          ("Daily Herald", "ORG"))])
    assert ents[0].type == "publication"  # a newspaper's shape


def test_government_is_one_actor_per_country() -> None:
    ents = resolve([
        claim("US officials, the US government and the government agree.",
              ("US officials", "gov:official"), ("US government", "gov:government"),
              ("government", "gov:bare")),
        claim("Users outside the United States complain.", ("United States", "GPE"), article="a2"),
        claim("The government spoke.", ("government", "gov:bare"), article="a3"),
    ])
    gov = named(ents)["US government"]
    assert (gov.type, gov.id) == ("gov", short_hash("entity", "us government"))
    assert [m.label for m in gov.mentions] == ["gov:official", "gov:government", "gov:bare"]
    assert named(ents)["United States"].type == "place"
    assert all(m.article != "a3" for e in ents for m in e.mentions)  # no government named there


def test_a_country_acting_is_its_government_elsewhere_a_place() -> None:
    from dataclasses import replace

    from kg.model import Frame

    acts = replace(claim("The US already restricts exports of advanced AI chips.", ("US", "GPE")),
                   frame=Frame("The US", "restrict", "exports of advanced AI chips"))
    place = replace(claim("Fable 5 is blocked for users outside the United States.",
                          ("United States", "GPE"), at=100),
                    frame=Frame("Fable 5", "block", "users"))
    state = replace(claim("The United States is the largest market for AI models.",
                          ("United States", "GPE"), at=200),
                    frame=Frame("The United States", "be", "the largest market"))
    named_gov = claim("US officials agree.", ("US officials", "gov:official"), at=300)
    epoch = replace(claim("Epoch tested the model.", ("Epoch", "GPE"), article="a2"),
                    frame=Frame("Epoch", "test", "the model"))
    ents = named(resolve([acts, place, state, named_gov, epoch]))
    assert [m.start for m in ents["US government"].mentions] == [4, 300]
    assert ents["Epoch"].type == "place"  # NER's GPE, but no "Epoch officials": no government
    assert [m.start for m in ents["United States"].mentions] == [141, 204]
    assert ents["United States"].type == "place" and ents["US government"].type == "gov"


def test_models_get_developers_from_text() -> None:
    ents = resolve([
        claim("Anthropic's Fable 5 and Mythos 5 models were blocked.",
              ("Anthropic", "ORG"), ("Fable 5", "ai_model"), ("Mythos 5", "ai_model")),
        claim("China's Qwen 3.7-Max and Claude 4.8 Opus compete with Claude 4.8 Opus.",
              ("China", "GPE"), ("Qwen 3.7-Max", "ai_model"), ("Claude 4.8 Opus", "ai_model"),
              ("Claude 4.8 Opus", "ai_model"), at=100),
        claim("The Boeing 737 Max flew.", ("Boeing 737 Max", "product"), at=200),
    ])
    e = named(ents)
    assert e["Fable 5"].type == e["Mythos 5"].type == "ai_model"
    assert e["Fable 5"].developer == e["Mythos 5"].developer == e["Anthropic"].id
    assert e["Qwen 3.7-Max"].developer is None  # a place is no developer; no table guesses
    assert len(e["Claude 4.8 Opus"].mentions) == 2 and e["Claude 4.8 Opus"].developer is None
    assert e["Boeing 737 Max"].type == "product"


def test_same_span_in_two_claims_is_one_mention() -> None:
    c = claim("Anthropic warns.", ("Anthropic", "org"))
    ents = resolve([c, c])
    assert len(ents[0].mentions) == 1


def test_lookup() -> None:
    ents = resolve([
        claim("Anthopic, Anthropic, the Financial Times and Claude 4.8 Opus with Meta.",
              ("Anthopic", "ORG"), ("Anthropic", "ORG"), ("Financial Times", "ORG"),
              ("Claude 4.8 Opus", "ai_model"), ("Meta", "ORG")),
    ])
    assert lookup(ents, "anthropic’s").name == "Anthropic"  # type: ignore[union-attr]
    assert lookup(ents, "Anthropik").name == "Anthropic"  # type: ignore[union-attr]
    assert lookup(ents, "the FT").name == "Financial Times"  # type: ignore[union-attr]
    assert lookup(ents, "claude 4.8 opus").name == "Claude 4.8 Opus"  # type: ignore[union-attr]
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
    resolved = {(m.article, m.start, m.end) for e in ents for m in e.mentions}
    assert resolved <= spans  # an acronym of no name, "the government" of no country: none
    left = {m.text for c in claims for m in c.mentions if (m.article, m.start, m.end) not in resolved}
    assert all(t.isupper() or t.casefold() in ("government", "administration") for t in left), left


def test_seed_entities(seeds: tuple[dict[str, str], list[Claim], list[Entity]]) -> None:
    """The seed findings on entities, from general rules (no name of the story is listed)."""
    _, _, ents = seeds
    e = named(ents)
    anthropic = e["Anthropic"]
    assert "Anthopic" in anthropic.aliases and anthropic.type == "org"
    assert lookup(ents, "Anthopic") is anthropic
    for model in ("Fable 5", "Mythos 5", "Claude 4.8 Opus"):
        assert e[model].type == "ai_model" and e[model].developer == anthropic.id
    assert e["GPT-5.5"].developer == e["OpenAI"].id
    assert e["Gemini 3.5"].developer == e["Google"].id
    assert e["Llama 4"].developer == e["Meta"].id
    ft = e["Financial Times"]
    assert ft.type == "publication" and {"FT", "Financial Times"} <= set(ft.aliases)
    gov = e["US government"]
    assert gov.type == "gov"
    assert {"US officials", "US government"} <= set(gov.aliases)
    assert "OpenAI" not in anthropic.aliases
    assert e["Washington"].type == "place"  # the capital for its government needs world knowledge
