"""Cross-article entity resolution: cluster every mention into canonical entities.

The vocabulary (canonical names, aliases, types, government roles, AI-model families
and developers, the fuzzy threshold) lives in ``kg/data/entities.toml``. A mention is
resolved, in order, by

1. AI-model parse: "Claude 4.8 Opus" / "Claude Opus 4.8" -> one model key (family,
   version, sorted tiers, size); its developer is the organisation named in a
   possessive "X's MODEL" (or "X's M1 and M2") in some claim, else the family's
   developer from the table;
2. exact alias table, on the name key (``kg.data.names.name_key``: case-folded,
   possessive and leading "the" dropped, white space collapsed);
3. fuzzy match (``rapidfuzz.fuzz.ratio`` >= ``[fuzzy].threshold``) against table
   aliases, for typos ("Anthopic" -> Anthropic); guarded: both names at least
   ``[fuzzy].min_length`` long, no digits, same first letter, neither a prefix of
   the other ("America"/"American" are different words, not a typo);
4. otherwise names are clustered among themselves with the same fuzzy rule (most
   frequent name first, no chaining), typed by the majority of their NER labels.

Entity ids are ``short_hash("entity", name.casefold())``, stable across runs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from kg.data.names import Alias, Vocab, fuzzy_alias, model_key, name_key, similar, vocab
from kg.model import ENTITY_TYPES, Claim, Entity, Mention, short_hash

#: predicates that say what a subject is or has, not what it does: "The US is a market"
#: keeps the country a place (see ``government`` in entities.toml)
_STATES = frozenset({"be", "have", "remain", "become", "seem", "appear", "look", "lie", "stay"})


def entity_id(name: str) -> str:
    return short_hash("entity", name.casefold())


@dataclass(slots=True)
class _Cluster:
    name: str | None  # canonical name, when fixed by the table
    type: str | None
    family: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)  # developer evidence

    def canonical(self) -> str:
        if self.name:
            return self.name
        forms = Counter(m.text for m in self.mentions)
        return min(forms, key=lambda t: (-forms[t], -len(t), t))


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
        """(key, model key, exact or fuzzy table alias) of a mention's text."""
        got = self._reads.get(name)
        if got is None:
            k = self.key(name)
            got = self._reads[name] = (k, model_key(name), v.aliases.get(k) or fuzzy_alias(k, v))
        return got


def resolve(claims: list[Claim]) -> list[Entity]:
    """Every canonical entity mentioned in ``claims``, each with all its mentions."""
    v = vocab()
    keys = _Keys()  # a million mentions at 10k articles, a few thousand distinct names
    seen: dict[tuple[str, int, int], Mention] = {}
    acting: set[tuple[str, int, int]] = set()  # mentions that are their claim's acting subject
    for c in claims:
        subject = keys.key(c.frame.subject) if c.frame.predicate not in _STATES else ""
        for m in c.mentions:
            seen.setdefault((m.article, m.start, m.end), m)
            if subject and keys.key(m.text) == subject:
                acting.add((m.article, m.start, m.end))
    clusters: dict[str, _Cluster] = {}
    leftover: dict[str, list[Mention]] = defaultdict(list)
    where: dict[tuple[str, int, int], str] = {}
    for span, m in sorted(seen.items()):
        k, parsed, alias = keys.read(m.text, v)
        if parsed is not None:
            cid = "model:" + parsed[1]
            if cid not in clusters:
                clusters[cid] = _Cluster(None, "ai_model", parsed[0])
        elif alias is not None:
            if span in acting and alias.entity in v.governments:  # "The US already restricts..."
                gov = v.governments[alias.entity]
                alias = Alias(alias.text, gov, v.types[gov], "country")
            family = alias.entity if alias.entity in v.bare else None  # "Claude" alone
            cid = alias.entity
            if cid not in clusters:
                clusters[cid] = _Cluster(alias.entity, alias.type, family)
        else:
            leftover[k].append(m)
            continue
        clusters[cid].mentions.append(m)
        where[span] = cid
    reps: list[str] = []
    for k in sorted(leftover, key=lambda k: (-len(leftover[k]), k)):
        rep = max(reps, key=lambda r: similar(k, r, v), default=None)
        if rep is None or not similar(k, rep, v):
            reps.append(rep := k)
        cluster = clusters.setdefault("name:" + rep, _Cluster(None, None))
        cluster.mentions.extend(leftover[k])
        for m in leftover[k]:
            where[(m.article, m.start, m.end)] = "name:" + rep
    _developer_votes(claims, clusters, where)
    return _entities(clusters, v)


_CHAIN = re.compile(r"\s*(?:,|,?\s*and|,?\s*or|&)\s*")
_OWNER = re.compile(r"['’]s\s+")


def _developer_votes(claims: list[Claim], clusters: dict[str, _Cluster],
                     where: dict[tuple[str, int, int], str]) -> None:
    """Count "ORG's MODEL" and "ORG's M1 and M2" as evidence that ORG develops the model."""
    def cluster(m: Mention) -> _Cluster:
        return clusters[where[(m.article, m.start, m.end)]]

    models = {cid for cid, cl in clusters.items() if cl.type == "ai_model"}
    for c in claims:
        if not any(where[(m.article, m.start, m.end)] in models for m in c.mentions):
            continue  # most claims name no AI model
        ms = sorted(c.mentions, key=lambda m: m.start)
        for i, m in enumerate(ms):
            if cluster(m).type != "ai_model":
                continue
            j = i
            while j > 0 and cluster(ms[j - 1]).type == "ai_model" and _CHAIN.fullmatch(
                    c.text[ms[j - 1].end - c.start:ms[j].start - c.start]):
                j -= 1
            if j > 0 and _OWNER.fullmatch(c.text[ms[j - 1].end - c.start:ms[j].start - c.start]):
                owner = cluster(ms[j - 1])
                if owner.type == "org":
                    cluster(m).votes[owner.canonical()] += 1


def _entities(clusters: dict[str, _Cluster], v: Vocab) -> list[Entity]:
    out: dict[str, Entity] = {}
    for cl in clusters.values():
        name = cl.canonical()
        type_ = cl.type or _majority_type(cl.mentions, v)
        developer = None
        if type_ == "ai_model":
            dev = (cl.votes.most_common(1)[0][0] if cl.votes
                   else v.developers.get(cl.family or ""))
            developer = entity_id(dev) if dev else None
            if dev and entity_id(dev) not in out:  # a mentioned developer overwrites this
                out[entity_id(dev)] = Entity(entity_id(dev), dev, v.types.get(dev, "org"))
        eid = entity_id(name)
        # the constructor, not dataclasses.replace: a million mentions at 10k articles
        ms = tuple(sorted((Mention(m.article, m.start, m.end, m.text, m.label, eid) for m in cl.mentions),
                          key=lambda m: (m.article, m.start)))
        aliases = tuple(sorted({m.text for m in ms}))
        out[eid] = Entity(eid, name, type_, aliases, developer, ms)
    return sorted(out.values(), key=lambda e: (e.name.casefold(), e.id))


def _majority_type(mentions: list[Mention], v: Vocab) -> str:
    votes = Counter(v.ner_types.get(m.label.split(":")[0], m.label) for m in mentions)
    votes = Counter({t: n for t, n in votes.items() if t in ENTITY_TYPES}) or Counter(other=1)
    return min(votes, key=lambda t: (-votes[t], t))


def lookup(entities: list[Entity], name: str) -> Entity | None:
    """The entity a user-given name or alias refers to (exact, table, model, then fuzzy)."""
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
