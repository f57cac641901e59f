"""emergent-dev's adapter: kg's records of one cluster -> ``{cluster_id, conflict, hedged_article_ids}``.

The data set (``make_corpora.py``) lays a cluster out as ``CLUSTER/<article id>.txt``,
bodies only, no labels; its ``score.py`` asks two things of each cluster:

* ``conflict``: kg found at least one conflict between claims of *different* articles.
* ``hedged_article_ids``: the articles whose **main claim about the story** kg marks as
  reported rather than asserted.

An article's main claims, from kg's records alone (never the labels):

1. its claims that belong to a proposition other articles of the cluster also carry;
2. else its ``TOP`` claims that share the most of the cluster's shared words (content
   words, not spaCy's English stop words, found in at least half of the cluster's
   articles and in at least two), earlier claims first on a tie;
3. else (no claim shares any) its ``TOP`` leading claims.

The article is hedged when more than half of its main claims are reported (certainty
reported, hedged or speculative, or an attribution to a source other than the article's
own publisher), or, on an exact tie, when the first of them is. This is the baseline
rule: it reads kg's certainty and attribution as they are, so the figure rises as they
improve.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from kg.model import ArticleGraph, Claim, Corpus, Source

#: main claims taken per article when no proposition is shared
TOP = 3
#: certainties that report a claim instead of asserting it
NOT_ASSERTED = frozenset({"reported", "hedged", "speculative"})
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,.]*\d|\d", re.UNICODE)


def article_key(graph: ArticleGraph) -> str:
    """The article id emergent-dev uses: the corpus file's stem."""
    return Path(graph.article.source).stem


def words(text: str) -> set[str]:
    """The content words of a text: lower-cased, without English stop words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return {w for w in (m.group(0).casefold().strip("'’-") for m in _WORD.finditer(text))
            if len(w) > 2 and w not in STOP_WORDS}


def shared_words(corpus: Corpus) -> set[str]:
    """Words found in at least half of the cluster's articles, and in at least two."""
    df: Counter[str] = Counter()
    for g in corpus.articles:
        df.update(words(g.article.text))
    need = max(2, -(-len(corpus.articles) // 2))
    return {w for w, n in df.items() if n >= need}


def main_claims(corpus: Corpus, graph: ArticleGraph, shared: set[str]) -> list[Claim]:
    """The article's claims about the story (see the module docstring), in order of weight."""
    owner = {c.id: c.article for c in corpus.claims()}
    mine = {c.id: c for c in graph.claims}
    in_shared = {i for p in corpus.analysis.propositions
                 if len({owner.get(x) for x in p.claims} - {None}) >= 2
                 for i in p.claims if i in mine}
    if in_shared:
        return sorted((mine[i] for i in in_shared), key=lambda c: c.start)
    scored = [(len(words(c.text) & shared), c) for c in graph.claims]
    if any(n for n, _ in scored):
        ranked = sorted((x for x in scored if x[0]), key=lambda x: (-x[0], x[1].start))
        return [c for _, c in ranked[:TOP]]
    return sorted(graph.claims, key=lambda c: c.start)[:TOP]


def is_reported(claim: Claim, sources: dict[str, Source], publisher: str | None) -> bool:
    """Certainty reported/hedged/speculative, or a source that is not the article itself."""
    if claim.certainty in NOT_ASSERTED:
        return True
    if claim.attribution is None:
        return False
    src = sources.get(claim.attribution.source)
    if src is None or src.kind == "none":
        return False
    return not (publisher and src.name.casefold() == publisher.casefold())


def hedged(claims: list[Claim], sources: dict[str, Source], publisher: str | None) -> bool:
    """More than half of the main claims reported; on a tie, the first one decides."""
    if not claims:
        return False
    marks = [is_reported(c, sources, publisher) for c in claims]
    k, n = sum(marks), len(marks)
    return 2 * k > n or (2 * k == n and marks[0])


def predict(name: str, corpus: Corpus) -> dict[str, object]:
    """The prediction file of one cluster (``name`` = the cluster folder's name)."""
    owner = {c.id: c.article for c in corpus.claims()}
    conflict = any(owner.get(k.claim_a) != owner.get(k.claim_b) for k in corpus.analysis.conflicts)
    shared, sources = shared_words(corpus), corpus.sources()
    marked = [article_key(g) for g in corpus.articles
              if hedged(main_claims(corpus, g, shared), sources, g.article.publisher)]
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
