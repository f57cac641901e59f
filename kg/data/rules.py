"""The vocabularies of the per-article rules: how ``attribution.toml``, ``certainty.toml``,
``events.toml``, ``sources.toml`` and ``boilerplate.toml`` are laid out.

One struct per TOML table, one field per key; the comments in each file say what the
words do. These five files are read while an article is segmented and parsed, so they
are part of the extraction cache key (``kg.nlp.parse.pipeline_version``). A key that may
be left out has its default here (an empty list: the rule never fires); the tables of
``boilerplate.toml`` are required.
"""

from __future__ import annotations

import msgspec

from kg.data.words import Phrases, Table, Words

# -- attribution.toml ---------------------------------------------------------------


class Verbs(Table, frozen=True):
    reporting: Words = Words()  # lemmas of verbs that report speech: say, report, tell...
    thinking: Words = Words()  # believe, find: they attribute only a clause they take
    objects: Words = Words()  # deny, announce: their direct object is what they report


class Cues(Table, frozen=True):
    according: Phrases = Phrases()  # cues whose object is the source: ("according", "to")


class Adverbs(Table, frozen=True):
    reported: Words = Words()  # reportedly, allegedly...


class Nouns(Table, frozen=True):
    anonymous: Words = Words()
    groups: Words = Words()
    speakers: Words = Words()
    documents: Words = Words()
    roles: Words = Words()  # plaintiff, judge, minister: an identified person by role
    organisations: Words = Words()  # company, firm: the organisation named last before it
    bodies: Words = Words()  # police, military: an identified official source
    owners: Words = Words()  # prepositions that introduce an owner ("analysis by the FT")


class Pronouns(Table, frozen=True):
    carry_over: Words = Words()


class SpeakerNames(Table, frozen=True):
    strip: Words = Words()
    unnamed: str = "unnamed sources"


class Quotes(Table, frozen=True):
    """Quotation marks, as written (not lower-cased)."""

    open: frozenset[str] = frozenset()
    close: frozenset[str] = frozenset()
    both: frozenset[str] = frozenset()


class Attribution(Table, frozen=True):
    verbs: Verbs = Verbs()
    phrases: Cues = Cues()
    adverbs: Adverbs = Adverbs()
    nouns: Nouns = Nouns()
    pronouns: Pronouns = Pronouns()
    names: SpeakerNames = SpeakerNames()
    ner: dict[str, str] = msgspec.field(default_factory=dict)  # spaCy label -> source kind
    quotes: Quotes = Quotes()


# -- certainty.toml -----------------------------------------------------------------


class Hedges(Table, frozen=True):
    words: Words = Words()
    verbs: Words = Words()


class Speculative(Table, frozen=True):
    marks: Words = Words()
    phrases: Phrases = Phrases()
    modals: Words = Words()


class Negation(Table, frozen=True):
    words: Phrases = Phrases()
    exceptions: Words = Words()


class Rumour(Table, frozen=True):
    passive: Words = Words()  # "is said to", "it is believed that": say, believe...
    verbs: Words = Words()  # "claim to have", "claims he has": claim, purport, allege
    nouns: Words = Words()  # "rumours that", "claims that": claim, rumour, report...
    rumours: Words = Words()  # rumour, speculation: a rumour with or without a clause


class Certainty(Table, frozen=True):
    hedges: Hedges = Hedges()
    speculative: Speculative = Speculative()
    negation: Negation = Negation()
    rumour: Rumour = Rumour()


# -- events.toml --------------------------------------------------------------------


class Realis(Table, frozen=True):
    modals: Words = Words()


class EventType(Table, frozen=True):
    """One ``[[type]]``: a trigger word whose phrase matches every ``all_of`` group."""

    name: str
    label: str = ""
    triggers: Words = Words()
    all_of: tuple[Words, ...] = ()


class Events(Table, frozen=True):
    #: status -> cue lemmas, in file order (considered, enacted, paused, lifted, denied)
    status: dict[str, Words] = msgspec.field(default_factory=dict)
    realis: Realis = Realis()
    types: tuple[EventType, ...] = msgspec.field(default=(), name="type")


# -- sources.toml -------------------------------------------------------------------


class Source(Table, frozen=True):
    name: str
    kind: str = "organisation"  # one of kg.model.SOURCE_KINDS
    aliases: tuple[str, ...] = ()


class Sources(Table, frozen=True):
    sources: tuple[Source, ...] = msgspec.field(default=(), name="source")


# -- boilerplate.toml ---------------------------------------------------------------


class Furniture(Table, frozen=True):
    patterns: tuple[str, ...]  # regular expressions, matched case-insensitively
    languages: tuple[str, ...]


class Citation(Table, frozen=True):
    patterns: tuple[str, ...]


class Sentences(Table, frozen=True):
    patterns: tuple[str, ...] = ()  # regular expressions, matched case-insensitively


class Tail(Table, frozen=True):
    max_words: int
    min_lines: int


class Boilerplate(Table, frozen=True):
    furniture: Furniture
    citation: Citation
    tail: Tail
    sentences: Sentences = Sentences()
