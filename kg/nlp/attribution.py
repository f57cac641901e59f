"""Who says a claim, and by what cue: named, anonymous, or the article's own voice.

Rules, tried in this order on each clause (first that yields a speaker wins):

1. ``according``: "According to X, ..." / "As reported by X, ...": X is the source.
2. ``reportedly``: a reported adverb on the main verb. The source is the verb's
   speaker when the verb reports ("US officials reportedly believe"), or its subject
   when that is an anonymous group ("Government officials have reportedly cited");
   otherwise the unnamed source of ``attribution.toml`` ("Anthropic is reportedly ...").
3. ``verb``: a reporting verb as the clause's main verb, or in an "As X reports"
   clause, with a subject that is a source ("X said/told/argued that ..."). A negated
   one reports nothing ("X did not respond"); "the said product" has no subject.
4. ``quote``: a direct quote followed by ", X say" / ", comment X".

``find_cue`` applies the rules to one clause; ``kg.nlp.attributor.Attributor`` walks an
article's clauses in order, resolves each cue's speaker (``kg.nlp.speakers.resolve``),
carries speakers across clauses, quotes and sentences, and records the Sources.
A publication's ``via`` is also the anonymous or official subject of what it reports
("According to the FT, US officials are considering ...": FT via US officials).
Words inside quotation marks never give the cue or the speaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.data import vocabulary
from kg.nlp.speakers import (
    phrase_starts,
    quoted,
    speaker_phrase,
    speaks,
    subject,
)

if TYPE_CHECKING:
    from spacy.tokens import Span as Tokens
    from spacy.tokens import Token


COMPLEMENTS = ("ccomp", "xcomp", "parataxis")


@dataclass(frozen=True, slots=True)
class Cue:
    """An attribution frame found in a clause (token indices into the doc)."""

    start: int
    end: int
    rule: str
    speaker: int | None  # head token of the speaker phrase; None: unnamed source
    words: tuple[int, ...]  # the speaker phrase
    content: frozenset[int]  # what the speaker is reported to say


# -- cue finders ----------------------------------------------------------------------

def _according(clause: Tokens, inside: frozenset[int], ids: set[int]) -> Cue | None:
    doc = clause.doc
    for phrase in vocabulary().attribution.phrases.according:
        for i in phrase_starts(clause, phrase):
            last = doc[i + len(phrase) - 1]
            obj = next((c for c in last.children if c.dep_ == "pobj"), None)
            if i in inside or obj is None or not speaks(obj):
                continue
            frame = set(range(i, obj.right_edge.i + 1))
            return Cue(i, i + len(phrase), "according", obj.i,
                       tuple(t.i for t in speaker_phrase(obj)), frozenset(ids - frame))
    return None


def _complement(verb: Token) -> frozenset[int] | None:
    comp = next((c for c in verb.children if c.dep_ in COMPLEMENTS), None)
    return frozenset(t.i for t in comp.subtree) if comp is not None else None


def _reportedly(clause: Tokens, inside: frozenset[int], ids: set[int]) -> Cue | None:
    root, vocab = clause.root, vocabulary().attribution
    adverb = next((t for t in root.children if t.lower_ in vocab.adverbs.reported
                   and t.i in ids and t.i not in inside), None)
    if adverb is None:
        return None
    subj = subject(root)
    content = frozenset(ids - {adverb.i})
    speaker: Token | None = None
    if subj is not None and subj.i not in inside:
        reports = root.lemma_.lower() in vocab.verbs.reporting and speaks(subj)
        if reports:
            speaker, content = subj, _complement(root) or content
        elif subj.lemma_.lower() in vocab.nouns.anonymous:
            speaker = subj
    words = tuple(t.i for t in speaker_phrase(speaker)) if speaker is not None else ()
    return Cue(adverb.i, adverb.i + 1, "reportedly",
               speaker.i if speaker is not None else None, words, content)


def _verbs(clause: Tokens) -> list[Token]:
    """Where a reporting verb may stand: the clause's main verb, and ``_beside`` it."""
    root = clause.root
    verbs = [root] + [c for c in root.children if _beside(c, root)]
    verbs += [t for t in clause if t.dep_ == "relcl" and _relative_report(t)]
    return verbs


def _beside(verb: Token, root: Token) -> bool:
    """A verb beside the main one that may report it: a parenthetical ("..., X noted"),
    an "As X reports" clause, a verb coordinated with the main one that takes a clause
    ("described ... and added, “...”"), or a speech verb parsed under the words it
    reports ("X framed it as essential: “...”": the parser made the quote the root)."""
    if verb.dep_ == "parataxis":
        return True
    if verb.dep_ == "advcl":
        return any(m.dep_ == "mark" and m.lower_ == "as" for m in verb.children)
    if verb.dep_ == "conj":
        return _complement(verb) is not None
    return verb.dep_ == "ccomp" and verb.i < root.i and _colon_after(verb)


def _relative_report(verb: Token) -> bool:
    """A relative clause that reports what it is about: "a lease, which insiders told the
    FT would run on ..." (its subject is not the relative pronoun, and it takes a clause);
    not "the company, which said it would appeal"."""
    s = subject(verb)
    return (s is not None and s.tag_ not in ("WDT", "WP", "WP$") and s.lower_ != "that"
            and _complement(verb) is not None)


def _colon_after(verb: Token) -> bool:
    """Whether what ``verb`` reports follows a colon after it: "X tweeted this:",
    "X framed the expansion as essential: “...”" (the parser may make the quote the root)."""
    sent = verb.sent
    return any(t.text == ":" for t in sent[verb.i - sent.start + 1:])


def _reports(verb: Token, lemma: str, inside: frozenset[int]) -> bool:
    """Whether ``verb`` reports something: a clause, a direct quote, what precedes it
    ("..., X noted."), or, for the verbs of ``[verbs].objects``, its direct object."""
    if lemma in vocabulary().attribution.verbs.objects or _complement(verb) is not None:
        return True
    if any(t.i in inside for t in verb.subtree) or verb.dep_ == "parataxis" or _colon_after(verb):
        return True
    return any(c.i < verb.i and c.dep_ in ("ccomp", "advcl") for c in verb.children)


def _verb(clause: Tokens, inside: frozenset[int], ids: set[int]) -> Cue | None:
    root, verbs = clause.root, vocabulary().attribution.verbs
    for verb in _verbs(clause):
        subj, lemma = subject(verb), verb.lemma_.lower()
        if (verb.i in inside or verb.i not in ids or subj is None or subj.i in inside
                or (lemma not in verbs.reporting and lemma not in verbs.thinking)
                or (lemma in verbs.thinking and _complement(verb) is None)
                or not _reports(verb, lemma, inside)
                or verb.pos_ not in ("VERB", "NOUN") or not speaks(subj)
                or any(c.dep_ == "neg" for c in verb.children)):  # "did not respond"
            continue
        end = verb.i + 1
        if any(c.dep_ == "prt" and c.i == end for c in verb.children):
            end += 1
        words = tuple(t.i for t in speaker_phrase(subj))
        if verb.dep_ == "ccomp":  # the reported words were parsed as the root
            content = frozenset(ids - {t.i for t in verb.subtree} - set(words))
        elif verb.i == root.i or verb.dep_ in ("conj", "relcl"):
            content = _complement(verb) or frozenset(ids - set(words) - set(range(verb.i, end)))
        else:
            content = frozenset(ids - {t.i for t in verb.subtree})
        return Cue(verb.i, end, "verb", subj.i, words, content)
    return None


def _quote_tail(clause: Tokens, inside: frozenset[int], ids: set[int]) -> Cue | None:
    if not inside:
        return None
    doc = clause.doc
    tail = [doc[i] for i in range(max(inside) + 1, clause.end)
            if not doc[i].is_punct and not doc[i].is_space]
    reporting = vocabulary().attribution.verbs.reporting
    verb = next((t for t in tail if t.lemma_.lower() in reporting or t.lower_ in reporting), None)
    if verb is None or len(tail) > 8:
        return None
    end = verb.i + 2 if verb.i + 1 < clause.end and doc[verb.i + 1].dep_ == "prt" else verb.i + 1
    words = [t for t in tail if not verb.i <= t.i < end]
    nouns = [t for t in words if t.pos_ in ("NOUN", "PROPN", "PRON")]
    if not nouns or not speaks(nouns[-1], words):
        return None
    return Cue(verb.i, end, "quote", nouns[-1].i, tuple(t.i for t in words), inside)


def find_cue(clause: Tokens) -> Cue | None:
    """The attribution frame of a clause, if any (pure: pronouns are not resolved)."""
    inside, ids = quoted(clause), {t.i for t in clause}
    for finder in (_according, _reportedly, _verb, _quote_tail):
        cue = finder(clause, inside, ids)
        if cue is not None:
            return cue
    return None
