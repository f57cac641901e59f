"""How ``entities.toml`` is laid out: the settings of mention finding and fuzzy matching,
the shapes of versioned products, governments and news outlets, and a user's own
canonical entities (none are shipped).

One struct per TOML table, one field per key (the comments in the file say what each
does). ``kg.data.names.vocab`` compiles it into the alias table the rules use. Names
keep their case here: ALL-CAPS aliases match exactly.
"""

from __future__ import annotations

import msgspec

from kg.data.words import Phrases, Table, Words


class Fuzzy(Table, frozen=True):
    threshold: float = 88  # rapidfuzz ratio a typo must reach
    min_length: int = 6


class Ner(Table, frozen=True):
    labels: frozenset[str] = frozenset()
    types: dict[str, str] = msgspec.field(default_factory=dict)  # NER label -> entity type


class Ignore(Table, frozen=True):
    words: Words = Words()  # compared with a token's lower-cased text


class Models(Table, frozen=True):
    tiers: tuple[str, ...] = ()  # as written: "Pro", "Max"
    not_names: Words = Words()  # capitalised words a number follows that name no product
    context: Words = Words()  # a versioned name in a clause with one of these is an AI model


class Government(Table, frozen=True):
    nouns: Words = Words()  # "officials", "government": COUNTRY + noun is its government
    bare: Phrases = Phrases()  # "the government": the one government its article names


class Outlets(Table, frozen=True):
    words: Words = Words()  # last words of a newspaper's name: "times", "post"
    verbs: Words = Words()  # "X reported": a vote for X being a publication


class Organisations(Table, frozen=True):
    nouns: Words = Words()  # "X, the startup": a name in apposition is an organisation
    suffixes: Words = Words()  # legal forms dropped from a name's key: "inc", "ltd"


class Entry(Table, frozen=True):
    """One ``[[entity]]``."""

    name: str
    type: str  # one of kg.model.ENTITY_TYPES
    aliases: tuple[str, ...] = ()
    roles: dict[str, str] = msgspec.field(default_factory=dict)  # surface form -> role


class Entities(Table, frozen=True):
    fuzzy: Fuzzy = Fuzzy()
    ner: Ner = Ner()
    ignore: Ignore = Ignore()
    models: Models = Models()
    government: Government = Government()
    outlets: Outlets = Outlets()
    organisations: Organisations = Organisations()
    entities: tuple[Entry, ...] = msgspec.field(default=(), name="entity")
