"""Make a bigger store from a built one, to measure queries at scale (a dev tool, not a test).

    python benchmarks/scale_store.py SRC_STORE OUT_STORE --times 10

Building a 10,000-article store runs spaCy over every article (hours on a small
machine); the named queries only need a graph of that size and shape. This copies
every named graph of ``SRC_STORE`` ``--times`` times into a new store ``OUT_STORE``
(its ``oxigraph/`` directory only: no extraction cache, no ``analysis.json``, so
``kg query`` and ``kg sparql`` work on it, ``kg build`` and ``load_corpus`` do not).
Copy 0 keeps every IRI; copy ``k`` rewrites them:

* articles, claims (and their selectors, spans, mentions, attributions), flags,
  conflicts and propositions get ``-k`` after their id (``id/claim/3fa1...-3/position``),
  article graphs too (``graph/article/ID-3``); the analysis graph stays one graph;
* sources and entities keep their IRIs: a bigger corpus quotes the same outlets and
  mentions the same companies more often, so a source is declared in ``--times`` as
  many article graphs and an entity is mentioned by ``--times`` as many claims, as in
  a corpus ``--times`` as large;
* long texts (``schema:text``, the quote selector, explanations, headlines) get `` #k``
  so that the store holds as many distinct strings as a real corpus would (identical
  strings are stored once); ``kg:origin`` article ids get ``-k``. Names, labels, rules,
  kinds, dates and offsets are unchanged (spans no longer match their text: do not
  ``kg check`` a scaled store).

Copy 0 is the source store itself, so a claim id or entity name of the source store
is a valid query parameter on the scaled one. The new store is compacted at the end
(``Store.optimize``). Ten copies of a 1,000-article store (1.76 M quads) take about
20 minutes and 3.3 GB.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.graph.ns import GRAPH_ARTICLE, ID, KG, OA, SCHEMA  # noqa: E402

if TYPE_CHECKING:
    from pyoxigraph import Quad, Store

RENAMED = ("article", "claim", "flag", "conflict", "proposition")
UNIQUE_TEXT = frozenset((SCHEMA.text, SCHEMA.headline, OA.exact, OA.prefix, OA.suffix,
                         KG.explanation))


def _rename(value: str, k: int) -> str:
    """``.../id/claim/ID/rest`` -> ``.../id/claim/ID-k/rest``; other IRIs unchanged."""
    if value.startswith(GRAPH_ARTICLE):
        return f"{value}-{k}"
    if not value.startswith(ID):
        return value
    kind, sep, rest = value[len(ID):].partition("/")
    if kind not in RENAMED or not sep:
        return value
    ident, slash, tail = rest.partition("/")
    return f"{ID}{kind}/{ident}-{k}{slash}{tail}"


def copies(src: Store, k: int) -> Iterator[Quad]:
    """Every quad of ``src`` (a pyoxigraph Store) as copy ``k``."""
    from pyoxigraph import Literal, NamedNode, Quad

    cache: dict[str, NamedNode] = {}

    def node(n: NamedNode) -> NamedNode:
        got = cache.get(n.value)
        if got is None:
            got = cache[n.value] = NamedNode(_rename(n.value, k))
        return got

    for q in src.quads_for_pattern(None, None, None, None):
        o = q.object
        p = q.predicate.value
        if isinstance(o, NamedNode):
            o = node(o)
        elif isinstance(o, Literal) and p in UNIQUE_TEXT:
            o = Literal(f"{o.value} #{k}")
        elif isinstance(o, Literal) and p == KG.origin:
            o = Literal(f"{o.value}-{k}")
        s = node(q.subject) if isinstance(q.subject, NamedNode) else q.subject
        g = node(q.graph_name) if isinstance(q.graph_name, NamedNode) else q.graph_name
        yield Quad(s, q.predicate, o, g)


def scale(src_dir: Path, out_dir: Path, times: int) -> int:
    """Write ``times`` copies of the store at ``src_dir`` into a new store at ``out_dir``."""
    from pyoxigraph import Store

    if (out_dir / "oxigraph").exists():
        raise SystemExit(f"{out_dir}/oxigraph exists; remove it first")
    src = Store.read_only(str(src_dir / "oxigraph"))
    out_dir.mkdir(parents=True, exist_ok=True)
    out = Store(str(out_dir / "oxigraph"))
    out.bulk_extend(src.quads_for_pattern(None, None, None, None))
    print(f"copy 0 done ({len(out)} quads)", flush=True)
    for k in range(1, times):
        t = time.perf_counter()
        out.bulk_extend(copies(src, k))
        print(f"copy {k} done in {time.perf_counter() - t:.0f} s", flush=True)
    out.flush()
    out.optimize()
    n = len(out)
    del out
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path, help="a built store directory (holding oxigraph/)")
    ap.add_argument("out", type=Path, help="the new store directory")
    ap.add_argument("--times", type=int, default=10, help="how many copies (default 10)")
    args = ap.parse_args()
    if args.times < 1:
        raise SystemExit("--times must be at least 1")
    if args.src.resolve() == args.out.resolve():
        raise SystemExit("the output must be a new directory")
    t = time.perf_counter()
    n = scale(args.src, args.out, args.times)
    print(f"{args.out}: {n} quads, {args.times} copies, {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
