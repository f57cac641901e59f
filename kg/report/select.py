"""What a report shows: the contested or flagged propositions and claims, as plain views.

Every format (HTML, Markdown, JSON-LD, CSV) renders the same ``Report``; nothing here
decides what is true. An item states the evidence only: contested (conflicting
accounts), unsupported, single origin, or corroborated by N independent origins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import E, KGError
from kg.model import Article, Claim, Conflict, Corpus, Flag, Proposition, Source

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


def cites_map(corpus: Corpus, article: str) -> dict[str, str]:
    """``{source: its source}`` from every article's ``cites``, the given article's first."""
    cites: dict[str, str] = {}
    graphs = sorted(corpus.articles, key=lambda g: g.article.id != article)
    for g in graphs:
        for s, via in g.cites:
            cites.setdefault(s, via)
    return cites


def follow(ids: list[str], cites: dict[str, str],
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
             cites: dict[str, str] | None = None) -> tuple[tuple[Source, ...], bool]:
    """The attribution chain claim → source → via → … following ``ArticleGraph.cites``."""
    if claim.attribution is None:
        return (), False
    ids = [claim.attribution.source, *([claim.attribution.via] if claim.attribution.via else [])]
    return follow(ids, cites if cites is not None else cites_map(corpus, claim.article), sources)


def _candidates(corpus: Corpus) -> list[tuple[Item, list[str]]]:
    """Every proposition and every loose claim, with the claim ids each one quotes."""
    an = corpus.analysis
    by_id = {c.id: c for c in corpus.claims()}
    live = [c for c in an.conflicts
            if c.review != "rejected" and c.claim_a in by_id and c.claim_b in by_id]
    out: list[tuple[Item, list[str]]] = []
    covered: set[str] = set()
    for p in an.propositions:
        members = [i for i in p.claims if i in by_id]
        covered.update(members)
        conflicts = [c for c in live if c.claim_a in members or c.claim_b in members]
        flags = [f for f in an.flags if f.target == p.id or f.target in members]
        label = short(p.label or (by_id[members[0]].text if members else p.key))
        ids = [*members, *(x for c in conflicts for x in (c.claim_a, c.claim_b))]
        out.append((Item(p.id, "proposition", label, p, conflicts=conflicts, flags=flags),
                    list(dict.fromkeys(ids))))
    for c in by_id.values():
        if c.id in covered:
            continue
        conflicts = [k for k in live if c.id in (k.claim_a, k.claim_b)]
        flags = [f for f in an.flags if f.target == c.id]
        ids = [c.id, *(x for k in conflicts for x in (k.claim_a, k.claim_b))]
        out.append((Item(c.id, "claim", short(c.text), None, conflicts=conflicts, flags=flags),
                    list(dict.fromkeys(ids))))
    return out


def _entity_claims(corpus: Corpus, name: str) -> set[str]:
    """Ids of claims that mention the entity called ``name`` (E207 if none does)."""
    key = name.casefold().strip()
    ents = [e for e in corpus.analysis.entities
            if key in (n.casefold() for n in (e.name, *e.aliases))]
    ids = {e.id for e in ents}
    spans = {(m.article, m.start, m.end) for e in ents for m in e.mentions}
    found: set[str] = set()
    for c in corpus.claims():
        if (c.frame.target in ids or any(m.entity in ids for m in c.mentions)
                or any(a == c.article and c.start <= s and e <= c.end for a, s, e in spans)
                or (not ents and key in c.text.casefold())):  # no entity records: match the text
            found.add(c.id)
    if not found:
        raise KGError(E.E207, option="--entity",
                      detail=f"no claim mentions {name!r}; list them with `kg entities`.")
    return found


def build(corpus: Corpus, proposition: str | None = None, entity: str | None = None) -> Report:
    """The report's items: contested or flagged ones, or exactly the ones asked for."""
    sources = corpus.sources()
    articles = {g.article.id: g.article for g in corpus.articles}
    by_id = {c.id: c for c in corpus.claims()}
    cands = _candidates(corpus)
    scope = ""
    if proposition is not None:
        hits = [x for x in cands if x[0].kind == "proposition" and x[0].id == proposition]
        hits = hits or [x for x in cands if x[0].kind == "proposition" and x[0].id.startswith(proposition)]
        if len(hits) != 1:
            why = "no proposition has that id" if not hits else "that prefix matches several"
            raise KGError(E.E207, option="--proposition",
                          detail=f"{proposition!r}: {why}; see the ids in an unfiltered report.")
        cands, scope = hits, f"proposition {hits[0][0].id}"
    else:
        cands = [x for x in cands if x[0].conflicts or x[0].flags]
    if entity is not None:
        wanted = _entity_claims(corpus, entity)
        cands = [x for x in cands if wanted.intersection(x[1])]
        scope = (scope + "; " if scope else "") + f"entity {entity}"
    cands.sort(key=lambda x: (-len(x[0].conflicts), -len(x[0].flags), x[0].label.casefold()))
    seen: set[str] = set()
    graphs = {g.article.id: g for g in corpus.articles}
    cites: dict[str, dict[str, str]] = {}
    cited: dict[str, tuple[tuple[Source, ...], ...]] = {}
    items = []
    for item, ids in cands:
        own = set(item.proposition.claims) if item.proposition else {item.id}
        for i in ids:
            c = by_id[i]
            art = articles[c.article]
            if c.article not in cites:
                cites[c.article] = cites_map(corpus, c.article)
                cited[c.article] = tuple(
                    follow([x.source], cites[c.article], sources)[0]
                    for x in graphs[c.article].citations)
            chain, circular = chain_of(c, corpus, sources, cites[c.article])
            flags = tuple(f for f in corpus.analysis.flags if f.target == c.id)
            item.claims.append(ClaimView(c, art, *context(art.text, c.start, c.end),
                                         chain=chain, circular=circular, flags=flags,
                                         anchor=c.id not in seen, cited=cited[c.article],
                                         member=i in own))
            seen.add(c.id)
        origin_ids = item.proposition.origins if item.proposition else ()
        item.origins = [_origin_name(o, sources, articles) for o in origin_ids]
        item.evidence, item.rating = evidence_of(item, len(origin_ids))
        items.append(item)
    an = corpus.analysis
    summary = {"articles": len(corpus.articles), "claims": len(by_id),
               "propositions": len(an.propositions), "conflicts": len(an.conflicts),
               "flags": len(an.flags), "reported": len(items)}
    return Report(corpus, summary, items, scope)


def _origin_name(oid: str, sources: dict[str, Source], articles: dict[str, Article]) -> str:
    if oid in sources:
        return f"{sources[oid].name} ({sources[oid].kind})"
    if oid in articles:
        a = articles[oid]
        return f"article {a.title or a.source} ({a.id})"
    return oid


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
