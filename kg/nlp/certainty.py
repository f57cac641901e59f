"""How sure a claim is, its polarity, and the status and type of a policy event.

Certainty: one value, by precedence **negated > speculative > hedged > reported >
asserted**, with the cue span that decided it.

Certainty is the *article's* stance, so only cues in the article's own voice count.
When the clause is attributed, the reported content and any quotation are the
speaker's words: a hedge, negation or conditional there is the speaker's, and the
claim is "reported" (e.g. "US officials reportedly believe this flaw could bypass
safeguards" is reported, not hedged: the hedge stays with the source instead of being
laundered into the article's certainty). Cues on the frame itself still count
("Anthropic may have said ..." is hedged).

* negated: a negator (not, n't, never, no longer) on the content verb or its
  predicate; "don't just" restricts rather than negates.
* speculative: a question, "what if", a conditional ("if"/"unless" clause on the
  claim's spine), or a hypothetical "would" on the spine.
* hedged: a hedge (may, might, could, likely, potential, suggests, appears to ...) on
  the claim's spine: the content verb, the verbs above it, their dependants, and
  modifiers of its subject and object.
* reported: attributed (see kg/attribution.py); the cue is the attribution cue. Or,
  with no attribution, a rumour cue in the article's own voice ("is said to", "it is
  believed that", "rumours that ...": kg.nlp.rumour); the cue is that word.

``polarity`` is "negated" whenever the content verb is negated, whoever says it.

Events (vocabulary and rules in kg/data/events.toml): a trigger whose phrase matches a
[[type]] gives ``event_type``; the highest status cue between trigger and clause root
gives ``event_status`` and ``event_cue``. No trigger: both None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.data import vocabulary
from kg.model import Span
from kg.nlp import attribution, clauses, rumour, speakers

if TYPE_CHECKING:
    from spacy.tokens import Span as Tokens
    from spacy.tokens import Token

_ARGS = ("nsubj", "nsubjpass", "dobj", "attr")
_COMPLEMENT = ("xcomp", "ccomp", "acomp", "oprd")
#: a status cue above one of these links is about another action ("proposing
#: solutions without resorting to prohibitions", "proposed and imposed a ban")
_BARRIERS = ("advcl", "relcl", "pcomp", "parataxis", "conj", "acl")


@dataclass(frozen=True, slots=True)
class Reading:
    certainty: str = "asserted"
    certainty_cue: Span | None = None
    polarity: str = "affirmed"
    event_status: str | None = None
    event_cue: Span | None = None
    event_type: str | None = None


def _match(tok: Token, words: frozenset[str]) -> bool:
    return tok.lower_ in words or tok.lemma_.lower() in words


def _spine(clause: Tokens, head: Token) -> list[Token]:
    """The content verb and the verbs above it, inside the clause."""
    spine, tok = [head], head
    while tok.head.i != tok.i and clause.start <= tok.head.i < clause.end:
        tok = tok.head
        spine.append(tok)
    return spine


def _near(spine: list[Token]) -> list[Token]:
    """Tokens whose cues count: the spine, its dependants, and modifiers of its arguments."""
    near = {t.i: t for s in spine for t in (s, *s.children)}
    for arg in spine[0].children:
        if arg.dep_ in _ARGS:
            near.update((t.i, t) for t in arg.children)
    for s in spine:  # a modal on a verb the parser hung below the spine
        for verb in s.children:
            if verb.dep_ in ("ccomp", "conj", "parataxis"):
                near.update((t.i, t) for t in verb.children if t.dep_ == "aux")
    return [near[i] for i in sorted(near)]


def _negation(clause: Tokens, head: Token) -> tuple[int, int] | None:
    doc = clause.doc
    preds = {head.i} | {c.i for c in head.children if c.dep_ in ("acomp", "attr")}
    negation = vocabulary().certainty.negation
    for phrase in negation.words:
        for i in speakers.phrase_starts(clause, phrase):
            end = i + len(phrase)
            if not any(doc[k].head.i in preds and k not in preds for k in range(i, end)):
                continue
            if end < len(doc) and doc[end].lower_ in negation.exceptions:
                continue
            return i, end
    return None


def _speculative(sent: Tokens, clause: Tokens, spine: list[Token], near: list[Token],
                 own: set[int]) -> tuple[int, int] | None:
    last = clause[-1] if len(clause) else None
    if last is not None and (last.text == "?" or (clause.end >= sent.end - 1
                                                 and sent.text.rstrip().endswith("?"))):
        q = next((t for t in reversed(list(sent)) if t.text == "?"), last)
        return q.i, q.i + 1
    cues = vocabulary().certainty.speculative
    for phrase in cues.phrases:
        for i in speakers.phrase_starts(clause, phrase):
            if i in own:
                return i, i + len(phrase)
    on_spine = {t.i for t in spine}
    for t in clause:
        if (t.i in own and t.lower_ in cues.marks and t.dep_ == "mark"
                and t.head.dep_ == "advcl" and t.head.head.i in on_spine):
            return t.i, t.i + 1
    for t in near:
        if t.dep_ == "aux" and t.i in own and t.lower_ in cues.modals:
            return t.i, t.i + 1
    return None


def _hedge(near: list[Token], head: Token, own: set[int]) -> tuple[int, int] | None:
    hedges = vocabulary().certainty.hedges
    found = [t for t in near if t.i in own and t.pos_ != "PROPN" and (
        _match(t, hedges.words)
        or (t.lemma_.lower() in hedges.verbs
            and any(c.dep_ in _COMPLEMENT for c in t.children)))]
    if not found:
        return None
    best = min(found, key=lambda t: (t.head.i != head.i and t.i != head.i, t.i))
    return best.i, best.i + 1


def _realis(tok: Token) -> bool:
    """An enacted/lifted verb that is real: finite, perfect, passive or progressive."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    modals = vocabulary().events.realis.modals
    if any(a.lower_ in modals or a.lower_ == "to" for a in auxes):
        return False
    if any(c.dep_ == "aux" and c.lower_ in modals
           for a in tok.ancestors for c in a.children):
        return False  # "could lead to blocs where access is restricted"
    if tok.tag_ in ("VBD", "VBZ", "VBP"):
        return True
    if tok.tag_ == "VBN":
        return bool(auxes) or tok.dep_ in ("amod", "acl")
    return tok.tag_ == "VBG" and any(a.lemma_.lower() == "be" for a in auxes)


def _status(trigger: Token, clause: Tokens) -> tuple[str, Token] | None:
    """The highest status cue from the trigger up to the clause root."""
    found: tuple[str, Token] | None = None
    node = trigger
    while True:
        cands = [c for c in node.children if c.dep_ in ("amod", "compound") and c.i < node.i]
        if node is not trigger or node.pos_ == "VERB":
            cands.append(node)
        for cand in cands:
            statuses = [st for st, words in vocabulary().events.status.items() if _match(cand, words)]
            if not statuses and cand is trigger:
                statuses = ["enacted"]  # "the US restricts / fined / banned": the act itself
            for status in statuses:
                if status == "considered" or _realis(cand):
                    found = (status, cand)
        if (node.head.i == node.i or not clause.start <= node.head.i < clause.end
                or node.dep_ in _BARRIERS):
            return found
        node = node.head


def _event_words(trigger: Token, clause: Tokens) -> set[str]:
    if trigger.pos_ in ("VERB", "AUX"):
        toks = [trigger] + [t for c in trigger.children
                            if c.dep_ in ("dobj", "prep", "nsubjpass", "attr", "dative", "prt")
                            for t in c.subtree]
    else:
        toks = list(trigger.subtree)
    inside = [t for t in toks if clause.start <= t.i < clause.end]
    return {t.lower_ for t in inside} | {t.lemma_.lower() for t in inside}


def _depth(tok: Token) -> int:
    n = 0
    while tok.head.i != tok.i:
        tok, n = tok.head, n + 1
    return n


def _aside(tok: Token, clause: Tokens) -> bool:
    """``tok`` sits in a relative or adverbial clause of the claim, not on its main line."""
    while tok.head.i != tok.i and clause.start <= tok.head.i < clause.end:
        if tok.dep_ in ("relcl", "acl", "advcl"):
            return True
        tok = tok.head
    return False


def event(clause: Tokens) -> tuple[str, str | None, Token | None] | None:
    """(event type, status, status cue) of the clause's policy event, if any: the main
    line's trigger first, then one with a status, then the highest."""
    best: tuple[tuple[bool, bool, int], str, str | None, Token | None] | None = None
    for t in clause:
        for etype in vocabulary().events.types:
            if not _match(t, etype.triggers):
                continue
            words = _event_words(t, clause)
            if not all(words & group for group in etype.all_of):
                continue
            status = _status(t, clause)
            rank = (_aside(t, clause), status is None, _depth(t))
            if best is None or rank < best[0]:
                best = (rank, etype.name, status[0] if status else None,
                        status[1] if status else None)
            break
    return best[1:] if best else None


def read(sent: Any, clause: Any, article_id: str, offset: int, attributed: bool) -> Reading:
    """Certainty, polarity and event of ``clause``; cue spans are article offsets.

    ``sent`` and ``clause`` are spaCy Spans (typed Any: kg.nlp.extract passes them untyped).
    """
    doc = clause.doc
    ids = {t.i for t in clause}

    def span(rng: tuple[int, int] | None) -> Span | None:
        if rng is None:
            return None
        s, e = doc[rng[0]].idx, doc[rng[1] - 1].idx + len(doc[rng[1] - 1].text)
        return Span(article_id, s + offset, e + offset, doc.text[s:e])

    cue = attribution.find_cue(clause) if attributed else None
    if cue is not None:
        own = ids - cue.content - speakers.quoted(clause) - set(range(cue.start, cue.end))
        head = speakers.content_root(doc, cue.content) or clause.root
    else:
        own, head = ids, clauses.content_head(clause)
    spine = _spine(clause, head)
    near = _near(spine)
    neg = _negation(clause, head)
    checks = (("negated", neg if neg and neg[0] in own else None), ("speculative", _speculative(sent, clause, spine, near, own)),
              ("hedged", _hedge(near, head, own)))
    certainty, cue_span = next(((name, span(rng)) for name, rng in checks if rng), ("", None))
    if not certainty:
        certainty = "reported" if attributed else "asserted"
        cue_span = span((cue.start, cue.end)) if cue is not None else None
        said = rumour.find(clause, own) if not attributed else None
        if said is not None:
            certainty, cue_span = "reported", span((said.i, said.i + 1))
    found = event(clause)
    status_tok = found[2] if found else None
    return Reading(
        certainty=certainty, certainty_cue=cue_span,
        polarity="negated" if neg else "affirmed",
        event_type=found[0] if found else None, event_status=found[1] if found else None,
        event_cue=span((status_tok.i, status_tok.i + 1)) if status_tok is not None else None,
    )
