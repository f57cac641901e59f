"""Plain typed records: the one data model every stage after extraction reads.

Nothing here imports spaCy, rdflib or a driver. Every span is a half-open
``[start, end)`` range of Unicode code points into ``Article.text`` (the
normalised snapshot), so ``article.text[start:end] == text`` always holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

Certainty = Literal["asserted", "hedged", "reported", "speculative", "negated"]
CERTAINTIES: tuple[str, ...] = ("asserted", "hedged", "reported", "speculative", "negated")

#: considered (proposed, planned), enacted (ordered, imposed), paused (on hold),
#: lifted (reversed, rescinded), denied (said not to exist)
EventStatus = Literal["considered", "enacted", "paused", "lifted", "denied"]
EVENT_STATUSES: tuple[str, ...] = ("considered", "enacted", "paused", "lifted", "denied")

SourceKind = Literal["publication", "organisation", "person", "official", "anonymous", "none"]
SOURCE_KINDS: tuple[str, ...] = (
    "publication", "organisation", "person", "official", "anonymous", "none",
)

EntityType = Literal["org", "person", "gov", "ai_model", "product", "place", "publication", "other"]
ENTITY_TYPES: tuple[str, ...] = (
    "org", "person", "gov", "ai_model", "product", "place", "publication", "other",
)

ConflictKind = Literal["status", "polarity", "value", "stance"]
CONFLICT_KINDS: tuple[str, ...] = ("status", "polarity", "value", "stance")

ReviewState = Literal["found", "confirmed", "rejected"]
REVIEW_STATES: tuple[str, ...] = ("found", "confirmed", "rejected")

FlagKind = Literal["unsupported", "anonymous", "single-origin", "hedge-laundering", "circular"]
FLAG_KINDS: tuple[str, ...] = (
    "unsupported", "anonymous", "single-origin", "hedge-laundering", "circular",
)


def short_hash(*parts: object, size: int = 16) -> str:
    """A stable short hex id from the given parts (sha256, first ``size`` hex digits)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:size]


@dataclass(frozen=True, slots=True)
class Span:
    """A range of one article's text: evidence that a reader can check by eye."""

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """One ingested article. ``text`` is the snapshot every offset points into."""

    id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: str | None = None
    language: str = "en"
    #: half-open ranges of ``text`` that are article body (not title, not page furniture)
    body: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Frame:
    """Subject / predicate / object read off the dependency parse of a clause."""

    subject: str = ""
    predicate: str = ""
    object: str = ""
    event_type: str | None = None  # e.g. "export-ban", from the event vocabulary
    target: str | None = None  # canonical entity the event is aimed at, once resolved


@dataclass(frozen=True, slots=True)
class Source:
    """Who a claim is attributed to. ``kind`` is one of SOURCE_KINDS."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Attribution:
    """``source`` says the claim, by ``cue`` (a span); ``via`` is the source's own source."""

    source: str  # Source.id
    cue: Span | None = None
    via: str | None = None  # Source.id of the source's source (a chain of one hop)


@dataclass(frozen=True, slots=True)
class Mention:
    """A surface form of an entity in an article."""

    article: str
    start: int
    end: int
    text: str
    label: str  # NER label or gazetteer type
    entity: str | None = None  # Entity.id once resolved


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    article: str
    start: int
    end: int
    text: str
    sentence: int
    frame: Frame = field(default_factory=Frame)
    certainty: str = "asserted"
    certainty_cue: Span | None = None
    event_status: str | None = None
    event_cue: Span | None = None
    polarity: str = "affirmed"  # or "negated"
    attribution: Attribution | None = None
    mentions: tuple[Mention, ...] = ()

    @staticmethod
    def make_id(article: str, start: int, end: int) -> str:
        return short_hash("claim", article, start, end)


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    developer: str | None = None  # Entity.id, for AI models
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Proposition:
    id: str
    key: str
    label: str
    claims: tuple[str, ...]
    reason: str
    origins: tuple[str, ...] = ()  # one id per independent origin (a primary source or an article)


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    claim_a: str
    claim_b: str
    kind: str
    rule: str
    explanation: str
    review: str = "found"
    #: what each claim says in this conflict ("considered", "affirmed", "Anthropic opposes",
    #: "5%"): the position a dispute (kg.analysis.disputes) groups its claims by
    position_a: str = ""
    position_b: str = ""
    topic: str = ""  # what the two disagree on, when the rule names it ("AI regulation")


@dataclass(frozen=True, slots=True)
class DisputeSide:
    """One position of a dispute: the claims that hold it, their articles, sources and
    how many independent origins stand behind them."""

    position: str
    claims: tuple[str, ...]
    articles: tuple[str, ...]
    sources: tuple[str, ...] = ()  # Source.ids the claims are attributed to
    origins: int = 0


@dataclass(frozen=True, slots=True)
class Dispute:
    """Pairwise conflicts over one question gathered into sides (kg.analysis.disputes):
    three articles saying "considered" against two saying "enacted" is one dispute with two
    sides, not six conflicts. ``conflicts`` are the ids of the pairwise conflicts it gathers."""

    id: str
    kind: str
    rules: tuple[str, ...]
    label: str
    sides: tuple[DisputeSide, ...]
    conflicts: tuple[str, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class Flag:
    id: str
    target: str  # a Claim.id or Proposition.id
    kind: str
    rule: str
    explanation: str
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Citation:
    """Article ``article`` cites ``source`` (a publication), seen at ``cue``."""

    article: str
    source: str
    cue: Span


@dataclass(slots=True)
class ArticleGraph:
    """Everything extracted from one article: the unit of caching and of atomic writes."""

    article: Article
    claims: list[Claim] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    cites: list[tuple[str, str]] = field(default_factory=list)  # (source, its source)


@dataclass(slots=True)
class Analysis:
    """Cross-article results, recomputed over the whole store on every build."""

    entities: list[Entity] = field(default_factory=list)
    propositions: list[Proposition] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)


@dataclass(slots=True)
class Corpus:
    """The whole graph as records: per-article graphs plus the analysis over them."""

    articles: list[ArticleGraph] = field(default_factory=list)
    analysis: Analysis = field(default_factory=Analysis)

    def claims(self) -> list[Claim]:
        return [c for g in self.articles for c in g.claims]

    def article(self, article_id: str) -> Article:
        for g in self.articles:
            if g.article.id == article_id:
                return g.article
        raise KeyError(article_id)

    def sources(self) -> dict[str, Source]:
        return {s.id: s for g in self.articles for s in g.sources}
