"""Check-worthy clauses of a parsed sentence, and their subject/predicate/object frame.

A sentence becomes one claim, or one claim per independent clause when it joins
assertions that each have their own subject ("X did A, and Y did B"). Headings,
questions and verbless fragments are not claims. Works on any spaCy ``Span``, so
the rules are tested on hand-built docs without a model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.model import Frame

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
OBJECTS = ("dobj", "attr", "oprd", "acomp", "xcomp", "ccomp", "dative")
MIN_WORDS = 4
_EDGE_PUNCT = set(",;:-–—")
_CONJUNCTIONS = {"and", "but", "while", "whereas", "yet", "or", "so"}


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in SUBJECTS for c in token.children)


def is_checkworthy(sent: Span) -> bool:
    """Declarative, with a finite verb, long enough to assert something."""
    text = sent.text.strip()
    if not text or text.endswith("?"):
        return False
    words = [t for t in sent if t.is_alpha]
    if len(words) < MIN_WORDS:
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in sent)


def split(sent: Span) -> list[Span]:
    """Independent clauses of ``sent``: the root's conjoined verbs that have a subject."""
    root = sent.root
    cuts = [c for c in root.children
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and _has_subject(c)
            and c.i > root.i]
    if not cuts:
        return [_trim(sent)]
    doc = sent.doc
    spans: list[Span] = []
    start = sent.start
    for conj in cuts:
        left = conj.left_edge.i
        spans.append(_trim(doc[start:left]))
        start = left
    spans.append(_trim(doc[start:sent.end]))
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
