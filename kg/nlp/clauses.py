"""Check-worthy clauses of a parsed sentence, and their subject/predicate/object frame.

A sentence becomes one claim, or one claim per independent clause when it joins
assertions that each have their own subject ("X did A, and Y did B"). Not claims:
headings, questions, fragments without a verb or without a subject ("Safety warnings
raised by X itself.", "Label: doing something"), commands ("Read on for the report"),
and the sentences of news practice in ``[sentences]`` of kg/data/boilerplate.toml ("X
did not immediately respond to a request for comment"). A split never leaves a piece
without its own subject and verb: such a piece stays with the clause before it. Works
on any spaCy ``Span``, so the rules are tested on hand-built docs without a model.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from typing import TYPE_CHECKING

from kg.model import Frame

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
OBJECTS = ("dobj", "attr", "oprd", "acomp", "xcomp", "ccomp", "dative")
MIN_WORDS = 4
_EDGE_PUNCT = set(",;:-–—")
_CONJUNCTIONS = {"and", "but", "while", "whereas", "yet", "or", "so"}


_FINITE = frozenset({"VBZ", "VBD", "VBP", "MD"})
#: what a sentence whose subject the parser lost may start with (a noun phrase)
_NOMINAL = frozenset({"DET", "PROPN", "NOUN", "ADJ", "NUM", "PRON", "ADP"})
_LONG = 8
_LABEL = re.compile(r"^[^:]{1,40}:\s")


@cache
def _boilerplate() -> re.Pattern[str] | None:
    from kg.data import vocabulary  # local: vocabularies load lazily

    patterns = vocabulary().boilerplate.sentences.patterns
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in SUBJECTS for c in token.children)


def asserts(span: Span) -> bool:
    """A verb and a subject: "X did A". When the parser found no subject, a sentence still
    asserts when it opens with a noun phrase or a preposition, has no "Label:" prefix, and
    has a finite verb or is a long sentence with a full stop (the small model loses a
    subject after a long apposition and reads "His move signals ..." as a noun phrase); a
    command ("Read on ..."), a participle phrase or a list label does not."""
    if any(t.dep_ in SUBJECTS for t in span) and any(t.pos_ in ("VERB", "AUX") for t in span):
        return True
    first = next((t for t in span if not t.is_punct and not t.is_space), None)
    if first is None or first.pos_ not in _NOMINAL or _LABEL.match(span.text):
        return False
    if any(t.tag_ in _FINITE for t in span):
        return True
    return span.text.rstrip().endswith(".") and len([t for t in span if t.is_alpha]) >= _LONG


def is_boilerplate(text: str) -> bool:
    """A sentence of news practice that reports nothing ("did not respond to a request for
    comment", a post's picture link, "Photo: ...")."""
    pattern = _boilerplate()
    return bool(pattern and pattern.search(text.strip()))


def is_checkworthy(sent: Span) -> bool:
    """Declarative, with a verb and a subject, long enough to assert something, and not
    boilerplate."""
    text = sent.text.strip()
    if not text or text.endswith("?"):
        return False
    words = [t for t in sent if t.is_alpha]
    if len(words) < MIN_WORDS:
        return False
    return asserts(sent) and not is_boilerplate(text)


def split(sent: Span) -> list[Span]:
    """Independent clauses of ``sent``: the root's conjoined verbs that have a subject."""
    root = sent.root
    cuts = [c for c in root.children
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and _has_subject(c)
            and c.i > root.i]
    if not cuts:
        return [_trim(sent)]
    doc = sent.doc
    bounds = [sent.start] + [c.left_edge.i for c in cuts] + [sent.end]
    pieces: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(bounds):
        piece = _trim(doc[a:b])
        whole = len([t for t in piece if t.is_alpha]) >= MIN_WORDS and asserts(piece)
        if pieces and not whole:
            pieces[-1] = (pieces[-1][0], b)  # a fragment stays with the clause before it
        else:
            pieces.append((a, b))
    if len(pieces) > 1 and not asserts(_trim(doc[pieces[0][0]:pieces[0][1]])):
        pieces[0:2] = [(pieces[0][0], pieces[1][1])]
    spans = [_trim(doc[a:b]) for a, b in pieces]
    return [s for s in spans if len([t for t in s if t.is_alpha]) >= MIN_WORDS]


def _trim(span: Span) -> Span:
    """Drop dangling conjunctions and separators at either edge of a clause."""
    doc, start, end = span.doc, span.start, span.end
    while end > start and (doc[end - 1].text in _EDGE_PUNCT
                           or doc[end - 1].lower_ in _CONJUNCTIONS or doc[end - 1].is_space):
        end -= 1
    while start < end and (doc[start].text in _EDGE_PUNCT or doc[start].is_space
                           or (doc[start].lower_ in _CONJUNCTIONS and doc[start].dep_ == "cc")):
        start += 1
    return doc[start:end]


def _phrase(token: Token | None) -> str:
    if token is None:
        return ""
    words = [t for t in token.subtree if not t.is_punct or t.text in "-'’"]
    return " ".join(t.text for t in words)[:200]


def content_head(clause: Span) -> Token:
    """The verb whose frame the clause asserts: a reporting verb's complement when present."""
    root = clause.root
    from kg.data import vocabulary  # local: vocabularies load lazily

    if root.lemma_.lower() in vocabulary().attribution.verbs.reporting:
        for child in root.children:
            if child.dep_ in ("ccomp", "xcomp") and child.i in range(clause.start, clause.end):
                return child
    return root


def frame(clause: Span) -> Frame:
    head = content_head(clause)
    subject = next((c for c in head.children if c.dep_ in SUBJECTS), None)
    obj = next((c for c in head.children if c.dep_ in OBJECTS), None)
    if obj is None:
        prep = next((c for c in head.children if c.dep_ in ("prep", "agent")), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
    predicate = head.lemma_.lower()
    particle = next((c for c in head.children if c.dep_ == "prt"), None)
    if particle is not None:
        predicate = f"{predicate} {particle.lower_}"
    return Frame(subject=_phrase(subject), predicate=predicate, object=_phrase(obj))
