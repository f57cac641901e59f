"""Rumour cues: the article passes on what it has not established, in its own voice.

News writes second-hand content without a speaker in a few fixed shapes (the rumour
words of ``[rumour]`` in kg/data/certainty.toml):

* a passive verb of saying or believing that takes a clause: "he **is said** to have
  left", "**it is believed** that a gang was involved", "she is rumoured to be dating";
* a verb of claiming with an infinitive or a clause: "militants **claim** to have
  beheaded a man", "the boy now **claims** he has powers" (news keeps its distance with
  "claim" where "say" is neutral; "claims damages" has a plain object and does not fire);
* a noun of saying with a complement clause: "**rumours** that Castro has died",
  "the **claims** that the video is real". A relative clause is not a complement:
  "the claims that he made" and "insurance claims" do not fire;
* a noun that is a rumour by itself: "flooded with **rumours** of his death".

Such a claim is ``reported`` (kg.nlp.certainty), with the cue, whether or not
attribution found a source. A cue inside a relative or adverbial clause is about
something else ("the man who is said to ..." describes the man), and a cue inside a
quote is the speaker's: neither counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.data import vocabulary

if TYPE_CHECKING:
    from spacy.tokens import Span as Tokens
    from spacy.tokens import Token

#: a cue below one of these links is about another thing than the claim
_ASIDE = ("relcl", "advcl", "acl", "appos", "parataxis")
#: pronouns that open a relative clause ("the claims that he made")
_RELATIVE = ("that", "which", "who", "whom", "whose")


def _main_line(tok: Token, clause: Tokens) -> bool:
    """``tok`` reaches the clause root without passing a relative or adverbial clause."""
    while tok.head.i != tok.i and clause.start <= tok.head.i < clause.end:
        if tok.dep_ in _ASIDE and tok.pos_ in ("VERB", "AUX"):
            return False
        tok = tok.head
    return True


def _passive(tok: Token, words: frozenset[str]) -> bool:
    """'is said to', 'it is believed that': a passive verb of saying with a clause."""
    if tok.lemma_.lower() not in words and tok.lower_ not in words:
        return False
    if tok.tag_ != "VBN" or not any(c.dep_ == "auxpass" for c in tok.children):
        return False
    return any(c.dep_ in ("xcomp", "ccomp") for c in tok.children)


def _claiming(tok: Token, words: frozenset[str]) -> bool:
    """'claims to have done', 'claims he has': a verb of claiming with an infinitive or clause."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in words:
        return False
    return any((c.dep_ == "xcomp" and any(k.lower_ == "to" for k in c.children))
               or c.dep_ == "ccomp" for c in tok.children)


def _complement(tok: Token, words: frozenset[str]) -> bool:
    """'rumours that he died': a noun of saying whose clause is a complement, not relative."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in words:
        return False
    for c in tok.children:
        if c.dep_ not in ("acl", "ccomp", "relcl") or c.pos_ not in ("VERB", "AUX"):
            continue
        kids = list(c.children)
        relative = any(k.lower_ in _RELATIVE and k.dep_ != "mark" for k in kids)
        if not relative and any(k.dep_ == "mark" and k.lower_ == "that" for k in kids):
            return True
    return False


def find(clause: Tokens, own: set[int]) -> Token | None:
    """The first rumour cue of ``clause`` among the ``own`` tokens (the article's voice)."""
    rumour = vocabulary().certainty.rumour
    for tok in clause:
        if tok.i not in own or not _main_line(tok, clause):
            continue
        if (_passive(tok, rumour.passive) or _claiming(tok, rumour.verbs)
                or _complement(tok, rumour.nouns)
                or (tok.pos_ == "NOUN" and tok.lemma_.lower() in rumour.rumours)):
            return tok
    return None
