"""Named queries: the manifest, the SPARQL/Cypher text, bound parameters, normalised rows.

Every named query is ``queries/NAME.rq`` plus ``queries/NAME.cypher``, listed in
``queries/manifest.toml`` with its parameters and its result columns. Parameters
are always *bound*: SPARQL through pyoxigraph ``substitutions`` (SEP-0007; the
bound variable must be in the SELECT projection, so the ``.rq`` files project
their parameters and :func:`run_sparql` keeps only the manifest columns), Cypher
through ``$params``. No value is ever pasted into query text.

Rows are plain dicts keyed by the manifest columns, values normalised to JSON
types (ids as strings, ``xsd:integer`` as ``int``, missing as ``None``), so the
same query gives equal rows on both engines.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from kg.errors import E, KGError
from kg.ns import XSD_NS
from kg.schema import resource

if TYPE_CHECKING:
    from neo4j import Driver
    from pyoxigraph import Store

Row = dict[str, Any]
PARAM_TYPES = ("string", "integer")
_INT_TYPES = frozenset(XSD_NS + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort"))
_DEC_TYPES = frozenset(XSD_NS + t for t in ("decimal", "double", "float"))
_BOOL = XSD_NS + "boolean"


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]

    def sparql(self) -> str:
        return resource("queries", f"{self.name}.rq").read_text(encoding="utf-8")

    def cypher(self) -> str:
        return resource("queries", f"{self.name}.cypher").read_text(encoding="utf-8")


@cache
def manifest() -> dict[str, NamedQuery]:
    """Every named query, by name, in manifest order."""
    data = tomllib.loads(resource("queries", "manifest.toml").read_text(encoding="utf-8"))
    out: dict[str, NamedQuery] = {}
    for name, entry in data.items():
        params = tuple(Param(p["name"], p.get("type", "string"), p.get("description", ""))
                       for p in entry.get("params", []))
        for p in params:
            if p.type not in PARAM_TYPES:
                raise ValueError(f"manifest: {name}.{p.name} has unknown type {p.type!r}")
        out[name] = NamedQuery(name, entry["description"], params, tuple(entry["columns"]))
    return out


def get(name: str) -> NamedQuery:
    """The named query ``name``; E201 if there is none."""
    q = manifest().get(name)
    if q is None:
        raise KGError(E.E201, name=name)
    return q


def bind(q: NamedQuery, raw: Mapping[str, object]) -> dict[str, str | int]:
    """Check and type the parameters: E203 for an unknown one, E202 for a missing one."""
    known = {p.name: p for p in q.params}
    for key in raw:
        if key not in known:
            raise KGError(E.E203, name=q.name, param=key,
                          known=", ".join(known) or "no parameters")
    out: dict[str, str | int] = {}
    for p in q.params:
        if p.name not in raw:
            raise KGError(E.E202, name=q.name, param=p.name, detail=p.description or p.type)
        value = raw[p.name]
        if p.type == "integer":
            try:
                out[p.name] = int(str(value))
            except ValueError:
                raise KGError(E.E207, option=f"--param {p.name}",
                              detail=f"{value!r} is not an integer") from None
        else:
            out[p.name] = str(value)
    return out


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["k=v", ...]`` from the command line to a dict (the value may hold ``=``)."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise KGError(E.E207, option="--param", detail=f"{pair!r} is not KEY=VALUE")
        out[key.strip()] = value
    return out


def term_value(term: Any) -> Any:
    """A pyoxigraph term as a plain value: IRI string, int, float, bool or str."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        dt = term.datatype.value if term.datatype is not None else ""
        try:
            if dt in _INT_TYPES:
                return int(term.value)
            if dt in _DEC_TYPES:
                return float(term.value)
        except ValueError:
            return term.value
        if dt == _BOOL:
            return term.value in ("true", "1")
        return term.value
    return str(term)


def run_sparql(store: Store, q: NamedQuery, params: Mapping[str, object] | None = None) -> list[Row]:
    """Run ``q`` on the union of all graphs of ``store`` with bound parameters."""
    from pyoxigraph import Literal, Variable

    values = bind(q, params or {})
    subs: dict[Variable, Any] = {Variable(k): Literal(v) for k, v in values.items()}
    result = store.query(q.sparql(), use_default_graph_as_union=True,
                         substitutions=subs or None)
    return [{c: term_value(sol[c]) for c in q.columns} for sol in result]  # type: ignore[union-attr]


def run_cypher(driver: Driver, q: NamedQuery, params: Mapping[str, object] | None = None,
               database: str | None = None) -> list[Row]:
    """Run ``q`` on Neo4j (read transaction) with ``$params`` bound by the driver."""
    import neo4j

    values = bind(q, params or {})
    records, _, _ = driver.execute_query(q.cypher(), values, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    return [{c: record.get(c) for c in q.columns} for record in records]


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL update (INSERT, DELETE, DROP, LOAD...), by parsing it.

    rdflib's SPARQL grammar decides, not a regex: a text that parses as a query
    is a query; one that parses as a non-empty update is an update. Anything else
    is left to pyoxigraph, whose ``Store.query`` only ever runs queries.
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parseQuery(text)
        return False
    except Exception:
        pass
    try:
        update = parseUpdate(text)
    except Exception:
        return False
    # CompValue.get(key, x) is not dict.get: its 2nd argument is not a default
    request = update["request"] if "request" in update else []  # noqa: SIM401
    return isinstance(request, list) and len(request) > 0


def run_adhoc(store: Store, text: str) -> tuple[list[str], list[Row]]:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the union graph.

    An update (INSERT, DELETE, DROP, LOAD, CLEAR...) is refused with E204 before
    anything runs; ``Store.query`` cannot run updates either, and the CLI opens
    the store read-only.
    """
    from pyoxigraph import QueryBoolean, QuerySolutions

    if is_update(text):
        raise KGError(E.E204, detail="this text is a SPARQL update, which would change the store.")
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise KGError(E.E205, detail=_one_line(e)) from None
    if isinstance(result, QueryBoolean):
        return ["result"], [{"result": bool(result)}]
    if isinstance(result, QuerySolutions):
        cols = [v.value for v in result.variables]
        return cols, [{c: term_value(sol[c]) for c in cols} for sol in result]
    cols = ["subject", "predicate", "object"]
    return cols, [{"subject": term_value(t.subject), "predicate": term_value(t.predicate),
                   "object": term_value(t.object)} for t in result]


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())[:300]
