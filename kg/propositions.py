"""Propositions: claims that assert the same event, grouped across articles.

A claim takes part when extraction gave it an event type and an event status. Its
**key** is read off the parse, never off wording:

    event type | actor entity | target entity | status [| not]

* actor: an entity of ``[propositions].actor_types`` (a government) or
  ``subject_actor_types`` (a country) in the frame's subject, else the nearest actor
  before the event cue (one after it sits in another clause: "the blacklisting
  occurred after the company refused the US military" has no actor);
* target: ``Frame.target`` when extraction resolved it, else an entity of
  ``target_types`` in the frame's object, else the first one after the event cue
  that a targeting preposition introduces ("the blocking of Anthropic's models",
  ``target_linkers``, within ``target_window`` characters; "consider restrictions
  after Anthropic highlights risks" has no target). An AI model counts as its developer;
* an unknown slot is ``*``; ``| not`` marks a negated claim.

Claims with the same key form a group (single link: a claim joins when its sentence
similarity to a member reaches ``min_similarity``; with no scorer, all join). A claim
with a ``*`` slot then joins the one compatible, more specific group it is most similar
to (``attach_similarity``, ``attach_margin``). Similarity only filters candidates the
key already matched: two claims are never merged on similarity alone, and different
event types ("chip-export-control" / "model-export-ban" / "blacklist") or statuses
never share a proposition.

Scaling: every similarity comparison is against at most ``compare_sample`` members of
a group (all of them while the group is that small, else that many spread evenly over
it, first and last included), so the work is linear in claims; the reason's similarity
range covers all pairs of a small group, and each member against the first claim in a
larger one (docs/analysis-scaling.md).

Single-article event claims get a proposition too (one claim, or several from one
article), so that origin flags can attach to every check-worthy event. Non-event
claims get none. Ids: ``short_hash("proposition", key)`` (a later cluster of the same
key adds its first claim id).
"""

from __future__ import annotations

import re
from bisect import insort
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg import data
from kg.model import Claim, Entity, Mention, Proposition, short_hash
from kg.similarity import Scorer, best_of

ANY = "*"


def config(section: str) -> dict[str, Any]:
    """A table of ``kg/data/analysis.toml``."""
    value = data.load("analysis").get(section, {})
    return value if isinstance(value, dict) else {}


def article_label(article_id: str, source: str) -> str:
    """A short name for an article: its file stem without a trailing hash ("000_94e0bd11…" -> "000")."""
    stem = Path(source).stem if source else article_id
    short = re.sub(r"[_.-](?:[0-9a-f]{8,})$", "", stem)
    return short or stem or article_id


def quote(text: str, start: int = 0, end: int = 0, limit: int = 120) -> str:
    """``text`` in quotes, cut to about ``limit`` characters around ``[start, end)``."""
    text = " ".join(text.split()) if len(text) <= limit else text
    if len(text) <= limit:
        return f'"{text}"'
    mid = (start + end) // 2 if end > start else 0
    lo = max(0, min(mid - limit // 2, len(text) - limit))
    hi = lo + limit
    if lo > 0:
        lo = text.find(" ", lo) + 1 or lo
    if hi < len(text):
        cut = text.rfind(" ", lo, hi)
        hi = cut if cut > lo else hi
    body = " ".join(text[lo:hi].split()).rstrip(",;:")
    return f'"{"…" if lo > 0 else ""}{body}{"…" if hi < len(text) else ""}"'


_NON_WORD = re.compile(r"\W+")


@lru_cache(maxsize=1 << 16)
def _norm(text: str) -> str:
    return _NON_WORD.sub("", text).casefold()


@dataclass(frozen=True, slots=True)
class Slots:
    """The parse key of one event claim."""

    event: str
    actor: str
    target: str
    status: str
    negated: bool = False

    def key(self) -> str:
        parts = [self.event, self.actor, self.target, self.status]
        return "|".join(parts + (["not"] if self.negated else []))

    def unknown(self) -> int:
        return (self.actor == ANY) + (self.target == ANY)

    def matches(self, other: Slots) -> bool:
        """Same event type; actor and target equal or unknown on either side."""
        return self.event == other.event and all(
            a == b or ANY in (a, b) for a, b in ((self.actor, other.actor), (self.target, other.target)))

    def refines(self, other: Slots) -> bool:
        """``self`` is a strictly more specific key of the same event, status and polarity."""
        return (self.matches(other) and (self.status, self.negated) == (other.status, other.negated)
                and all(b in (ANY, a) for a, b in ((self.actor, other.actor), (self.target, other.target)))
                and self.unknown() < other.unknown())


#: what may come before an entity that opens a claim ("The agency ...")
_OPENS = re.compile(r"\W*(?:the\s+)?", re.IGNORECASE)


class Reader:
    """Reads entity roles off claims, given the resolved entities."""

    def __init__(self, entities: list[Entity]) -> None:
        cfg = config("propositions")
        self.entities = {e.id: e for e in entities}
        self.by_span = {(m.article, m.start, m.end): e.id for e in entities for m in e.mentions}
        self.by_name = {_norm(n): e.id for e in entities for n in (e.name, *e.aliases)}
        self.actor_types = frozenset(cfg.get("actor_types", ["gov"]))
        self.subject_types = self.actor_types | frozenset(cfg.get("subject_actor_types", []))
        self.linkers = re.compile(
            rf"\b(?:{'|'.join(map(re.escape, cfg.get('target_linkers', ['on', 'of', 'against'])))})"
            r"\s+(?:the\s+)?$", re.IGNORECASE)
        self.target_types = frozenset(cfg.get("target_types", ["org", "ai_model", "product"]))
        self.window = int(cfg.get("target_window", 60))
        self._subjects: dict[str, Entity | None] = {}  # claim id -> subject_entity (asked often)
        self._mentioned: dict[str, list[tuple[Mention, Entity]]] = {}  # claim id -> mentioned()
        self._slots: dict[str, Slots | None] = {}  # claim id -> slots()

    def name(self, entity_id: str) -> str:
        e = self.entities.get(entity_id)
        return e.name if e else ("unknown" if entity_id == ANY else entity_id)

    def lookup(self, name_or_id: str | None) -> str | None:
        if not name_or_id:
            return None
        return name_or_id if name_or_id in self.entities else self.by_name.get(_norm(name_or_id))

    def mentioned(self, claim: Claim) -> list[tuple[Mention, Entity]]:
        """The claim's resolved mentions, in text order (worked out once per claim: every
        rule asks)."""
        out = self._mentioned.get(claim.id)
        if out is None:
            out = self._mentioned[claim.id] = []
            for m in sorted(claim.mentions, key=lambda m: m.start):
                eid = m.entity or self.by_span.get((m.article, m.start, m.end))
                if eid in self.entities:
                    out.append((m, self.entities[eid]))
        return out

    def as_target(self, e: Entity) -> str:
        return e.developer if e.type == "ai_model" and e.developer in self.entities else e.id

    def subject_entity(self, claim: Claim) -> Entity | None:
        """The first entity named in the frame's subject, else one that opens the claim."""
        if claim.id not in self._subjects:
            self._subjects[claim.id] = self._subject_entity(claim)
        return self._subjects[claim.id]

    def _subject_entity(self, claim: Claim) -> Entity | None:
        subject = _norm(claim.frame.subject)
        for m, e in self.mentioned(claim):
            name = _norm(m.text) if subject else ""
            if name and name in subject:
                return e
            if _OPENS.fullmatch(claim.text, 0, m.start - claim.start):
                return e
        return None

    def _aimed(self, claim: Claim, cue_end: int, m: Mention) -> bool:
        """``m`` follows the event cue closely, after a targeting preposition ("blocking of X")."""
        gap = claim.text[cue_end - claim.start:m.start - claim.start]
        return 0 <= len(gap) <= self.window and bool(self.linkers.search(gap))

    def slots(self, claim: Claim) -> Slots | None:
        """The claim's proposition key; None for a claim about no event (remembered per claim)."""
        if claim.id not in self._slots:
            self._slots[claim.id] = self._read_slots(claim)
        return self._slots[claim.id]

    def _read_slots(self, claim: Claim) -> Slots | None:
        if not claim.frame.event_type or not claim.event_status:
            return None
        found = self.mentioned(claim)
        cue = claim.event_cue
        subject, obj = _norm(claim.frame.subject), _norm(claim.frame.object)
        actors = [(m, e) for m, e in found if e.type in self.actor_types]
        actor = (next((e.id for m, e in found if e.type in self.subject_types
                       and subject and _norm(m.text) in subject), None)
                 or next((e.id for m, e in reversed(actors) if cue and m.end <= cue.start), None)
                 or ANY)
        targets = [(m, e) for m, e in found if e.type in self.target_types and e.id != actor]
        target = (self.lookup(claim.frame.target)
                  or next((self.as_target(e) for m, e in targets if obj and _norm(m.text) in obj), None)
                  or next((self.as_target(e) for m, e in targets if cue and self._aimed(claim, cue.end, m)), None)
                  or ANY)
        return Slots(claim.frame.event_type, actor, target, claim.event_status, event_negated(claim))

    def label(self, s: Slots) -> str:
        """A readable heading: ``US government: model export ban against Anthropic (enacted)``."""
        actor = self.name(s.actor) if s.actor != ANY else "Unnamed actor"
        target = f" against {self.name(s.target)}" if s.target != ANY else ""
        status = s.status + (", denied" if s.negated else "")
        return f"{actor}: {s.event.replace('-', ' ')}{target} ({status})"


def event_negated(claim: Claim) -> bool:
    """The claim denies its event: negated, and the negated verb is the event's own cue.

    "has not imposed a ban" denies the ban; "the debate over export controls is no
    longer theoretical" negates "theoretical", not the debate.
    """
    if claim.polarity != "negated" and claim.certainty != "negated":
        return False
    return about_event(claim)


def about_event(claim: Claim) -> bool:
    """The event cue is the claim's own predicate ("officials are considering restrictions"),
    not a word in passing ("the potential restrictions don't just affect Anthropic")."""
    cue = (claim.event_cue.text if claim.event_cue else "").casefold()
    pred = claim.frame.predicate.split(" ")[0].casefold()
    return bool(cue and pred) and (cue.startswith(pred[:4]) or pred.startswith(cue[:4]))


def read(claims: Iterable[Claim], entities: list[Entity]) -> dict[str, Slots]:
    """Claim id -> key slots, for the event claims among ``claims``."""
    reader = Reader(entities)
    return {c.id: s for c in claims if (s := reader.slots(c)) is not None}


def sample(members: list[Claim], limit: int) -> list[Claim]:
    """All of ``members`` up to ``limit``, else ``limit`` of them spread evenly (first and last kept)."""
    if len(members) <= limit or limit < 2:
        return members if limit >= 2 else members[:max(limit, 1)]
    step = (len(members) - 1) / (limit - 1)
    return [members[round(i * step)] for i in range(limit)]


def _sample_size() -> int:
    return int(config("propositions").get("compare_sample", 32))


def _link(members: list[Claim], score: Scorer | None, floor: float) -> list[list[Claim]]:
    """Single-link clusters of same-key claims (similarity >= floor with a sampled member)."""
    clusters: list[list[Claim]] = []
    limit = _sample_size()
    for c in members:
        hits = [g for g in clusters
                if score is None or any(score(c.text, o.text) >= floor for o in sample(g, limit))]
        merged = [c] + [x for g in hits for x in g]
        clusters = [g for g in clusters if g not in hits] + [merged]
    return [sorted(g, key=_order) for g in clusters]


def _order(c: Claim) -> tuple[str, int, int]:
    return (c.article, c.start, c.end)


def group(claims: list[Claim], entities: list[Entity], score: Scorer | None = None,
          reader: Reader | None = None) -> list[Proposition]:
    """Propositions over the event claims of ``claims``; ``origins`` left empty (see kg.origins).
    ``reader``: one over ``entities`` to share (it remembers what it read per claim)."""
    cfg = config("propositions")
    reader = reader or Reader(entities)
    slots = {c.id: s for c in claims if (s := reader.slots(c)) is not None}
    by_key: dict[Slots, list[Claim]] = defaultdict(list)
    for c in sorted(claims, key=_order):
        if c.id in slots:
            by_key[slots[c.id]].append(c)
    groups: list[tuple[Slots, list[Claim], list[float]]] = [
        (s, g, []) for s, members in sorted(by_key.items(), key=lambda kv: kv[0].key())
        for g in _link(members, score, float(cfg.get("min_similarity", 0.1)))]
    attach, margin = float(cfg.get("attach_similarity", 0.3)), float(cfg.get("attach_margin", 0.05))
    limit = _sample_size()
    by_event: dict[tuple[str, str, bool], list[tuple[Slots, list[Claim], list[float]]]] = defaultdict(list)
    for g in groups:
        by_event[(g[0].event, g[0].status, g[0].negated)].append(g)
    samples: dict[int, list[str]] = {}  # id(group) -> its sample's texts, dropped when it changes

    told: dict[int, set[str]] = {}  # id(group) -> the articles its claims are in

    def articles(others: list[Claim]) -> set[str]:
        hit = told.get(id(others))
        if hit is None:
            hit = told[id(others)] = {o.article for o in others}
        return hit

    def sampled(others: list[Claim]) -> list[str]:
        hit = samples.get(id(others))
        if hit is None:
            hit = samples[id(others)] = [o.text for o in sample(others, limit)]
        return hit

    for s, members, _ in [g for g in groups if g[0].unknown()]:
        # the finer groups with claims (they only gain claims while this group is read)
        finer = [g for g in by_event[(s.event, s.status, s.negated)] if g[0].refines(s) and g[1]]
        unknowns = [g[0].unknown() for g in finer]
        moved: set[str] = set()
        # a claim's similarity to each finer group, per text: a story repeats its sentences;
        # forgotten whenever a claim joins a group (its sample changes)
        alike: dict[str, list[float]] = {}
        for c in list(members):
            bests = alike.get(c.text)
            if bests is None:
                bests = alike[c.text] = [best_of(score, c.text, sampled(others)) if score else 1.0
                                        for _, others, _ in finer]
            options = sorted(range(len(finer)), key=lambda j: (-bests[j], unknowns[j]))
            # one finer group told in the claim's own article: the vague claim is that story's
            # event ("Anthropic being placed on a blacklist" ... "This blacklisting occurred")
            local = [j for j in options if c.article in articles(finer[j][1])]
            ambiguous = len(options) > 1 and (score is None or bests[options[0]] - bests[options[1]] < margin)
            if len(local) == 1:
                options = local
            elif not options or bests[options[0]] < attach or ambiguous:
                continue
            _, others, sims = finer[options[0]]
            moved.add(c.id)
            insort(others, c, key=_order)
            samples.pop(id(others), None)
            articles(others).add(c.article)
            sims.append(bests[options[0]])
            alike.clear()
        members[:] = [c for c in members if c.id not in moved]
        samples.pop(id(members), None)
        told.pop(id(members), None)
    out, seen = [], set()
    for s, members, sims in groups:
        if not members:
            continue
        key = s.key()
        pid = short_hash("proposition", key) if key not in seen else short_hash("proposition", key, members[0].id)
        seen.add(key)
        out.append(Proposition(pid, key, reader.label(s), tuple(c.id for c in members),
                               _reason(reader, s, members, sims, score)))
    return out


def _reason(reader: Reader, s: Slots, members: list[Claim], joined: list[float], score: Scorer | None) -> str:
    arts = len({c.article for c in members})
    head = (f"same actor {reader.name(s.actor)}, event {s.event}, target {reader.name(s.target)}, "
            f"status {s.status}{', negated' if s.negated else ''}")
    if len(members) == 1:
        return f"single claim: actor {reader.name(s.actor)}, event {s.event}, target {reader.name(s.target)}, status {s.status}"
    small = len(members) <= _sample_size()
    sims = ([score(a.text, b.text) for i, a in enumerate(members) for b in members[i + 1:]] if small
            else [score(members[0].text, b.text) for b in members[1:]]) if score else []
    tail = f"; similarity {min(sims):.2f}-{max(sims):.2f}{'' if small else ' (to the first claim)'}" if sims else ""
    if joined:
        tail += f"; {len(joined)} claim(s) with an unknown actor or target joined at similarity >= {min(joined):.2f}"
    return f"{head}; {len(members)} claims in {arts} article(s){tail}"
