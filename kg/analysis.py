"""Cross-article analysis (placeholder until the analysis modules land)."""

from __future__ import annotations

from kg.model import Analysis, Corpus


def analyse(corpus: Corpus) -> Analysis:
    return Analysis()
