"""Keep an ad-hoc SPARQL query on the local store: refuse ``SERVICE`` (E209).

pyoxigraph runs ``SERVICE <http://...> { ... }`` by sending an HTTP request from this
process (issue 21: ``SERVICE SILENT`` merged a remote server's rows into the results, and
``SERVICE ?var`` could be aimed at any address), and it has no option to turn that off.
So the text is checked before it runs, by ``kg sparql`` and by any other place that runs
a query it did not write (``kg serve``'s ``/sparql``): ``refuse_service(text)``.

Two independent checks; either one refuses:

- rdflib's SPARQL parser: a ``ServiceGraphPattern`` anywhere in the parse tree (in a
  sub-select, ``OPTIONAL``, ``FILTER EXISTS``...). It expands ``\\uXXXX`` escapes first,
  as the SPARQL grammar says.
- a scan of the text with comments, string literals and IRIs blanked out, for the word
  ``SERVICE`` in any case that is not part of a variable (``?service``) or a prefixed
  name (``ex:SERVICE``, ``service:x``). It decides alone when rdflib cannot parse the text
  (a query only pyoxigraph's grammar accepts), and guards against the two parsers
  disagreeing. It errs on the side of refusing: ``ex:a.SERVICE``, a legal local name, is
  refused too.
"""

from __future__ import annotations

import re
from typing import Any

from kg.errors import E, KGError

#: what a query may not contain where the scan can see it: comments, strings, IRIs
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL)
#: the keyword, not a piece of a longer name, a variable or a prefixed name
_SERVICE = re.compile(r"(?<![\w?$:\-])service(?![\w:\-])", re.IGNORECASE)


def scan_finds_service(text: str) -> bool:
    """Whether ``SERVICE`` appears as a keyword once comments, strings and IRIs are blanked."""
    return _SERVICE.search(_OPAQUE.sub(" ", text)) is not None


def parse_finds_service(text: str) -> bool | None:
    """Whether rdflib's parse tree of ``text`` holds a SERVICE pattern; None if rdflib
    cannot parse it (as a query or as an update)."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    for parse in (parseQuery, parseUpdate):
        try:
            tree = parse(text)
        except Exception:  # pyparsing's ParseException, or a grammar rdflib lacks
            continue
        return _holds_service(tree)
    return None


def _holds_service(node: Any, depth: int = 0) -> bool:
    """A walk of rdflib's parse tree (``CompValue`` dicts, ``ParseResults``, lists)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 500:  # deeper than any real query: refuse rather than recurse on
        return True
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_holds_service(v, depth + 1) for v in node.values())
    if isinstance(node, dict):
        return any(_holds_service(v, depth + 1) for v in node.values())
    if isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        return any(_holds_service(v, depth + 1) for v in node)
    return False


def uses_service(text: str) -> bool:
    """Whether running ``text`` could make pyoxigraph call a remote SPARQL endpoint."""
    return bool(parse_finds_service(text)) or scan_finds_service(text)


def refuse_service(text: str) -> None:
    """E209 if ``text`` holds a ``SERVICE`` clause; nothing otherwise."""
    if uses_service(text):
        raise KGError(E.E209)
