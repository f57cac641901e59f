"""Cross-article analysis: entities, propositions, conflicts, origins and flags.

``analyse(corpus)`` is recomputed over the whole store on every build:

1. ``kg.analysis.entities.resolve`` clusters every mention into canonical entities;
2. ``kg.analysis.propositions.group`` groups event claims by their parse key (actor, event
   type, target, status), with WordLlama sentence similarity as a candidate filter;
3. ``kg.analysis.origins.build`` traces each claim to its independent origin, and every
   proposition gets the distinct origins of its claims;
4. ``kg.analysis.conflicts.find`` finds status, polarity, value and stance conflicts;
5. ``kg.analysis.flags.find`` flags unsupported, anonymous, single-origin, hedge-laundering and
   circular claims and propositions;
6. ``kg.analysis.disputes.gather`` gathers the pairwise conflicts over one question into
   disputes with sides (the pairwise conflicts are kept too).

Steps 4 and 2, 3, 5 need the same inputs and not each other: when ``kg.processes``
says so (``fork_analysis``: a large corpus), the conflict rules (but the ``HERE``
families) run in a forked process while this one groups, traces and flags; the answer
is the same.

Heavy modules (spaCy-free, but WordLlama and numpy) load inside this function only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kg.model import Analysis, Corpus

#: the conflict rule families this process runs while the child runs the others: the
#: split that gives the two processes about equal work (at 10,000 articles: group,
#: origins, flags and these two about 17 s of CPU, the child's events and values about
#: 17 s). Each shares no candidate key with the child's families (``conflicts.find``
#: keeps the best candidate per key), so the halves merge without a second pass.
HERE = ("frame", "stances")


def analyse(corpus: Corpus, embeddings: Path | None = None, beside: bool | None = None) -> Analysis:
    """The analysis of ``corpus``; ``embeddings``, a file of sentence embeddings the
    previous build saved, spares embedding the claims it already holds.

    ``beside``: find the conflicts in a forked process (``kg.processes``) while this one
    groups the propositions and flags; None asks ``kg.processes.fork_analysis``.
    Either way the answer is the same (tests/test_beside.py)."""
    from kg import processes
    from kg.analysis import (
        conflicts,
        disputes,
        entities,
        flags,
        origins,
        propositions,
        similarity,
        slots,
    )
    from kg.analysis.explain import article_label

    claims = corpus.claims()
    if not claims:
        return Analysis()
    found = entities.resolve(claims)
    score = similarity.scorer([c.text for c in claims], embeddings)
    reader = slots.Reader(found)  # shared: it remembers each claim's mentions and slots
    labels = {g.article.id: article_label(g.article.id, g.article.source)
              for g in corpus.articles}
    sources = corpus.sources()
    there = [f for f in conflicts.FAMILIES if f not in HERE]
    fork = processes.fork_analysis(len(claims)) if beside is None else beside
    with processes.Beside(lambda: conflicts.find(claims, found, score, labels, sources, reader, there),
                          fork) as found_conflicts:
        props = propositions.group(claims, found, score, reader)
        where = origins.build(corpus)
        props = [replace(p, origins=where.of(p.claims)) for p in props]
        found_flags = flags.find(corpus, props, where)
        here = conflicts.find(claims, found, score, labels, sources, reader, HERE)
        pairs = sorted(here + found_conflicts.result(), key=lambda k: (k.kind, k.rule, k.id))
    by_id = {c.id: c for c in claims}
    return Analysis(entities=found, propositions=props, flags=found_flags, conflicts=pairs,
                    disputes=disputes.gather(pairs, by_id, props, where.of, labels))
