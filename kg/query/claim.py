"""Everything about one claim, from the records: what ``kg show CLAIM_ID`` prints.

The record-side twin of the ``claim-provenance`` named query: the claim with its span in
context, its article, the attribution chain to the primary source, and the propositions,
conflicts and flags that name it (a flag on one of its propositions counts).
"""

from __future__ import annotations

from typing import Any

from kg.analysis.origins import chain
from kg.codec import dump
from kg.errors import E, KGError
from kg.model import Corpus


def describe(corpus: Corpus, claim_id: str, context: int = 120) -> dict[str, Any]:
    """The claim ``claim_id`` of ``corpus`` as plain data (E206 when there is none);
    ``context`` characters of its article are kept on each side of the span."""
    claim = next((c for c in corpus.claims() if c.id == claim_id), None)
    if claim is None:
        raise KGError(E.E206, claim=claim_id)
    graph = next(g for g in corpus.articles if g.article.id == claim.article)
    text = graph.article.text
    an = corpus.analysis
    cites = [pair for g in corpus.articles for pair in g.cites]
    return {
        "claim": dump(claim),
        "article": {"id": graph.article.id, "title": graph.article.title, "source": graph.article.source},
        "before": text[max(0, claim.start - context):claim.start],
        "after": text[claim.end:claim.end + context],
        "chain": [dump(s) for s in chain(claim, corpus.sources(), cites)],
        "propositions": [dump(p) for p in an.propositions if claim.id in p.claims],
        "conflicts": [dump(k) for k in an.conflicts if claim.id in (k.claim_a, k.claim_b)],
        "flags": [dump(f) for f in an.flags if f.target == claim.id
                  or any(f.target == p.id and claim.id in p.claims for p in an.propositions)],
    }
