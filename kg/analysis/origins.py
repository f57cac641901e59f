"""Independent origins: where a claim finally comes from, and which claims share it.

* ``chain(claim, sources, cites)``: the claim's attribution source, then its ``via``,
  then each source's own source (``cites``: the claim's ``ArticleGraph.cites``), up to
  the primary source; it stops before a source would repeat (``walk`` reports that).
* A claim's **origin** is
  - the primary source of its chain when that source is named (kind not in
    ``[flags].unnamed_kinds``): an organisation, person or official is its own origin;
  - for a publication, or for an unattributed or anonymously sourced claim, the
    *origin group* of the publication or of the claim's article. Articles and
    publications are joined into one group when an article cites the publication
    standalone ("Source: Financial Times": a citation whose cue lies outside every
    claim; ``[origins].standalone_only``) or is published by it, and a publication
    joins the named source it cites ("the FT, citing Reuters", from ``cites``). So 000 ("Source:
    Financial Times") and an FT-attributed claim of 004 share one origin, the FT.
* A group's id is its first publication's Source.id (by name), else the article id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kg.analysis.explain import article_label
from kg.data import vocabulary
from kg.model import ArticleGraph, Citation, Claim, Corpus, Source


def _cites_map(cites: Iterable[tuple[str, str]] | Mapping[str, str]) -> dict[str, str]:
    if isinstance(cites, Mapping):
        return dict(cites)
    out: dict[str, str] = {}
    for src, its in sorted(cites):
        out.setdefault(src, its)
    return out


def walk(claim: Claim, cites: Iterable[tuple[str, str]] | Mapping[str, str]) -> tuple[list[str], bool]:
    """Source ids from the claim's attribution to its primary source; True if it loops."""
    if claim.attribution is None:
        return [], False
    step = _cites_map(cites)
    ids = [claim.attribution.source]
    nxt = claim.attribution.via or step.get(ids[0])
    while nxt is not None:
        if nxt in ids:
            return ids, True
        ids.append(nxt)
        nxt = step.get(nxt)
    return ids, False


def chain(claim: Claim, sources: Mapping[str, Source],
          cites: Iterable[tuple[str, str]] | Mapping[str, str]) -> list[Source]:
    """The sources from ``claim``'s attribution to its primary source (empty if unattributed)."""
    ids, _ = walk(claim, cites)
    return [sources.get(i) or Source(i, i, "none") for i in ids]


def standalone(graph: ArticleGraph) -> list[Citation]:
    """Citations of ``graph`` whose cue lies outside every claim: they source the whole article."""
    return [c for c in graph.citations
            if not any(cl.start < c.cue.end and c.cue.start < cl.end for cl in graph.claims)]


def unnamed_kinds() -> frozenset[str]:
    return vocabulary().analysis.flags.unnamed_kinds


@dataclass(slots=True)
class Origins:
    """Origin of every claim of a corpus, with names for display."""

    of_claim: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    article_origin: dict[str, str] = field(default_factory=dict)
    sourced: set[str] = field(default_factory=set)  # claim ids whose origin is a source

    def of(self, claim_ids: Iterable[str]) -> tuple[str, ...]:
        """The distinct origins of ``claim_ids``, sorted."""
        return tuple(sorted({self.of_claim[c] for c in claim_ids if c in self.of_claim}))

    def name(self, origin: str) -> str:
        return self.names.get(origin, origin)


class _Groups:
    """Union-find over "a:<article id>" and "s:<source id>" nodes."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def build(corpus: Corpus) -> Origins:
    sources = corpus.sources()
    cites = _cites_map({pair for g in corpus.articles for pair in g.cites})  # for publications
    unnamed = unnamed_kinds()
    only_standalone = vocabulary().analysis.origins.standalone_only
    by_name = {s.name.casefold(): s for s in sources.values()}
    groups = _Groups()

    def primary(source_id: str) -> str:
        """A publication's own named source, if it cites one ("FT, citing Reuters")."""
        seen = [source_id]
        while (nxt := cites.get(seen[-1])) is not None and nxt not in seen and (
                nxt in sources and sources[nxt].kind not in unnamed):
            seen.append(nxt)
        return seen[-1]

    for s in sources.values():
        if s.kind == "publication":
            groups.join("s:" + s.id, "s:" + primary(s.id))
    for g in corpus.articles:
        groups.find("a:" + g.article.id)
        for cite in standalone(g) if only_standalone else g.citations:
            groups.join("a:" + g.article.id, "s:" + cite.source)
        pub = by_name.get((g.article.publisher or "").casefold())
        if pub is not None:
            groups.join("a:" + g.article.id, "s:" + pub.id)
    members: dict[str, list[str]] = {}
    for node in list(groups.parent):
        members.setdefault(groups.find(node), []).append(node)

    reps: dict[str, str] = {}

    def rep(node: str) -> str:
        """The origin that stands for ``node``'s whole group (worked out once per group)."""
        root = groups.find(node)
        if root not in reps:
            reps[root] = _rep(members.get(root, []), sources)
        return reps[root] or node[2:]

    out = Origins()
    for s in sources.values():
        out.names[s.id] = s.name
    for g in corpus.articles:
        out.names[g.article.id] = article_label(g.article.id, g.article.source)
        out.article_origin[g.article.id] = rep("a:" + g.article.id)
        for c in g.claims:
            ids, _ = walk(c, g.cites)
            named = [i for i in ids if sources.get(i, Source(i, i, "none")).kind not in unnamed]
            if named:
                top = named[-1]
                kind = sources[top].kind
                out.of_claim[c.id] = rep("s:" + top) if kind == "publication" else top
            else:
                out.of_claim[c.id] = out.article_origin[g.article.id]
            if out.of_claim[c.id] in sources:
                out.sourced.add(c.id)
    return out


def _rep(nodes: list[str], sources: Mapping[str, Source]) -> str:
    """A group's origin: its first publication by name, else its first article ("" if none)."""
    pubs = sorted((sources[n[2:]].name.casefold(), n[2:]) for n in nodes
                  if n.startswith("s:") and n[2:] in sources)
    if pubs:
        return pubs[0][1]
    articles = [n[2:] for n in nodes if n.startswith("a:")]
    return min(articles) if articles else ""


def article_cycles(corpus: Corpus) -> list[list[tuple[Citation, str]]]:
    """Cycles of articles citing each other's publisher: each a list of (citation, cited article).

    The graph walked is bipartite: an article points at each publisher it cites, a
    publisher at each of its articles. Linking articles directly would give every
    citation of a big outlet one edge per article of that outlet (tens of millions at
    10,000 articles); this way there is one edge per citation and one per article. An
    article citing its own publisher is no loop between outlets and adds no edge.
    """
    sources = corpus.sources()
    graph: dict[str, list[str]] = {}
    first_cite: dict[tuple[str, str], Citation] = {}  # (article, publisher) -> its first citation
    for g in sorted(corpus.articles, key=lambda g: g.article.id):
        aid = "a:" + g.article.id
        own = "p:" + g.article.publisher.casefold() if g.article.publisher else ""
        if own:
            graph.setdefault(own, []).append(aid)
        for cite in g.citations:
            src = sources.get(cite.source)
            pub = "p:" + src.name.casefold() if src else own
            if pub != own and first_cite.setdefault((aid, pub), cite) is cite:
                graph.setdefault(aid, []).append(pub)
    for succ in graph.values():
        succ.sort()
    # One loop per group of articles that cite each other round (a strongly connected
    # component): listing every simple cycle explodes combinatorially on large corpora.
    cycles: list[list[tuple[Citation, str]]] = []
    for component in sorted(strong_components(graph), key=min):
        if len(component) < 2:
            continue
        loop = shortest_cycle(graph, min(component), component)  # a:, p:, a:, p: ...
        hops = [(a, b) for a, b in zip(loop, loop[1:] + loop[:1], strict=True) if a.startswith("a:")]
        nxt = {a: b for a, b in zip(loop, loop[1:] + loop[:1], strict=True)}
        cycles.append([(first_cite[(a, p)], nxt[p][2:]) for a, p in hops])
    return cycles


def strong_components(graph: Mapping[str, list[str]]) -> list[set[str]]:
    """The strongly connected components of ``graph`` (node -> successors): Tarjan's
    algorithm, iterative, so a long citation chain cannot overflow the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, succ = work[-1]
            nxt = next(succ, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                out.append(group)
    return out


def shortest_cycle(graph: Mapping[str, list[str]], start: str, within: set[str]) -> list[str]:
    """The nodes of a shortest cycle through ``start`` inside ``within`` (a strongly
    connected component, so one exists), from ``start``; breadth-first, successors in
    sorted order, so the same graph always gives the same loop."""
    parent: dict[str, str] = {}
    frontier = [start]
    while frontier:
        ahead: list[str] = []
        for node in frontier:
            for nxt in graph.get(node, ()):
                if nxt not in within:
                    continue
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return path[::-1]
                if nxt not in parent:
                    parent[nxt] = node
                    ahead.append(nxt)
        frontier = ahead
    return [start]
