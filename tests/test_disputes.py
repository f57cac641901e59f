"""kg.analysis.disputes: pairwise conflicts gathered into disputes with sides.

Hand-made Conflict and Claim records first (one behaviour each), then the seeds: the
ban-status story is one dispute, considered (000, 001, 002) against enacted (003, 004).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.analysis.disputes import gather
from kg.model import Attribution, Claim, Conflict, Corpus, Proposition, short_hash
from tests.conftest import seed_article


def claim(article: str, text: str, status: str | None = None, source: str | None = None) -> Claim:
    return Claim(id=Claim.make_id(article, 0, len(text)), article=article, start=0, end=len(text), text=text,
                 sentence=0, event_status=status,
                 attribution=Attribution(source) if source else None)


def conflict(a: Claim, b: Claim, kind: str = "status", pa: str = "", pb: str = "", topic: str = "") -> Conflict:
    return Conflict(short_hash("conflict", a.id, b.id, kind), a.id, b.id, kind, f"{kind}.rule",
                    f'{kind} conflict: {a.article} says "{a.text}" ({pa}) while {b.article} says "{b.text}" ({pb}).',
                    position_a=pa, position_b=pb, topic=topic)


def by_id(*claims: Claim) -> dict[str, Claim]:
    return {c.id: c for c in claims}


def test_three_against_two_articles_make_one_dispute_with_two_sides() -> None:
    considered = [claim(a, f"Officials in {a} consider a ban.", "considered", source=f"s{a}") for a in "abc"]
    enacted = [claim(a, f"The ban was imposed, says {a}.", "enacted") for a in "de"]
    ks = [conflict(x, y, pa="considered", pb="enacted") for x in considered for y in enacted]
    [d] = gather(ks, by_id(*considered, *enacted), labels={"a": "000", "d": "003"})
    assert [s.position for s in d.sides] == ["considered", "enacted"]
    assert [s.articles for s in d.sides] == [("a", "b", "c"), ("d", "e")]
    assert d.sides[0].claims == tuple(c.id for c in considered)
    assert d.sides[0].sources == ("sa", "sb", "sc") and d.sides[1].sources == ()
    assert [s.origins for s in d.sides] == [3, 2]  # one per article without an origins map
    assert d.conflicts == tuple(sorted(k.id for k in ks)) and d.rules == ("status.rule",)
    assert d.id == short_hash("dispute", "status", *d.conflicts)
    # the explanation quotes one claim of each side: the first of the most used
    assert d.explanation.startswith("Status dispute: considered in 000, b, c (000 says ")
    assert '"Officials in a consider a ban."' in d.explanation
    assert 'against enacted in 003, e (003 says "The ban was imposed, says d.")' in d.explanation


def test_positions_fall_back_on_the_claims_status() -> None:
    a, b = claim("a", "A ban is considered.", "considered"), claim("b", "A ban was imposed.", "enacted")
    c = claim("c", "The ban is planned.", "considered")
    bare = [Conflict("k1", a.id, b.id, "status", "r", "x"), Conflict("k2", c.id, b.id, "status", "r", "y")]
    [d] = gather(bare, by_id(a, b, c))
    assert [(s.position, s.articles) for s in d.sides] == [("considered", ("a", "c")), ("enacted", ("b",))]


def test_unrelated_conflicts_make_two_disputes() -> None:
    a, b = claim("a", "Revenue was $5 billion."), claim("b", "Revenue was $6 billion.")
    c, d = claim("c", "X backs the bill."), claim("d", "X fights the bill.")
    ks = [conflict(a, b, "value", "$5 billion", "$6 billion"),
          conflict(c, d, "value", "X supports", "X opposes")]
    out = gather(ks, by_id(a, b, c, d))
    assert len(out) == 2
    assert sorted(tuple(s.position for s in x.sides) for x in out) == [
        ("$5 billion", "$6 billion"), ("X supports", "X opposes")]


def test_a_claim_in_conflicts_of_two_kinds_stays_in_two_disputes() -> None:
    a = claim("a", "Anthropic backs the ban the US imposed.", "enacted")
    b, c = claim("b", "The US only considers a ban.", "considered"), claim("c", "Anthropic opposes the ban.")
    ks = [conflict(b, a, "status", "considered", "enacted"),
          conflict(a, c, "stance", "Anthropic supports", "Anthropic opposes", topic="the ban")]
    out = gather(ks, by_id(a, b, c))
    assert sorted(d.kind for d in out) == ["stance", "status"]
    assert all(a.id in {x for s in d.sides for x in s.claims} for d in out)
    stance = next(d for d in out if d.kind == "stance")
    assert stance.label == "the ban" and stance.explanation.startswith("Stance dispute on the ban: ")


def test_a_shared_proposition_joins_conflicts_without_a_shared_claim() -> None:
    a, b = claim("a", "A ban is considered.", "considered"), claim("b", "A ban was imposed.", "enacted")
    c, d = claim("c", "Officials weigh a ban.", "considered"), claim("d", "The ban took effect.", "enacted")
    ks = [conflict(a, b, pa="considered", pb="enacted"), conflict(c, d, pa="considered", pb="enacted")]
    assert len(gather(ks, by_id(a, b, c, d))) == 2
    props = [Proposition("p1", "k1", "US government: model export ban (considered)", (a.id, c.id), "same key"),
             Proposition("p2", "k2", "US government: model export ban (enacted)", (b.id, d.id), "same key")]
    [joined] = gather(ks, by_id(a, b, c, d), props, origins=lambda ids: ("one",))
    assert [s.articles for s in joined.sides] == [("a", "c"), ("b", "d")]
    assert joined.label == "model export ban"  # the proposition without actor and status
    assert [s.origins for s in joined.sides] == [1, 1]


def test_a_claim_holding_two_positions_keeps_one_dispute_per_conflict() -> None:
    """Two measures of one claim (a value conflict each) never put both figures on one side."""
    a = claim("a", "It has 300 staff and $5 billion in revenue.")
    b, c = claim("b", "It has 250 staff."), claim("c", "It has $6 billion in revenue.")
    d = claim("d", "It has 300 staff and $6 billion in revenue.")
    ks = [conflict(a, b, "value", "300", "250"), conflict(a, c, "value", "$5 billion", "$6 billion"),
          conflict(d, b, "value", "300", "250")]
    out = gather(ks, by_id(a, b, c, d))
    staff = next(x for x in out if x.sides[0].position == "300")
    assert [s.articles for s in staff.sides] == [("a", "d"), ("b",)]
    assert len(out) == 2


def test_the_seeds_ban_status_story_is_one_dispute(seed_corpus: Corpus) -> None:
    an = seed_corpus.analysis
    status = [d for d in an.disputes if d.kind == "status"]
    [d] = status
    name = {g.article.id: Path(g.article.source).name[:3] for g in seed_corpus.articles}
    assert [(s.position, sorted(name[a] for a in s.articles)) for s in d.sides] == [
        ("considered", ["000", "001", "002"]), ("enacted", ["003", "004"])]
    assert len(d.conflicts) == len([k for k in an.conflicts if k.kind == "status"]) == 6
    assert d.explanation.count('"') >= 4 and "considered in 000, 001, 002" in d.explanation
    [stance] = [x for x in an.disputes if x.kind == "stance"]
    assert [(s.position, [name[a] for a in s.articles]) for s in stance.sides] == [
        ("Anthropic supports", ["001"]), ("Anthropic opposes", ["004"])]


def test_cli_lists_disputes_and_pairs(seed_store: Path, seed_corpus: Corpus) -> None:
    import json

    from kg.cli.main import app

    run = CliRunner()
    rows = json.loads(run.invoke(app, ["conflicts", "--store", str(seed_store), "-f", "json"]).stdout)
    assert len(rows) == 2
    status = next(r for r in rows if r["kind"] == "status")
    considered, enacted = status["sides"]
    assert considered["position"] == "considered" and len(considered["texts"]) == len(considered["claims"])
    assert seed_article(seed_corpus, "003") in enacted["articles"]
    assert any("has imposed an export ban" in t for t in enacted["texts"])
    pairs = json.loads(run.invoke(app, ["conflicts", "--pairs", "--store", str(seed_store), "-f", "json"]).stdout)
    assert len(pairs) == 7 and all({"claim_a", "text_a", "claim_b", "text_b"} <= set(p) for p in pairs)
    table = run.invoke(app, ["conflicts", "--kind", "status", "--store", str(seed_store), "-f", "csv"]).stdout
    assert table.splitlines()[0] == "kind,label,sides,explanation"
    import csv
    import io

    [row] = list(csv.DictReader(io.StringIO(table)))
    assert (row["kind"], row["sides"]) == ("status", "considered: 000, 001, 002 | enacted: 003, 004")


@pytest.mark.parametrize("broken", ["one side", "empty side"])
def test_shapes_require_two_sides_each_with_a_claim(broken: str, tmp_path: Path) -> None:
    from pyoxigraph import RdfFormat, Store

    from kg.graph.analysis import _dispute
    from kg.graph.ns import KG, RDF, SCHEMA, iri
    from kg.model import Dispute, DisputeSide
    from kg.query.check import check_store

    side = DisputeSide("enacted", (), ("a1",)) if broken == "empty side" else None
    sides = (DisputeSide("considered", ("c1",), ("a1",)),) + ((side,) if side else ())
    typed = [f"<{iri('claim', 'c1')}> <{RDF.type}> <{KG.Claim}>",
             f"<{iri('article', 'a1')}> <{RDF.type}> <{SCHEMA.NewsArticle}>"]
    made = _dispute(Dispute("d1", "status", ("r",), "x", sides, (), "e"))
    text = "".join(f"{line} .\n" for line in typed + made)
    st = Store()
    st.load(text.encode(), format=RdfFormat.N_TRIPLES)
    shapes = {v.shape for v in check_store(st)}
    assert ("Dispute-side" in shapes) is (broken == "one side")
    assert ("DisputeSide-claim" in shapes) is (broken == "empty side")


def test_a_value_dispute_is_named_by_what_its_figures_measure() -> None:
    a, b = claim("a", "It scored 2% on FrontierMath."), claim("b", "It scored 25% on FrontierMath.")
    [d] = gather([conflict(a, b, "value", "2 % for FrontierMath", "25 % for FrontierMath")], by_id(a, b))
    assert d.label == "% for FrontierMath"


def test_a_conflict_noting_one_position_twice_still_has_two_sides() -> None:
    a, b = claim("a", "Sales were 5%."), claim("b", "Sales were 5.0%.")
    [d] = gather([conflict(a, b, "value", "5 %", "5 %")], by_id(a, b))
    assert [(s.position, s.claims) for s in d.sides] == [("5 % (a)", (a.id,)), ("5 % (b)", (b.id,))]
