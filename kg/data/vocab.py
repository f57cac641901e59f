"""Typed access to the rule vocabularies in ``kg/data/*.toml`` (users extend those files).

Every word list used by attribution and certainty lives in the data files; this
module only reads, normalises (lower-case, phrases split into words) and caches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg import data

Phrase = tuple[str, ...]


def _words(name: str, table: str, key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data.table(name, table).get(key, []))


def _phrases(name: str, table: str, key: str) -> tuple[Phrase, ...]:
    found = (tuple(str(w).lower().split()) for w in data.table(name, table).get(key, []))
    return tuple(sorted((p for p in found if p), key=len, reverse=True))


# -- attribution.toml -------------------------------------------------------------

@cache
def reporting_verbs() -> frozenset[str]:
    """Lemmas of verbs that report speech or writing: say, report, tell, state..."""
    return _words("attribution", "verbs", "reporting")


@cache
def according_phrases() -> tuple[Phrase, ...]:
    """Prepositional cues whose object is the source: ("according", "to")."""
    return _phrases("attribution", "phrases", "according")


@cache
def reported_adverbs() -> frozenset[str]:
    return _words("attribution", "adverbs", "reported")


@cache
def anonymous_nouns() -> frozenset[str]:
    return _words("attribution", "nouns", "anonymous")


@cache
def group_nouns() -> frozenset[str]:
    return _words("attribution", "nouns", "groups")


@cache
def speaker_nouns() -> frozenset[str]:
    return _words("attribution", "nouns", "speakers")


@cache
def document_nouns() -> frozenset[str]:
    return _words("attribution", "nouns", "documents")


@cache
def owner_preps() -> frozenset[str]:
    return _words("attribution", "nouns", "owners")


@cache
def carry_over_pronouns() -> frozenset[str]:
    return _words("attribution", "pronouns", "carry_over")


@cache
def strip_words() -> frozenset[str]:
    return _words("attribution", "names", "strip")


@cache
def unnamed_source() -> str:
    return str(data.table("attribution", "names").get("unnamed", "unnamed sources"))


@cache
def ner_kinds() -> dict[str, str]:
    return {str(k): str(v) for k, v in data.table("attribution", "ner").items()}


@cache
def quote_marks() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(opening, closing, toggling) quotation marks."""
    table = data.table("attribution", "quotes")

    def marks(key: str) -> frozenset[str]:
        return frozenset(str(q) for q in table.get(key, []))

    return marks("open"), marks("close"), marks("both")


# -- sources.toml -----------------------------------------------------------------

def name_key(name: str) -> str:
    """Case-, space- and article-insensitive key of a source name ("The FT" -> "ft")."""
    words = name.replace("’", "'").casefold().split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    if words and words[-1] in ("'s", "'"):
        words = words[:-1]
    key = " ".join(words)
    return key[:-2] if key.endswith("'s") else key


@cache
def known_sources() -> dict[str, tuple[str, str]]:
    """``name_key(alias) -> (canonical name, kind)`` for every known source and alias."""
    table: dict[str, tuple[str, str]] = {}
    for entry in data.load("sources").get("source", []):
        name, kind = str(entry["name"]), str(entry.get("kind", "organisation"))
        for alias in (name, *entry.get("aliases", [])):
            table[name_key(str(alias))] = (name, kind)
    return table


def known_source(name: str) -> tuple[str, str] | None:
    return known_sources().get(name_key(name))


# -- certainty.toml ---------------------------------------------------------------

@cache
def hedge_words() -> frozenset[str]:
    return _words("certainty", "hedges", "words")


@cache
def hedge_verbs() -> frozenset[str]:
    return _words("certainty", "hedges", "verbs")


@cache
def conditional_marks() -> frozenset[str]:
    return _words("certainty", "speculative", "marks")


@cache
def speculative_phrases() -> tuple[Phrase, ...]:
    return _phrases("certainty", "speculative", "phrases")


@cache
def hypothetical_modals() -> frozenset[str]:
    return _words("certainty", "speculative", "modals")


@cache
def negations() -> tuple[Phrase, ...]:
    return _phrases("certainty", "negation", "words")


@cache
def negation_exceptions() -> frozenset[str]:
    return _words("certainty", "negation", "exceptions")


# -- events.toml ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    triggers: frozenset[str]
    all_of: tuple[frozenset[str], ...]


@cache
def event_statuses() -> dict[str, frozenset[str]]:
    """``status -> cue lemmas``, in file order (considered, enacted, lifted)."""
    return {str(k): frozenset(str(w).lower() for w in v)
            for k, v in data.table("events", "status").items()}


@cache
def irrealis_modals() -> frozenset[str]:
    return _words("events", "realis", "modals")


@cache
def event_types() -> tuple[EventType, ...]:
    return tuple(
        EventType(
            name=str(t["name"]),
            triggers=frozenset(str(w).lower() for w in t.get("triggers", [])),
            all_of=tuple(frozenset(str(w).lower() for w in g) for g in t.get("all_of", [])),
        )
        for t in data.load("events").get("type", [])
    )
