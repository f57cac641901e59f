"""How sure a claim is (minimal placeholder; replaced by the full rule set)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.model import Span


@dataclass(frozen=True, slots=True)
class Reading:
    certainty: str = "asserted"
    certainty_cue: Span | None = None
    polarity: str = "affirmed"
    event_status: str | None = None
    event_cue: Span | None = None
    event_type: str | None = None


def read(sent: Any, clause: Any, article_id: str, offset: int, attributed: bool) -> Reading:
    return Reading(certainty="reported" if attributed else "asserted")
