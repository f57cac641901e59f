"""Does the record cache say what the RDF store holds? (``kg check``, besides SHACL)

Reports and the CLI read the cache (``cache/ID.json``, ``analysis.json``); queries read
the RDF graphs. A build writes both (``kg.store.articles``, ``kg.store.analysis``), but a
kill between two writes, a file edited or deleted by hand, or a SPARQL update run on
the store can make them tell different stories, and then a report and a query
disagree without a word. ``disagreements`` compares them:

- the articles: one cache entry per article graph, and no other;
- each article's claims: the claim ids of its cache entry and of its graph;
- the analysis: the ids of the entities, propositions, conflicts, disputes and flags in
  ``analysis.json`` and in the analysis graph, and, when those agree, the graph's
  digest (``kg.store.sync``) against the digest of the records ``analysis.json`` makes.

Each disagreement names the file, the graph, the id, and what repairs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.graph.analysis import analysis_records
from kg.graph.ns import GRAPH_ANALYSIS, GRAPH_ARTICLE, KG, RDF, iri
from kg.model import ArticleGraph, Corpus
from kg.store.cache import ANALYSIS_FILE, CACHE_DIR, cached_ids, load_analysis, load_article
from kg.store.disk import article_ids
from kg.store.sync import graph_state, records_digest, stored_digest

if TYPE_CHECKING:
    from pyoxigraph import Store

REBUILD = "run `kg build` again on the same inputs"
#: for a graph the build cannot know was changed: its cache entry goes, so it is parsed again
REPARSE = "remove {file} and " + REBUILD + " (the article is parsed again and its graph rewritten)"
FROM_SCRATCH = "remove the store directory and build it again"


@dataclass(frozen=True, slots=True)
class Disagreement:
    kind: str  # "article", "claim", "entity", "proposition", "conflict", "dispute", "flag", "analysis"
    ident: str  # the record's id ("" for the analysis as a whole)
    graph: str  # the article id, or "analysis"
    file: str  # the cache file, relative to the store: "cache/ID.json", "analysis.json"
    message: str


def disagreements(root: Path, st: Store) -> list[Disagreement]:
    """Every way the cache and the RDF store of the store at ``root`` disagree."""
    out: list[Disagreement] = []
    articles = _articles(root, st, out)
    if out:  # the analysis is compared over a complete corpus only
        return out
    try:
        analysis = load_analysis(root)
    except (OSError, ValueError, KeyError, TypeError) as err:
        return [Disagreement("analysis", "", "analysis", ANALYSIS_FILE,
                             f"{ANALYSIS_FILE} cannot be read ({err}); {REBUILD}.")]
    return _analysis(st, Corpus(articles=articles, analysis=analysis))


def _articles(root: Path, st: Store, out: list[Disagreement]) -> list[ArticleGraph]:
    graphs, cached = set(article_ids(st)), cached_ids(root)
    for aid in sorted(graphs - cached):
        out.append(Disagreement("article", aid, aid, _entry(aid),
                                f"the store holds article graph {aid} but the cache has no entry "
                                f"{_entry(aid)}; {REBUILD} (it parses the article again and writes both)."))
    for aid in sorted(cached - graphs):
        out.append(Disagreement("article", aid, aid, _entry(aid),
                                f"{_entry(aid)} has no article graph in the store (left by an interrupted "
                                f"build, or the graph was dropped); {REBUILD} (it removes the entry, "
                                "or parses the article again if it is among the inputs)."))
    in_graphs = _claims_by_graph(st)
    articles = []
    for aid in sorted(graphs & cached):
        g = load_article(root, aid)
        if g is None:
            out.append(Disagreement("article", aid, aid, _entry(aid),
                                    f"{_entry(aid)} cannot be read (damaged); {REBUILD}."))
            continue
        articles.append(g)
        fix = REPARSE.format(file=_entry(aid))
        held, listed = in_graphs.get(aid, set()), {c.id for c in g.claims}
        out.extend(Disagreement("claim", cid, aid, _entry(aid),
                                f"claim {cid} of {_entry(aid)} is missing from article graph {aid}; {fix}.")
                   for cid in sorted(listed - held))
        out.extend(Disagreement("claim", cid, aid, _entry(aid),
                                f"article graph {aid} holds claim {cid}, which {_entry(aid)} does not list; "
                                f"{fix}.")
                   for cid in sorted(held - listed))
    return articles


def _entry(aid: str) -> str:
    return f"{CACHE_DIR}/{aid}.json"


def _claims_by_graph(st: Store) -> dict[str, set[str]]:
    """``{article id: claim ids}`` of every node typed ``kg:Claim`` in an article graph
    (one scan of the store)."""
    from pyoxigraph import NamedNode

    prefix, out = iri("claim", ""), dict[str, set[str]]()
    for q in st.quads_for_pattern(None, NamedNode(RDF.type), NamedNode(KG.Claim), None):
        g, s = getattr(q.graph_name, "value", ""), getattr(q.subject, "value", "")
        if g.startswith(GRAPH_ARTICLE) and s.startswith(prefix):
            out.setdefault(g[len(GRAPH_ARTICLE):], set()).add(s[len(prefix):])
    return out


#: the analysis records compared by id: kind (as in the record's IRI), its class, its ids
_KINDS = (("entity", KG.Entity, lambda a: {e.id for e in a.entities}),
          ("proposition", KG.Proposition, lambda a: {p.id for p in a.propositions}),
          ("conflict", KG.Conflict, lambda a: {k.id for k in a.conflicts}),
          ("dispute", KG.Dispute, lambda a: {d.id for d in a.disputes}),
          ("flag", KG.Flag, lambda a: {f.id for f in a.flags}))


def _analysis(st: Store, corpus: Corpus) -> list[Disagreement]:
    state = graph_state(st, GRAPH_ANALYSIS)
    if state == "partial":
        return [Disagreement("analysis", "", "analysis", ANALYSIS_FILE,
                             "the analysis graph is incomplete (a build was interrupted while writing "
                             f"it); {REBUILD}.")]
    records = analysis_records(corpus)
    digest = records_digest(records) if records else None
    # the graph holds the digest of the records it was written from: when that is the digest
    # of analysis.json's records, the graph was changed after the build, not analysis.json
    fix = FROM_SCRATCH if digest is not None and stored_digest(st, GRAPH_ANALYSIS) == digest else REBUILD
    out: list[Disagreement] = []
    for kind, cls, ids in _KINDS:
        listed, held = ids(corpus.analysis), _ids_in_analysis_graph(st, kind, cls)
        out.extend(Disagreement(kind, x, "analysis", ANALYSIS_FILE,
                                f"{kind} {x} of {ANALYSIS_FILE} is missing from the analysis graph; {fix}.")
                   for x in sorted(listed - held))
        out.extend(Disagreement(kind, x, "analysis", ANALYSIS_FILE,
                                f"the analysis graph holds {kind} {x}, which {ANALYSIS_FILE} does not list; "
                                f"{fix}.")
                   for x in sorted(held - listed))
    if not out and state == "complete" and stored_digest(st, GRAPH_ANALYSIS) != records_digest(records):
        out.append(Disagreement("analysis", "", "analysis", ANALYSIS_FILE,
                                f"the analysis graph was written from other records than {ANALYSIS_FILE} "
                                f"holds (its digest differs); {REBUILD}."))
    return out


def _ids_in_analysis_graph(st: Store, kind: str, cls: str) -> set[str]:
    from pyoxigraph import NamedNode

    prefix = iri(kind, "")
    found = st.quads_for_pattern(None, NamedNode(RDF.type), NamedNode(cls), NamedNode(GRAPH_ANALYSIS))
    subjects = (getattr(q.subject, "value", "") for q in found)
    return {s[len(prefix):] for s in subjects if s.startswith(prefix)}

