"""emergent-dev's adapter: kg's records of one cluster -> ``{cluster_id, conflict, hedged_article_ids}``.

The data set (``make_corpora.py``) lays a cluster out as ``CLUSTER/<article id>.txt``,
bodies only, no labels; its ``score.py`` asks two things of each cluster:

* ``conflict``: kg found at least one conflict between claims of *different* articles.
* ``hedged_article_ids``: the articles whose **main claim about the story** kg marks as
  reported rather than asserted.

The rule, from kg's records alone (never the labels): an article is hedged when kg's
voice of the article (``kg.analysis.voice.of_article``) is ``reports``: one of its lead
claims keeps its distance (hedged, second-hand, a rumour) or it says the story is
unverified, and its lead does not call the story false. The lead is the article's main
claim about the story (news states its story first); choosing the claims most similar
to the other articles' claims instead (WordLlama centrality) did no better on the
development set, so the simpler rule stays.
"""

from __future__ import annotations

import json
from pathlib import Path

from kg.analysis.voice import REPORTS, of_article
from kg.model import ArticleGraph, Corpus


def article_key(graph: ArticleGraph) -> str:
    """The article id emergent-dev uses: the corpus file's stem."""
    return Path(graph.article.source).stem


def predict(name: str, corpus: Corpus) -> dict[str, object]:
    """The prediction file of one cluster (``name`` = the cluster folder's name)."""
    owner = {c.id: c.article for c in corpus.claims()}
    conflict = any(owner.get(k.claim_a) != owner.get(k.claim_b) for k in corpus.analysis.conflicts)
    sources = corpus.sources()
    marked = [article_key(g) for g in corpus.articles if of_article(g, sources).stance == REPORTS]
    return {"cluster_id": name, "conflict": conflict, "hedged_article_ids": sorted(marked)}


def predict_folder(corpora: Path, out: Path, quiet: bool = False) -> list[dict[str, object]]:
    """Build every cluster of ``corpora`` and write ``out/<cluster_id>.json`` for each."""
    from tools.kg_eval.clusters import build_each

    out.mkdir(parents=True, exist_ok=True)
    made = []
    for built in build_each(corpora, quiet=quiet):
        pred = predict(built.name, built.corpus)
        (out / f"{built.name}.json").write_text(json.dumps(pred, indent=1) + "\n", encoding="utf-8")
        made.append(pred)
    return made
