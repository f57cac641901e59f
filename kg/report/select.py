"""What a report shows: the contested or flagged propositions and claims, as plain views.

Every format (HTML, Markdown, JSON-LD, CSV) renders the same ``Report``; nothing here
decides what is true. An item states the evidence only: contested (conflicting
accounts), unsupported, single origin, or corroborated by N independent origins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from kg.errors import E, KGError
from kg.model import Article, Conflict, Corpus, Flag, Source
from kg.report.views import (
    ClaimView,
    Item,
    Report,
    chain_of,
    cites_map,
    context,
    evidence_of,
    follow,
    short,
)


def _candidates(corpus: Corpus) -> list[tuple[Item, list[str]]]:
    """Every proposition and every loose claim, with the claim ids each one quotes."""
    an = corpus.analysis
    by_id = {c.id: c for c in corpus.claims()}
    on: dict[str, list[Conflict]] = defaultdict(list)  # claim id -> its live conflicts
    for k in an.conflicts:
        if k.review != "rejected" and k.claim_a in by_id and k.claim_b in by_id:
            on[k.claim_a].append(k)
            if k.claim_b != k.claim_a:
                on[k.claim_b].append(k)
    flagged: dict[str, list[Flag]] = defaultdict(list)
    for f in an.flags:
        flagged[f.target].append(f)
    out: list[tuple[Item, list[str]]] = []
    covered: set[str] = set()
    for p in an.propositions:
        members = [i for i in p.claims if i in by_id]
        covered.update(members)
        conflicts = list({id(k): k for i in members for k in on[i]}.values())
        flags = [*flagged[p.id], *(f for i in dict.fromkeys(members) for f in flagged[i])]
        label = short(p.label or (by_id[members[0]].text if members else p.key))
        ids = [*members, *(x for c in conflicts for x in (c.claim_a, c.claim_b))]
        out.append((Item(p.id, "proposition", label, p, conflicts=conflicts, flags=flags),
                    list(dict.fromkeys(ids))))
    for c in by_id.values():
        if c.id in covered or not (on[c.id] or flagged[c.id]):
            continue
        ids = [c.id, *(x for k in on[c.id] for x in (k.claim_a, k.claim_b))]
        out.append((Item(c.id, "claim", short(c.text), None, conflicts=list(on[c.id]),
                         flags=list(flagged[c.id])), list(dict.fromkeys(ids))))
    return out


def _entity_claims(corpus: Corpus, name: str) -> set[str]:
    """Ids of claims that mention the entity called ``name`` (E207 if none does)."""
    key = name.casefold().strip()
    ents = [e for e in corpus.analysis.entities
            if key in (n.casefold() for n in (e.name, *e.aliases))]
    ids = {e.id for e in ents}
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for e in ents:
        for m in e.mentions:
            spans[m.article].append((m.start, m.end))
    found: set[str] = set()
    for c in corpus.claims():
        if (c.frame.target in ids or any(m.entity in ids for m in c.mentions)
                or any(c.start <= s and e <= c.end for s, e in spans.get(c.article, ()))
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
    flags_of: dict[str, list[Flag]] = defaultdict(list)
    for f in corpus.analysis.flags:
        flags_of[f.target].append(f)
    graphs = {g.article.id: g for g in corpus.articles}
    cites: dict[str, Mapping[str, str]] = {}
    everyone: dict[str, str] = {}
    for g in corpus.articles:
        for src, via in g.cites:
            everyone.setdefault(src, via)
    cited: dict[str, tuple[tuple[Source, ...], ...]] = {}
    items = []
    for item, ids in cands:
        own = set(item.proposition.claims) if item.proposition else {item.id}
        for i in ids:
            c = by_id[i]
            art = articles[c.article]
            if c.article not in cites:
                cites[c.article] = cites_map(corpus, graphs[c.article], everyone)
                cited[c.article] = tuple(
                    follow([x.source], cites[c.article], sources)[0]
                    for x in graphs[c.article].citations)
            chain, circular = chain_of(c, corpus, sources, cites[c.article])
            flags = tuple(flags_of.get(c.id, ()))
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
