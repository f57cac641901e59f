"""The attribution of an article's clauses, read in order as a reporter wrote them.

``kg.nlp.attribution.find_cue`` finds the cue of one clause. A reporter also attributes
across clause and sentence boundaries, and the ``Attributor`` follows those:

1. the clause's own cue;
2. the cue of its sentence, when the clause is what that cue reports (a sentence split
   into clauses: "Prices will rise, the company said, and ...");
3. the speaker of the direct quote the clause lies in, even when the quote runs over
   several sentences and the speaker comes before it ("X said: “...") or after its
   close ("...,” Epoch explained.");
4. the cue of its sentence when the clause holds a quote of its own and the sentence's
   speaker is the only one in sight ("Grok “has veered ...,” the Times said, and the
   posts have “renewed questions ...”");
5. a speaker introduced by a colon at the end of the previous sentence ("LM Arena
   tweeted this:", "according to researcher Noam Brown:").

Pronoun speakers (they/he/she/it) carry over the last named speaker of the article, and
a description ("the company", "the firm") stands for the organisation named last before
it. No rule: the article's own voice, ``None``. The Sources, the ``via`` hops and the
publication Citations are recorded as they are found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.data import vocabulary
from kg.data.names import acronym_of
from kg.model import Article, Attribution, Citation, Source, Span
from kg.nlp import context
from kg.nlp.attribution import Cue, find_cue
from kg.nlp.speakers import Who, content_root, is_pronoun, resolve, source_for, subject

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as Tokens


@dataclass(slots=True)
class _Quote:
    """A direct quote of a doc: the indices of its opening and closing marks."""

    open: int
    close: int
    attribution: Attribution | None = None
    read: bool = False  # whether its speaker has been looked for


class Attributor:
    """Attributes the clauses of one article, in reading order."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.sources: dict[str, Source] = {}
        self.citations: list[Citation] = []
        self.cites: set[tuple[str, str]] = set()
        self._cited: set[tuple[str, int]] = set()
        #: source ids given up for a better kind of the same name (``_source``): the
        #: extraction points the article's attributions at the new id (``renamed_in``)
        self.renamed: dict[str, str] = {}
        self._last: dict[str, Who] = {}  # the last named speaker, by the pronoun it fits
        self._doc: Doc | None = None
        self._offset = 0
        self._quotes: list[_Quote] = []
        self._last_org = ""  # the organisation named last in the pieces read before
        self._government = ""  # the government named last ("US government")
        self._sent = -1  # start of the current sentence
        self._sent_cue: Attribution | None = None
        self._sent_content: frozenset[int] = frozenset()
        self._colon: Attribution | None = None  # a speaker introduced by a colon
        self._carried: Attribution | None = None  # the colon speaker for this sentence

    def add_source(self, source: Source) -> None:
        self.sources[source.id] = source

    # ``sent``/``clause`` are spaCy Spans; typed Any because kg.nlp.extract passes them untyped.
    def observe(self, sent: Any, offset: int) -> None:
        """See a sentence that is not a claim (keeps context such as the last speaker)."""
        self._run(sent, sent, offset)

    def attribute(self, sent: Any, clause: Any, offset: int) -> Attribution | None:
        """The attribution of ``clause`` (a piece of ``sent``), or None: the article's voice."""
        return self._run(sent, clause, offset)

    def _run(self, sent: Tokens, clause: Tokens, offset: int) -> Attribution | None:
        doc = clause.doc
        if doc is not self._doc:
            self._enter(doc, offset)
        if sent.start != self._sent:
            self._begin(sent)
        whole = clause.start == sent.start and clause.end == sent.end
        own = self._sent_cue if whole else self._attribution(find_cue(clause), clause)
        if own is not None:
            return own
        words = [t.i for t in clause if not t.is_punct and not t.is_space]
        if self._sent_cue is not None and words and (
                2 * sum(i in self._sent_content for i in words) >= len(words)):
            return self._sent_cue
        quote = self._quote_of(words)
        if quote is not None:
            return quote
        if self._sent_cue is not None and any(t.text in context.marks() for t in clause):
            return self._sent_cue
        subj = subject(clause.root)
        if subj is not None and not is_pronoun(subj):
            self._remember(resolve(subj))
        return self._carried

    def _enter(self, doc: Doc, offset: int) -> None:
        """A new parsed piece: remember its quotes and the previous piece's last organisation."""
        if self._doc is not None:
            self._last_org = context.last_org(self._doc, len(self._doc)) or self._last_org
        self._doc, self._offset, self._sent = doc, offset, -1
        self._quotes = [_Quote(a, b) for a, b in context.quote_marks(doc)]

    def _begin(self, sent: Tokens) -> None:
        """A new sentence: its own cue (for the clauses it is split into) and the colon."""
        self._sent = sent.start
        self._carried, self._colon = self._colon, None
        self._government = context.government_in(sent) or self._government
        cue = find_cue(sent)
        self._sent_cue = self._attribution(cue, sent)
        self._sent_content = cue.content if cue is not None and self._sent_cue else frozenset()
        last = next((t for t in reversed(sent) if not t.is_space), None)
        if last is not None and last.text == ":":
            self._colon = self._sent_cue

    def _attribution(self, cue: Cue | None, clause: Tokens) -> Attribution | None:
        # words inside quotation marks never give the cue, even when the quote runs over
        # sentences ("“People told my mum ...”" is the quoted speaker's story)
        if cue is None or any(q.open < cue.start < q.close for q in self._quotes):
            return None
        who = self._speaker(clause.doc, cue)
        if who is None:
            return None
        if cue.speaker is not None and not is_pronoun(clause.doc[cue.speaker]):
            self._remember(who)
        return self._record(clause.doc, cue, who)

    def _remember(self, who: Who | None) -> None:
        """``who`` is the last speaker for the pronouns that fit it: "he"/"she" a person,
        "it" anything else, "they" anyone (a documents' or organisation's "he said" is
        a different speaker, not the video of the sentence before)."""
        if who is None:
            return
        fits = ("he", "she", "they") if who.kind == "person" else ("it", "they")
        self._last.update(dict.fromkeys(fits, who))

    def _quote_of(self, words: list[int]) -> Attribution | None:
        """The speaker of the quote that holds most of ``words``."""
        for n, q in enumerate(self._quotes):
            if words and 2 * sum(q.open < i < q.close for i in words) >= len(words):
                return self._quote_read(n)
        return None

    def _quote_read(self, n: int) -> Attribution | None:
        """The speaker of quote ``n``; a quote with none of its own that follows an
        attributed one in the next sentence continues it ("“...,” Chen stated. “...”")."""
        q = self._quotes[n]
        if not q.read:
            q.read, q.attribution = True, self._quote_speaker(q)
            if q.attribution is None and n > 0 and self._doc is not None:
                before = self._quotes[n - 1]
                gap = self._doc[before.close + 1:q.open]
                if len({t.sent.start for t in gap} - {self._doc[q.open].sent.start}) <= 1:
                    q.attribution = self._quote_read(n - 1)
        return q.attribution

    def _quote_speaker(self, q: _Quote) -> Attribution | None:
        """A cue after the closing mark in its sentence, else one before the opening mark."""
        assert self._doc is not None
        doc = self._doc
        after, before = find_cue(doc[q.close].sent), find_cue(doc[q.open].sent)
        if after is not None and after.start > q.close:
            return self._attribution(after, doc[q.close].sent)
        if before is not None and before.end <= q.open:
            return self._attribution(before, doc[q.open].sent)
        return None

    def _speaker(self, doc: Doc, cue: Cue) -> Who | None:
        if cue.speaker is None:
            return Who(vocabulary().attribution.names.unnamed, "anonymous")
        head = doc[cue.speaker]
        if is_pronoun(head):
            return self._last.get(head.lower_)
        who = resolve(head, [doc[i] for i in cue.words])
        if who is not None and context.described(head):
            if who.kind == "official":  # "the government": the one the article named last
                gov = self._government
                return Who(gov, "official") if gov else who
            name = context.last_org(doc, head.i) or self._last_org
            return Who(name, "organisation") if name else who
        return who

    def _named(self, who: Who | None) -> Who | None:
        """``who``, with a bare "the government" (a ``via`` found inside a phrase such as
        "the government's reasoning") standing for the government the article named."""
        if who is not None and who.kind == "official" and who.name.lower() in context.bare_governments():
            return Who(self._government, "official") if self._government else who
        return who

    def _record(self, doc: Doc, cue: Cue, who: Who) -> Attribution:
        source = self._source(who)
        via_who = self._named(who.via or _content_via(doc, cue, source))
        via = self._source(via_who) if via_who is not None else None
        if via is not None and via.id == source.id:
            via = None
        span = self._span(doc, cue.start, cue.end)
        for src in (source, via):
            if src is not None and src.kind == "publication" and (src.id, span.start) not in self._cited:
                self._cited.add((src.id, span.start))
                self.citations.append(Citation(self.article.id, src.id, span))
        if via is not None:
            self.cites.add((source.id, via.id))
        return Attribution(source=source.id, cue=span, via=via.id if via else None)

    def _source(self, who: Who) -> Source:
        """The Source ``who`` names; an acronym of a source the article named before is that
        source ("the Financial Times ... an FT analysis"), and so is a surname. One name is
        one source in an article: its first kind stays, but a one-word name the tagger
        called a person becomes an organisation on later evidence (a spokesperson, a
        description, a newspaper's shape), ``renamed`` from the person it was."""
        src = source_for(who.name, who.kind)
        for earlier in self.sources.values():
            if (acronym_of(who.name, earlier.name) or _surname_of(who, earlier)
                    or (earlier.name == src.name and not _better_kind(earlier, src))):
                return earlier
        for earlier in list(self.sources.values()):
            if earlier.name == src.name and earlier.id != src.id:
                del self.sources[earlier.id]
                self.renamed[earlier.id] = src.id
        self.sources.setdefault(src.id, src)
        return self.sources[src.id]

    def _span(self, doc: Doc, start: int, end: int) -> Span:
        s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        text = self.article.text[s + self._offset:e + self._offset]
        if text != doc.text[s:e]:
            raise AssertionError(f"cue span drift at {s + self._offset}:{e + self._offset}")
        return Span(self.article.id, s + self._offset, e + self._offset, text)


def _better_kind(earlier: Source, src: Source) -> bool:
    """A one-word name first taken for a person, now named as an organisation."""
    return (earlier.kind == "person" and src.kind in ("organisation", "publication")
            and len(src.name.split()) == 1)


def renamed_in(attr: Attribution | None, renamed: dict[str, str]) -> Attribution | None:
    """``attr`` with the source ids ``renamed`` replaced (the final kind of each name)."""
    if attr is None or not renamed or (attr.source not in renamed and attr.via not in renamed):
        return attr
    via = renamed.get(attr.via, attr.via) if attr.via else None
    return Attribution(renamed.get(attr.source, attr.source), attr.cue, via)


def _surname_of(who: Who, earlier: Source) -> bool:
    """``who`` is one word that ends the full name of a person named before it in the
    article ("Hamele" after "Christine Hamele"): the same person."""
    words = earlier.name.split()
    return (" " not in who.name and earlier.kind == "person" and len(words) > 1
            and words[-1] == who.name and who.kind in ("person", "organisation"))


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
