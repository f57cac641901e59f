"""Golden tests: ``analyse`` on the five seed articles through the real pipeline.

The corpus is built as ``kg build`` builds it (ingest -> segment -> spaCy parse ->
extract), without a store, once per module. These tests check what a fact-checker
expects of the seeds: the considered/enacted status conflict, Anthropic's stance
conflict, the Financial Times as one origin, 003's unsupported ban and the
"reportedly" claims flagged anonymous.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.model import CONFLICT_KINDS, FLAG_KINDS, Analysis, Claim, Conflict, Corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    from kg.errors import InputError
    from kg.ingest import read as ingest
    from kg.nlp import extract
    from kg.nlp import parse as nlp

    graphs = []
    for raw in ingest.read_inputs([SEEDS]):
        assert not isinstance(raw, InputError), raw
        article, pieces, blocks = extract.prepare(raw)
        graphs.append(extract.extract(article, blocks, list(nlp.parse(pieces))))
    return Corpus(articles=graphs)


@pytest.fixture(scope="module")
def analysis(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Analysis]:
    from kg.analysis import run as kg_analysis

    old = os.environ.get("KG_CACHE_DIR")
    os.environ["KG_CACHE_DIR"] = str(tmp_path_factory.mktemp("kg-cache"))
    try:
        yield kg_analysis.analyse(corpus)
    finally:
        if old is None:
            os.environ.pop("KG_CACHE_DIR", None)
        else:
            os.environ["KG_CACHE_DIR"] = old


def art(corpus: Corpus, prefix: str) -> str:
    return next(g.article.id for g in corpus.articles if Path(g.article.source).name.startswith(prefix))


def claims_by_id(corpus: Corpus) -> dict[str, Claim]:
    return {c.id: c for c in corpus.claims()}


def quotes_both(k: Conflict, claims: dict[str, Claim]) -> bool:
    """The explanation quotes a piece of each claim's text: 'X says "A" (..) while Y says "B" (..).'"""
    m = re.fullmatch(r'[^:]+: \S+ says "(?P<a>.+)" \([^()]*\) while \S+ says "(?P<b>.+)" \([^()]*\)\.',
                     k.explanation)
    if m is None:
        return False
    pairs = ((m["a"], claims[k.claim_a].text), (m["b"], claims[k.claim_b].text))
    return all(q.strip("…") and q.strip("…") in " ".join(t.split()) for q, t in pairs)


def test_records_are_well_formed(corpus: Corpus, analysis: Analysis) -> None:
    texts = {g.article.id: g.article.text for g in corpus.articles}
    assert analysis.entities and analysis.propositions and analysis.conflicts and analysis.flags
    assert all(k.kind in CONFLICT_KINDS and k.review == "found" for k in analysis.conflicts)
    assert all(f.kind in FLAG_KINDS and f.evidence for f in analysis.flags)
    for f in analysis.flags:
        assert all(texts[s.article][s.start:s.end] == s.text for s in f.evidence)
    for group in (analysis.propositions, analysis.conflicts, analysis.flags):
        ids = [x.id for x in group]
        assert len(ids) == len(set(ids))


def test_no_proposition_mixes_event_types(corpus: Corpus, analysis: Analysis) -> None:
    claims = claims_by_id(corpus)
    for p in analysis.propositions:
        assert len({claims[c].frame.event_type for c in p.claims}) == 1, p
        assert p.reason and p.origins


def test_status_conflict_considered_vs_enacted(corpus: Corpus, analysis: Analysis) -> None:
    claims = claims_by_id(corpus)
    pairs = {(claims[k.claim_a].article, claims[k.claim_b].article)
             for k in analysis.conflicts if k.rule == "status.considered-vs-enacted"}
    a000, a001, a002, a003, a004 = (art(corpus, p) for p in ("000", "001", "002", "003", "004"))
    assert (a000, a003) in pairs and (a000, a004) in pairs
    for considered in (a001, a002):
        assert (considered, a003) in pairs or (considered, a004) in pairs
    for k in analysis.conflicts:
        if k.kind == "status":
            assert claims[k.claim_a].event_status == "considered"
            assert claims[k.claim_b].event_status == "enacted"
            assert k.explanation.startswith("Status conflict: ") and quotes_both(k, claims), k.explanation
    k = next(k for k in analysis.conflicts if k.kind == "status" and claims[k.claim_b].article == a003)
    assert "imposed an export ban" in k.explanation
    # 002 names the ban under discussion in passing ("The core of the discussion on AI export
    # bans lies in..."); the quote for each of its conflicts is the sentence that says it is
    # considered: "a regulatory climate that now contemplates imposing strict export bans"
    for k in analysis.conflicts:
        if k.kind == "status" and claims[k.claim_a].article == a002:
            assert "contemplates imposing" in claims[k.claim_a].text, k.explanation


def test_stance_conflict_about_anthropic(corpus: Corpus, analysis: Analysis) -> None:
    claims = claims_by_id(corpus)
    a001, a004 = art(corpus, "001"), art(corpus, "004")
    stance = [k for k in analysis.conflicts if k.kind == "stance"
              and {claims[k.claim_a].article, claims[k.claim_b].article} == {a001, a004}]
    assert stance, [k.explanation for k in analysis.conflicts]
    k = stance[0]
    assert claims[k.claim_a].article == a001 and "advocated" in claims[k.claim_a].text
    assert re.search(r"misunderstanding|restore access|disagreement", claims[k.claim_b].text)
    assert "(Anthropic supports)" in k.explanation and "(Anthropic opposes)" in k.explanation
    assert quotes_both(k, claims), k.explanation


def test_financial_times_is_one_origin_for_000_and_004(corpus: Corpus) -> None:
    from kg.analysis.origins import build

    sources = corpus.sources()
    ft = next(s.id for s in sources.values() if s.name == "Financial Times")
    a000, a004 = art(corpus, "000"), art(corpus, "004")
    ft_claims = [c for c in corpus.claims() if c.attribution and c.attribution.source == ft]
    assert {c.article for c in ft_claims} == {a000, a004}
    origins = build(corpus)
    assert origins.of(c.id for c in ft_claims) == (ft,)
    assert origins.article_origin[a000] == ft  # "Source: Financial Times"
    assert origins.name(ft) == "Financial Times"


def test_003_imposed_ban_is_unsupported(corpus: Corpus, analysis: Analysis) -> None:
    claims = claims_by_id(corpus)
    a003 = art(corpus, "003")
    hits = [f for f in analysis.flags if f.kind == "unsupported" and f.target in claims
            and claims[f.target].article == a003
            and claims[f.target].text.startswith("The US government has imposed an export ban")]
    assert len(hits) == 1
    f = hits[0]
    assert f.rule == "unsupported.no-source"
    assert '"The US government has imposed an export ban' in f.explanation
    assert f.evidence[0].text == claims[f.target].text


def test_reportedly_claims_are_flagged_anonymous(corpus: Corpus, analysis: Analysis) -> None:
    flagged = {f.target for f in analysis.flags if f.kind == "anonymous"}
    reportedly = [c for c in corpus.claims() if re.search(r"\breportedly\b", c.text)
                  and ((c.attribution and c.attribution.cue and c.attribution.cue.text == "reportedly")
                       or (c.certainty_cue and c.certainty_cue.text == "reportedly"))]
    assert len(reportedly) >= 3
    assert all(c.id in flagged for c in reportedly)
    texts = [c.text for c in corpus.claims() if c.id in flagged]
    assert any(t.startswith("US officials reportedly believe") for t in texts)
    assert any(t.startswith("Government officials have reportedly cited") for t in texts)
