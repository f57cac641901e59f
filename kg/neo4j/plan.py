"""The load plan of a push: the property-graph projection (``kg.graph.pgraph``) as load rows, and
the Cypher text that loads them.

:func:`plan` turns a projection into rows (duplicate relationships collapse to one, dangling
ones are skipped); :func:`node_load` and :func:`rel_load` give a statement and its rows for
one label or one group of relationships, ``UNWIND $rows ... CREATE`` for a first push or
``UNWIND $rows ... MERGE ... SET x = {...}`` otherwise. Rows are positional lists
(``row[0]``), far cheaper for the driver to pack than maps, and relationships are grouped by
(type, end labels) so that both ends are found through a uniqueness-constraint index.
Labels, types and property keys come from ``pgraph.LABELS`` / ``REL_TYPES`` / ``NODE_PROPS``
/ ``REL_PROPS`` only: Neo4j cannot take them as parameters. Values are always parameters.
The protocol that runs these statements is ``kg.neo4j.push``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from kg.graph.pgraph import LABELS, NODE_PROPS, REL_PROPS, REL_TYPES, PGraph

#: where several relationships of one type can join the same pair, the property that tells them apart
DISCRIMINATORS = {"CONFLICTS_WITH": "conflict", "BETWEEN": "role", "CITES": "start"}
RelKey = tuple[str, str, str, str, str, Any]  # type, start label, start id, end label, end id, disc
Group = tuple[str, str, str, bool]  # type, start label, end label, has a discriminator value


@dataclass(slots=True)
class Plan:
    """The projection as load rows: nodes per label, relationships per (type, labels, disc)."""

    nodes: dict[str, list[dict[str, Any]]]
    rels: dict[RelKey, dict[str, Any]]
    skipped: int = 0

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        rels = dict.fromkeys(REL_TYPES, 0)
        for k in self.rels:
            rels[k[0]] += 1
        return {lb: len(self.nodes.get(lb, ())) for lb in LABELS}, rels

    def groups(self) -> dict[Group, list[tuple[str, str, dict[str, Any]]]]:
        """Relationships by (type, start label, end label, has disc): one statement each, so
        both ends are found through their label's uniqueness-constraint index."""
        out: dict[Group, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        for (t, sl, sid, el, eid, k), props in self.rels.items():
            out[(t, sl, el, k is not None)].append((sid, eid, props))
        return out


def plan(pg: PGraph) -> Plan:
    """Load rows from a projection; duplicate relationships collapse to one, dangling ones are skipped."""
    nodes = {lb: list(pg.nodes.get(lb, {}).values()) for lb in LABELS}
    for lb, rows in nodes.items():
        _check_props(lb, NODE_PROPS[lb], rows)
    rels: dict[RelKey, dict[str, Any]] = {}
    skipped = 0
    for rtype in REL_TYPES:
        dprop = DISCRIMINATORS.get(rtype)
        seen = []
        for sl, sid, el, eid, props in pg.rels.get(rtype, ()):
            _check(sl, el)
            if sid not in pg.nodes.get(sl, {}) or eid not in pg.nodes.get(el, {}):
                skipped += 1
                continue
            rels[(rtype, sl, sid, el, eid, props.get(dprop) if dprop else None)] = props
            seen.append(props)
        _check_props(rtype, REL_PROPS[rtype], seen)
    return Plan(nodes, rels, skipped)


def _check(*names: str) -> None:
    for n in names:  # the allowlist is the only source of label and type text in Cypher
        if n not in LABELS and n not in REL_TYPES:
            raise ValueError(f"not an allowlisted label or type: {n!r}")


def _check_props(owner: str, allowed: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    keys: set[str] = set().union(*rows)
    if bad := keys - set(allowed):  # the allowlist is the only source of property keys in Cypher
        raise ValueError(f"not an allowlisted property of {owner}: {', '.join(sorted(bad))}")


def _columns(allowed: tuple[str, ...], rows: list[dict[str, Any]], *first: str) -> tuple[str, ...]:
    """The allowlisted keys that some row has, ``first`` first: the columns of the load rows."""
    used: set[str] = set().union(*rows)
    return (*first, *(c for c in allowed if c in used and c not in first))


def _map(cols: tuple[str, ...], offset: int = 0) -> str:
    """``{`k`: row[i], ...}``: a map literal of allowlisted keys over positional row values."""
    return "{" + ", ".join(f"`{c}`: row[{i + offset}]" for i, c in enumerate(cols)) + "}"


def node_load(label: str, nodes: list[dict[str, Any]], create: bool) -> tuple[str, list[list[Any]]]:
    """Statement and positional rows loading ``nodes``; a null value sets no property."""
    _check(label)
    cols = _columns(NODE_PROPS[label], nodes, "id")
    rows = [list(map(n.get, cols)) for n in nodes]
    if create:  # the new nodes' element ids, in row order, for the relationship rows
        return f"UNWIND $rows AS row CREATE (n:{label} {_map(cols)}) RETURN collect(elementId(n)) AS v", rows
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row[0]}}) SET n = {_map(cols)}", rows


def rel_load(group: Group, rels: list[tuple[str, str, dict[str, Any]]], create: bool,
             element_ids: dict[tuple[str, str], str] | None = None) -> tuple[str, list[list[Any]]]:
    """Statement and rows ``[start, end, props...]`` for one group of relationships. The ends
    are ids, found through the labels' uniqueness-constraint indexes, or, when creating with
    ``element_ids`` ((label, id) -> element id of the node just created), element ids: a
    direct lookup, about 40% less server time than the index (docs/neo4j-push.md, "Rates")."""
    t, sl, el, has_k = group
    _check(t, sl, el)
    cols = _columns(REL_PROPS[t], [p for _, _, p in rels])
    if create and element_ids is not None:
        rows = [[element_ids[(sl, s)], element_ids[(el, e)], *map(p.get, cols)] for s, e, p in rels]
        ends = (f"UNWIND $rows AS row MATCH (a:{sl}) WHERE elementId(a) = row[0] "
                f"MATCH (b:{el}) WHERE elementId(b) = row[1] ")
    else:
        rows = [[s, e, *map(p.get, cols)] for s, e, p in rels]
        ends = f"UNWIND $rows AS row MATCH (a:{sl} {{id: row[0]}}) MATCH (b:{el} {{id: row[1]}}) "
    if create:
        return ends + f"CREATE (a)-[:{t}{' ' + _map(cols, 2) if cols else ''}]->(b)", rows
    key = ""
    if has_k:
        disc = DISCRIMINATORS[t]
        key = f" {{`{disc}`: row[{2 + cols.index(disc)}]}}"
    return ends + f"MERGE (a)-[r:{t}{key}]->(b) SET r = {_map(cols, 2)}", rows
