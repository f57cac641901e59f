"""Candidate conflicts inside one block of comparable claims: exhaustive or a star.

A rule of ``kg.analysis.conflicts`` sorts claims into blocks (an event type, a measure, an actor
and topic) and each block's claims into sides that may clash; :func:`block` then gives
the candidate pairs: every clashing pair while the block is small, else a star, linear in
claims (the scaling argument is in ``kg.analysis.conflicts`` and docs/analysis-scaling.md).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, TypeVar

from kg.data import vocabulary
from kg.model import Claim, Span

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Side:
    claim: Claim
    note: str  # what this side says, in parentheses
    cue: Span | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str
    rule: str
    a: Side
    b: Side
    group: tuple[str, ...]
    rank: tuple[float, ...]  # higher is better
    topic: str = ""


def order(c: Claim) -> tuple[str, int]:
    """Claims in text order: article, then start."""
    return (c.article, c.start)


def max_pairwise() -> int:
    """Blocks up to this many articles per side are compared exhaustively (see module doc)."""
    return vocabulary().analysis.conflicts.max_pairwise_articles


def block(items: Sequence[T], article: Callable[[T], str], side: Callable[[T], Any],
           clash: Callable[[Any, Any], bool], pair: Callable[[T, T], Candidate | None],
           hub: Callable[[T], Hashable] | None = None,
           quality: Callable[[T], tuple[float, ...]] | None = None) -> Iterator[Candidate]:
    """Candidates within one block of ``items`` (sorted; ``pair(a, b)`` takes a before b).

    Exhaustive while the block is small, else a star (module doc): at most one
    candidate per article, each against one of a bounded number of hubs.
    """
    limit = max_pairwise()
    # each item's side and article, read once: the rules' own functions (slot lookups,
    # tuples) cost more than the loops below, which would otherwise call them per pair
    keys = [side(it) for it in items]
    arts = [article(it) for it in items]
    clashes: dict[tuple[Any, Any], bool] = {}

    def clashing(x: Any, y: Any) -> bool:
        known = clashes.get((x, y))
        if known is None:
            known = clashes[(x, y)] = clash(x, y)
        return known

    sides: dict[Hashable, list[int]] = {}
    for i, k in enumerate(keys):
        sides.setdefault(k, []).append(i)
    if len(sides) < 2:
        return
    by_side = {k: {arts[i] for i in idx} for k, idx in sides.items()}
    largest = max(sides, key=lambda k: (len(by_side[k]), -sides[k][0]))
    others = set().union(*(a for k, a in by_side.items() if k != largest))
    if len(by_side[largest]) <= limit and len(others) <= limit:
        for i, j in combinations(range(len(items)), 2):
            if arts[i] != arts[j] and clashing(keys[i], keys[j]) and (c := pair(items[i], items[j])) is not None:
                yield c
        return
    hub_of = hub or side
    good = quality or (lambda it: ())
    hubs: list[tuple[Hashable, int]] = []
    for k in sorted(sides, key=lambda k: (-len(by_side[k]), sides[k][0])):
        by_hub: dict[Hashable, list[int]] = {}
        for i in sides[k]:
            by_hub.setdefault(hub_of(items[i]), []).append(i)
        heads = []
        for idx in by_hub.values():
            top = min(idx, key=lambda i: (tuple(-x for x in good(items[i])), i))
            heads.append((-len({arts[i] for i in idx}), top))
        hubs.extend((k, top) for _, top in sorted(heads))
    chosen: dict[str, Candidate] = {}
    for i, it in enumerate(items):
        k, key, tried = keys[i], arts[i], 0
        for hk, h in hubs:
            if tried >= limit:
                break
            if not clashing(k, hk) or arts[h] == key:
                continue
            tried += 1
            c = pair(*((it, items[h]) if i < h else (items[h], it)))
            if c is not None and (key not in chosen or c.rank > chosen[key].rank):
                chosen[key] = c
    yield from chosen.values()
