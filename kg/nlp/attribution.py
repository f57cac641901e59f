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

``find_cue`` applies the rules to one clause; the ``Attributor`` walks an article's
clauses in order, resolves each cue's speaker (``kg.nlp.speakers.resolve``) and records the
Sources, the ``via`` hops and the publication Citations.
A publication's ``via`` is also the anonymous or official subject of what it reports
("According to the FT, US officials are considering ...": FT via US officials).
Words inside quotation marks never give the cue or the speaker. Pronoun speakers
(they/he/she/it) carry over the last speaker; that memory is reset at each new parsed
piece, i.e. each paragraph. No rule: the article's own voice, ``None``. The public entry
point: it re-exports ``source_for``, ``quoted``, ``phrase_starts``, ``content_root``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.data import vocabulary
from kg.model import Article, Attribution, Citation, Source, Span
from kg.nlp.speakers import (
    Who,
    content_root,
    is_pronoun,
    phrase_starts,
    quoted,
    resolve,
    source_for,
    speaker_phrase,
    speaks,
    subject,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as Tokens


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


def _verb(clause: Tokens, inside: frozenset[int], ids: set[int]) -> Cue | None:
    root, reporting = clause.root, vocabulary().attribution.verbs.reporting
    verbs = [root] + [c for c in root.children if c.dep_ in ("advcl", "parataxis")]
    for verb in verbs:
        subj = subject(verb)
        if (verb.i in inside or verb.i not in ids or subj is None or subj.i in inside
                or verb.lemma_.lower() not in reporting
                or verb.pos_ not in ("VERB", "NOUN") or not speaks(subj)
                or any(c.dep_ == "neg" for c in verb.children)):  # "did not respond"
            continue
        end = verb.i + 1
        if any(c.dep_ == "prt" and c.i == end for c in verb.children):
            end += 1
        words = tuple(t.i for t in speaker_phrase(subj))
        if verb is root:
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


# -- the stateful attributor ----------------------------------------------------------

class Attributor:
    """Attributes the clauses of one article, in reading order."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.sources: dict[str, Source] = {}
        self.citations: list[Citation] = []
        self.cites: set[tuple[str, str]] = set()
        self._piece: int | None = None
        self._last: Who | None = None  # last speaker in the current piece
        self._cited: set[tuple[str, int]] = set()

    def add_source(self, source: Source) -> None:
        self.sources[source.id] = source

    # ``sent``/``clause`` are spaCy Spans; typed Any because kg.nlp.extract passes them untyped.
    def observe(self, sent: Any, offset: int) -> None:
        """See a sentence that is not a claim (keeps context such as the last speaker)."""
        self._run(sent, offset)

    def attribute(self, sent: Any, clause: Any, offset: int) -> Attribution | None:
        """The attribution of ``clause`` (a piece of ``sent``), or None: the article's voice."""
        return self._run(clause, offset)

    def _run(self, clause: Tokens, offset: int) -> Attribution | None:
        if offset != self._piece:
            self._piece, self._last = offset, None
        cue = find_cue(clause)
        who = self._speaker(clause.doc, cue) if cue is not None else None
        if cue is None or who is None:
            subj = subject(clause.root)
            if subj is not None and not is_pronoun(subj):
                self._last = resolve(subj) or self._last
            return None
        if cue.speaker is not None and not is_pronoun(clause.doc[cue.speaker]):
            self._last = who
        return self._record(clause.doc, cue, who, offset)

    def _speaker(self, doc: Doc, cue: Cue) -> Who | None:
        if cue.speaker is None:
            return Who(vocabulary().attribution.names.unnamed, "anonymous")
        head = doc[cue.speaker]
        if is_pronoun(head):
            return self._last
        return resolve(head, [doc[i] for i in cue.words])

    def _record(self, doc: Doc, cue: Cue, who: Who, offset: int) -> Attribution:
        source = self._source(who)
        via_who = who.via or _content_via(doc, cue, source)
        via = self._source(via_who) if via_who is not None else None
        if via is not None and via.id == source.id:
            via = None
        span = self._span(doc, cue.start, cue.end, offset)
        for src in (source, via):
            if src is not None and src.kind == "publication" and (src.id, span.start) not in self._cited:
                self._cited.add((src.id, span.start))
                self.citations.append(Citation(self.article.id, src.id, span))
        if via is not None:
            self.cites.add((source.id, via.id))
        return Attribution(source=source.id, cue=span, via=via.id if via else None)

    def _source(self, who: Who) -> Source:
        src = source_for(who.name, who.kind)
        self.sources.setdefault(src.id, src)
        return self.sources[src.id]

    def _span(self, doc: Doc, start: int, end: int, offset: int) -> Span:
        s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        text = self.article.text[s + offset:e + offset]
        if text != doc.text[s:e]:
            raise AssertionError(f"cue span drift at {s + offset}:{e + offset}")
        return Span(self.article.id, s + offset, e + offset, text)


def _content_via(doc: Doc, cue: Cue, source: Source) -> Who | None:
    """A nested speaker in the reported content, or a publication's official subject."""
    head = content_root(doc, cue.content)
    if head is None:
        return None
    subj = subject(head)
    if subj is None or is_pronoun(subj) or subj.i not in cue.content:
        return None
    who = resolve(subj)
    if who is None:
        return None
    if head.lemma_.lower() in vocabulary().attribution.verbs.reporting:
        return who
    if source.kind == "publication" and who.kind in ("anonymous", "official"):
        return who
    return None
