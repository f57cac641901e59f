"""The shapes of the vocabulary files: a table, and word lists normalised once when read.

Every TOML table is a ``Table``: its keys are the struct's fields, and a key the struct
does not know is refused (a misspelt key fails when the file is read, not silently).
A list of strings becomes ``Words`` (a lower-cased frozenset: the rules compare it with
a token's lower-cased text or lemma) or ``Phrases`` (each entry split into its
lower-cased words, longest first, for matching consecutive tokens: "no longer" is two
tokens and must be tried before "no"). msgspec builds both through ``hook``, so a field
typed ``Words`` is ready to use, and anything but a list of strings there is refused
when the file is read.
"""

from __future__ import annotations

from typing import Any

import msgspec

Phrase = tuple[str, ...]


class Table(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A TOML table (or a whole file): one field per key; unknown keys are errors.

    Subclasses inherit this configuration; they say ``frozen=True`` again for mypy.
    """


class Words(frozenset[str]):
    """Lower-cased words, from a TOML list of strings."""


class Phrases(tuple[Phrase, ...]):
    """Multi-word cues as tuples of lower-cased words, longest first."""


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ValueError("Expected a list of strings")
    return value


def hook(kind: type, value: Any) -> Any:
    """msgspec's ``dec_hook``: builds ``Words`` and ``Phrases`` from the decoded TOML."""
    if kind is Words:
        return Words(w.lower() for w in _strings(value))
    if kind is Phrases:
        found = (tuple(w.lower().split()) for w in _strings(value))
        return Phrases(sorted((p for p in found if p), key=len, reverse=True))
    raise NotImplementedError(kind)
