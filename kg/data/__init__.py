"""The vocabulary files ``kg/data/*.toml``, read once into typed structs.

Users extend these files to cover another story. ``vocabulary()`` reads all seven once
per process and returns a ``Vocabulary``, one field per file, laid out by the structs of
``kg.data.rules`` (the per-article rules), ``kg.data.entities`` and ``kg.data.analysis``;
callers read typed fields (``vocabulary().attribution.verbs.reporting``). Word lists
arrive lower-cased as frozensets (``kg.data.words``), so no caller normalises them again.
A file that is not valid TOML, holds a value of the wrong type, lacks a required key or
has a key no struct knows (a typo) is error E403, naming the file and the place.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import TypeVar

import msgspec

from kg.data.analysis import Analysis
from kg.data.entities import Entities
from kg.data.rules import Attribution, Boilerplate, Certainty, Events, Sources
from kg.data.words import hook
from kg.errors import E, KGError

T = TypeVar("T")


class Vocabulary(msgspec.Struct, frozen=True):
    """Every vocabulary file, decoded: one field per ``kg/data/NAME.toml``."""

    analysis: Analysis
    attribution: Attribution
    boilerplate: Boilerplate
    certainty: Certainty
    entities: Entities
    events: Events
    sources: Sources


def decode(text: str, kind: type[T], path: str) -> T:
    """The TOML ``text`` of the data file ``path`` as a ``kind``; anything wrong is E403."""
    try:
        return msgspec.convert(tomllib.loads(text), kind, dec_hook=hook)
    except (tomllib.TOMLDecodeError, msgspec.ValidationError) as err:
        raise KGError(E.E403, path=path, detail=str(err)) from err


def _read(name: str, kind: type[T]) -> T:
    ref = resources.files("kg.data").joinpath(f"{name}.toml")
    try:
        text = ref.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise KGError(E.E403, path=str(ref), detail=str(err)) from err
    return decode(text, kind, str(ref))


@cache
def vocabulary() -> Vocabulary:
    """All of ``kg/data/*.toml``, decoded once per process."""
    return Vocabulary(
        analysis=_read("analysis", Analysis),
        attribution=_read("attribution", Attribution),
        boilerplate=_read("boilerplate", Boilerplate),
        certainty=_read("certainty", Certainty),
        entities=_read("entities", Entities),
        events=_read("events", Events),
        sources=_read("sources", Sources),
    )
