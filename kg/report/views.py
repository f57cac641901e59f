"""The records a report renders: quoted claims with their context, chains and findings.

Plain data plus the wording every format shares (certainty, attribution chain, the
evidence statements and the ClaimReview rating label). Nothing here decides what is true.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kg.model import Article, ArticleGraph, Claim, Conflict, Corpus, Flag, Proposition, Source

#: characters of article text shown on each side of a quoted span
CONTEXT = 160

FLAG_WORDS = {
    "unsupported": "unsupported", "anonymous": "anonymous source",
    "single-origin": "single origin", "hedge-laundering": "hedge laundering",
    "circular": "circular sourcing",
}


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One quoted claim with its context, attribution chain and findings."""

    claim: Claim
    article: Article
    before: str
    quote: str
    after: str
    chain: tuple[Source, ...]  # attributed source, then via / cites hops, in order
    circular: bool  # the chain comes back to a source already in it
    flags: tuple[Flag, ...]
    anchor: bool  # the first view of this claim in the report carries id=claim-ID
    #: the article's own citations ("According to the FT", "Source: ..."), each followed to its end
    cited: tuple[tuple[Source, ...], ...] = ()
    #: False for a claim shown only because it conflicts with one of the item's own claims
    member: bool = True

    @property
    def certainty_label(self) -> str:
        """How sure the wording is, e.g. ``hedged (cue: "may")``; negation said plainly."""
        c = self.claim
        out = c.certainty + (f' (cue: "{c.certainty_cue.text}")' if c.certainty_cue else "")
        return out + ("; negated" if c.polarity == "negated" else "")

    @property
    def cited_label(self) -> str:
        """The article's citation chains, e.g. ``Financial Times (publication) → via Reuters``."""
        chains = dict.fromkeys(" → via ".join(f"{s.name} ({s.kind})" for s in ch) for ch in self.cited)
        return "; ".join(chains)

    @property
    def status_label(self) -> str:
        c = self.claim
        if not c.event_status:
            return ""
        return c.event_status + (f' (cue: "{c.event_cue.text}")' if c.event_cue else "")

    @property
    def attribution_label(self) -> str:
        """``claim → US officials (official) → via Financial Times (publication) → …``."""
        if not self.chain:
            return "unattributed: the article states it in its own voice"
        hops = [f"{s.name} ({s.kind})" for s in self.chain]
        out = " → via ".join(hops)
        return out + (" → back to a source already in the chain (circular)" if self.circular else "")


@dataclass(slots=True)
class Item:
    """One reported proposition (or a flagged/conflicting claim outside any proposition)."""

    id: str
    kind: str  # "proposition" or "claim"
    label: str
    proposition: Proposition | None
    claims: list[ClaimView] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  # display names of independent origins
    evidence: list[str] = field(default_factory=list)  # plain statements, never a verdict
    rating: str = ""  # schema.org reviewRating alternateName


@dataclass(slots=True)
class Report:
    corpus: Corpus
    summary: dict[str, int]
    items: list[Item]
    scope: str = ""  # what the report was limited to (--proposition / --entity), if anything


def short(text: str, size: int = 300) -> str:
    """``text`` on one line, cut to ``size`` characters (a label, never evidence)."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str, str]:
    """``(before, quote, after)`` around ``text[start:end]``, clipped at white space."""
    lo, hi = max(0, start - width), min(len(text), end + width)
    before, after = text[lo:start], text[end:hi]
    if lo > 0:
        cut = before.find(" ")
        before = "…" + (before[cut + 1:] if 0 <= cut < len(before) - 1 else before)
    if hi < len(text):
        cut = after.rfind(" ")
        after = (after[:cut] if cut > 0 else after) + "…"
    return before, text[start:end], after


def cites_map(corpus: Corpus, article: str | ArticleGraph,
              everyone: dict[str, str] | None = None) -> Mapping[str, str]:
    """``{source: its source}`` from every article's ``cites``, the given article's first.

    ``everyone`` is the corpus-wide map (first seen wins), computed here if not given.
    """
    if everyone is None:
        everyone = {}
        for g in corpus.articles:
            for s, via in g.cites:
                everyone.setdefault(s, via)
    own: dict[str, str] = {}
    graph = article if isinstance(article, ArticleGraph) else next(
        (g for g in corpus.articles if g.article.id == article), None)
    for s, via in graph.cites if graph else ():
        own.setdefault(s, via)
    return ChainMap(own, everyone) if own else everyone


def follow(ids: list[str], cites: Mapping[str, str],
           sources: dict[str, Source]) -> tuple[tuple[Source, ...], bool]:
    """``ids`` extended through ``cites`` to the last known source; ``True`` if it loops."""
    ids = list(ids)
    circular = len(set(ids)) < len(ids)
    while not circular and ids[-1] in cites:
        nxt = cites[ids[-1]]
        circular = nxt in ids
        if not circular:
            ids.append(nxt)
    return tuple(sources.get(i, Source(i, f"source {i}", "none")) for i in dict.fromkeys(ids)), circular


def chain_of(claim: Claim, corpus: Corpus, sources: dict[str, Source],
             cites: Mapping[str, str] | None = None) -> tuple[tuple[Source, ...], bool]:
    """The attribution chain claim → source → via → … following ``ArticleGraph.cites``."""
    if claim.attribution is None:
        return (), False
    ids = [claim.attribution.source, *([claim.attribution.via] if claim.attribution.via else [])]
    return follow(ids, cites if cites is not None else cites_map(corpus, claim.article), sources)


def evidence_of(item: Item, origins: int) -> tuple[list[str], str]:
    """Plain statements of the evidence and the rating label; never a truth verdict."""
    out: list[str] = []
    confirmed = any(c.review == "confirmed" for c in item.conflicts)
    if item.conflicts:
        n = len(item.conflicts)
        out.append(f"contested: {n} conflict{'s' if n != 1 else ''} between accounts")
    kinds = list(dict.fromkeys(f.kind for f in item.flags))
    out.extend(f"flagged: {FLAG_WORDS.get(k, k)}" for k in kinds)
    if origins == 1:
        out.append("single origin: every account traces back to one source")
    elif origins > 1:
        out.append(f"{origins} independent origins stand behind these accounts" if item.conflicts
                   else f"corroborated by {origins} independent origins")
    if item.conflicts:
        rating = "Conflicting reports (" + ("reviewer-confirmed conflict" if confirmed
                                            else "machine-flagged, unreviewed") + ")"
    elif kinds:
        rating = f"{FLAG_WORDS.get(kinds[0], kinds[0]).capitalize()} (machine-flagged, unreviewed)"
    else:
        rating = "No conflict or flag found (machine check, unreviewed)"
    return out, rating


SAFE_SCHEMES = ("http", "https", "mailto")


def safe_url(url: str | None) -> str | None:
    """``url`` if its scheme is http, https or mailto (after trimming), else ``None``."""
    if not url:
        return None
    url = url.strip()
    if any(ord(ch) < 32 or ch.isspace() for ch in url):
        return None  # "java\tscript:" and friends
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES else None
