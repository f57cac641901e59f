"""kg.nlp.mentions.find: model patterns, gazetteer, NER, typos; exact article spans."""

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
          "Fable 5", "Mythos 5", "Claude Opus 4.1", "Qwen2.5"]


@pytest.mark.parametrize("name", MODELS)
def test_model_names_with_versions(parse: Any, name: str) -> None:
    found = parse(f"Researchers compared {name} with older systems last week.")
    assert texts(found, "ai_model") == [name]


def test_model_list_and_possessives(parse: Any) -> None:
    found = parse("Models like Anthropic's Claude 4.8 Opus, OpenAI’s GPT-5.5, and "
                  "Google's Gemini 3.5 keep improving.")
    assert texts(found) == ["Anthropic", "Claude 4.8 Opus", "OpenAI", "GPT-5.5",
                            "Google", "Gemini 3.5"]
    assert texts(found, "ai_model") == ["Claude 4.8 Opus", "GPT-5.5", "Gemini 3.5"]
    assert texts(found, "org") == ["Anthropic", "OpenAI", "Google"]


def test_coordinated_models_beat_a_long_ner_span(parse: Any) -> None:
    found = parse("The US government has ordered the blocking of Anthropic's Fable 5 and "
                  "Mythos 5 models from users outside the United States.")
    assert texts(found) == ["US government", "Anthropic", "Fable 5", "Mythos 5", "United States"]
    assert found[0].label == "gov:government"
    assert found[-1].label == "place"


def test_government_surface_forms_keep_their_role(parse: Any) -> None:
    found = parse("US officials and the Trump administration met in Washington, "
                  "and the government said federal agencies agree, the FT reported.")
    labels = {m.text: m.label for m in found}
    assert labels == {
        "US officials": "gov:officials",
        "Trump administration": "gov:administration",
        "Washington": "gov:capital",
        "government": "gov:government",
        "federal agencies": "gov:agencies",
        "FT": "publication",
    }


def test_leading_the_is_never_in_the_span(parse: Any) -> None:
    found = parse("According to the Financial Times, the European Union is worried.")
    assert texts(found) == ["Financial Times", "European Union"]


@pytest.mark.parametrize("text", [
    "The wall is 10 ft high and the crane is 40 ft tall.",  # "FT" is case-sensitive
    "They told us officials would not comment.",  # "us" is not "US"
    "Government policy on chips is unclear.",  # "government" needs "the"
    "A cold mistral wind blew over the fable of the old model.",  # lowercase names
])
def test_must_not_fire(parse: Any, text: str) -> None:
    found = parse(text)
    assert not [m for m in found if m.label != "NORP"], found


def test_family_without_version_is_not_a_model(parse: Any) -> None:
    found = parse("Compare GPT and Llama models, or read the Fable 5 review of Claude.")
    assert texts(found, "ai_model") == ["Fable 5", "Claude"]  # "Claude" is a bare family


def test_ner_noise_is_dropped(parse: Any) -> None:
    found = parse("AI companies and American AI labs fear the AI export rules.")
    assert "AI" not in texts(found)
    assert "American AI" not in texts(found)


def test_typo_of_a_table_name_is_found(parse: Any) -> None:
    found = parse("Anthopic has long positioned itself as the safety-conscious alternative.")
    assert texts(found) == ["Anthopic"]
    assert found[0].label in {"org", "ORG"}


def test_gazetteer_beats_overlapping_ner(parse: Any) -> None:
    found = parse("Beyond Anthropic, the impact on the global AI ecosystem would be large.")
    assert texts(found) == ["Anthropic"]


def test_offsets_follow_the_clause(parse: Any) -> None:
    doc = nlp.load()("Nothing here. Then OpenAI said Meta's Llama 4 is open.")
    clause = list(doc.sents)[1]
    found = mentions.find(clause, "art", 7)
    assert [(m.start - 7, m.end - 7) for m in found] == [
        (doc.text.index("OpenAI"), doc.text.index("OpenAI") + 6),
        (doc.text.index("Meta"), doc.text.index("Meta") + 4),
        (doc.text.index("Llama 4"), doc.text.index("Llama 4") + 7),
    ]


def test_washington_the_person_vs_the_capital(parse: Any) -> None:
    found = parse("The debate in Washington is about George Washington and his legacy.")
    assert [(m.text, m.label) for m in found] == [
        ("Washington", "gov:capital"), ("George Washington", "PERSON")]
