"""How ``entities.toml`` is laid out: the canonical entities, AI-model families, and the
settings of mention finding and fuzzy matching.

One struct per TOML table, one field per key (the comments in the file say what each
does). ``kg.data.names.vocab`` compiles it into the alias table the rules use. Names
keep their case here: ALL-CAPS aliases match exactly.
"""

from __future__ import annotations

import msgspec

from kg.data.words import Table


class Fuzzy(Table, frozen=True):
    threshold: float = 88  # rapidfuzz ratio a typo must reach
    min_length: int = 6


class Ner(Table, frozen=True):
    labels: frozenset[str] = frozenset()
    yield_to_person: frozenset[str] = frozenset()
    types: dict[str, str] = msgspec.field(default_factory=dict)  # NER label -> entity type


class Ignore(Table, frozen=True):
    words: frozenset[str] = frozenset()


class Models(Table, frozen=True):
    tiers: tuple[str, ...] = ()


class ModelFamily(Table, frozen=True):
    """One ``[[model]]``: a family of AI models and its developer."""

    family: str
    developer: str
    bare: bool = False  # the family name alone names the model line


class Entry(Table, frozen=True):
    """One ``[[entity]]``."""

    name: str
    type: str  # one of kg.model.ENTITY_TYPES
    aliases: tuple[str, ...] = ()
    roles: dict[str, str] = msgspec.field(default_factory=dict)  # surface form -> role
    government: str | None = None  # a country's government, for metonymy


class Entities(Table, frozen=True):
    fuzzy: Fuzzy = Fuzzy()
    ner: Ner = Ner()
    ignore: Ignore = Ignore()
    models: Models = Models()
    families: tuple[ModelFamily, ...] = msgspec.field(default=(), name="model")
    entities: tuple[Entry, ...] = msgspec.field(default=(), name="entity")
