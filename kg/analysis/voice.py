"""How an article voices its story: it asserts it, only reports it, or denies it.

A fact-checker reads this first: does the article stand behind the story, pass it on
from others, or call it false? News states its story in its first sentences (the lead
of the inverted pyramid), so the article's voice is read from its first claims
(``[voice]`` in kg/data/analysis.toml):

1. **denies**: one of its first ``deny_lead`` claims calls the story false ("the video
   is a hoax", ``false_words``) or reports a denial ("police dismissed the claims",
   ``deny_verbs``);
2. **reports**: one of its first ``lead`` claims keeps its distance: hedged ("may",
   "appears to", "the purported video"), or reported second-hand (a cue of
   ``second_hand_cues`` such as "reportedly" or "according to", a rumour cue with no
   source such as "is said to", or a source of a ``second_hand`` kind: another outlet,
   unnamed sources); or any claim says the story is unverified ("has not been
   independently confirmed": a negated ``verify_verbs`` predicate);
3. **asserts**: otherwise.

A named person or organisation quoted in the lead does not make the article "report":
that is the story's own source speaking, and news attributes even what it asserts.
A speculative claim ("if ... would") speaks of what might follow, not of whether the
story happened, so it is not a distance either. The words are general English and
news practice, never a story's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.data import vocabulary
from kg.model import ArticleGraph, Claim, Source

_WORD = re.compile(r"[\w'’-]+")
ASSERTS, REPORTS, DENIES = "asserts", "reports", "denies"


@dataclass(frozen=True, slots=True)
class Voice:
    """``article`` ``stance``s its story (asserts, reports or denies); ``claim`` is the
    claim that decided it (None for asserts) and ``reason`` says why in words."""

    article: str
    stance: str
    claim: str | None = None
    reason: str = ""


def _words(text: str) -> set[str]:
    return {w.casefold().strip("'’-") for w in _WORD.findall(text)}


def distance(claim: Claim, sources: dict[str, Source], publisher: str | None) -> str | None:
    """Why ``claim`` keeps its distance from what it says, or None when it does not."""
    v = vocabulary().analysis.voice
    cue = claim.certainty_cue.text.casefold() if claim.certainty_cue else ""
    if claim.certainty == "hedged":
        return f"hedged ({cue})"
    if claim.certainty != "reported":
        return None
    if cue in v.second_hand_cues:
        return f"second-hand ({cue})"
    if claim.attribution is None:
        return f"rumour ({cue})" if cue else None
    src = sources.get(claim.attribution.source)
    if src is None or src.kind not in v.second_hand:
        return None
    if publisher and src.name.casefold() == publisher.casefold():
        return None
    return f"second-hand source ({src.kind}: {src.name})"


def denial(claim: Claim) -> str | None:
    """Why ``claim`` calls the story false, or None."""
    v = vocabulary().analysis.voice
    words = _words(claim.text)
    found = sorted(words & v.false_words) or sorted(words & v.deny_verbs)
    return f"denial ({found[0]})" if found else None


def unverified(claim: Claim) -> bool:
    """'The video has not been independently verified': a negated verification."""
    pred = claim.frame.predicate.split(" ")[0] if claim.frame.predicate else ""
    return claim.polarity == "negated" and pred in vocabulary().analysis.voice.verify_verbs


def of_article(graph: ArticleGraph, sources: dict[str, Source]) -> Voice:
    """The article's voice toward its story (see the module docstring)."""
    v = vocabulary().analysis.voice
    art = graph.article
    claims = sorted(graph.claims, key=lambda c: c.start)
    for c in claims[:v.deny_lead]:
        why = denial(c)
        if why:
            return Voice(art.id, DENIES, c.id, why)
    for c in claims[:v.lead]:
        why = distance(c, sources, art.publisher)
        if why:
            return Voice(art.id, REPORTS, c.id, why)
    for c in claims:
        if unverified(c):
            return Voice(art.id, REPORTS, c.id, "unverified")
    return Voice(art.id, ASSERTS)
