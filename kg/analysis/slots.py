"""The event slots of a claim, read off its parse: actor, target, status, negation.

``Reader(entities).slots(claim)`` gives a claim's proposition key (``Slots``), the
entity roles every analysis rule shares: the actor (a government, or a country in the
frame's subject, else the nearest actor before the event cue), the target (the
resolved ``Frame.target``, an entity in the frame's object, or one a targeting
preposition introduces after the cue; an AI model counts as its developer) and the
claim's event status; ``*`` (``ANY``) is an unknown slot. kg/propositions.py explains
how the keys group claims; the tunables are ``[propositions]`` in
kg/data/analysis.toml. Names are found in a frame's subject or object by their compact
name key (``kg.data.names.compact`` of ``name_key``): "U.S. officials" is found in "the
US officials' statement".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kg.data import vocabulary
from kg.data.names import compact, name_key
from kg.model import Claim, Entity, Mention

ANY = "*"


@lru_cache(maxsize=1 << 16)
def _compact(text: str) -> str:
    """The compact name key of ``text``, remembered: every rule asks about the same texts."""
    return compact(name_key(text))


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
        cfg = vocabulary().analysis.propositions
        self.entities = {e.id: e for e in entities}
        self.by_span = {(m.article, m.start, m.end): e.id for e in entities for m in e.mentions}
        self.by_name = {_compact(n): e.id for e in entities for n in (e.name, *e.aliases)}
        self.actor_types = cfg.actor_types
        self.subject_types = self.actor_types | cfg.subject_actor_types
        self.linkers = re.compile(rf"\b(?:{'|'.join(map(re.escape, cfg.target_linkers))})"
                                  r"\s+(?:the\s+)?$", re.IGNORECASE)
        self.target_types = cfg.target_types
        self.window = cfg.target_window
        self._subjects: dict[str, Entity | None] = {}  # claim id -> subject_entity (asked often)
        self._mentioned: dict[str, list[tuple[Mention, Entity]]] = {}  # claim id -> mentioned()
        self._slots: dict[str, Slots | None] = {}  # claim id -> slots()

    def name(self, entity_id: str) -> str:
        e = self.entities.get(entity_id)
        return e.name if e else ("unknown" if entity_id == ANY else entity_id)

    def lookup(self, name_or_id: str | None) -> str | None:
        if not name_or_id:
            return None
        return name_or_id if name_or_id in self.entities else self.by_name.get(_compact(name_or_id))

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
        subject = _compact(claim.frame.subject)
        for m, e in self.mentioned(claim):
            name = _compact(m.text) if subject else ""
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
        subject, obj = _compact(claim.frame.subject), _compact(claim.frame.object)
        actors = [(m, e) for m, e in found if e.type in self.actor_types]
        actor = (next((e.id for m, e in found if e.type in self.subject_types
                       and subject and _compact(m.text) in subject), None)
                 or next((e.id for m, e in reversed(actors) if cue and m.end <= cue.start), None)
                 or ANY)
        targets = [(m, e) for m, e in found if e.type in self.target_types and e.id != actor]
        target = (self.lookup(claim.frame.target)
                  or next((self.as_target(e) for m, e in targets if obj and _compact(m.text) in obj), None)
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
