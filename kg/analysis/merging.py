"""Which names of a corpus are one entity: spelling, typos, acronyms and surnames.

No alias table: names merge by rules that hold in any corpus, on the mentions NER found.
``group(mentions)`` puts each mention in a group, in this order:

1. one compact key: case, white space, punctuation, accents and a company's legal form
   do not count ("Open AI" and "OpenAI", "U.S." and "US", "Erdoğan" and "Erdogan",
   "Example" and "Example Inc.");
2. typos: a key within the guarded fuzzy ratio of a more frequent key
   (``kg.data.names.similar``: at least 6 letters, same first letter, no digits, not a
   prefix) joins it; no chaining;
3. acronyms: an ALL-CAPS name ("FT") joins the one name of the corpus whose initials it
   spells ("Financial Times"); an acronym no NER tagged and that spells no name is
   dropped (None);
4. persons: a shorter person name that ends a longer one ("Tayyip Erdogan" in "Recep
   Tayyip Erdogan"), and a surname alone ("Altman"), join that longer name when it is the
   only one: first among the names of the same article, then, for a name that is not
   mostly a place, in the whole corpus (a nationality is never a surname) ("Huang" with two different Huangs in the corpus
   and none in its article stays alone).

``Groups.person`` holds the mentions merged as surnames: their vote for the entity type
is "person", whatever NER said of the lone word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

from kg.data import vocabulary
from kg.data.names import Vocab, acronym_of, compact, name_key, similar
from kg.model import Mention

Span = tuple[str, int, int]
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,6}|[A-Z]{2,6}")
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_PEOPLES = frozenset({"NORP"})


def key(text: str) -> str:
    """The compact, accent-free key of a name, without a company's legal form:
    "Erdoğan's" -> "erdogan", "Example Corp." -> "example"."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    words = name_key(plain).split(" ")
    while len(words) > 1 and words[-1].strip(".,") in _suffixes():
        words = words[:-1]
    return compact(" ".join(words))


@cache
def _suffixes() -> frozenset[str]:
    return vocabulary().entities.organisations.suffixes


def words(text: str) -> list[str]:
    """The accent-free key of each word of a name."""
    return [key(w) for w in name_key(text).replace("-", " ").split() if key(w)] if text else []


def is_acronym(text: str) -> bool:
    return bool(_ACRONYM.fullmatch(text.strip()))


@dataclass(slots=True)
class Groups:
    """Mention span -> group key (absent: the mention names no entity)."""

    of: dict[Span, str] = field(default_factory=dict)
    person: set[Span] = field(default_factory=set)  # merged as a surname: votes "person"


def _span(m: Mention) -> Span:
    return (m.article, m.start, m.end)


def group(mentions: list[Mention], v: Vocab) -> Groups:
    """Group the name mentions of a corpus (see the module docstring)."""
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[key(m.text)].append(m)
    by_key.pop("", None)
    members: dict[str, list[Mention]] = {}
    for k in sorted(by_key, key=lambda k: (-len(by_key[k]), k)):
        rep = max(members, key=lambda r: similar(k, r, v), default=None)
        if rep is None or not similar(k, rep, v):
            members[rep := k] = []
        members[rep].extend(by_key[k])
    out = Groups()
    forms = {r: Counter(m.text for m in ms) for r, ms in members.items()}
    _acronyms(members, forms, out)
    _persons(members, forms, out)
    return out


def _acronyms(members: dict[str, list[Mention]], forms: dict[str, Counter[str]], out: Groups) -> None:
    for rep in list(members):
        ms = members[rep]
        if not all(is_acronym(m.text) for m in ms):
            continue
        text = ms[0].text
        spelt = [r for r in members if r != rep and any(acronym_of(text, f) for f in forms[r])]
        if len(spelt) == 1:
            for m in ms:
                out.of[_span(m)] = spelt[0]
            del members[rep]
        elif all(m.label == "acronym" for m in ms):
            del members[rep]  # an acronym of nothing named: "CEO", "NATO" alone stay unnamed
    for rep, ms in members.items():
        for m in ms:
            out.of.setdefault(_span(m), rep)


def _is_person(ms: list[Mention]) -> bool:
    labels = Counter(m.label for m in ms)
    return labels["PERSON"] > 0 and labels["PERSON"] >= max(labels.values())


def _persons(members: dict[str, list[Mention]], forms: dict[str, Counter[str]], out: Groups) -> None:
    names = {r: words(forms[r].most_common(1)[0][0]) for r in members}
    full = {r: w for r, w in names.items() if len(w) > 1 and _is_person(members[r])}
    articles = {r: {m.article for m in members[r]} for r in full}

    def ends(rep: str) -> list[str]:
        mine = names[rep]
        return [r for r, w in full.items() if r != rep and len(w) > len(mine) and w[-len(mine):] == mine]

    for rep in sorted(full, key=lambda r: len(full[r])):  # "Tayyip Erdogan" -> "Recep Tayyip ..."
        longer = ends(rep)
        if len(longer) == 1:
            for m in members[rep]:
                out.of[_span(m)] = out.of[_span(members[longer[0]][0])]
            del full[rep]
    for rep, ms in members.items():
        if len(names[rep]) != 1:
            continue
        candidates = ends(rep)
        if sum(m.label in _PEOPLES for m in ms) * 2 > len(ms):
            continue  # "Jewish" is no surname of "Ashkenazi Jewish"
        placey = sum(m.label in _PLACES for m in ms) * 2 > len(ms)
        for m in ms:
            here = [r for r in candidates if m.article in articles[r]]
            target = here[0] if len(here) == 1 else None
            if target is None and not here and len(candidates) == 1 and not placey:
                target = candidates[0]
            if target is not None:
                out.of[_span(m)] = out.of[_span(members[target][0])]
                out.person.add(_span(m))
