"""Listing order: where each listed record sits in the paged named queries, as one integer.

A query that lists thousands of rows (every anonymous claim of 10,000 articles) is
paged (docs/queries.md, "Paged listings"): a call returns the records whose order is
greater than ``after`` up to the 500th and every other record of that last order
value, with each row's order as ``key``; the next call passes the last key. For that the
order is *stored* with the record (``kg:storyOrder`` on a claim, ``kg:listOrder`` on a
flag or conflict, ``story_order`` / ``order`` on the Neo4j node).

It is an integer because pyoxigraph stores an integer inside the triple while a long
string sits in a dictionary table: picking a page sorts the order of every record of
the listing, and on 78,000 string keys that was 7 s at 10,000 articles, on integers a
fraction of a second. An integer is not unique (it has 63 bits, not a claim id's 64 and
a position), so a page never ends inside a run of equal values: records with equal
order come in the same page, and rows are sorted by order, then by exact position and id.

- a claim: its article's publication day (days since 1970-01-01 plus one; 0 for an
  undated article or a date that is not ``YYYY-MM-DD``, so those come first), the first
  32 bits of the article id, the start offset in KiB: story order;
- a flag: the order of its claim (of a proposition's first claim, for a flag on a
  proposition), three bits less precise, below the flag's kind; a conflict: its kind,
  then the first 29 bits of each claim id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.model import Corpus

_EPOCH = date(1970, 1, 1).toordinal()
_FLAG_KINDS = ("unsupported", "anonymous", "single-origin", "hedge-laundering", "circular")
_CONFLICT_KINDS = ("polarity", "stance", "status", "value")  # as the old string order had them


def _bits(ident: str, n: int) -> int:
    """The first ``n`` bits of a hex id (a hash of any other id)."""
    try:
        return int(ident[:16].ljust(16, "0"), 16) >> (64 - n)
    except ValueError:
        return int.from_bytes(hashlib.blake2b(ident.encode(), digest_size=8).digest(), "big") >> (64 - n)


def _day(published: str | None) -> int:
    try:
        day = date.fromisoformat((published or "")[:10]).toordinal() - _EPOCH + 1
    except ValueError:
        return 0
    return min(max(day, 1), (1 << 16) - 1)


def story_order(published: str | None, article: str, start: int) -> int:
    """A claim's place in story order: publication day, article, position (< 2**63)."""
    return _day(published) << 47 | _bits(article, 32) << 15 | min(start >> 10, (1 << 15) - 1)


def flag_order(kind: str, member_orders: Iterable[int]) -> int:
    """A flag's place: its kind, then its (first) claim's story order."""
    k = _FLAG_KINDS.index(kind) + 1 if kind in _FLAG_KINDS else len(_FLAG_KINDS) + 1
    return k << 60 | min(member_orders, default=0) >> 3


def conflict_order(kind: str, claim_a: str, claim_b: str) -> int:
    k = _CONFLICT_KINDS.index(kind) if kind in _CONFLICT_KINDS else 3
    return k << 58 | _bits(claim_a, 29) << 29 | _bits(claim_b, 29)


@dataclass(frozen=True, slots=True)
class Orders:
    """Every listing order of a corpus, by record id; the RDF and the Neo4j writers share it."""

    claims: dict[str, int]
    flags: dict[str, int]
    conflicts: dict[str, int]


def corpus_orders(corpus: Corpus) -> Orders:
    claims: dict[str, int] = {}
    for g in corpus.articles:  # ``story_order``, with the day and article bits once per article
        head = story_order(g.article.published, g.article.id, 0)
        for c in g.claims:
            claims[c.id] = (head if c.article == g.article.id else story_order(g.article.published, c.article, 0)) \
                | min(c.start >> 10, (1 << 15) - 1)
    an = corpus.analysis
    members = {p.id: p.claims for p in an.propositions}
    flags = {f.id: flag_order(f.kind, (claims[c] for c in members.get(f.target, (f.target,)) if c in claims))
             for f in an.flags}
    conflicts = {k.id: conflict_order(k.kind, k.claim_a, k.claim_b) for k in an.conflicts}
    return Orders(claims, flags, conflicts)
