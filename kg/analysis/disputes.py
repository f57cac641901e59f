"""Disputes: the pairwise conflicts over one question, gathered into sides.

Over a corpus every pair of disagreeing articles gets its own conflict (kg.analysis.conflicts),
so three articles saying a ban is considered against two saying it is enacted make six
rows. A fact-checker sees one question with two sides; ``gather`` makes that record.

Two conflicts belong to one dispute when they are of the same kind and one claim holds
the same position in both (the enacted claim of 004 against 000 and against 001), or
claims of both, holding the same position, express the same proposition
(kg.analysis.propositions). Conflicts of different kinds never merge, so a claim in a
status and a stance conflict is in two disputes. The position is what the conflict rule
said of the claim (``Conflict.position_a``/``position_b``: "considered", "negated",
"Anthropic opposes", "€15 million, enacted"); a conflict made without one falls back on
the claim's event status or polarity.

A side is the claims of one position, with their articles, the sources they are
attributed to and the number of independent origins behind them (kg.analysis.origins).
A group whose positions do not split it cleanly (a claim holding two positions, or two
positions fewer than two) stays one dispute per conflict: a dispute never puts two
disagreeing claims on one side. The explanation quotes one claim of each side: the claim
in most of the dispute's conflicts, the earliest on a tie.

Ids: ``short_hash("dispute", kind, *sorted(conflict ids))``. Linear in conflicts.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping

from kg.analysis.explain import quote
from kg.data import vocabulary
from kg.model import Claim, Conflict, Dispute, DisputeSide, Proposition, short_hash

#: positions in the order a reader expects them; others keep the order conflicts give
_ORDER = {"considered": 0, "enacted": 1, "lifted": 2, "affirmed": 0, "negated": 1}
_STATUS = re.compile(r"\s*\((?:considered|enacted|lifted)\)$")

Origins = Callable[[Iterable[str]], tuple[str, ...]]


def position(k: Conflict, side: str, claims: Mapping[str, Claim]) -> str:
    """What claim ``side`` ("a" or "b") of ``k`` says: the rule's note, else read off the claim."""
    given = k.position_a if side == "a" else k.position_b
    if given:
        return given
    c = claims.get(k.claim_a if side == "a" else k.claim_b)
    if c is not None and k.kind == "status" and c.event_status:
        return c.event_status
    if c is not None and k.kind == "polarity":
        return "negated" if "negated" in (c.polarity, c.certainty) else "affirmed"
    return f"side {side}"


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def gather(conflicts: list[Conflict], claims: Mapping[str, Claim],
           propositions: Iterable[Proposition] = (), origins: Origins | None = None,
           labels: Mapping[str, str] | None = None) -> list[Dispute]:
    """The disputes ``conflicts`` make; ``claims`` by id (at least those the conflicts name),
    ``origins``: claim ids -> their distinct origins, ``labels``: article id -> short name."""
    ks = sorted(conflicts, key=lambda k: (k.kind, k.rule, k.id))
    props = list(propositions)
    of_claim: dict[str, list[Proposition]] = defaultdict(list)
    for p in props:
        for c in p.claims:
            of_claim[c].append(p)
    ends = [_ends(k, claims) for k in ks]
    joined = _Union(len(ks))
    seen: dict[tuple[str, ...], int] = {}
    for i, (k, pair) in enumerate(zip(ks, ends, strict=True)):
        for claim, pos in pair:
            keys = [(k.kind, pos, "claim", claim)] + [(k.kind, pos, "proposition", p.id) for p in of_claim[claim]]
            for key in keys:
                if key in seen:
                    joined.join(seen[key], i)
                else:
                    seen[key] = i
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ks)):
        groups[joined.find(i)].append(i)
    out: list[Dispute] = []
    for members in groups.values():
        parts = [members] if _clean([ends[i] for i in members]) else [[i] for i in members]
        out.extend(_dispute([ks[i] for i in part], [ends[i] for i in part], claims, of_claim,
                            origins, labels or {}) for part in parts)
    return sorted(out, key=lambda d: (d.kind, d.label, d.id))


def _ends(k: Conflict, claims: Mapping[str, Claim]) -> tuple[tuple[str, str], tuple[str, str]]:
    """(claim, position) of each side of ``k``; two equal positions (a rule that noted the
    same words for both) are told apart, so that no dispute has a single side."""
    pa, pb = position(k, "a", claims), position(k, "b", claims)
    if pa == pb:
        pa, pb = f"{pa} (a)", f"{pb} (b)"
    return (k.claim_a, pa), (k.claim_b, pb)


def _clean(ends: list[tuple[tuple[str, str], tuple[str, str]]]) -> bool:
    """Each claim holds one position, there are two or more, no conflict within one."""
    held: dict[str, str] = {}
    for (ca, pa), (cb, pb) in ends:
        if pa == pb or held.setdefault(ca, pa) != pa or held.setdefault(cb, pb) != pb:
            return False
    return len(set(held.values())) >= 2


def _dispute(ks: list[Conflict], ends: list[tuple[tuple[str, str], tuple[str, str]]],
             claims: Mapping[str, Claim], of_claim: Mapping[str, list[Proposition]],
             origins: Origins | None, labels: Mapping[str, str]) -> Dispute:
    members: dict[str, dict[str, None]] = defaultdict(dict)  # position -> claim ids, in first-seen order
    weight: Counter[str] = Counter()  # how often a position is side b: orders the sides
    uses: Counter[str] = Counter()  # in how many conflicts a claim stands
    for (ca, pa), (cb, pb) in ends:
        for claim, pos, b in ((ca, pa, 0), (cb, pb, 1)):
            members[pos][claim] = None
            weight[pos] += b
            uses[claim] += 1
    held = Counter(pos for e in ends for _, pos in e)
    order = sorted(members, key=lambda p: (_ORDER.get(p, len(_ORDER)), weight[p] / held[p], p))
    sides = tuple(_side(pos, list(members[pos]), claims, origins, labels) for pos in order)
    kind = ks[0].kind
    label = _label(ks, [c for s in sides for c in s.claims], claims, of_claim)
    ids = tuple(sorted(k.id for k in ks))
    return Dispute(id=short_hash("dispute", kind, *ids), kind=kind,
                   rules=tuple(sorted({k.rule for k in ks})), label=label, sides=sides, conflicts=ids,
                   explanation=_explain(kind, label, sides, ks, claims, uses, labels))


def _side(pos: str, ids: list[str], claims: Mapping[str, Claim], origins: Origins | None,
          labels: Mapping[str, str]) -> DisputeSide:
    known = [claims[c] for c in ids if c in claims]
    known.sort(key=lambda c: (labels.get(c.article, c.article), c.article, c.start))
    ordered = tuple(c.id for c in known) + tuple(c for c in ids if c not in claims)
    articles = tuple(dict.fromkeys(c.article for c in known))
    sources = tuple(sorted({c.attribution.source for c in known if c.attribution is not None}))
    count = len(origins(ordered)) if origins is not None else len(articles)
    return DisputeSide(position=pos, claims=ordered, articles=articles, sources=sources, origins=count)


def _label(ks: list[Conflict], ids: list[str], claims: Mapping[str, Claim],
           of_claim: Mapping[str, list[Proposition]]) -> str:
    """What the dispute is about: a topic the rule named, else the proposition most of its
    claims express (without actor and status), else what a value dispute's positions share
    after the figure ("% for FrontierMath"), else the event type, else the first claim's
    subject and predicate."""
    topics = Counter(k.topic for k in ks if k.topic)
    if topics:
        return topics.most_common(1)[0][0]
    about = Counter(_STATUS.sub("", p.label).split(": ", 1)[-1] for c in ids for p in of_claim.get(c, ()))
    if about:
        return sorted(about.items(), key=lambda x: (-x[1], x[0]))[0][0]
    shared = _shared_tail([p for k in ks for p in (k.position_a, k.position_b) if p]) if ks[0].kind == "value" else ""
    if shared:
        return shared
    events = Counter(c.frame.event_type.replace("-", " ") for i in ids if (c := claims.get(i)) and c.frame.event_type)
    if events:
        return sorted(events.items(), key=lambda x: (-x[1], x[0]))[0][0]
    first = next((claims[i] for i in ids if i in claims), None)
    return " ".join(x for x in (first.frame.subject, first.frame.predicate) if x) if first else ""


def _quoted(ks: list[Conflict], claim: str, pos: str) -> str | None:
    """The quote of ``claim`` a conflict's explanation already gives (cut around the rule's
    cue: kg.analysis.conflicts writes ``LABEL says "QUOTE" (POSITION)``), if any."""
    for k in ks:
        end = k.explanation.find(f'" ({pos})') if claim in (k.claim_a, k.claim_b) else -1
        start = k.explanation.rfind(' says "', 0, end) if end > 0 else -1
        if start >= 0:
            return k.explanation[start + len(" says "):end + 1]
    return None


def _shared_tail(positions: list[str]) -> str:
    """The words every position ends with, after its first (the figure)."""
    tails = [p.split()[1:] for p in positions]
    if not tails:
        return ""
    n = min(len(t) for t in tails)
    while n and any(t[len(t) - n:] != tails[0][len(tails[0]) - n:] for t in tails):
        n -= 1
    return " ".join(tails[0][len(tails[0]) - n:]) if n else ""


def _explain(kind: str, label: str, sides: tuple[DisputeSide, ...], ks: list[Conflict],
             claims: Mapping[str, Claim], uses: Counter[str], labels: Mapping[str, str]) -> str:
    limit = vocabulary().analysis.conflicts.quote_chars

    def say(s: DisputeSide) -> str:
        where = ", ".join(labels.get(a, a) for a in s.articles)
        best = max(s.claims, key=lambda c: uses[c])  # the first of the most used
        c = claims.get(best)
        if c is None:
            return f"{s.position} in {where}"
        cue = c.event_cue
        q = _quoted(ks, best, s.position) or (
            quote(c.text, cue.start - c.start, cue.end - c.start, limit) if cue else quote(c.text, limit=limit))
        return f"{s.position} in {where} ({labels.get(c.article, c.article)} says {q})"

    about = f" on {label}" if label else ""
    return f"{kind.capitalize()} dispute{about}: " + " against ".join(say(s) for s in sides) + "."
