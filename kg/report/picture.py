"""The provenance picture of one report item, drawn offline as inline SVG.

Columns, left to right: articles, their claims, the sources the claims are
attributed to, then each source's own source (``via`` / ``cites``) down to the
primary source. Conflicts are red dashed arcs between claims. The layout is
networkx's ``multipartite_layout``; every label is escaped before it is written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from kg.model import Source, short_hash

if TYPE_CHECKING:
    import networkx as nx

    from kg.report.views import Item

BOX_W, BOX_H, COL_W, ROW_H, PAD = 180, 34, 250, 58, 24
FILL = {"article": "#eef2f7", "claim": "#fffbe6", "source": "#eef7ee", "origin": "#d7efd7"}


def _short(text: str, size: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def provenance_graph(item: Item) -> nx.DiGraph:
    """Nodes ``a:ID`` (article), ``c:ID`` (claim), ``s:ID`` (source), with a ``layer``."""
    import networkx as nx

    g: nx.DiGraph = nx.DiGraph()
    origins = set(item.proposition.origins) if item.proposition else set()
    for v in item.claims:
        a, c = f"a:{v.article.id}", f"c:{v.claim.id}"
        g.add_node(a, layer=0, kind="origin" if v.article.id in origins else "article",
                   label=v.article.title or v.article.source, title=f"article {v.article.id}")
        g.add_node(c, layer=1, kind="claim", label=v.quote,
                   title=f"claim {v.claim.id} [{v.claim.start}, {v.claim.end}) {v.certainty_label}")
        g.add_edge(a, c, kind="says")
        _add_chain(g, c, v.chain, "attributed to", origins)
        for chain in v.cited:  # the article's own citations, to their primary source
            _add_chain(g, a, chain, "cites", origins)
    for k in item.conflicts:
        a, b = f"c:{k.claim_a}", f"c:{k.claim_b}"
        if a in g and b in g:
            g.add_edge(a, b, kind="conflict", label=k.kind)
    return g


def _add_chain(g: nx.DiGraph, start: str, chain: Sequence[Source], first: str,
               origins: set[str]) -> None:
    """Edges from ``start`` along a source chain: ``first`` for the first hop, then "via"."""
    prev = start
    for depth, s in enumerate(chain):
        node = f"s:{s.id}"
        if node not in g:
            g.add_node(node, layer=2 + depth, kind="origin" if s.id in origins else "source",
                       label=f"{s.name} ({s.kind})", title=f"source {s.id}")
        g.add_edge(prev, node, kind=first if depth == 0 else "via")
        prev = node


def svg(item: Item) -> Markup:
    """The picture as an inline ``<svg>`` element (safe to place in an HTML page)."""
    import networkx as nx

    g = provenance_graph(item)
    if not g:
        return Markup("")
    arrow = "arrow-" + short_hash("picture", item.kind, item.id, size=10)  # ids unique per page
    columns: dict[int, list[str]] = {}
    for n, d in g.nodes(data=True):  # ordered lists keep the reading order (sets would not)
        columns.setdefault(d["layer"], []).append(n)
    layers = sorted(columns)
    pos = nx.multipartite_layout(g, subset_key={i: columns[k] for i, k in enumerate(layers)},
                                 align="vertical")
    rows = max(len(v) for v in columns.values())
    width = PAD * 2 + BOX_W + COL_W * (len(layers) - 1) + 60
    height = PAD * 2 + BOX_H + ROW_H * (rows - 1) + 20
    legend_y = height
    height += 22 if item.conflicts else 0
    x0, x1 = min(p[0] for p in pos.values()), max(p[0] for p in pos.values())
    y0, y1 = min(p[1] for p in pos.values()), max(p[1] for p in pos.values())
    box = {n: (PAD + ((x - x0) / (x1 - x0) if x1 > x0 else 0.0) * (width - 2 * PAD - BOX_W - 60),
               PAD + 10 + ((y - y0) / (y1 - y0) if y1 > y0 else 0.5) * (legend_y - 2 * PAD - BOX_H - 20))
           for n, (x, y) in pos.items()}  # layout coordinates scaled to the picture
    at = box.__getitem__

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="provenance" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" '
             f'aria-label="{escape("Provenance of: " + _short(item.label, 80))}">',
             f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#667"/>'
             '</marker></defs>']
    for u, w, d in g.edges(data=True):
        (x1, y1), (x2, y2) = at(u), at(w)
        if d["kind"] == "conflict":  # an arc bulging right of the claim column
            cx = x1 + BOX_W + 18 + min(50.0, abs(y2 - y1) * 0.12)
            parts.append(f'<path class="conflict" d="M{x1 + BOX_W:.1f},{y1 + BOX_H / 2:.1f} '
                         f'Q{cx:.1f},{(y1 + y2) / 2 + BOX_H / 2:.1f} {x2 + BOX_W:.1f},{y2 + BOX_H / 2:.1f}" '
                         'fill="none" stroke="#c62828" stroke-width="2.5" stroke-dasharray="6 4">'
                         f'<title>{escape(d.get("label", "") + " conflict")}</title></path>')
            continue
        dash = ' stroke-dasharray="2 3"' if d["kind"] == "cites" else ""
        parts.append(f'<line x1="{x1 + BOX_W:.1f}" y1="{y1 + BOX_H / 2:.1f}" x2="{x2:.1f}" '
                     f'y2="{y2 + BOX_H / 2:.1f}" stroke="#889" stroke-width="1.3"{dash} marker-end="url(#{arrow})">'
                     f'<title>{escape(d["kind"])}</title></line>')
    in_conflict = {x for k in item.conflicts for x in (k.claim_a, k.claim_b)}
    for n, d in g.nodes(data=True):
        parts.append(_box(n, d, *at(n), red=d["kind"] == "claim" and n[2:] in in_conflict))
    if item.conflicts:
        kinds = Counter(k.kind for k in item.conflicts)
        text = "; ".join(f"{k} conflict ×{v}" for k, v in sorted(kinds.items()))
        parts.append(f'<g class="legend"><path d="M{PAD},{legend_y + 4} h36" stroke="#c62828" stroke-width="2.5" '
                     f'stroke-dasharray="6 4"/><text x="{PAD + 44}" y="{legend_y + 8}" font-size="11" '
                     f'fill="#c62828" font-weight="bold">{escape(_short(text, 120))}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _box(node: str, d: dict[str, Any], x: float, y: float, red: bool) -> str:
    kind = d["kind"]
    stroke = "#c62828" if red else "#556"
    caption = {"origin": "independent origin", "claim": "claim in conflict" if red else "claim"}.get(kind, kind)
    return (f'<g class="node {kind}"><title>{escape(d["title"])}: {escape(_short(d["label"], 300))}</title>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="5" '
            f'fill="{FILL[kind]}" stroke="{stroke}" stroke-width="{2 if red else 1}"/>'
            f'<text x="{x + 8:.1f}" y="{y + 14:.1f}" font-size="9" fill="{stroke}">{escape(caption)}</text>'
            f'<text x="{x + 8:.1f}" y="{y + 27:.1f}" font-size="11" fill="#111">'
            f'{escape(_short(d["label"]))}</text></g>')
