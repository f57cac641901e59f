"""Certainty cues of general English and news practice, each with cases where it must
fire and cases where it must not (kg.nlp.certainty, kg.nlp.rumour, certainty.toml).

Hedges (Hyland 2005) and rumour words ("is said to", "it is believed", "rumours that",
"claims to", "if true") count only in the article's own voice.
"""

from __future__ import annotations

from typing import Any

import pytest

from kg.nlp import parse as kg_nlp
from tests.test_certainty import cue, reading


@pytest.fixture(scope="module")
def nlp() -> Any:
    return kg_nlp.load()


@pytest.mark.parametrize("text, certainty, cue_text", [
    # passive verbs of saying and believing with a clause
    ("Dmitry Nikolaev is believed to be the target of a gang.", "reported", "believed"),
    ("The actor is said to have left the country.", "reported", "said"),
    ("It is believed that a gang was involved.", "reported", "believed"),
    # nouns of saying with a complement clause, and rumour nouns on their own
    ("Twitter is abuzz with rumours that Fidel Castro has died.", "reported", "rumours"),
    ("Social media have been flooded with rumors of Fidel Castro's death.", "reported", "rumors"),
    # verbs of claiming with an infinitive or a clause
    ("Islamist militants claim to have beheaded a man.", "reported", "claim"),
    ("A schoolboy now claims he has magnetic superpowers.", "reported", "claims"),
    # hedges of unestablished fact and of appearance
    ("The purported video shows a man in orange.", "hedged", "purported"),
    ("There have been unconfirmed reports of more shootings.", "hedged", "unconfirmed"),
    ("Banksy appears to have shared a message of sorrow.", "hedged", "appears"),
    # the article doubts the story it passes on
    ("If true, the discovery would change history.", "speculative", "If true"),
])
def test_cue_fires(nlp: Any, text: str, certainty: str, cue_text: str) -> None:
    r = reading(nlp, text)
    assert (r.certainty, cue(r)) == (certainty, cue_text)


@pytest.mark.parametrize("text", [
    "The law took effect in May.",  # "May" the month is no modal
    "Theresa May closed the meeting on Tuesday.",  # nor is the name
    "The insurer paid the claims of 300 customers.",  # "claims" of a lawsuit or insurer
    "The claims that he made in court were rejected.",  # a relative clause, not a complement
    "The man who is said to have started the fire was arrested.",  # about the man, aside
    "It is known that the bridge was closed.",  # "known" is factive
    "The team is expected to win the cup.",  # expectation of the future, not hearsay
    "The term appeared 336 times in the statements.",  # "appear" without a complement
])
def test_cue_does_not_fire(nlp: Any, text: str) -> None:
    r = reading(nlp, text)
    assert (r.certainty, cue(r)) == ("asserted", None)


def test_a_hedge_inside_someone_elses_quote_is_theirs(nlp: Any) -> None:
    r = reading(nlp, '"It may be a hoax," the spokesman said.')
    assert (r.certainty, cue(r)) == ("reported", "said")


def test_a_rumour_word_inside_someone_elses_words_is_theirs(nlp: Any) -> None:
    # the speaker's hearsay: the claim is reported, its cue the reporting verb
    r = reading(nlp, "Industry analysts said the driver is believed to have fled.")
    assert (r.certainty, cue(r)) == ("reported", "said")
