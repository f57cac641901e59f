"""Listing keys: the order of the paged named queries, one string per listed record.

A query that lists thousands of rows (every anonymous claim of 10,000 articles) is
paged: it returns the first page of rows whose key is greater than ``after`` and
the key of every row, so the next page starts after the last key seen (keyset
paging: no OFFSET, so page 40 costs what page 1 costs). For that, the key is
*stored* with the record it orders (``kg:storyKey`` on a claim, ``kg:listKey`` on
a flag or conflict, ``key`` on the Neo4j node): a query reads one value per record
to pick a page, and the columns of that page's rows only.

Keys are ASCII, compared as plain strings by SPARQL and Cypher alike (Java's
UTF-16 order and SPARQL's code-point order agree on ASCII), and built so that
string order is story order:

- a claim: ``PUBLISHED ARTICLE START CLAIM``, the publication date as given
  (percent-encoded; undated articles have "-", which sorts before any date), the
  article id, the start offset in ten digits, the claim id;
- a flag on a claim: the claim's key, then the flag id; a flag on a proposition:
  the smallest key of its member claims (the proposition in date order), then the
  flag id;
- a conflict: ``KIND CLAIM_A CLAIM_B CONFLICT``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from kg.model import Corpus

#: the characters kept as they are in a published date; everything else (a space,
#: a non-ASCII letter) is percent-encoded, so a key has no space but its separators
_SAFE = "-:+./"


def story_key(published: str | None, article: str, start: int, claim: str) -> str:
    """A claim's place in story order: publication date, article, position, id."""
    date = quote(published or "", safe=_SAFE) or "-"
    return f"{date} {article} {start:010d} {claim}"


def flag_key(member_keys: Iterable[str], flag: str) -> str:
    """A flag's key: its (first) claim's story key, then its id."""
    return f"{min(member_keys, default='')} {flag}"


def conflict_key(kind: str, claim_a: str, claim_b: str, conflict: str) -> str:
    return f"{kind} {claim_a} {claim_b} {conflict}"


@dataclass(frozen=True, slots=True)
class Keys:
    """Every listing key of a corpus, by record id; the RDF and the Neo4j writers share it."""

    claims: dict[str, str]
    flags: dict[str, str]
    conflicts: dict[str, str]


def corpus_keys(corpus: Corpus) -> Keys:
    claims = {c.id: story_key(g.article.published, c.article, c.start, c.id)
              for g in corpus.articles for c in g.claims}
    an = corpus.analysis
    members = {p.id: p.claims for p in an.propositions}
    flags = {f.id: flag_key((claims[c] for c in members.get(f.target, (f.target,)) if c in claims), f.id)
             for f in an.flags}
    conflicts = {k.id: conflict_key(k.kind, k.claim_a, k.claim_b, k.id) for k in an.conflicts}
    return Keys(claims, flags, conflicts)
