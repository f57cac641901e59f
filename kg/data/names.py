"""Names: the one matching key of a name, and the name tables compiled from the vocabulary.

``name_key`` is the key every part of kg matches names by (entity aliases and mentions,
source names, frame subjects): case-folded, white space collapsed, typographic
apostrophes and dashes made plain, outer punctuation, a possessive and a leading article
dropped. Which leading articles drop is its one parameter: ``THE`` for entities ("the
government" and "government" are one alias, but "A" may begin a name), ``ARTICLES``
(the/a/an) for the sources of sources.toml, whose names come from speaker phrases.
``compact`` is a second step on top of it, for finding a name inside a longer phrase: it
drops the spaces and punctuation left in a key, so "U.S. officials" is found in "the
US officials' view" (``kg.analysis.slots``).

The entity vocabulary (general rules: the shape of a versioned product, government and
outlet words, the fuzzy threshold; a user's own canonical names, none shipped) lives in
``kg/data/entities.toml`` and is compiled once (``vocab``); a user's known sources of
``sources.toml`` likewise, and a newspaper-shaped name is a publication
(``known_source``). ``model_key`` reads a versioned name ("Name Pro 4.8") as (family,
key); ``initials``/``acronym_of`` tell an acronym of a longer name ("FT" of "Financial
Times"); ``similar`` is the guarded fuzzy similarity
(``rapidfuzz.fuzz.ratio`` >= ``[fuzzy].threshold``; both names at least
``[fuzzy].min_length`` long, no digits, same first letter, neither a prefix of the
other) and ``fuzzy_alias`` the table alias a name is a typo of. ``kg.analysis.entities``
(the cross-article resolution), ``kg.nlp.mentions`` (the gazetteer) and
``kg.nlp.speakers`` (source names) read names through these.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.data import vocabulary

_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2011": "-", "\u2010": "-", "\u2013": "-"})
_POSSESSIVE = re.compile(r"\s*(?:'s|')$", re.IGNORECASE)
_EDGES = " ,.;:!?\"()[]"
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_NON_WORD = re.compile(r"\W+")

#: leading words ``name_key`` drops: entity names, and source names
THE, ARTICLES = ("the",), ("the", "a", "an")


def name_key(name: str, articles: tuple[str, ...] = THE) -> str:
    """The matching key of a name: "The FT's" -> "ft", "U.S.  officials." -> "u.s. officials".

    A leading word in ``articles`` is dropped when another word follows it.
    """
    k = _POSSESSIVE.sub("", " ".join(name.translate(_PLAIN).split()).strip(_EDGES))
    first, _, rest = k.partition(" ")
    if rest and first.casefold() in articles:
        k = rest
    return k.casefold()


def compact(key: str) -> str:
    """``key`` without the spaces and punctuation left in it, to find a name inside a phrase."""
    return _NON_WORD.sub("", key)


@dataclass(frozen=True, slots=True)
class Alias:
    """One surface form of a table entity, as written in entities.toml."""

    text: str  # without a leading "the "
    entity: str  # canonical name
    type: str
    role: str | None = None
    needs_the: bool = False  # written "the X": only matches after "the"


@dataclass(frozen=True, slots=True)
class Vocab:
    types: dict[str, str]  # canonical name -> type (a user's own [[entity]] tables)
    aliases: dict[str, Alias]  # key -> alias
    model: re.Pattern[str]  # a capitalised name with a version: the shape, not a list
    not_names: frozenset[str]  # words a number follows that name no product ("Section 230")
    model_context: frozenset[str]  # a versioned name in a clause with one is an AI model
    ner_labels: frozenset[str]
    ner_types: dict[str, str]
    ignore: frozenset[str]  # lower-cased
    gov_nouns: frozenset[str]  # "officials": COUNTRY + noun is the country's government
    gov_bare: tuple[tuple[str, ...], ...]  # "the government": the article's one government
    outlet_words: frozenset[str]  # last words of a newspaper's name
    outlet_verbs: frozenset[str]  # "X reported": X is a publication
    org_nouns: frozenset[str]  # "X, the startup": X is an organisation
    threshold: float
    min_length: int
    #: alias keys by first letter: ``similar`` is 0 for the others, so a fuzzy search reads these
    initials: dict[str, tuple[str, ...]]


@cache
def vocab() -> Vocab:
    """The compiled vocabulary of ``kg/data/entities.toml`` (cached)."""
    table = vocabulary().entities
    types: dict[str, str] = {}
    aliases: dict[str, Alias] = {}

    def add(text: str, entity: str, type_: str, role: str | None = None) -> None:
        needs_the = bool(_THE.match(text))
        alias = Alias(_THE.sub("", text), entity, type_, role, needs_the)
        aliases.setdefault(name_key(text), alias)

    for ent in table.entities:
        types[ent.name] = ent.type
        for text, role in ent.roles.items():  # first: the name may have a role
            add(text, ent.name, ent.type, role)
        for text in [*ent.aliases, ent.name]:
            add(text, ent.name, ent.type)
    return Vocab(
        types=types, aliases=aliases, model=_model_pattern(list(table.models.tiers)),
        not_names=table.models.not_names, model_context=table.models.context,
        ner_labels=table.ner.labels, ner_types=table.ner.types, ignore=table.ignore.words,
        gov_nouns=table.government.nouns, gov_bare=tuple(table.government.bare),
        outlet_words=table.outlets.words, outlet_verbs=table.outlets.verbs,
        org_nouns=table.organisations.nouns,
        threshold=table.fuzzy.threshold, min_length=table.fuzzy.min_length,
        initials=_initials(aliases),
    )


@cache
def known_sources() -> dict[str, tuple[str, str]]:
    """``name_key(alias, ARTICLES) -> (canonical name, kind)`` for every source of sources.toml."""
    table: dict[str, tuple[str, str]] = {}
    for source in vocabulary().sources.sources:
        for alias in (source.name, *source.aliases):
            table[name_key(alias, ARTICLES)] = (source.name, source.kind)
    return table


def known_source(name: str) -> tuple[str, str] | None:
    """(canonical name, kind) of a source a user listed in sources.toml, or of a name shaped
    like a newspaper's ("the Daily Herald" -> ("Daily Herald", "publication")), else None."""
    known = known_sources().get(name_key(name, ARTICLES))
    if known:
        return known
    words = " ".join(name.translate(_PLAIN).split()).strip(_EDGES).split(" ")
    if len(words) > 1 and words[0].casefold() in ARTICLES:
        words = words[1:]
    words[-1] = _POSSESSIVE.sub("", words[-1])
    return (" ".join(words), "publication") if is_outlet(" ".join(words)) else None


def is_outlet(name: str) -> bool:
    """A name shaped like a newspaper's: two capitalised words or more, the last one of
    ``[outlets].words`` ("Evening Post", "Daily Times"; not "Post" nor "the post")."""
    words = name_key(name, ARTICLES).split(" ")
    caps = [w for w in name.split() if w[:1].isupper()]
    return len(words) > 1 and len(caps) >= 2 and words[-1] in vocab().outlet_words


def initials(name: str) -> str:
    """The capitals of a name of two words or more, as an acronym would spell them:
    "Federal Trade Commission" -> "FTC" (short words such as "of" are skipped); "" for one
    word."""
    words = [w for w in re.split(r"[\s-]+", name.translate(_PLAIN)) if w]
    if len(words) < 2:
        return ""
    return "".join(w[0] for w in words if w[:1].isupper())


def acronym_of(acronym: str, name: str) -> bool:
    """``acronym`` ("FT", "U.S.") spells the initials of ``name`` ("Financial Times")."""
    letters = acronym.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isupper() and initials(name) == letters


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _model_pattern(tiers: list[str]) -> re.Pattern[str]:
    """A capitalised name (two letters or more, one hyphenated part allowed) and a version,
    with optional tiers, a size and one more capitalised word that no other capitalised
    word follows ("Name 4 Scout", but not "Name 4 Models Amid ..." of a headline): the
    shape of a versioned product's name."""
    tier = _alt(tiers) or "(?!)"
    version = r"(?:[vV]\d+(?:\.\d+)*|R\d+|\d+(?:\.\d+)*[a-z]?)"
    size = r"(?:[ -]\d+(?:\.\d+)?[BMT]\b|\s?\(\d+(?:\.\d+)?[BMT]\))"
    family = r"[A-Z][A-Za-z]*[A-Za-z](?:-[A-Z][A-Za-z]+)?"
    return re.compile(
        rf"(?<![\w.-])(?P<family>{family})(?:[ -](?P<pre>{tier}))?[ -]?"
        rf"(?P<version>{version})(?P<tiers>(?:[ -](?:{tier}))*)(?P<size>{size})?"
        rf"(?: (?P<tail>[A-Z][a-z]+)(?! [A-Z]))?(?![\w-])"
    )


def is_model_name(m: re.Match[str], v: Vocab | None = None) -> bool:
    """A match of the model pattern that names a product: not "Section 230", "June 2025",
    "Covid-19" nor a year after any word ("Summit 2025")."""
    v = v or vocab()
    if m["family"].casefold() in v.not_names or m["family"].split("-")[0].casefold() in v.not_names:
        return False
    if m["tail"] and m["tail"].casefold() in v.not_names:
        return False
    return not re.fullmatch(r"(?:1[89]|20)\d\d", m["version"])


@cache
def _any_case() -> re.Pattern[str]:
    return re.compile(vocab().model.pattern, re.IGNORECASE)


def model_key(text: str, any_case: bool = False) -> tuple[str, str] | None:
    """``(family, key)`` of an AI-model name with a version, or None if it is not one.

    Names in articles must be cased as in the table; ``any_case`` is for user input.
    """
    pattern = _any_case() if any_case else vocab().model
    m = pattern.fullmatch(text.translate(_PLAIN).strip())
    if m is None or not is_model_name(m):
        return None
    words = (m["pre"] or "") + " " + m["tiers"] + " " + (m["tail"] or "")
    tiers = sorted(t.casefold() for t in re.split(r"[ -]", words) if t)
    size = re.sub(r"[^\w.]", "", m["size"] or "").casefold()
    family = m["family"].casefold()
    return family, " ".join([family, m["version"].casefold(), *tiers, size]).strip()


def similar(a: str, b: str, v: Vocab | None = None) -> float:
    """Guarded fuzzy similarity of two keys (0 when the guard forbids a fuzzy match)."""
    from rapidfuzz import fuzz

    v = v or vocab()
    if min(len(a), len(b)) < v.min_length or a[:1] != b[:1]:
        return 0.0
    if a.startswith(b) or b.startswith(a):  # "America"/"American": another word form
        return 0.0
    if any(ch.isdigit() for ch in a + b):
        return 0.0
    score = float(fuzz.ratio(a, b))
    return score if score >= v.threshold else 0.0


def fuzzy_alias(k: str, v: Vocab | None = None) -> Alias | None:
    """The table alias a key is a typo of, if any (best score wins)."""
    if v is None or v is vocab():
        return _table_fuzzy_alias(k)
    return _best_alias(k, v)


@lru_cache(maxsize=1 << 16)
def _table_fuzzy_alias(k: str) -> Alias | None:
    """``fuzzy_alias`` against the table's own vocabulary, remembered per key."""
    return _best_alias(k, vocab())


def _best_alias(k: str, v: Vocab) -> Alias | None:
    # ``similar`` is 0 unless the first letters agree: only those aliases are scored
    best = max(((similar(k, a, v), a) for a in v.initials.get(k[:1], ())), default=(0.0, ""))
    return v.aliases[best[1]] if best[0] else None


def _initials(aliases: Iterable[str]) -> dict[str, tuple[str, ...]]:
    by: dict[str, list[str]] = defaultdict(list)
    for a in aliases:
        by[a[:1]].append(a)
    return {letter: tuple(keys) for letter, keys in by.items()}
