"""Named queries: the manifest, the SPARQL/Cypher text, bound parameters, normalised rows.

Every named query is ``queries/NAME.rq`` plus ``queries/NAME.cypher``, listed in
``queries/manifest.toml`` with its parameters and its result columns. Parameters
are always *bound*: SPARQL through pyoxigraph ``substitutions`` (SEP-0007; the
bound variable must be in the SELECT projection, so the ``.rq`` files project
their parameters and :func:`run_sparql` keeps only the manifest columns), Cypher
through ``$params``. No value is ever pasted into query text.

A parameter that names a record (``iri = "claim"`` in the manifest) is bound twice
in SPARQL: ``?claim`` as a literal and ``?claim_iri`` as the record's IRI
(``https://w3id.org/kg-claims/id/claim/VALUE``), so that the query starts from that
node (an index lookup) instead of filtering every claim. A value that does not make
a valid IRI cannot name a record: the query is not run and gives no rows.

Rows are plain dicts keyed by the manifest columns, values normalised to JSON
types (ids as strings, ``xsd:integer`` as ``int``, missing as ``None``), so the
same query gives equal rows on both engines.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from kg.errors import E, KGError
from kg.graph.ns import XSD_NS
from kg.resources import resource

if TYPE_CHECKING:
    from neo4j import Driver
    from pyoxigraph import Store

Row = dict[str, Any]
PARAM_TYPES = ("string", "integer")
IRI_KINDS = ("claim", "article", "source", "entity", "proposition", "conflict", "flag")
_INT_TYPES = frozenset(XSD_NS + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort"))
_DEC_TYPES = frozenset(XSD_NS + t for t in ("decimal", "double", "float"))
_BOOL = XSD_NS + "boolean"
_STRING = XSD_NS + "string"
#: a paged query takes the last key it gave as ``after`` and returns each row's ``key``
PAGE_PARAM, PAGE_KEY = "after", "key"
#: the most records a page of a paged query may hold (its page size plus the rest of a run of
#: equal keys), the second LIMIT in each paged query file (docs/queries.md, "Paged listings")
PAGE_RECORDS_MAX = 10_000


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    description: str = ""
    iri: str = ""  # a record kind ("claim"): SPARQL also gets ?NAME_iri, that record's IRI
    default: str | None = None  # the value when none is given; None: the parameter is required

    @property
    def iri_var(self) -> str:
        return f"{self.name}_iri"


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    page: int = 0  # a paged query: this many records a call (plus the rest of a run of equal keys)

    @property
    def paged(self) -> bool:
        return self.page > 0

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
        params = tuple(Param(p["name"], p.get("type", "string"), p.get("description", ""),
                             p.get("iri", ""), p.get("default"))
                       for p in entry.get("params", []))
        for p in params:
            if p.type not in PARAM_TYPES:
                raise ValueError(f"manifest: {name}.{p.name} has unknown type {p.type!r}")
            if p.iri and (p.type != "string" or p.iri not in IRI_KINDS):
                raise ValueError(f"manifest: {name}.{p.name} has unknown iri kind {p.iri!r}")
        page = int(entry.get("page", 0))
        if page and (PAGE_PARAM not in {p.name for p in params} or PAGE_KEY not in entry["columns"]):
            raise ValueError(f"manifest: paged query {name} needs a {PAGE_PARAM!r} parameter "
                             f"and a {PAGE_KEY!r} column")
        out[name] = NamedQuery(name, entry["description"], params, tuple(entry["columns"]), page)
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
        if p.name not in raw and p.default is not None:
            raw = {**raw, p.name: p.default}
        elif p.name not in raw:
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


@cache
def _term_types() -> tuple[type, type, type]:
    from pyoxigraph import BlankNode, Literal, NamedNode

    return Literal, NamedNode, BlankNode


def term_value(term: Any) -> Any:
    """A pyoxigraph term as a plain value: IRI string, int, float, bool or str.

    Called once per cell of every result (hundreds of thousands on a big store), so
    the common cases (a plain string, an IRI) come first and nothing is imported here.
    """
    if term is None:
        return None
    literal, named, blank = _term_types()
    kind = type(term)
    if kind is literal:
        dt = term.datatype.value if term.datatype is not None else ""
        if dt == _STRING:
            return term.value
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
    if kind is named:
        return term.value
    if kind is blank:
        return f"_:{term.value}"
    return str(term)


def sparql_substitutions(q: NamedQuery, values: Mapping[str, str | int]) -> dict[Any, Any] | None:
    """The pyoxigraph substitutions for bound ``values``; None when one cannot match anything.

    Every parameter is a typed literal ``?NAME``; one with an ``iri`` kind is also the
    record's IRI ``?NAME_iri``. A value that does not make a valid IRI (a space, ``<``,
    ``"``...) names no record, so the query would give no rows: None says so.
    """
    from pyoxigraph import Literal, NamedNode, Variable

    from kg.graph.ns import iri

    subs: dict[Any, Any] = {Variable(k): Literal(v) for k, v in values.items()}
    for p in q.params:
        if p.iri:
            try:
                subs[Variable(p.iri_var)] = NamedNode(iri(p.iri, str(values[p.name])))
            except ValueError:
                return None
    return subs


def run_sparql(store: Store, q: NamedQuery, params: Mapping[str, object] | None = None) -> list[Row]:
    """Run ``q`` on the union of all graphs of ``store`` with bound parameters."""
    values = bind(q, params or {})
    subs = sparql_substitutions(q, values)
    if subs is None:
        return []
    result = store.query(q.sparql(), use_default_graph_as_union=True, substitutions=subs or None)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    pick = [(c, names.index(c)) for c in q.columns]
    return [{c: term_value(sol[i]) for c, i in pick} for sol in result]  # type: ignore[union-attr]


def run_cypher(driver: Driver, q: NamedQuery, params: Mapping[str, object] | None = None,
               database: str | None = None) -> list[Row]:
    """Run ``q`` on Neo4j (read transaction) with ``$params`` bound by the driver."""
    import neo4j

    values = bind(q, params or {})
    records, _, _ = driver.execute_query(q.cypher(), values, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    return [{c: record.get(c) for c in q.columns} for record in records]


def pages(run: Callable[[dict[str, object]], list[Row]], q: NamedQuery,
          params: Mapping[str, object] | None = None) -> Iterator[list[Row]]:
    """Every page of ``q``: ``run(params)`` again with ``after`` set to the last key seen,
    until a page comes back empty. A query that is not paged gives its rows as one page.

    ``run`` is ``lambda p: run_sparql(store, q, p)`` or the Cypher twin, so both engines
    page the same way (keyset paging, kg/listing.py).
    """
    values = dict(params or {})
    while rows := run(values):
        yield rows
        if not q.paged:
            return
        values[PAGE_PARAM] = rows[-1][PAGE_KEY]


def run_sparql_all(store: Store, q: NamedQuery, params: Mapping[str, object] | None = None) -> list[Row]:
    """Every row of ``q``, page after page."""
    return [row for page in pages(lambda p: run_sparql(store, q, p), q, params) for row in page]


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
    the store read-only. A ``SERVICE`` clause (a request to another server) is E209
    (``kg.query.guard``).
    """
    refuse_adhoc(text)
    return evaluate_adhoc(store, text)


def refuse_adhoc(text: str) -> None:
    """E204 for an update, E209 for a SERVICE clause: what no ad-hoc query may hold."""
    from kg.query.guard import refuse_service

    if is_update(text):
        raise KGError(E.E204, detail="this text is a SPARQL update, which would change the store.")
    refuse_service(text)


def evaluate_adhoc(store: Store, text: str) -> tuple[list[str], list[Row]]:
    """The rows of a query ``refuse_adhoc`` let through (E205 on a syntax error)."""
    from pyoxigraph import QueryBoolean, QuerySolutions

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
