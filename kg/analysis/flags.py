"""Flags: claims and propositions a fact-checker should look at, each with rule and evidence.

Rules (``Flag.rule``):

* ``unsupported.no-source`` (target: claim): an event claim of a proposition (an event
  said to be considered, enacted or lifted: ``[flags].unsupported_statuses``) that the
  article states as plain fact (certainty "asserted"), with no attribution and no
  standalone citation of its article, while no claim of the same proposition in
  another article traces to a source either. Only check-worthy event claims are
  flagged, not every sentence of an article's own analysis: the proposition must name
  an actor or a target (``unsupported_needs_entity``: "we foresee more debate about
  export controls" is analysis, "the US government has imposed a ban on Anthropic" is
  a checkable event). Two articles asserting the same event without a source
  corroborate nothing (either may copy the other).
* ``anonymous.unnamed-source`` (claim): attributed, and every source on its chain is
  unnamed ("officials said", "analysts suggest", "reportedly": kinds
  ``[flags].unnamed_kinds``); ``anonymous.reported-adverb``: no attribution, but a
  reporting adverb of attribution.toml's ``[adverbs].reported`` as certainty cue ("X
  reportedly did Y").
* ``single-origin.shared-source`` (proposition): claims from two or more articles, all
  tracing to one origin; ``single-origin.one-article``: a proposition whose claims all
  come from one article and one origin (``[flags].single_article``).
* ``hedge-laundering.same-origin`` / ``.cited-article`` / ``.later-article`` (claim):
  a proposition's claim is hedged, reported, speculative or attributed in one article
  and stated as plain, unattributed fact in another that is downstream of it: it
  traces to the same origin, cites the first article's publisher, or was published later.
* ``circular.article-cycle`` (claim): articles that cite each other's publisher in a
  loop; ``circular.source-loop``: a claim whose source chain comes back on itself.

Explanations quote the evidence. Ids: ``short_hash("flag", rule, target)``.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.analysis.explain import quote
from kg.analysis.origins import Origins, article_cycles, chain, standalone, unnamed_kinds, walk
from kg.analysis.slots import ANY
from kg.data import vocabulary
from kg.model import ArticleGraph, Claim, Corpus, Flag, Proposition, Source, Span, short_hash

_SOFT = ("hedged", "reported", "speculative")


def _span(c: Claim) -> Span:
    return Span(c.article, c.start, c.end, c.text)


def _q(c: Claim, cue: Span | None = None) -> str:
    limit = vocabulary().analysis.flags.quote_chars
    if cue is not None and cue.article == c.article and c.start <= cue.start <= c.end:
        return quote(c.text, cue.start - c.start, cue.end - c.start, limit)
    return quote(c.text, limit=limit)


def _flag(target: str, kind: str, rule: str, explanation: str, evidence: Iterable[Span | None]) -> Flag:
    spans = tuple(dict.fromkeys(s for s in evidence if s is not None))
    return Flag(short_hash("flag", rule, target), target, kind, rule, explanation, spans)


def find(corpus: Corpus, propositions: list[Proposition], origins: Origins) -> list[Flag]:
    """Every flag over ``corpus``, given its propositions (with origins) and claim origins."""
    claims = {c.id: c for c in corpus.claims()}
    flags = [*_unsupported(corpus, propositions, origins, claims), *_anonymous(corpus, origins),
             *_single_origin(propositions, origins, claims),
             *_laundering(corpus, propositions, origins, claims), *_circular(corpus, origins)]
    unique = {f.id: f for f in flags}
    return sorted(unique.values(), key=lambda f: (f.kind, f.rule, f.target))


def _unsupported(corpus: Corpus, props: list[Proposition], origins: Origins,
                 claims: dict[str, Claim]) -> Iterable[Flag]:
    cfg = vocabulary().analysis.flags
    statuses, needs_entity = cfg.unsupported_statuses, cfg.unsupported_needs_entity
    cited = {g.article.id for g in corpus.articles if standalone(g)}
    for p in props:
        slots = p.key.split("|")
        if needs_entity and len(slots) > 2 and slots[1] == ANY and slots[2] == ANY:
            continue
        members = [claims[i] for i in p.claims if i in claims]
        sourced = {o.article for o in members if o.id in origins.sourced}  # linear, not pairwise
        for c in members:
            if (c.certainty != "asserted" or c.attribution is not None or c.article in cited
                    or c.event_status not in statuses):
                continue
            if sourced - {c.article}:
                continue
            who = origins.name(c.article)
            others = len({o.article for o in members}) - 1
            also = f"; {others} other article(s) repeat it without a source either" if others else ""
            yield _flag(c.id, "unsupported", "unsupported.no-source",
                        f"Unsupported: {who} states {_q(c, c.event_cue)} as plain fact with no source "
                        f"(proposition {p.label}){also}.", [_span(c), c.event_cue])


def _anonymous(corpus: Corpus, origins: Origins) -> Iterable[Flag]:
    sources = corpus.sources()
    unnamed = unnamed_kinds()
    adverbs = vocabulary().attribution.adverbs.reported  # the adverbs of the reportedly cue
    for g in corpus.articles:
        yield from _anonymous_in(g, sources, origins, unnamed, adverbs)


def _anonymous_in(g: ArticleGraph, sources: dict[str, Source], origins: Origins,
                  unnamed: frozenset[str], adverbs: frozenset[str]) -> Iterable[Flag]:
    for c in g.claims:
        who = origins.name(c.article)
        if c.attribution is not None:
            path = chain(c, sources, g.cites)
            if path and all(s.kind in unnamed for s in path):
                cue = c.attribution.cue
                yield _flag(c.id, "anonymous", "anonymous.unnamed-source",
                            f"Anonymous: {who} rests {_q(c, cue)} only on unnamed sources "
                            f"({', '.join(repr(s.name) for s in path)}"
                            f"{', cue ' + repr(cue.text) if cue else ''}).",
                            [cue, _span(c)])
        elif c.certainty_cue is not None and c.certainty_cue.text.lower() in adverbs:
            yield _flag(c.id, "anonymous", "anonymous.reported-adverb",
                        f"Anonymous: {who} says {_q(c, c.certainty_cue)} with {c.certainty_cue.text!r} "
                        "and names no source.", [c.certainty_cue, _span(c)])


def _single_origin(props: list[Proposition], origins: Origins, claims: dict[str, Claim]) -> Iterable[Flag]:
    one_article = vocabulary().analysis.flags.single_article
    for p in props:
        members = [claims[i] for i in p.claims if i in claims]
        if len(p.origins) != 1 or not members:
            continue
        arts = sorted({origins.name(c.article) for c in members})
        name = origins.name(p.origins[0])
        if len(arts) > 1:
            rule = "single-origin.shared-source"
            text = (f"Single origin: {len(members)} claims in {len(arts)} articles ({', '.join(arts)}) "
                    f"on {p.label} all trace to {name}, e.g. {_q(members[0])}.")
        elif one_article:
            rule = "single-origin.one-article"
            via = "" if name == arts[0] else f" (tracing to {name})"
            text = f"Single origin: {p.label} rests on one article, {arts[0]}{via}: {_q(members[0], members[0].event_cue)}."
        else:
            continue
        yield _flag(p.id, "single-origin", rule, text, [_span(c) for c in members])


def _soft(c: Claim) -> bool:
    return c.certainty in _SOFT or c.attribution is not None


def _laundering(corpus: Corpus, props: list[Proposition], origins: Origins,
                claims: dict[str, Claim]) -> Iterable[Flag]:
    arts = {g.article.id: g for g in corpus.articles}
    sources = corpus.sources()
    for p in props:
        members = [claims[i] for i in p.claims if i in claims]
        for y in members:
            if y.certainty != "asserted" or y.attribution is not None:
                continue
            for x in members:
                if x.article == y.article or not _soft(x):
                    continue
                rule = _downstream(x, y, origins, arts, sources)
                if rule is None:
                    continue
                how = []
                if x.attribution is not None:
                    src = sources.get(x.attribution.source)
                    how.append(f"attributed to {src.name if src else x.attribution.source}")
                if x.certainty in _SOFT:
                    how.append(x.certainty + (f" {x.certainty_cue.text!r}" if x.certainty_cue else ""))
                acue = x.attribution.cue if x.attribution else None
                yield _flag(y.id, "hedge-laundering", rule,
                            f"Hedge laundering: {origins.name(x.article)} says {_q(x, x.certainty_cue or acue)} "
                            f"({', '.join(how)}) while {origins.name(y.article)}, downstream, states "
                            f"{_q(y, y.event_cue)} as plain fact.",
                            [acue, x.certainty_cue, _span(x), _span(y)])
                break


def _downstream(x: Claim, y: Claim, origins: Origins, arts: dict[str, ArticleGraph],
                sources: dict[str, Source]) -> str | None:
    if origins.of_claim.get(x.id) == origins.of_claim.get(y.id) and x.id in origins.sourced:
        return "hedge-laundering.same-origin"
    pub = (arts[x.article].article.publisher or "").casefold() if x.article in arts else ""
    if pub and y.article in arts and any(
            (s := sources.get(c.source)) is not None and s.name.casefold() == pub for c in arts[y.article].citations):
        return "hedge-laundering.cited-article"
    dx = arts[x.article].article.published if x.article in arts else None
    dy = arts[y.article].article.published if y.article in arts else None
    if dx and dy and dx < dy:
        return "hedge-laundering.later-article"
    return None


def _circular(corpus: Corpus, origins: Origins) -> Iterable[Flag]:
    sources = corpus.sources()
    walks = ((c, walk(c, g.cites)) for g in corpus.articles for c in g.claims)
    for c, (ids, looped) in walks:
        if looped:
            names = " -> ".join(sources[i].name if i in sources else i for i in [*ids, ids[0]])
            yield _flag(c.id, "circular", "circular.source-loop",
                        f"Circular: {origins.name(c.article)} says {_q(c)} on a source chain that loops ({names}).",
                        [c.attribution.cue if c.attribution else None, _span(c)])
    by_id = {g.article.id: g for g in corpus.articles}
    for cycle in article_cycles(corpus):
        loop = " -> ".join(origins.name(cite.article) for cite, _ in cycle) + " -> " + origins.name(cycle[0][0].article)
        for cite, _ in cycle:
            g = by_id[cite.article]
            hit = [c for c in g.claims if c.attribution and c.attribution.source == cite.source] or g.claims[:1]
            for c in hit:
                yield _flag(c.id, "circular", "circular.article-cycle",
                            f"Circular: {origins.name(c.article)} cites {cite.cue.text!r} in a loop of articles "
                            f"citing each other ({loop}); {_q(c)} has no independent origin.",
                            [cite.cue, *(cc.cue for cc, _ in cycle if cc is not cite), _span(c)])
