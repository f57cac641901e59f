"""Conflicts between claims of different articles, kept as data with both claims intact.

Rules (``Conflict.rule``), on claims of two different articles:

* ``status.considered-vs-enacted`` / ``status.enacted-vs-lifted`` /
  ``status.enacted-vs-paused`` / ``status.enacted-vs-denied``: event claims with
  matching keys (same event type; actor and target equal, or unknown on one side; see
  kg.analysis.propositions) and statuses that cannot both hold;
* ``polarity.affirmed-vs-negated``: event claims with matching keys and the same status,
  one denied; ``polarity.same-frame``: non-event claims with the same subject entity and
  predicate lemma, one negated, sentences at least ``frame_similarity`` alike;
* ``value.number``: two figures in the same unit for the same entity that differ (more
  than ``[conflicts.value].tolerance``), in sentences at least ``min_similarity`` alike;
  ``value.event-date``: matching event claims (same status) dated to different years;
  ``value.event-amount``: matching event claims giving different sums of money in the
  same currency and unit ("a penalty of about €15 million" vs "fined OpenAI €20 million"),
  whatever their status; not where ``value.number`` already pairs the two claims;
* ``stance.support-vs-oppose``: the same actor (subject entity or named speaker) said to
  support a topic in one article and to oppose it in another (cue and topic words in
  ``[stance]``).

Speculative claims ("if a ban were imposed") take part in no status or polarity rule.
One conflict is kept per article pair and group (event type, measure, actor and topic):
the most specific, most similar pair. Explanations are one sentence quoting both claims
around their cues. Ids: ``short_hash("conflict", *sorted(claim ids), kind)``, plus the group
when one claim pair conflicts twice in one kind (two measures of a value conflict).

Scaling (docs/analysis-scaling.md): claims are only compared inside a **block** (event
type; subject entity and predicate; entity and unit; actor and topic), never across the
whole corpus. Inside a block, claims fall into **sides** that can clash (a status; a
polarity; a figure; support or oppose). While the block is small (its largest side and
all its other sides together each span at most ``[conflicts].max_pairwise_articles``
articles), every clashing pair is compared, as above. Beyond that the block is a
**star**: each side offers hubs (its best claim per actor and target: most specific,
the event cue as predicate, earliest), and each article links only its best claim to
the best-ranked of the first ``max_pairwise_articles`` hubs of the other sides that
clash with it. So a block of n articles gives at most n conflicts, every article with a
clashing, matching claim takes part in at least one, and the work is linear in claims.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import replace
from functools import cache

from kg.analysis.blocking import Candidate, Side, block, order
from kg.analysis.explain import quote
from kg.analysis.similarity import Scorer
from kg.analysis.slots import ANY, Reader, Slots, about_event
from kg.analysis.values import amounts, cue_of, values
from kg.data import vocabulary
from kg.model import Claim, Conflict, Entity, Source, Span, short_hash

_STATUS_RULES = {
    frozenset({"considered", "enacted"}): "status.considered-vs-enacted",
    frozenset({"enacted", "lifted"}): "status.enacted-vs-lifted",
    frozenset({"enacted", "paused"}): "status.enacted-vs-paused",
    frozenset({"enacted", "denied"}): "status.enacted-vs-denied",
}
_STATUS_ORDER = {"considered": 0, "enacted": 1, "paused": 2, "lifted": 3, "denied": 4}
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _phrases(words: Iterable[str]) -> re.Pattern[str]:
    alts = sorted((r"\s+".join(re.escape(w) for w in p.split()) for p in words), key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alts) or '(?!)'})(?![\w-])", re.IGNORECASE)


@cache
def _stance() -> tuple[re.Pattern[str], re.Pattern[str], tuple[tuple[str, str, re.Pattern[str]], ...]]:
    cfg = vocabulary().analysis.stance
    topics = tuple((t.name, t.label or t.name, _phrases(t.words)) for t in cfg.topics)
    return _phrases(cfg.support), _phrases(cfg.oppose), topics


def _negated(c: Claim) -> bool:
    return c.polarity == "negated" or c.certainty == "negated"


#: the rule families, in the order their candidates are weighed. ``frame`` (non-event
#: claims) and the others (event claims, figures, stances) never produce the same claim
#: pair or group, so ``find`` over a split of the families, merged and sorted, is
#: ``find`` over all of them (the analysis runs them in two processes: kg.analysis.run)
FAMILIES = ("events", "frame", "values", "stances")


def find(claims: list[Claim], entities: list[Entity], score: Scorer | None = None,
         labels: dict[str, str] | None = None,
         sources: dict[str, Source] | None = None, reader: Reader | None = None,
         families: Iterable[str] = FAMILIES) -> list[Conflict]:
    """Every conflict among ``claims`` that the rule ``families`` find.

    ``labels``: article id -> short name for explanations; ``sources``: Source.id ->
    Source, to read a stance off a named speaker; ``reader``: one over ``entities`` to share.
    """
    reader = reader or Reader(entities)
    sim = score or (lambda a, b: 0.0)
    wanted = set(families)
    slots = ({c.id: s for c in claims if (s := reader.slots(c)) is not None}
             if wanted & {"events", "frame"} else {})
    parts = {
        "events": lambda: _events(claims, slots, sim, reader),
        "frame": lambda: _frame_polarity(claims, slots, reader, sim),
        "values": lambda: values(claims, reader, sim),
        "stances": lambda: _stances(claims, reader, sources or {}),
    }
    best: dict[tuple[str, ...], Candidate] = {}
    for cand in _chain(*(parts[f]() for f in FAMILIES if f in wanted)):
        g = (cand.kind, *sorted((cand.a.claim.article, cand.b.claim.article)), *cand.group)
        if g not in best or cand.rank > best[g].rank:
            best[g] = cand
    numbered = {tuple(_pair(c)) for c in best.values() if c.rule == "value.number"}
    best = {g: c for g, c in best.items() if c.rule != "value.event-amount" or tuple(_pair(c)) not in numbered}
    out: list[Conflict] = []
    taken: set[str] = set()
    for c in sorted(best.values(), key=lambda c: (c.kind, *_pair(c), *map(str, c.group))):
        k = _conflict(c, labels or {})
        if k.id in taken:  # one claim pair in conflict twice (two measures): the group tells them apart
            k = replace(k, id=short_hash("conflict", *_pair(c), c.kind, *map(str, c.group)))
        taken.add(k.id)
        out.append(k)
    return sorted(out, key=lambda k: (k.kind, k.rule, k.id))


def _pair(c: Candidate) -> list[str]:
    return sorted((c.a.claim.id, c.b.claim.id))


def _chain(*parts: Iterable[Candidate]) -> Iterator[Candidate]:
    for part in parts:
        yield from part


def _events(claims: list[Claim], slots: dict[str, Slots], sim: Scorer, reader: Reader) -> Iterator[Candidate]:
    """Status, polarity, date and amount conflicts between event claims, one event type at a time."""
    by_event: dict[str, list[Claim]] = defaultdict(list)
    for c in sorted(claims, key=order):
        if c.id in slots and c.certainty != "speculative":
            by_event[slots[c.id].event].append(c)

    def pair(kind: str) -> Callable[[Claim, Claim], Candidate | None]:
        def run(a: Claim, b: Claim) -> Candidate | None:
            sa, sb = slots[a.id], slots[b.id]
            if a.article == b.article or not sa.matches(sb):
                return None
            return next((c for c in _event_pair(a, b, sa, sb, sim(a.text, b.text), kind)), None)
        return run

    def quality(c: Claim) -> tuple[float, ...]:
        return (-float(slots[c.id].unknown()), float(about_event(c)), float(_verbal(c)))

    def hub(c: Claim) -> Hashable:
        s = slots[c.id]
        return (s.status, s.negated, s.actor, s.target)

    def years(c: Claim) -> frozenset[str]:
        return frozenset(_YEAR.findall(c.text))

    def art(c: Claim) -> str:
        return c.article

    for event in sorted(by_event):
        members = by_event[event]
        yield from block(members, art, lambda c: (slots[c.id].status, slots[c.id].negated),
                          lambda x, y: frozenset({x[0], y[0]}) in _STATUS_RULES and x[1] == y[1],
                          pair("status"), hub, quality)
        yield from block(members, art, lambda c: (slots[c.id].status, slots[c.id].negated),
                          lambda x, y: x[0] == y[0] and x[1] != y[1], pair("polarity"), hub, quality)
        dated = [c for c in members if _YEAR.search(c.text)]
        yield from block(dated, art, lambda c: (slots[c.id].status, slots[c.id].negated, years(c)),
                          lambda x, y: x[:2] == y[:2] and not x[2] & y[2], pair("value"), None, quality)
        yield from amounts(members, slots, reader, quality)


_INFLECTED = re.compile(r"(?:s|ed|ing)$")
_NOMINAL = re.compile(r"(?:tion|sion|ment|ance|ence|ity|al)s?$")


def _verbal(c: Claim) -> bool:
    """The status cue is a verb ("now contemplates imposing bans", "has imposed"), not a
    noun ("the discussion on export bans", "considerations"): such a claim says the event
    is considered or enacted; a noun only names it, so it is the weaker quote for a conflict."""
    cue = (c.event_cue.text if c.event_cue else "").casefold()
    return about_event(c) or (bool(_INFLECTED.search(cue)) and not _NOMINAL.search(cue))


def _event_pair(a: Claim, b: Claim, sa: Slots, sb: Slots, similarity: float, kind: str = "") -> list[Candidate]:
    shared = sum(x == y != ANY for x, y in ((sa.actor, sb.actor), (sa.target, sb.target)))
    rank = (float(shared), float(about_event(a) + about_event(b)), float(_verbal(a) + _verbal(b)),
            -float(sa.unknown() + sb.unknown()), similarity)
    out = []
    rule = _STATUS_RULES.get(frozenset({sa.status, sb.status}))
    if rule and sa.negated == sb.negated and kind in ("", "status"):
        x, y = sorted(((a, sa), (b, sb)), key=lambda p: _STATUS_ORDER.get(p[1].status, 9))
        out.append(Candidate("status", rule, Side(x[0], x[1].status, x[0].event_cue),
                              Side(y[0], y[1].status, y[0].event_cue), (sa.event,), rank))
    if sa.status == sb.status and sa.negated != sb.negated and kind in ("", "polarity"):
        x, y = sorted(((a, sa), (b, sb)), key=lambda p: p[1].negated)
        out.append(Candidate("polarity", "polarity.affirmed-vs-negated",
                              Side(x[0], "affirmed", x[0].event_cue), Side(y[0], "negated", y[0].event_cue),
                              (sa.event, sa.status), rank))
    if sa.status == sb.status and sa.negated == sb.negated and kind in ("", "value"):
        ya, yb = set(_YEAR.findall(a.text)), set(_YEAR.findall(b.text))
        if ya and yb and not ya & yb:
            out.append(Candidate("value", "value.event-date", Side(a, f"dated {', '.join(sorted(ya))}"),
                                  Side(b, f"dated {', '.join(sorted(yb))}"), (sa.event, "date"), rank))
    return out


def _frame_polarity(claims: list[Claim], slots: dict[str, Slots], reader: Reader,
                    sim: Scorer) -> Iterator[Candidate]:
    floor = vocabulary().analysis.conflicts.frame_similarity
    keyed: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in sorted(claims, key=order):
        subject = reader.subject_entity(c)
        if c.id not in slots and subject is not None and c.frame.predicate and c.certainty != "speculative":
            keyed[(subject.id, c.frame.predicate)].append(c)

    def frame(ea: str, pa: str) -> Callable[[Claim, Claim], Candidate | None]:
        def pair(a: Claim, b: Claim) -> Candidate | None:
            s = sim(a.text, b.text)
            if s < floor:
                return None
            x, y = sorted((a, b), key=_negated)
            return Candidate("polarity", "polarity.same-frame", Side(x, "affirmed"), Side(y, "negated"),
                              (ea, pa), (s,))
        return pair

    for ea, pa in sorted(keyed):
        yield from block(keyed[(ea, pa)], lambda c: c.article, _negated, lambda x, y: x != y, frame(ea, pa))


def stance_of(claim: Claim, reader: Reader,
              sources: dict[str, Source] | None = None) -> list[tuple[str, str, str, str, Span]]:
    """(actor entity id, actor name, "support"/"oppose", topic name, cue) read off ``claim``."""
    support, oppose, topics = _stance()
    actor = reader.subject_entity(claim)
    if actor is None and claim.attribution is not None:
        src = (sources or {}).get(claim.attribution.source)
        aid = reader.lookup(src.name if src else claim.attribution.source)
        actor = reader.entities.get(aid) if aid else None
    if actor is None:
        return []
    cue = oppose.search(claim.text)
    side = "oppose"
    if cue is None and not _negated(claim):
        cue, side = support.search(claim.text), "support"
    if cue is None:
        return []
    names = [name for name, _, words in topics if words.search(claim.text)]
    if not names:
        return []
    span = cue_of(claim, cue)  # one cue for every topic the claim names
    return [(actor.id, actor.name, side, name, span) for name in names]


def _stances(claims: list[Claim], reader: Reader, sources: dict[str, Source]) -> Iterator[Candidate]:
    labels = {name: label for name, label, _ in _stance()[2]}
    blocks: dict[tuple[str, str], list[tuple[Claim, tuple[str, str, str, str, Span]]]] = defaultdict(list)
    for c in sorted(claims, key=order):
        for st in stance_of(c, reader, sources):
            blocks[(st[0], st[3])].append((c, st))

    def pair(p: tuple[Claim, tuple[str, str, str, str, Span]],
             q: tuple[Claim, tuple[str, str, str, str, Span]]) -> Candidate | None:
        (a, (ea, name, sa, ta, ca)), (b, (_, _, sb, _, cb)) = p, q
        if a.article == b.article or sa == sb:
            return None
        (x, cx), (y, cy) = sorted(((a, ca), (b, cb)), key=lambda r: r[0] is not (a if sa == "support" else b))
        return Candidate("stance", "stance.support-vs-oppose", Side(x, f"{name} supports", cx),
                          Side(y, f"{name} opposes", cy), (ea, ta),
                          (-float(x.start), -float(y.start)), labels.get(ta, ta))

    for key in sorted(blocks):
        yield from block(blocks[key], lambda p: p[0].article, lambda p: p[1][2], lambda x, y: x != y, pair)


def _conflict(c: Candidate, labels: dict[str, str]) -> Conflict:
    limit = vocabulary().analysis.conflicts.quote_chars

    def say(side: Side) -> str:
        cl, cue = side.claim, side.cue
        q = quote(cl.text, cue.start - cl.start, cue.end - cl.start, limit) if cue else quote(cl.text, limit=limit)
        return f"{labels.get(cl.article, cl.article)} says {q} ({side.note})"

    about = f" on {c.topic}" if c.topic else ""
    text = f"{c.kind.capitalize()} conflict{about}: {say(c.a)} while {say(c.b)}."
    ids = sorted((c.a.claim.id, c.b.claim.id))
    return Conflict(short_hash("conflict", *ids, c.kind), c.a.claim.id, c.b.claim.id, c.kind, c.rule, text,
                    position_a=c.a.note, position_b=c.b.note, topic=c.topic)
