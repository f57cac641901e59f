"""Who says a claim (minimal placeholder; replaced by the full rule set)."""

from __future__ import annotations

from typing import Any

from kg.model import Article, Attribution, Citation, Source, short_hash


def source_for(name: str, kind: str) -> Source:
    return Source(id=short_hash("source", name.casefold()), name=name, kind=kind)


class Attributor:
    def __init__(self, article: Article) -> None:
        self.article = article
        self.sources: dict[str, Source] = {}
        self.citations: list[Citation] = []
        self.cites: set[tuple[str, str]] = set()

    def add_source(self, source: Source) -> None:
        self.sources[source.id] = source

    def observe(self, sent: Any, offset: int) -> None:
        """See a sentence that is not a claim (keeps context such as the last speaker)."""

    def attribute(self, sent: Any, clause: Any, offset: int) -> Attribution | None:
        return None
