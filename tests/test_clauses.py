"""kg.nlp.clauses: which sentences are claims, and how a sentence splits into clauses.

Boilerplate sentences of news practice and fragments without a verb or a subject are
not claims; a split never leaves a fragment behind. Each rule has texts where it must
fire and texts where it must not (a real claim the small model parses badly).
"""

from __future__ import annotations

from typing import Any

import pytest

from kg.nlp import clauses
from kg.nlp import parse as nlp


@pytest.fixture(scope="module")
def model() -> Any:
    return nlp.load()


def claims(model: Any, text: str) -> list[str]:
    doc = model(text)
    return [c.text for s in doc.sents if clauses.is_checkworthy(s) for c in clauses.split(s)]


@pytest.mark.parametrize("text", [
    "The company did not immediately respond to a request for comment.",
    "Representatives for the firm didn't respond to multiple requests for comment on Monday.",
    "The ministry could not be reached for comment.",
    "A spokesperson for the startup declined to comment.",
    "The founder has not returned emails seeking comment.",
    "Photo: Jane Doe for Example News.",
    "Read on for the full testing report.",
    "Come back later for the final version.",
    "Upgrade to the premium plan for exclusive features!",
    "Safety warnings raised by the company itself.",
    "Model weight restrictions: Preventing the distribution of trained weights to other nations",
    "Varying evaluation methodologies between organizations",
    "Indicates a combination of brute force and emergent skills within the model.",
])
def test_not_a_claim(model: Any, text: str) -> None:
    assert claims(model, text) == [], text


@pytest.mark.parametrize("text", [
    "The company responded to the request within a day, the filing shows.",
    "The regulator declined to approve the merger on Friday.",
    "The firm commented on the ruling in a statement on Tuesday.",
    "His move to the company signals the founder's push to strengthen its research after setbacks.",
    "As part of the agreement, the firm's 28-year-old chief executive will leave the company.",
])
def test_still_a_claim(model: Any, text: str) -> None:
    assert claims(model, text) == [text], text


def test_boilerplate_patterns_match_only_news_practice() -> None:
    assert clauses.is_boilerplate("X did not immediately respond to a request for comment.")
    assert clauses.is_boilerplate("The post ended with pic.twitter.com/AbC123 and a link.")
    assert not clauses.is_boilerplate("The company did not respond to the regulator's fine by paying it.")
    assert not clauses.is_boilerplate("She declined to approve the comment period extension.")


def test_a_split_leaves_no_fragment(model: Any) -> None:
    text = "The model was added to the leaderboard on Monday, and it ranks 32nd."
    assert claims(model, text) == [text]  # "it ranks 32nd" is too short alone: it stays
    two = "The regulator fined the firm last week, and the firm said it would appeal the decision."
    got = claims(model, two)
    assert got == ["The regulator fined the firm last week", "the firm said it would appeal the decision."]
    for piece in got:
        doc = model(piece)
        assert clauses.asserts(doc[:]), piece
