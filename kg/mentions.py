"""Entity mentions in a clause (minimal placeholder; replaced by the full rule set)."""

from __future__ import annotations

from typing import Any

from kg.model import Mention


def find(clause: Any, article_id: str, offset: int) -> tuple[Mention, ...]:
    return tuple(
        Mention(article=article_id, start=e.start_char + offset, end=e.end_char + offset,
                text=e.text, label=e.label_)
        for e in clause.ents
    )
