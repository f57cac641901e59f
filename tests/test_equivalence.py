"""Cypher = SPARQL: every named query gives the same rows on Neo4j and on the embedded store.

For each query of ``queries/manifest.toml``, ``NAME.rq`` runs on the pyoxigraph store
(``kg.query.named.run_sparql``) and ``NAME.cypher`` on the graph pushed to Neo4j
(``kg.query.named.run_cypher``) with the same bound parameters; rows are normalised and
compared as multisets. Graphs: the seed store and a synthetic store of 120 articles with
every kind of node and relationship (generated here, no spaCy; also used by test_push).
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kg.model import (
    CERTAINTIES,
    CONFLICT_KINDS,
    FLAG_KINDS,
    REVIEW_STATES,
    Analysis,
    Article,
    ArticleGraph,
    Attribution,
    Citation,
    Claim,
    Conflict,
    Corpus,
    Entity,
    Flag,
    Frame,
    Mention,
    Proposition,
    Source,
    Span,
    short_hash,
)

# -- a synthetic corpus ----------------------------------------------------------------

ENTITIES = [("OpenAI", "org"), ("Anthropic", "org"), ("Nvidia", "org"), ("Google DeepMind", "org"),
            ("Meta", "org"), ("DeepSeek", "org"), ("Huawei", "org"), ("EU Commission", "gov"),
            ("US Commerce Department", "gov"), ("GPT-5", "ai_model"), ("Claude", "ai_model"),
            ("Gemini", "ai_model"), ("Llama 4", "ai_model"), ("R2", "ai_model"), ("H20", "product")]
DEVELOPERS = {"GPT-5": "OpenAI", "Claude": "Anthropic", "Gemini": "Google DeepMind",
              "Llama 4": "Meta", "R2": "DeepSeek"}
SOURCES = [(f"{first} {last}", "person") for first in ("Ana", "Ben", "Chen", "Dara")
           for last in ("Ito", "Okafor", "Weiss")]
SOURCES += [("Reuters", "publication"), ("Bloomberg", "publication"), ("The Information", "publication"),
            ("a company spokesperson", "official"), ("people familiar with the matter", "anonymous"),
            ("the ministry", "organisation")]
EVENTS = [("banned exports of", "export-ban", "enacted"), ("is considering a ban on", "export-ban", "considered"),
          ("lifted the ban on", "export-ban", "lifted"), ("released", "model-release", None),
          ("delayed", "model-release", None), ("invested in", "investment", None)]
PUBLISHERS = ["Daily Wire Service", "Tech Ledger", "Chip Report", "Policy Desk"]


def _sid(name: str) -> str:
    return short_hash("source", name)


def _eid(name: str) -> str:
    return short_hash("entity", name.casefold())


def synthetic_corpus(n_articles: int = 100, seed: int = 7) -> Corpus:
    rnd = random.Random(seed)
    graphs: list[ArticleGraph] = []
    mentions: dict[str, list[Mention]] = {}
    groups: dict[tuple[str, str, str], list[Claim]] = {}
    for i in range(n_articles):
        parts: list[str] = []
        claims_spec = []
        pos = 0
        title = f"Report {i}: {rnd.choice(ENTITIES)[0]} under scrutiny"
        parts.append(title + "\n\n")
        pos += len(title) + 2
        for _ in range(rnd.randint(3, 9)):
            src, kind = rnd.choice(SOURCES)
            ent, _etype = rnd.choice(ENTITIES)
            obj, _ = rnd.choice(ENTITIES)
            verb, etype, status = rnd.choice(EVENTS)
            neg = rnd.random() < 0.15
            sentence = f"{src} said {ent} {'never ' if neg else ''}{verb} {obj}. "
            claims_spec.append((pos, sentence, src, kind, ent, obj, verb, etype, status, neg))
            parts.append(sentence)
            pos += len(sentence)
        text = "".join(parts)
        aid = short_hash(text)
        claims, sources = [], {}
        cites: set[tuple[str, str]] = set()
        for n, (start, sentence, src, kind, ent, obj, verb, etype, status, neg) in enumerate(claims_spec):
            end = start + len(sentence) - 1
            cue_at = start + len(src) + 1
            cue = Span(aid, cue_at, cue_at + 4, "said")
            estart = cue_at + 5
            ms = (Mention(aid, estart, estart + len(ent), ent, "ORG",
                          _eid(ent) if rnd.random() < 0.5 else None),)
            mentions.setdefault(ent, []).append(ms[0])
            sources[_sid(src)] = Source(_sid(src), src, kind)
            via = None
            if kind in ("anonymous", "publication") and rnd.random() < 0.5:
                vname, vkind = rnd.choice([s for s in SOURCES if s[0] != src])
                via = _sid(vname)
                sources[via] = Source(via, vname, vkind)
                cites.add((_sid(src), via))  # as kg.nlp.attribution records a via
            c = Claim(Claim.make_id(aid, start, end), aid, start, end, text[start:end], n + 1,
                      Frame(ent, verb, obj, etype, _eid(obj)), rnd.choice(CERTAINTIES), cue,
                      status, None, "negated" if neg else "affirmed",
                      Attribution(_sid(src), cue, via) if rnd.random() < 0.9 else None, ms)
            claims.append(c)
            groups.setdefault((ent, etype, obj), []).append(c)
        cites_src = [s for s in sources.values() if s.kind == "publication"]
        citations = [Citation(aid, s.id, Span(aid, 0, 6, "Report")) for s in cites_src[:1]]
        citations += [Citation(aid, s.id, Span(aid, 7, 8, text[7:8])) for s in cites_src[:1]
                      if rnd.random() < 0.3]  # the same source cited twice, two cues
        for a, b in (("The Information", "Bloomberg"), ("Bloomberg", "The Information")):
            if _sid(a) in sources and rnd.random() < 0.5:  # sometimes a loop: circular reporting
                cites.add((_sid(a), _sid(b)))
                sources[_sid(b)] = Source(_sid(b), b, "publication")
        art = Article(aid, text, f"synthetic/{i:04d}.txt", title, f"https://example.org/{i}",
                      rnd.choice(PUBLISHERS), f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                      body=((len(title) + 2, len(text)),))
        graphs.append(ArticleGraph(art, claims, sorted(sources.values(), key=lambda s: s.id),
                                   citations, sorted(cites)))
    return Corpus(graphs, _analysis(rnd, mentions, groups))


def _analysis(rnd: random.Random, mentions: dict[str, list[Mention]],
              groups: dict[tuple[str, str, str], list[Claim]]) -> Analysis:
    entities = [Entity(_eid(n), n, t, (n.upper(), n.lower()) if rnd.random() < 0.5 else (),
                       _eid(DEVELOPERS[n]) if n in DEVELOPERS else None, tuple(mentions.get(n, ())))
                for n, t in ENTITIES if n in mentions or rnd.random() < 0.5]
    props, conflicts, flags = [], [], []
    for (ent, etype, obj), cs in sorted(groups.items()):
        if len(cs) < 2:
            continue
        key = f"{_eid(ent)}|{etype}|{_eid(obj)}"
        pid = short_hash("proposition", key)
        origins = tuple(sorted({c.article for c in cs}))
        props.append(Proposition(pid, key, f"{ent} {etype} {obj}", tuple(c.id for c in cs),
                                 "same subject, event and target", origins))
        if len(origins) == 1:
            flags.append(Flag(short_hash("flag", pid), pid, "single-origin", "R-single",
                              "one origin only", (Span(cs[0].article, cs[0].start, cs[0].end, cs[0].text),)))
        a, b = cs[0], cs[1]
        kinds = rnd.sample(CONFLICT_KINDS, 2 if rnd.random() < 0.3 else 1)  # >1 conflict per pair
        for kind in kinds:
            conflicts.append(Conflict(short_hash("conflict", a.id, b.id, kind), a.id, b.id, kind,
                                      f"R-{kind}", f"{kind} differs", rnd.choice(REVIEW_STATES)))
    for cs in groups.values():
        for c in cs:
            if c.attribution is None or rnd.random() < 0.1:
                kind = rnd.choice(FLAG_KINDS)
                ev = (c.certainty_cue,) if c.certainty_cue else ()
                flags.append(Flag(short_hash("flag", c.id, kind), c.id, kind, f"R-{kind}",
                                  f"{kind}: {c.text[:20]}", ev))
    return Analysis(entities, props, conflicts, flags)


def write_store(corpus: Corpus, root: Path) -> Path:
    """Write ``corpus`` as a store (RDF graphs + cache + analysis), as ``kg build`` would."""
    from kg import store as kgstore

    with kgstore.opened(root) as st:
        for g in corpus.articles:
            kgstore.save_article(root, st, g, "synthetic")
        kgstore.save_analysis(root, st, corpus)
    return root


# -- equivalence ------------------------------------------------------------------------

if TYPE_CHECKING:
    from neo4j import Driver

GRAPHS = ("seed", "synthetic")
MAX_CLAIMS = 30  # claim ids tried per claim-parameter query and graph


def _query_names() -> list[str]:
    from kg.query.named import manifest

    return list(manifest())


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(synthetic_corpus(120, seed=11), tmp_path_factory.mktemp("synthetic") / ".kg")


@pytest.fixture(scope="module", params=GRAPHS)
def pushed(request: pytest.FixtureRequest, neo4j_driver: Driver) -> tuple[str, Path, Corpus]:
    """One graph pushed to the (emptied) session Neo4j: its name, store and records."""
    from kg.graph.pgraph import project
    from kg.neo4j.plan import plan
    from kg.neo4j.push import push
    from kg.store import load_corpus

    root: Path = request.getfixturevalue(f"{request.param}_store")
    corpus = load_corpus(root)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    pg = project(corpus)
    res = push(pg, neo4j_driver)
    assert (res.nodes, res.rels) == plan(pg).counts()
    return request.param, root, corpus


def _param_sets(name: str, corpus: Corpus) -> list[dict[str, Any]]:
    from kg.query.named import get

    params = [p.name for p in get(name).params if p.default is None]  # `after` pages: all pages are run
    if not params:
        return [{}]
    if params == ["claim"]:
        claims = corpus.claims()
        linked = {k.claim_a for k in corpus.analysis.conflicts} | {f.target for f in corpus.analysis.flags}
        third = MAX_CLAIMS // 3
        chosen = [c.id for c in claims if c.attribution and c.attribution.via][:third]
        chosen += [c.id for c in claims if c.id in linked][:third]
        chosen += [c.id for c in random.Random(3).sample(claims, min(len(claims), MAX_CLAIMS))]
        ids = [*list(dict.fromkeys(chosen))[:MAX_CLAIMS], "no-such-claim"]
        return [{"claim": i} for i in ids]
    if params == ["entity"]:
        names = [e.name for e in corpus.analysis.entities]
        names += [e.name.upper() for e in corpus.analysis.entities[:3]]
        names += [a for e in corpus.analysis.entities for a in e.aliases][:3]
        return [{"entity": n} for n in [*dict.fromkeys(names), "No Such Entity"]]
    pytest.fail(f"test_equivalence does not know how to choose values for {name} {params}")


def _norm(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list | tuple):
        return tuple(_norm(x) for x in v)
    return v


def _key(row: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(repr(x) for x in row)


def _diff(columns: tuple[str, ...], sparql: list[dict[str, Any]], cypher: list[dict[str, Any]]) -> str:
    a = Counter(tuple(_norm(r.get(c)) for c in columns) for r in sparql)
    b = Counter(tuple(_norm(r.get(c)) for c in columns) for r in cypher)
    if a == b:
        return ""
    only_s = sorted((a - b).elements(), key=_key)
    only_c = sorted((b - a).elements(), key=_key)
    lines = [f"{len(sparql)} SPARQL rows, {len(cypher)} Cypher rows; columns {list(columns)}"]
    lines += [f"  only SPARQL: {dict(zip(columns, r, strict=True))}" for r in only_s[:10]]
    lines += [f"  only Cypher: {dict(zip(columns, r, strict=True))}" for r in only_c[:10]]
    return "\n".join(lines)


@pytest.mark.neo4j
@pytest.mark.parametrize("name", _query_names())
def test_cypher_equals_sparql(name: str, pushed: tuple[str, Path, Corpus],
                              neo4j_driver: Driver) -> None:
    from kg.query.named import get, pages, run_cypher, run_sparql
    from kg.store import opened

    graph, root, corpus = pushed
    q = get(name)
    failures, total = [], 0
    with opened(root, read_only=True) as st:
        for params in _param_sets(name, corpus):
            s_rows = [r for p in pages(lambda v: run_sparql(st, q, v), q, params) for r in p]
            c_rows = [r for p in pages(lambda v: run_cypher(neo4j_driver, q, v), q, params) for r in p]
            total += len(s_rows)
            d = _diff(q.columns, s_rows, c_rows)
            if d:
                failures.append(f"{name} on {graph} with {params or 'no params'}:\n{d}")
    assert not failures, "\n".join(failures[:5]) + f"\n({len(failures)} parameter sets differ)"
    print(f"{name} on {graph}: equal ({total} rows)")
