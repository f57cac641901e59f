"""Cross-article analysis: entities, propositions, conflicts, origins and flags.

``analyse(corpus)`` is recomputed over the whole store on every build:

1. ``kg.entities.resolve`` clusters every mention into canonical entities;
2. ``kg.propositions.group`` groups event claims by their parse key (actor, event
   type, target, status), with WordLlama sentence similarity as a candidate filter;
3. ``kg.origins.build`` traces each claim to its independent origin, and every
   proposition gets the distinct origins of its claims;
4. ``kg.conflicts.find`` finds status, polarity, value and stance conflicts;
5. ``kg.flags.find`` flags unsupported, anonymous, single-origin, hedge-laundering and
   circular claims and propositions.

Heavy modules (spaCy-free, but WordLlama and numpy) load inside this function only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kg.model import Analysis, Corpus


def analyse(corpus: Corpus, embeddings: Path | None = None) -> Analysis:
    """The analysis of ``corpus``; ``embeddings``, a file of sentence embeddings the
    previous build saved, spares embedding the claims it already holds."""
    from kg import conflicts, entities, flags, origins, propositions, similarity

    claims = corpus.claims()
    if not claims:
        return Analysis()
    found = entities.resolve(claims)
    score = similarity.scorer([c.text for c in claims], embeddings)
    reader = propositions.Reader(found)  # shared: it remembers each claim's mentions and slots
    props = propositions.group(claims, found, score, reader)
    where = origins.build(corpus)
    props = [replace(p, origins=where.of(p.claims)) for p in props]
    labels = {g.article.id: propositions.article_label(g.article.id, g.article.source)
              for g in corpus.articles}
    return Analysis(
        entities=found,
        propositions=props,
        conflicts=conflicts.find(claims, found, score, labels, corpus.sources(), reader),
        flags=flags.find(corpus, props, where),
    )
