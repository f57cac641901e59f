"""What the article around a clause says, for the attributor: the direct quotes of a parsed
piece (across sentences), the organisation or government it named last, and whether a
speaker phrase only describes one ("the company", "the spokesperson", "the government").

Pure functions over spaCy docs; ``kg.nlp.attributor`` keeps the state of the walk.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from kg.data import vocabulary
from kg.data.names import vocab as names_vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as Tokens


def government_in(sent: Tokens) -> str:
    """The last government ``sent`` names by its country: "the US government" -> "US
    government" (a phrase whose head is a bare government noun with a place before it)."""
    bare, found = bare_governments(), ""
    for t in sent:
        if t.lemma_.lower() in bare and t.pos_ == "NOUN":
            places = [c for c in t.children if c.dep_ in ("compound", "amod", "nmod")
                      and c.ent_type_ in ("GPE", "NORP")]
            if places:
                found = " ".join(w.text for w in sorted([*places, t], key=lambda w: w.i))
    return found


@cache
def bare_governments() -> frozenset[str]:
    """Heads of the descriptions that stand for an article's government: "government"."""
    return frozenset(phrase[-1] for phrase in names_vocab().gov_bare)


@cache
def marks() -> frozenset[str]:
    """Every quotation mark the vocabulary knows (opening, closing, both)."""
    q = vocabulary().attribution.quotes
    return q.open | q.close | q.both


def quote_marks(doc: Doc) -> list[tuple[int, int]]:
    """(opening, closing) mark indices of the doc's direct quotes, across sentences."""
    q, out, start = vocabulary().attribution.quotes, [], None
    for t in doc:
        if t.text in q.open or (t.text in q.both and start is None):
            start = t.i
        elif start is not None and (t.text in q.close or t.text in q.both):
            out.append((start, t.i))
            start = None
    return out


def described(head: Token) -> bool:
    """Whether ``head`` describes an organisation without naming it: "the company", or
    points at its words without naming whose they are: "the spokesperson", "the filing",
    "the announcement" (an indefinite "a report" or a bare "industry analysis" does not)."""
    nouns, lemma = vocabulary().attribution.nouns, head.lemma_.lower()
    if any(c.dep_ in ("poss", "compound", "appos", "prep") or c.pos_ == "PROPN" for c in head.children):
        return False
    if lemma in nouns.organisations or lemma in bare_governments():
        return True
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)
    return definite and (lemma in nouns.speakers or lemma in nouns.documents)


def last_org(doc: Doc, before: int) -> str:
    """The organisation named last before token ``before`` of ``doc`` ("" if none): an
    entity tagged ORG, or a proper-noun subject the tagger left untyped (a misspelt name)."""
    for t in reversed(doc[:before]):
        if t.ent_type_ == "ORG":
            return next(e.text for e in doc.ents if e.start <= t.i < e.end)
        if t.pos_ == "PROPN" and t.dep_ in ("nsubj", "nsubjpass") and not t.ent_type_:
            return "".join(w.text_with_ws for w in t.subtree if w.i <= t.i).strip()
    return ""
