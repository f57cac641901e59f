"""How ``analysis.toml`` is laid out: the settings of the cross-article analysis.

One struct per TOML table, one field per key; the comments in the file say what each
setting does, and the defaults here are the values a missing key takes. The file steers
only ``kg.analysis`` (which every build recomputes), so it is not part of the extraction
cache key. The adverbs of the anonymous.reported-adverb flag are attribution.toml's
``[adverbs].reported``: one list, read by both.
"""

from __future__ import annotations

import msgspec

from kg.data.words import Table


class Propositions(Table, frozen=True):
    actor_types: frozenset[str] = frozenset({"gov"})
    subject_actor_types: frozenset[str] = frozenset()
    target_types: frozenset[str] = frozenset({"org", "ai_model", "product"})
    target_linkers: tuple[str, ...] = ("on", "of", "against")
    target_window: int = 60
    min_similarity: float = 0.1
    attach_similarity: float = 0.3
    attach_margin: float = 0.05
    compare_sample: int = 32


class Value(Table, frozen=True):
    tolerance: float = 0.01
    min_similarity: float = 0.45
    units: tuple[str, ...] = ()  # regular expressions
    numbers: dict[str, float] = msgspec.field(default_factory=dict)  # number word -> value
    approx_tolerance: float = 0.1
    markers: dict[str, str] = msgspec.field(default_factory=dict)  # "about" -> approx|min|max


class Conflicts(Table, frozen=True):
    quote_chars: int = 120
    frame_similarity: float = 0.5
    max_pairwise_articles: int = 8
    value: Value = Value()


class Topic(Table, frozen=True):
    """One ``[[stance.topic]]``; its label is its name when not given."""

    name: str
    label: str = ""
    words: tuple[str, ...] = ()


class Stance(Table, frozen=True):
    support: tuple[str, ...] = ()
    oppose: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = msgspec.field(default=(), name="topic")


class Voice(Table, frozen=True):
    """``[voice]``: how an article voices its story (kg.analysis.voice)."""

    lead: int = 4
    deny_lead: int = 3
    second_hand: frozenset[str] = frozenset({"anonymous", "publication"})
    second_hand_cues: frozenset[str] = frozenset()
    false_words: frozenset[str] = frozenset()
    deny_verbs: frozenset[str] = frozenset()
    verify_verbs: frozenset[str] = frozenset()


class Origins(Table, frozen=True):
    standalone_only: bool = True


class Flags(Table, frozen=True):
    unsupported_statuses: frozenset[str] = frozenset({"considered", "enacted", "paused", "lifted"})
    unsupported_needs_entity: bool = True
    unnamed_kinds: frozenset[str] = frozenset({"anonymous", "none"})
    single_article: bool = True
    quote_chars: int = 120


class Analysis(Table, frozen=True):
    propositions: Propositions = Propositions()
    conflicts: Conflicts = Conflicts()
    stance: Stance = Stance()
    voice: Voice = Voice()
    origins: Origins = Origins()
    flags: Flags = Flags()
