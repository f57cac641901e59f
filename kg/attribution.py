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

Speakers are resolved by ``resolve``: known names and aliases (sources.toml) first;
a spokesperson or a document ("an FT analysis", "an analysis by the FT", "Anthropic's
understanding of the government's reasoning") stands for its owner, and the owner of
an "of" document is the ``via``; unowned documents and anonymous nouns ("officials",
"analysts") are kind ``anonymous``; other names get their kind from the NER label.
A publication's ``via`` is also the anonymous or official subject of what it reports
("According to the FT, US officials are considering ...": FT via US officials).
Words inside quotation marks never give the cue or the speaker. Pronoun speakers
(they/he/she/it) carry over the last speaker; that memory is reset at each new parsed
piece, i.e. each paragraph. No rule: the article's own voice, ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg import vocab
from kg.model import Article, Attribution, Citation, Source, Span, short_hash

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as Tokens

COMPLEMENTS = ("ccomp", "xcomp", "parataxis")
_OWNER_DEPS = ("poss", "compound", "amod", "nmod")


@dataclass(frozen=True, slots=True)
class Who:
    """A resolved speaker, before it becomes a ``Source``."""

    name: str
    kind: str
    via: Who | None = None


@dataclass(frozen=True, slots=True)
class Cue:
    """An attribution frame found in a clause (token indices into the doc)."""

    start: int
    end: int
    rule: str
    speaker: int | None  # head token of the speaker phrase; None: unnamed source
    words: tuple[int, ...]  # the speaker phrase
    content: frozenset[int]  # what the speaker is reported to say


def source_for(name: str, kind: str) -> Source:
    """The Source for a name: canonical name and kind from sources.toml when known."""
    known = vocab.known_source(name)
    if known:
        name, kind = known
    name = " ".join(name.split())
    return Source(id=short_hash("source", name.casefold()), name=name, kind=kind)


# -- token helpers ------------------------------------------------------------------

def quoted(span: Tokens) -> frozenset[int]:
    """Indices of the tokens inside balanced double quotation marks."""
    opening, closing, both = vocab.quote_marks()
    inside: set[int] = set()
    depth = 0
    for t in span:
        if t.text in opening or (t.text in both and depth == 0):
            depth += 1
        elif t.text in closing or (t.text in both and depth > 0):
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


def _subject(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ == "nsubj"), None)


def _phrase(head: Token) -> list[Token]:
    """The speaker phrase: pre-modifiers and head, plus post-head adjectives."""
    words = [t for t in head.subtree if t.i <= head.i]
    for c in head.children:
        if c.i > head.i and c.dep_ == "amod":
            words.extend(c.subtree)
    return words


def _name(words: Sequence[Token]) -> str:
    toks = [t for t in sorted(words, key=lambda t: t.i) if not t.is_space]
    while toks and (toks[0].is_punct or toks[0].lower_ in vocab.strip_words()
                    or toks[0].tag_ == "PRP$"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].lower_ in ("'s", "’s")):
        toks = toks[:-1]
    return "".join(t.text_with_ws for t in toks).strip()


def _of(head: Token) -> Token | None:
    """The object of ``head``'s "of" phrase: "the reasoning of X" -> X."""
    return next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"), None)


def _entity(tok: Token) -> str:
    return next((e.text for e in tok.doc.ents if e.start <= tok.i < e.end), "")


def _is_pronoun(tok: Token) -> bool:
    return tok.lower_ in vocab.carry_over_pronouns() and tok.pos_ == "PRON"


def resolve(head: Token, words: Sequence[Token] | None = None, owned: bool = False) -> Who | None:
    """The source a speaker phrase names, or None when it names no source.

    ``owned``: resolving an owner or a ``via``: unowned documents do not count.
    """
    words = list(words) if words is not None else _phrase(head)
    text, lemma = _name(words), head.lemma_.lower()
    for candidate in (text, _entity(head), head.text):
        known = vocab.known_source(candidate) if candidate else None
        if known:
            return Who(*known)
    if lemma in vocab.speaker_nouns() or lemma in vocab.document_nouns():
        via = None
        if lemma in vocab.document_nouns():
            of = _of(head)
            via = resolve(of, owned=True) if of is not None else None
        owners = [c for c in head.children if c.dep_ in _OWNER_DEPS and c.i < head.i]
        owners += [g for c in head.children if c.dep_ == "prep" and c.lower_ in vocab.owner_preps()
                   for g in c.children if g.dep_ == "pobj"]
        for owner in owners:
            who = resolve(owner, owned=True)
            if who:
                return Who(who.name, who.kind, via)
        return None if owned or not text else Who(text, "anonymous", via)
    if lemma in vocab.group_nouns():
        of = _of(head)
        who = resolve(of) if of is not None and not owned else None
        if who is None or who.kind != "anonymous" or of is None:
            return who
        return Who(_name([t for t in head.subtree if t.i <= head.i] + list(of.head.subtree)),
                   "anonymous")
    if lemma in vocab.anonymous_nouns():
        return Who(text, "anonymous") if text else None
    kind = vocab.ner_kinds().get(head.ent_type_)
    if kind:
        return Who(_entity(head) or text, kind)
    if head.pos_ == "PROPN" and text:
        return Who(text, "organisation")
    return None


def _speaks(head: Token, words: Sequence[Token] | None = None) -> bool:
    return _is_pronoun(head) or resolve(head, words) is not None


# -- cue finders ----------------------------------------------------------------------

def _according(clause: Tokens, inside: frozenset[int], ids: set[int]) -> Cue | None:
    doc = clause.doc
    for phrase in vocab.according_phrases():
        for i in phrase_starts(clause, phrase):
            last = doc[i + len(phrase) - 1]
            obj = next((c for c in last.children if c.dep_ == "pobj"), None)
            if i in inside or obj is None or not _speaks(obj):
                continue
            frame = set(range(i, obj.right_edge.i + 1))
            return Cue(i, i + len(phrase), "according", obj.i,
                       tuple(t.i for t in _phrase(obj)), frozenset(ids - frame))
    return None


def _complement(verb: Token) -> frozenset[int] | None:
    comp = next((c for c in verb.children if c.dep_ in COMPLEMENTS), None)
    return frozenset(t.i for t in comp.subtree) if comp is not None else None


def _reportedly(clause: Tokens, inside: frozenset[int], ids: set[int]) -> Cue | None:
    root = clause.root
    adverb = next((t for t in root.children if t.lower_ in vocab.reported_adverbs()
                   and t.i in ids and t.i not in inside), None)
    if adverb is None:
        return None
    subj = _subject(root)
    content = frozenset(ids - {adverb.i})
    speaker: Token | None = None
    if subj is not None and subj.i not in inside:
        reports = root.lemma_.lower() in vocab.reporting_verbs() and _speaks(subj)
        if reports:
            speaker, content = subj, _complement(root) or content
        elif subj.lemma_.lower() in vocab.anonymous_nouns():
            speaker = subj
    words = tuple(t.i for t in _phrase(speaker)) if speaker is not None else ()
    return Cue(adverb.i, adverb.i + 1, "reportedly",
               speaker.i if speaker is not None else None, words, content)


def _verb(clause: Tokens, inside: frozenset[int], ids: set[int]) -> Cue | None:
    root = clause.root
    verbs = [root] + [c for c in root.children if c.dep_ in ("advcl", "parataxis")]
    for verb in verbs:
        subj = _subject(verb)
        if (verb.i in inside or verb.i not in ids or subj is None or subj.i in inside
                or verb.lemma_.lower() not in vocab.reporting_verbs()
                or verb.pos_ not in ("VERB", "NOUN") or not _speaks(subj)
                or any(c.dep_ == "neg" for c in verb.children)):  # "did not respond"
            continue
        end = verb.i + 1
        if any(c.dep_ == "prt" and c.i == end for c in verb.children):
            end += 1
        words = tuple(t.i for t in _phrase(subj))
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
    verb = next((t for t in tail if t.lemma_.lower() in vocab.reporting_verbs()
                 or t.lower_ in vocab.reporting_verbs()), None)
    if verb is None or len(tail) > 8:
        return None
    end = verb.i + 2 if verb.i + 1 < clause.end and doc[verb.i + 1].dep_ == "prt" else verb.i + 1
    words = [t for t in tail if not verb.i <= t.i < end]
    nouns = [t for t in words if t.pos_ in ("NOUN", "PROPN", "PRON")]
    if not nouns or not _speaks(nouns[-1], words):
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

    # ``sent``/``clause`` are spaCy Spans; typed Any because kg.extract passes them untyped.
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
            subj = _subject(clause.root)
            if subj is not None and not _is_pronoun(subj):
                self._last = resolve(subj) or self._last
            return None
        if cue.speaker is not None and not _is_pronoun(clause.doc[cue.speaker]):
            self._last = who
        return self._record(clause.doc, cue, who, offset)

    def _speaker(self, doc: Doc, cue: Cue) -> Who | None:
        if cue.speaker is None:
            return Who(vocab.unnamed_source(), "anonymous")
        head = doc[cue.speaker]
        if _is_pronoun(head):
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
    subj = _subject(head)
    if subj is None or _is_pronoun(subj) or subj.i not in cue.content:
        return None
    who = resolve(subj)
    if who is None:
        return None
    if head.lemma_.lower() in vocab.reporting_verbs():
        return who
    if source.kind == "publication" and who.kind in ("anonymous", "official"):
        return who
    return None
