"""Reading the parse for attribution: who a speaker phrase names, and shared token helpers.

Speakers are resolved by ``resolve``: known names and aliases (sources.toml) first;
a spokesperson or a document ("an FT analysis", "an analysis by the FT", "Anthropic's
understanding of the government's reasoning") stands for its owner, and the owner of
an "of" document is the ``via``; unowned documents and anonymous nouns ("officials",
"analysts") are kind ``anonymous``; other names get their kind from the NER label.
``source_for`` turns a resolved name into its ``Source``.

The token helpers (words inside quotation marks, phrase look-up, a clause's subject and
content root) serve the cue rules of ``kg.nlp.attribution`` and the markers of
``kg.nlp.certainty``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.data import vocabulary
from kg.data.names import known_source
from kg.data.names import vocab as names_vocab
from kg.model import Source, short_hash

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as Tokens

_OWNER_DEPS = ("poss", "compound", "amod", "nmod")


@dataclass(frozen=True, slots=True)
class Who:
    """A resolved speaker, before it becomes a ``Source``."""

    name: str
    kind: str
    via: Who | None = None


def source_for(name: str, kind: str) -> Source:
    """The Source for a name: canonical name and kind from sources.toml when known.

    The id is the hash of the kind and the name exactly as kept (white space collapsed,
    case kept), so one id never carries two spellings or two kinds across articles
    (``kg check``'s "a source has exactly one name" and "one kind": the tagger may call
    "Oracle" a person in one article and an organisation in another); a common noun that starts a sentence is lower-cased by ``resolve``
    before it gets here ("Analysts said" and "... analysts said" are one source)."""
    known = known_source(name)
    if known:
        name, kind = known
    name = " ".join(name.split())
    return Source(id=short_hash("source", kind, name), name=name, kind=kind)


# -- token helpers ------------------------------------------------------------------

def quoted(span: Tokens) -> frozenset[int]:
    """Indices of the tokens inside balanced double quotation marks."""
    marks = vocabulary().attribution.quotes
    inside: set[int] = set()
    depth = 0
    for t in span:
        if t.text in marks.open or (t.text in marks.both and depth == 0):
            depth += 1
        elif t.text in marks.close or (t.text in marks.both and depth > 0):
            depth = max(0, depth - 1)
        elif depth:
            inside.add(t.i)
    return frozenset() if depth else frozenset(inside)


def phrase_starts(span: Tokens, phrase: Sequence[str]) -> list[int]:
    """Doc indices where the lower-cased words of ``phrase`` start in ``span``."""
    n = len(phrase)
    if not n:
        return []
    lows, words, first = lowered(span.doc), list(phrase), phrase[0]
    return [i for i in range(span.start, span.end - n + 1)
            if lows[i] == first and lows[i:i + n] == words]


def lowered(doc: Doc) -> list[str]:
    """Every token's lower-cased text, worked out once per doc (``doc.user_data``): rules
    look phrases up in every clause, and building a ``Token`` per look is the slow part."""
    lows = doc.user_data.get("kg.lower")
    if lows is None or len(lows) != len(doc):
        lows = doc.user_data["kg.lower"] = [t.lower_ for t in doc]
    return lows


def content_root(doc: Doc, ids: Iterable[int]) -> Token | None:
    """The highest token of a token set (a verb when there is a choice)."""
    ids = set(ids)
    tops = [doc[i] for i in sorted(ids) if doc[i].head.i not in ids or doc[i].head.i == i]
    tops = [t for t in tops if not t.is_punct and not t.is_space]
    return next((t for t in tops if t.pos_ in ("VERB", "AUX")), tops[0] if tops else None)


def subject(tok: Token) -> Token | None:
    """The nominal subject of ``tok``; a verb coordinated with another shares its subject
    ("Chen described the result and added, ...": Chen adds)."""
    own = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if own is None and tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and tok.head.i != tok.i:
        return subject(tok.head)
    return own


# -- speakers -----------------------------------------------------------------------

def speaker_phrase(head: Token) -> list[Token]:
    """The speaker phrase: pre-modifiers and head, plus post-head adjectives."""
    words = [t for t in head.subtree if t.i <= head.i]
    for c in head.children:
        if c.i > head.i and c.dep_ == "amod":
            words.extend(c.subtree)
    return words


def _name(words: Sequence[Token]) -> str:
    """The speaker phrase as a name: leading articles and quantifiers and trailing
    punctuation dropped, and a common noun capitalised only because it starts the sentence
    lower-cased ("Analysts said" -> "analysts", as "... analysts said" elsewhere), so that
    one source has one spelling and so one id (``source_for``)."""
    toks = [t for t in sorted(words, key=lambda t: t.i) if not t.is_space]
    strip = vocabulary().attribution.names.strip
    while toks and (toks[0].is_punct or toks[0].lower_ in strip
                    or toks[0].tag_ == "PRP$"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].lower_ in ("'s", "’s")):
        toks = toks[:-1]
    if not toks:
        return ""
    first = toks[0].text_with_ws
    if _sentence_cased(toks[0]):
        first = first[:1].lower() + first[1:]
    return (first + "".join(t.text_with_ws for t in toks[1:])).strip()


def _sentence_cased(tok: Token) -> bool:
    """Whether ``tok`` is a common word ("Analysts", "Industry") whose capital comes only
    from its place as the first word of its sentence: not a proper noun, not inside a
    named entity, not an acronym, only punctuation before it ("An Anthropic spokesperson":
    the capital is the name's own)."""
    text = tok.text
    if tok.pos_ == "PROPN" or tok.ent_type_ or not text[:1].isupper() or text[1:] != text[1:].lower():
        return False
    return all(t.is_punct or t.is_space for t in tok.doc[tok.sent.start:tok.i])


def _of(head: Token) -> Token | None:
    """The object of ``head``'s "of" phrase: "the reasoning of X" -> X."""
    return next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"), None)


def _entity(tok: Token) -> str:
    return next((e.text for e in tok.doc.ents if e.start <= tok.i < e.end), "")


def is_pronoun(tok: Token) -> bool:
    """A pronoun speaker (they/he/she/it) that carries over the last speaker."""
    return tok.lower_ in vocabulary().attribution.pronouns.carry_over and tok.pos_ == "PRON"


def resolve(head: Token, words: Sequence[Token] | None = None, owned: bool = False) -> Who | None:
    """The source a speaker phrase names, or None when it names no source.

    ``owned``: resolving an owner or a ``via``: unowned documents do not count.
    """
    words = list(words) if words is not None else speaker_phrase(head)
    text, lemma = _name(words), head.lemma_.lower()
    for candidate in (text, _entity(head), head.text):
        known = known_source(candidate) if candidate else None
        if known:
            return Who(*known)
    vocab = vocabulary().attribution
    named = _apposed(head, owned)  # "Poland's digitisation minister, Krzysztof Gawkowski"
    if named is not None:
        return named
    if lemma in vocab.nouns.speakers or lemma in vocab.nouns.documents:
        via = None
        if lemma in vocab.nouns.documents:
            of = _of(head)
            via = resolve(of, owned=True) if of is not None else None
        owners = [c for c in head.children if c.dep_ in _OWNER_DEPS and c.i < head.i]
        owners += [g for c in head.children if c.dep_ == "prep" and c.lower_ in vocab.nouns.owners
                   for g in c.children if g.dep_ == "pobj"]
        # "a post on X by the ARC Prize Foundation": the "by" phrase may hang lower down
        owners += [g for t in head.subtree if t.dep_ == "prep" and t.lower_ == "by" and t.head.i != head.i
                   for g in t.children if g.dep_ == "pobj"]
        for owner in owners:
            who = resolve(owner, owned=True) or _capitalised(owner)
            if who:
                return Who(who.name, who.kind, via)
        return None if owned or not text else Who(text, "anonymous", via)
    common = head.pos_ != "PROPN"  # "the Arena Group" is a name, not a quantity
    if common and lemma in names_vocab().gov_nouns and lemma not in vocab.nouns.anonymous:
        return _government(head, words) or Who(text, "official") if text else None
    if common and lemma in vocab.nouns.groups:
        of = _of(head)
        who = resolve(of) if of is not None and not owned else None
        if who is None or who.kind != "anonymous" or of is None:
            return who
        return Who(_name([t for t in head.subtree if t.i <= head.i] + list(of.head.subtree)),
                   "anonymous")
    if common and lemma in vocab.nouns.anonymous:
        return Who(text, "anonymous") if text else None
    if common and lemma in vocab.nouns.roles and text:
        return Who(text, "person")
    if common and lemma in vocab.nouns.bodies and text:
        return Who(text, "official")
    if common and lemma in vocab.nouns.organisations and text:
        return Who(text, "organisation")
    kind = vocab.ner.get(head.ent_type_)
    if kind:
        entity = _entity(head)
        # the tagger may cover part of a name: "LM [Arena]"; a phrase of proper nouns wins
        proper = all(t.pos_ in ("PROPN", "PUNCT", "NUM") or t.lower_ in vocab.names.strip
                     or t.tag_ == "PRP$" for t in words)
        return Who(text if proper and len(text) > len(entity) else entity or text, kind)
    if head.pos_ == "PROPN" and text:
        return Who(text, "organisation")
    return None


def _capitalised(owner: Token) -> Who | None:
    """An owner the tagger did not recognise but spelt as a name inside the phrase ("An
    Anthropic spokesperson": the model reads "Anthropic" as an adjective): an organisation.
    Nationalities and places are not owners of this kind ("a French spokesperson")."""
    if owner.i == owner.sent.start or not owner.text[:1].isupper() or owner.ent_type_ in ("NORP", "GPE", "LOC"):
        return None
    return Who(_name([t for t in owner.subtree if t.i <= owner.i]), "organisation")


def _government(head: Token, words: Sequence[Token]) -> Who | None:
    """A government named by its country ("the US government", "Chinese authorities"), or
    None for a bare "the government" (the attributor looks back for the one it means)."""
    places = [t for t in head.children if t.dep_ in ("compound", "amod", "poss", "nmod")
              and t.ent_type_ in ("GPE", "NORP")]
    if not places:
        return None
    return Who(_name(words), "official")


def _apposed(head: Token, owned: bool) -> Who | None:
    """The named source in apposition to ``head`` or to a role coordinated with it: a role
    described, then named ("terror expert and director at a foundation, Sajjan Cohel")."""
    roles = [head, *(c for c in head.children if c.dep_ == "conj")]
    for role in roles:
        for c in role.children:
            if c.dep_ == "appos" and c.i > head.i and c.ent_type_ in ("PERSON", "ORG"):
                return resolve(c, owned=owned)
    # the parser may hang the name under the role's last phrase: "Director at the Asia
    # Pacific Foundation Sajjan M. Cohel said": a person's name ends the speaker phrase
    last = head.doc[head.right_edge.i]
    # (only under an affiliation, "at"/"from"/"with": "critics of Donald Trump" are not Trump)
    if (head.pos_ == "NOUN" and last.i > head.i and last.ent_type_ == "PERSON"
            and last.head.lower_ in ("at", "from", "with")):
        name = _entity(last)
        if name and head.doc[last.i + 1:last.i + 2].text not in ("'s", "’s"):
            return Who(name, "person")
    return None


def speaks(head: Token, words: Sequence[Token] | None = None) -> bool:
    """Whether a speaker phrase names a source (or is a pronoun that carries one over)."""
    return is_pronoun(head) or resolve(head, words) is not None
