"""Value conflicts: figures tied to an entity ("five per 1,000 words for Anthropic") and
sums of money of an event ("fined OpenAI €20 million"); rules ``value.number`` and
``value.event-amount`` of ``kg.analysis.conflicts``.

Every figure keeps the approximation marker written before it (``[conflicts.value.markers]``:
"about 300", "more than 48", "up to 10%"), in its text and in ``Figure.marker``: an
approximate figure is compared with a wider tolerance, and a bound ("more than 48")
does not conflict with a figure that satisfies it ("50").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, replace
from functools import cache, partial

from kg.analysis.blocking import Candidate, Side, block, order
from kg.analysis.similarity import Scorer
from kg.analysis.slots import Reader, Slots, about_event
from kg.data import vocabulary
from kg.model import Claim, Span

_FOR = re.compile(r"\s+(?:for|by|from|at)\s+(?:the\s+)?", re.IGNORECASE)


@cache
def markers() -> tuple[re.Pattern[str], dict[str, str], float]:
    """The approximation markers as one pattern anchored at the end of the text before a
    figure, the marker -> kind map, and the tolerance of approximate figures."""
    cfg = vocabulary().analysis.conflicts.value
    kinds = {" ".join(k.casefold().split()): v for k, v in cfg.markers.items()}
    words = "|".join(r"\s+".join(map(re.escape, k.split())) for k in sorted(kinds, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?P<m>{words or '(?!)'})\s*(?:US|A|C)?[$€£¥]?\s*$", re.IGNORECASE), kinds, cfg.approx_tolerance


def marker_of(text_before: str) -> str:
    """The approximation marker right before a figure ("about", "more than"), or ""."""
    pattern, _, _ = markers()
    m = pattern.search(text_before[-40:])
    return " ".join(m["m"].casefold().split()) if m else ""


def clash(x: tuple[float, str], y: tuple[float, str], tolerance: float) -> bool:
    """Two figures (value, marker) disagree: beyond the tolerance (wider when either is
    approximate), and neither a bound that the other satisfies."""
    _, kinds, loose = markers()
    (u, a), (v, b) = x, y
    ka, kb = kinds.get(a, ""), kinds.get(b, "")
    if "approx" in (ka, kb):
        tolerance = max(tolerance, loose)
    for (w, k), z in (((u, ka), v), ((v, kb), u)):
        if (k == "min" and z >= w) or (k == "max" and z <= w):
            return False
    return abs(u - v) > tolerance * max(abs(u), abs(v))


@cache
def value_cfg() -> tuple[re.Pattern[str], dict[str, float], float, float]:
    cfg = vocabulary().analysis.conflicts.value
    words = {k.casefold(): v for k, v in cfg.numbers.items()}
    number = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    units = "|".join(sorted(cfg.units, key=len, reverse=True)) or "(?!)"
    pattern = re.compile(rf"(?<![\w.,-])(?P<num>{number})\s*(?P<unit>{units})(?![\w])", re.IGNORECASE)
    return pattern, words, cfg.tolerance, cfg.min_similarity


def cue_of(claim: Claim, m: re.Match[str]) -> Span:
    return Span(claim.article, claim.start + m.start(), claim.start + m.end(), m.group(0))


@dataclass(frozen=True, slots=True)
class Figure:
    claim: Claim
    value: float
    unit: str
    entity: str
    text: str
    cue: Span
    marker: str = ""  # "about", "more than", "up to"...: kept on the figure


def figures(claim: Claim, reader: Reader) -> list[Figure]:
    """Numbers with a unit in ``claim``, each tied to an entity: the one a "for"/"by"
    right after the figure names ("336 times for Anthropic"), else the last one before
    it ("OpenAI registered 0.6 per 1,000 words"), else the first one after it."""
    pattern, words, _, _ = value_cfg()
    out: list[Figure] = []
    mentioned = None  # looked up at the first figure: most claims have none
    for m in pattern.finditer(claim.text):
        if mentioned is None:
            mentioned = reader.mentioned(claim)
        s, e = claim.start + m.start(), claim.start + m.end()
        if any(x.start < e and s < x.end for x, _ in mentioned):  # "Fable 5 models": a name, not a figure
            continue
        raw = m["num"].casefold()
        value = words[raw] if raw in words else float(raw.replace(",", ""))
        after = [x for x in mentioned if x[0].start >= e]
        before = [x for x in mentioned if x[0].end <= s]
        if after and _FOR.fullmatch(claim.text[e - claim.start:after[0][0].start - claim.start]):
            near = after[0]  # "336 times for Anthropic"
        elif before or after:
            near = before[-1] if before else after[0]
        else:
            continue
        unit = " ".join(m["unit"].casefold().split())
        mark = marker_of(claim.text[:m.start()])
        shown = f"{mark} {m['num']}" if mark else m["num"]
        out.append(Figure(claim, value, unit, near[1].id, f"{shown} {unit} for {near[1].name}",
                           cue_of(claim, m), mark))
    return out


def values(claims: list[Claim], reader: Reader, sim: Scorer) -> Iterator[Candidate]:
    _, _, tolerance, floor = value_cfg()
    blocks: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for c in sorted(claims, key=order):
        for f in figures(c, reader):
            blocks[(f.unit, f.entity)].append(f)

    def differ(x: Hashable, y: Hashable) -> bool:
        return clash(x, y, tolerance)  # type: ignore[arg-type]

    def pair(f: Figure, g: Figure) -> Candidate | None:
        s = sim(f.claim.text, g.claim.text)
        if f.claim.article == g.claim.article or s < floor:
            return None
        return Candidate("value", "value.number", Side(f.claim, f.text, f.cue),
                          Side(g.claim, g.text, g.cue), (f.entity, f.unit), (s,))

    for key in sorted(blocks):
        yield from block(blocks[key], lambda f: f.claim.article, lambda f: (f.value, f.marker), differ, pair)


#: a currency sign right before a figure: "€20 million", "US$ 3 billion"
_CURRENCY = re.compile(r"(?:US|A|C)?([$€£¥])\s?$")


def amounts(members: list[Claim], slots: dict[str, Slots], reader: Reader,
            quality: Callable[[Claim], tuple[float, ...]]) -> Iterator[Candidate]:
    """``value.event-amount`` among the claims of one event block (``kg.analysis.conflicts._events``)."""
    priced = {c.id: f for c in members if (f := _amount(c, reader)) is not None}
    yield from block([c for c in members if c.id in priced], lambda c: c.article,
                     partial(_amount_side, slots, priced), _amounts_differ, _amount_pair(slots, priced),
                     None, quality)


def _amount(c: Claim, reader: Reader) -> Figure | None:
    """The first sum of money in an event claim ("fined OpenAI €20 million"), its unit
    prefixed with the currency ("€ million"), or None."""
    for f in figures(c, reader):
        sign = _CURRENCY.search(c.text[:f.cue.start - c.start])
        if sign:
            return replace(f, unit=f"{sign[1]} {f.unit}")
    return None


def _amount_side(slots: dict[str, Slots], priced: dict[str, Figure], c: Claim) -> tuple[bool, str, float, str]:
    f = priced[c.id]
    return slots[c.id].negated, f.unit, f.value, f.marker


def _amounts_differ(x: tuple[bool, str, float, str], y: tuple[bool, str, float, str]) -> bool:
    _, _, tolerance, _ = value_cfg()
    return x[:2] == y[:2] and clash(x[2:], y[2:], tolerance)


def _shown(f: Figure) -> str:
    """A sum as written, with its marker: "about €15 million"."""
    return f"{f.marker} {f.unit[0]}{f.cue.text}" if f.marker else f"{f.unit[0]}{f.cue.text}"


def _amount_pair(slots: dict[str, Slots], priced: dict[str, Figure]) -> Callable[[Claim, Claim], Candidate | None]:
    """Two articles give different sums for the same event ("a penalty of about €15 million"
    vs "fined OpenAI €20 million"), whatever its status: the sum is in dispute."""
    def pair(a: Claim, b: Claim) -> Candidate | None:
        sa, sb = slots[a.id], slots[b.id]
        if a.article == b.article or not sa.matches(sb):
            return None
        fa, fb = priced[a.id], priced[b.id]
        rank = (float(about_event(a) + about_event(b)), -float(sa.unknown() + sb.unknown()))
        return Candidate("value", "value.event-amount",
                          Side(a, f"{_shown(fa)}, {sa.status}", fa.cue),
                          Side(b, f"{_shown(fb)}, {sb.status}", fb.cue), (sa.event, "amount"), rank)
    return pair
