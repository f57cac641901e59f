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

The slots are read by ``kg.analysis.slots.Reader``, which every analysis rule shares.

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

from bisect import insort
from collections import defaultdict

from kg.analysis.similarity import Scorer, best_of
from kg.analysis.slots import Reader, Slots
from kg.data import vocabulary
from kg.model import Claim, Entity, Proposition, short_hash


def sample(members: list[Claim], limit: int) -> list[Claim]:
    """All of ``members`` up to ``limit``, else ``limit`` of them spread evenly (first and last kept)."""
    if len(members) <= limit or limit < 2:
        return members if limit >= 2 else members[:max(limit, 1)]
    step = (len(members) - 1) / (limit - 1)
    return [members[round(i * step)] for i in range(limit)]


def _sample_size() -> int:
    return vocabulary().analysis.propositions.compare_sample


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
    """Propositions over the event claims of ``claims``; ``origins`` left empty (see kg.analysis.origins).
    ``reader``: one over ``entities`` to share (it remembers what it read per claim)."""
    cfg = vocabulary().analysis.propositions
    reader = reader or Reader(entities)
    slots = {c.id: s for c in claims if (s := reader.slots(c)) is not None}
    by_key: dict[Slots, list[Claim]] = defaultdict(list)
    for c in sorted(claims, key=_order):
        if c.id in slots:
            by_key[slots[c.id]].append(c)
    groups: list[tuple[Slots, list[Claim], list[float]]] = [
        (s, g, []) for s, members in sorted(by_key.items(), key=lambda kv: kv[0].key())
        for g in _link(members, score, cfg.min_similarity)]
    attach, margin = cfg.attach_similarity, cfg.attach_margin
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
