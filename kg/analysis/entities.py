"""Cross-article entity resolution: cluster every mention into canonical entities.

No name is listed anywhere: ``kg/data/entities.toml`` holds general rules only (a user
may add canonical entities of their own). A mention is resolved, in order, by

1. versioned name: "Name 4.8 Pro" / "Name Pro 4.8" -> one model key (family, version,
   sorted tiers, size), an AI model when one of its mentions was read in AI context
   (``kg.nlp.mentions``), else a product; its developer is the organisation named in a
   possessive "X's MODEL" (or "X's M1 and M2") in some claim;
2. a user's own alias table, on the name key (``kg.data.names.name_key``);
3. governments: "COUNTRY officials" / "COUNTRY government", and a country that is its
   claim's acting subject ("the US restricts ...") when the corpus names that country's
   government so (NER calls many a name GPE), are the country's government, one entity
   per country (a country's acronym and its name are one: "US" / "United
   States"); "the government" alone joins the one government its article names, else
   names nobody;
4. every other name is grouped by ``kg.analysis.merging`` (spelling, typos, acronyms,
   surnames) and typed by a vote over its mentions' labels, not by the first NER label
   (a "publication" cue counts three, a name shaped like a newspaper's is one).

Entity ids are ``short_hash("entity", name.casefold())``, stable across runs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from kg.analysis import merging
from kg.data.names import Alias, Vocab, acronym_of, is_outlet, model_key, name_key, similar, vocab
from kg.model import ENTITY_TYPES, Claim, Entity, Mention, short_hash

#: predicates that say what a subject is or has, not what it does: "The US is a market"
#: keeps the country a place
_STATES = frozenset({"be", "have", "remain", "become", "seem", "appear", "look", "lie", "stay"})
#: NER labels of a country that acts ("Turkey blocked the chatbot")
_COUNTRY = frozenset({"GPE", "acronym"})
Span = tuple[str, int, int]


def entity_id(name: str) -> str:
    return short_hash("entity", name.casefold())


@dataclass(slots=True)
class _Cluster:
    name: str | None  # canonical name, when fixed by the table or the rule
    type: str | None
    family: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)  # developer evidence

    def canonical(self) -> str:
        if self.name:
            return self.name
        forms = Counter(m.text for m in self.mentions)
        surnames = {f.split()[-1] for f in forms if " " in f} if self.type == "person" else set()
        full = bool(surnames & set(forms))  # "Altman" merged with "Sam Altman": the full name
        return min(forms, key=lambda t: (merging.is_acronym(t), full and " " not in t,
                                         -forms[t], -len(t), t))


class _Keys:
    """``name_key``, ``model_key`` and the table alias of each distinct name, worked out once."""

    __slots__ = ("_keys", "_reads")

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}
        self._reads: dict[str, tuple[str, tuple[str, str] | None, Alias | None]] = {}

    def key(self, name: str) -> str:
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = name_key(name)
        return k

    def read(self, name: str, v: Vocab) -> tuple[str, tuple[str, str] | None, Alias | None]:
        """(key, model key, table alias) of a mention's text."""
        got = self._reads.get(name)
        if got is None:
            k = self.key(name)
            got = self._reads[name] = (k, model_key(name), v.aliases.get(k))
        return got


def _span(m: Mention) -> Span:
    return (m.article, m.start, m.end)


def resolve(claims: list[Claim]) -> list[Entity]:
    """Every canonical entity mentioned in ``claims``, each with all its mentions."""
    v = vocab()
    keys = _Keys()  # a million mentions at 10k articles, a few thousand distinct names
    seen: dict[Span, Mention] = {}
    acting: set[Span] = set()  # mentions that are their claim's acting subject
    for c in claims:
        subject = keys.key(c.frame.subject) if c.frame.predicate not in _STATES else ""
        for m in c.mentions:
            seen.setdefault(_span(m), m)
            if subject and keys.key(m.text) == subject:
                acting.add(_span(m))
    clusters: dict[str, _Cluster] = {}
    where: dict[Span, str] = {}
    names: list[Mention] = []
    govs: list[tuple[Mention, str]] = []  # (mention, the country it names)
    bare: list[Mention] = []
    for span, m in sorted(seen.items()):
        _, parsed, alias = keys.read(m.text, v)
        if parsed is not None:
            cid = "model:" + parsed[1]
            cl = clusters.setdefault(cid, _Cluster(None, "product", parsed[0]))
            if m.label == "ai_model":
                cl.type = "ai_model"
        elif alias is not None:
            cid = alias.entity
            clusters.setdefault(cid, _Cluster(alias.entity, alias.type))
        elif m.label == "gov:bare":
            bare.append(m)
            continue
        elif m.label.startswith("gov:"):
            govs.append((m, m.text.rsplit(None, 1)[0] if " " in m.text else m.text))
            continue
        else:
            names.append(m)
            continue
        clusters[cid].mentions.append(m)
        where[span] = cid
    groups = merging.group(names, v)
    for m in names:
        gid = groups.of.get(_span(m))
        if gid is not None:
            clusters.setdefault("name:" + gid, _Cluster(None, None)).mentions.append(m)
            where[_span(m)] = "name:" + gid
    for cl in clusters.values():
        if cl.type is None:
            cl.type = _vote(cl.mentions, groups.person, v)
    governed = {merging.key(country) for _, country in govs}
    for cl in clusters.values():
        # a country that acts is its government ("the US restricts exports") when the
        # corpus names that government ("US officials"): NER calls many a name GPE
        if cl.type == "place" and any(merging.key(m.text) in governed for m in cl.mentions):
            moved = [m for m in cl.mentions if _span(m) in acting and m.label in _COUNTRY]
            govs.extend((m, m.text) for m in moved)
            cl.mentions = [m for m in cl.mentions if m not in moved]
    clusters = {cid: cl for cid, cl in clusters.items() if cl.mentions}
    _governments(govs, bare, clusters, where)
    _developer_votes(claims, clusters, where)
    return _entities(clusters)


def _governments(govs: list[tuple[Mention, str]], bare: list[Mention],
                 clusters: dict[str, _Cluster], where: dict[Span, str]) -> None:
    """One government per country, named after the country as the articles write it."""
    places = [(cid, cl) for cid, cl in clusters.items() if cl.type == "place"]
    countries: dict[str, Counter[str]] = defaultdict(Counter)
    mine: dict[str, list[Mention]] = defaultdict(list)
    for m, country in govs:
        k = merging.key(country)
        cid = next((c for c, cl in places if any(merging.key(x.text) == k for x in cl.mentions)), None)
        if cid is None and merging.is_acronym(country):
            spelt = {c for c, cl in places if any(acronym_of(country, x.text) for x in cl.mentions)}
            cid = spelt.pop() if len(spelt) == 1 else None
        gid = "gov:" + (cid or k)
        countries[gid][country] += 1
        mine[gid].append(m)
    for gid, ms in mine.items():
        country = min(countries[gid], key=lambda t: (-countries[gid][t], len(t), t))
        clusters[gid] = _Cluster(f"{country} government", "gov", mentions=ms)
        for m in ms:
            where[_span(m)] = gid
    by_article: dict[str, set[str]] = defaultdict(set)
    for gid, ms in mine.items():
        for m in ms:
            by_article[m.article].add(gid)
    for m in bare:
        here = by_article.get(m.article, set())
        if len(here) == 1:
            gid = next(iter(here))
            clusters[gid].mentions.append(m)
            where[_span(m)] = gid


def _vote(mentions: list[Mention], person: set[Span], v: Vocab) -> str:
    """The entity type most of a name's mentions say; a publication cue counts three.

    A news report names a person in full at least once ("Jane Doe ... Doe said"): a name
    never written with two words is a person only on a clear majority, its PERSON labels
    counting half (the small model tags one-word company names PERSON often).
    """
    single = not any(" " in m.text.strip() for m in mentions)
    votes: Counter[str] = Counter()
    for m in mentions:
        if _span(m) in person:
            votes["person"] += 2
        elif m.label == "publication":
            votes["publication"] += 6
        elif m.label != "acronym":
            kind = v.ner_types.get(m.label.split(":")[0], m.label)
            votes[kind] += 1 if single and kind == "person" else 2
    if any(is_outlet(m.text) for m in mentions):
        votes["publication"] += 2 * len(mentions)
    votes = Counter({t: n for t, n in votes.items() if t in ENTITY_TYPES}) or Counter(other=1)
    return min(votes, key=lambda t: (-votes[t], t))


_CHAIN = re.compile(r"\s*(?:,|,?\s*and|,?\s*or|&)\s*")
_OWNER = re.compile(r"['’]s\s+")


def _developer_votes(claims: list[Claim], clusters: dict[str, _Cluster],
                     where: dict[tuple[str, int, int], str]) -> None:
    """Count "ORG's MODEL" and "ORG's M1 and M2" as evidence that ORG develops the model."""
    def cluster(m: Mention) -> _Cluster:
        return clusters[where[(m.article, m.start, m.end)]]

    models = {cid for cid, cl in clusters.items() if cl.type in ("ai_model", "product")}
    for c in claims:
        if not any(where.get(_span(m)) in models for m in c.mentions):
            continue  # most claims name no AI model
        ms = sorted((m for m in c.mentions if _span(m) in where), key=lambda m: m.start)
        for i, m in enumerate(ms):
            if cluster(m).type not in ("ai_model", "product"):
                continue
            j = i
            while j > 0 and cluster(ms[j - 1]).type in ("ai_model", "product") and _CHAIN.fullmatch(
                    c.text[ms[j - 1].end - c.start:ms[j].start - c.start]):
                j -= 1
            if j > 0 and _OWNER.fullmatch(c.text[ms[j - 1].end - c.start:ms[j].start - c.start]):
                owner = cluster(ms[j - 1])
                if owner.type == "org":
                    cluster(m).votes[owner.canonical()] += 1


def _entities(clusters: dict[str, _Cluster]) -> list[Entity]:
    out: dict[str, Entity] = {}
    for cl in clusters.values():
        name, type_ = cl.canonical(), cl.type or "other"
        developer = None
        if type_ in ("ai_model", "product") and cl.votes:
            dev = cl.votes.most_common(1)[0][0]
            developer = entity_id(dev)
        eid = entity_id(name)
        # the constructor, not dataclasses.replace: a million mentions at 10k articles
        ms = tuple(sorted((Mention(m.article, m.start, m.end, m.text, m.label, eid) for m in cl.mentions),
                          key=lambda m: (m.article, m.start)))
        aliases = tuple(sorted({m.text for m in ms}))
        if eid in out:  # two clusters with one canonical name (a model and a name): one entity
            old = out[eid]
            ms = tuple(sorted(old.mentions + ms, key=lambda m: (m.article, m.start)))
            aliases = tuple(sorted(set(old.aliases) | set(aliases)))
            type_, developer = old.type, old.developer or developer
        out[eid] = Entity(eid, name, type_, aliases, developer, ms)
    return sorted(out.values(), key=lambda e: (e.name.casefold(), e.id))


def lookup(entities: list[Entity], name: str) -> Entity | None:
    """The entity a user-given name or alias refers to (exact, table, model, acronym, then
    fuzzy)."""
    v, k = vocab(), name_key(name)
    by_key: dict[str, Entity] = {}
    for e in entities:
        for form in (e.name, *e.aliases):
            by_key.setdefault(name_key(form), e)
    if k in by_key:
        return by_key[k]
    alias = v.aliases.get(k)
    if alias is not None and name_key(alias.entity) in by_key:
        return by_key[name_key(alias.entity)]
    parsed = model_key(name, any_case=True)
    if parsed is not None:
        for e in entities:
            if any((model_key(f) or ("", ""))[1] == parsed[1]
                   for f in (e.name, *e.aliases)):
                return e
    short = re.sub(r"^(?:the|an?)\s+", "", name.strip(), flags=re.IGNORECASE)
    spelt = [e for e in entities if any(acronym_of(short, f) for f in (e.name, *e.aliases))]
    if len(spelt) == 1:
        return spelt[0]
    best = max(((similar(k, f, v), f) for f in by_key), default=(0.0, ""))
    return by_key[best[1]] if best[0] else None


def mentions_by_claim(claims: list[Claim], entities: list[Entity]) -> dict[str, list[str]]:
    """Claim id -> ids of the entities it mentions, in order of first mention."""
    by_span = {(m.article, m.start, m.end): e.id for e in entities for m in e.mentions}
    out: dict[str, list[str]] = {}
    for c in claims:
        ids = (by_span.get((m.article, m.start, m.end)) for m in sorted(c.mentions, key=lambda m: m.start))
        out[c.id] = list(dict.fromkeys(i for i in ids if i))
    return out


def link(claims: list[Claim], entities: list[Entity]) -> list[Claim]:
    """``claims`` with every resolved mention's ``entity`` set."""
    by_span = {(m.article, m.start, m.end): e.id for e in entities for m in e.mentions}
    return [replace(c, mentions=tuple(
        replace(m, entity=by_span.get((m.article, m.start, m.end), m.entity)) for m in c.mentions
    )) for c in claims]
