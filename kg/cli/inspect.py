"""``kg claims``, ``kg stats``, ``kg export``: read the built graph."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from kg.cli.output import Format, FormatOpt, StoreOpt, emit, handle_errors, store_path


@handle_errors
def claims(
    article: str | None = typer.Option(None, "--article", help="Only this article id."),
    store: Path | None = StoreOpt,
    fmt: Format = FormatOpt,
) -> None:
    """List claims with article id, exact offsets, text, attribution and certainty."""
    from kg.codec import dump
    from kg.store import load_corpus

    corpus = load_corpus(store_path(store))
    sources = corpus.sources()
    rows = []
    for c in corpus.claims():
        if article and c.article != article:
            continue
        src = sources.get(c.attribution.source) if c.attribution else None
        rows.append({
            "id": c.id, "article": c.article, "start": c.start, "end": c.end, "text": c.text,
            "certainty": c.certainty, "event_status": c.event_status,
            "event_type": c.frame.event_type,
            "source": src.name if src else None, "source_kind": src.kind if src else None,
            "frame": dump(c.frame),
        })
    emit(rows, fmt, columns=["id", "article", "start", "end", "certainty", "source", "text"])


@handle_errors
def stats(store: Path | None = StoreOpt, fmt: Format = FormatOpt) -> None:
    """Counts of articles, claims, sources, entities, propositions, conflicts and flags."""
    from kg.store import load_corpus

    corpus = load_corpus(store_path(store))
    an = corpus.analysis
    counts = {"articles": len(corpus.articles), "claims": len(corpus.claims()),
              "sources": len(corpus.sources()), "entities": len(an.entities),
              "propositions": len(an.propositions), "conflicts": len(an.conflicts),
              "flags": len(an.flags)}
    rows = [{"what": k, "count": v} for k, v in counts.items()]
    emit(rows, fmt, data=counts if fmt is Format.json else None)


class ExportFormat(str, Enum):
    trig = "trig"
    nquads = "nquads"
    jsonld = "jsonld"
    graphml = "graphml"


@handle_errors
def export(
    fmt: ExportFormat = typer.Option(ExportFormat.trig, "--format", "-f", help="trig, nquads, jsonld or graphml."),
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (atomically); default stdout."),
    store: Path | None = StoreOpt,
) -> None:
    """Export the whole graph: RDF (TriG, N-Quads, JSON-LD) or the property graph (GraphML)."""
    from kg.query.export import export_graph

    data = export_graph(store_path(store), fmt.value)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        from kg.codec import write_atomic
        from kg.errors import E, KGError

        try:
            write_atomic(out, data)
        except OSError as e:
            raise KGError(E.E307, path=out, detail=e.strerror or str(e)) from e
