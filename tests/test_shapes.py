"""SHACL shapes (schemas/shapes.ttl) and `kg check`: a valid graph conforms; each
deliberate corruption is reported by the shape it breaks, on the right focus node."""

from __future__ import annotations

import pytest

from kg.query.check import check_store
from tests.test_queries import tiny_store

PRE = """PREFIX kg: <https://w3id.org/kg-claims/ns#>
PREFIX schema: <https://schema.org/>
PREFIX g: <https://w3id.org/kg-claims/graph/>
"""
A1 = "<https://w3id.org/kg-claims/graph/article/a1>"
AN = "<https://w3id.org/kg-claims/graph/analysis>"
C1 = "<https://w3id.org/kg-claims/id/claim/c1>"
K1 = "<https://w3id.org/kg-claims/id/conflict/k1>"
F1 = "<https://w3id.org/kg-claims/id/flag/f1>"
A2 = "<https://w3id.org/kg-claims/id/article/a2>"
P1 = "<https://w3id.org/kg-claims/id/proposition/p1>"
P2 = "<https://w3id.org/kg-claims/id/proposition/p2>"
NOPE = "<https://w3id.org/kg-claims/id/claim/nope>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def _set(graph: str, s: str, p: str, old: str | None, new: str | None) -> str:
    """An update replacing ``s p old`` by ``s p new`` in ``graph`` (None: remove / add only)."""
    parts = []
    if old is not None:
        parts.append(f"DELETE WHERE {{ GRAPH {graph} {{ {s} {p} {old} }} }}")
    if new is not None:
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{ {s} {p} {new} }} }}")
    return PRE + " ;\n".join(parts)


CORRUPTIONS = {
    "start after end": (_set(A1, C1, "kg:start", "?o", "200"), "Claim-start", "claim/c1"),
    "start not an integer": (_set(A1, C1, "kg:start", "?o", '"34"'), "Claim-start", "claim/c1"),
    "certainty sure": (_set(A1, C1, "kg:certainty", "?o", '"sure"'), "Claim-certainty", "claim/c1"),
    "no certainty": (_set(A1, C1, "kg:certainty", "?o", None), "Claim-certainty", "claim/c1"),
    "end past the article": (_set(A1, C1, "kg:end", "?o", "100000"), "Claim-insideArticle", "claim/c1"),
    "text not at span": (_set(A1, C1, "schema:text", "?o", '"something else"'),
                         "Claim-textMatchesSpan", "claim/c1"),
    "two articles": (_set(A1, C1, "kg:statedIn", None, A2), "Claim-statedIn", "claim/c1"),
    "two propositions": (PRE + f"INSERT DATA {{ GRAPH {AN} {{ {C1} kg:expresses {P1}, {P2} . "
                         f'{P2} a kg:Proposition ; {LABEL} "x" }} }}',
                         "Claim-expresses", "claim/c1"),
    "conflict with one claim": (_set(AN, K1, "kg:claimB", "?o", None), "Conflict-claimB", "conflict/k1"),
    "conflict with itself": (_set(AN, K1, "kg:claimB", "?o", C1),
                             "Conflict-claimA", "conflict/k1"),
    "conflict kind maybe": (_set(AN, K1, "kg:conflictKind", "?o", '"maybe"'),
                            "Conflict-kind", "conflict/k1"),
    "conflict unexplained": (_set(AN, K1, "kg:explanation", "?o", None),
                             "Conflict-explanation", "conflict/k1"),
    "flag without rule": (_set(AN, F1, "kg:rule", "?o", None), "Flag-rule", "flag/f1"),
    "flag without evidence": (_set(AN, F1, "kg:evidence", "?o", None), "Flag-evidence", "flag/f1"),
    "flag kind": (_set(AN, F1, "kg:flagKind", "?o", '"suspicious"'), "Flag-kind", "flag/f1"),
    "flag target missing": (_set(AN, F1, "kg:target", "?o", NOPE), "Flag-target", "flag/f1"),
}


def test_valid_graph_conforms() -> None:
    assert check_store(tiny_store()) == []


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_corruption_is_reported_by_name(case: str) -> None:
    update, shape, focus = CORRUPTIONS[case]
    st = tiny_store()
    st.update(update)
    found = check_store(st)
    assert any(v.shape == shape and v.focus == focus for v in found), found
    hit = next(v for v in found if v.shape == shape)
    assert hit.message and hit.graph in {"a1", "analysis"}


def test_many_corruptions_all_reported() -> None:
    st = tiny_store()
    for case in ("start after end", "certainty sure", "conflict with one claim", "flag without rule"):
        st.update(CORRUPTIONS[case][0])
    shapes = {v.shape for v in check_store(st)}
    assert {"Claim-start", "Claim-certainty", "Conflict-claimB", "Flag-rule"} <= shapes


def test_sparql_constraint_message_is_filled() -> None:
    st = tiny_store()
    st.update(CORRUPTIONS["end past the article"][0])
    hit = next(v for v in check_store(st) if v.shape == "Claim-insideArticle")
    assert hit.message == "span [34, 100000) is outside its article's text (140 characters)"
    assert hit.graph == "a1"
