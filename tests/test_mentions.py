"""kg.nlp.mentions.find: versioned names by shape, governments, NER and its junk, acronyms;
exact article spans. No name list is involved."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from kg.model import Mention
from kg.nlp import mentions
from kg.nlp import parse as nlp

OFFSET = 1000


@pytest.fixture(scope="module")
def parse() -> Any:
    model = nlp.load()

    def run(text: str) -> tuple[Mention, ...]:
        doc = model(text)
        found = mentions.find(doc[:], "art", OFFSET)
        for m in found:  # spans are exact: article offset = doc offset + OFFSET
            assert doc.text[m.start - OFFSET:m.end - OFFSET] == m.text
            assert m.entity is None
        for a, b in itertools.pairwise(found):  # sorted, no overlaps
            assert a.end <= b.start
        return found

    return run


def texts(found: tuple[Mention, ...], label: str | None = None) -> list[str]:
    return [m.text for m in found if label is None or m.label == label]


MODELS = ["Claude 4.8 Opus", "GPT-5.5", "Gemini 3.5", "Llama 4", "Qwen 3.7-Max",
          "DeepSeek-V4-Pro", "GLM-5.2.2.2", "Gemma 4 (12B)", "Mistral Large 3",
          "Fable 5", "Zorblax 7", "Llama 4 Scout", "Qwen2.5"]


@pytest.mark.parametrize("name", MODELS)
def test_versioned_names_by_shape(parse: Any, name: str) -> None:
    """No list of families: a capitalised name with a version is a model in AI context."""
    found = parse(f"Researchers compared the {name} model with older systems last week.")
    assert texts(found, "ai_model") == [name]


def test_a_versioned_name_outside_ai_context_is_a_product(parse: Any) -> None:
    found = parse("The airline grounded every Boeing 737 Max after the crash.")
    assert [(m.text, m.label) for m in found if m.label in ("ai_model", "product")] == [
        ("Boeing 737 Max", "product")]


@pytest.mark.parametrize("text", [
    "Section 230 protects the platforms that host AI models.",
    "The AI model shipped in June 2025 after a delay.",
    "Covid-19 slowed work on AI models for a year.",
    "The AI summit in Paris 2025 drew large crowds.",
    "Meta Releases Llama 4 Models Amid Controversy over AI benchmarks.",
])
def test_numbers_after_common_words_are_no_models(parse: Any, text: str) -> None:
    found = parse(text)
    assert all(m.text in ("Llama 4",) for m in found if m.label == "ai_model"), found


def test_model_list_and_possessives(parse: Any) -> None:
    found = parse("Models like Anthropic's Claude 4.8 Opus, OpenAI’s GPT-5.5, and "
                  "Google's Gemini 3.5 keep improving.")
    assert texts(found, "ai_model") == ["Claude 4.8 Opus", "GPT-5.5", "Gemini 3.5"]
    assert [t for t in texts(found) if t not in texts(found, "ai_model")] == [
        "Anthropic", "OpenAI", "Google"]


def test_coordinated_models_beat_a_long_ner_span(parse: Any) -> None:
    found = parse("The US government has ordered the blocking of Anthropic's Fable 5 and "
                  "Mythos 5 models from users outside the United States.")
    assert texts(found) == ["US government", "Anthropic", "Fable 5", "Mythos 5", "United States"]
    assert found[0].label == "gov:government"
    assert found[-1].label == "GPE"


def test_country_and_government_noun_is_a_government(parse: Any) -> None:
    found = parse("US officials met Turkish authorities in Ankara, and the government said "
                  "the French government agrees.")
    labels = {m.text: m.label for m in found}
    assert labels["US officials"] == "gov:official"
    assert labels["Turkish authorities"] == "gov:authority"
    assert labels["French government"] == "gov:government"
    assert labels["government"] == "gov:bare"


def test_leading_the_is_never_in_the_span(parse: Any) -> None:
    found = parse("According to the Financial Times, the European Union is worried.")
    assert texts(found) == ["Financial Times", "European Union"]
    assert found[0].label == "publication"  # a newspaper's shape: "... Times"


@pytest.mark.parametrize("text", [
    "The wall is 10 ft high and the crane is 40 ft tall.",
    "They told us officials would not comment.",  # "us" is not "US"
    "Government policy on chips is unclear.",  # "government" needs "the"
    "A cold mistral wind blew over the fable of the old model.",  # lowercase words
])
def test_must_not_fire(parse: Any, text: str) -> None:
    found = parse(text)
    assert not [m for m in found if m.label != "NORP"], found


def test_name_without_version_is_not_a_model(parse: Any) -> None:
    found = parse("Compare GPT and Llama models, or read the Fable 5 model review.")
    assert texts(found, "ai_model") == ["Fable 5"]


def test_ner_noise_is_dropped(parse: Any) -> None:
    found = parse("AI companies and American AI labs fear the AI export rules.")
    assert "AI" not in texts(found)
    assert "American AI" not in texts(found)


def test_a_heading_glued_to_the_next_line_is_cut(parse: Any) -> None:
    found = parse("The Path Forward\nAnthropic is reportedly working to restore access.")
    assert "The Path Forward\nAnthropic" not in texts(found)
    assert all("\n" not in t for t in texts(found))


def test_an_org_that_reports_is_a_publication(parse: Any) -> None:
    found = parse("Zenith Group plans to expand, Reuters reported on Friday.")
    assert ("Reuters", "publication") in [(m.text, m.label) for m in found]


def test_a_name_found_once_is_found_again_in_the_article(parse: Any) -> None:
    model = nlp.load()
    first = model("Microsoft said on Tuesday it would invest.")
    assert "Microsoft" in [e.text for e in first.ents]
    missed = model("The deal makes Microsoft bigger.")
    missed.ents = []  # as when the small model misses the name in the next sentence
    assert mentions.find(missed[:], "art", 0) == ()
    names = mentions.ArticleNames([first, missed])
    assert [(m.text, m.label) for m in mentions.find(missed[:], "art", 0, names)] == [("Microsoft", "ORG")]


def test_offsets_follow_the_clause(parse: Any) -> None:
    doc = nlp.load()("Nothing here. Then OpenAI said Meta's Llama 4 model is open.")
    clause = list(doc.sents)[1]
    found = mentions.find(clause, "art", 7)
    assert [(m.start - 7, m.end - 7) for m in found] == [
        (doc.text.index("OpenAI"), doc.text.index("OpenAI") + 6),
        (doc.text.index("Meta"), doc.text.index("Meta") + 4),
        (doc.text.index("Llama 4"), doc.text.index("Llama 4") + 7),
    ]
