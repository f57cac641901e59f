"""``kg flags``, ``kg conflicts``, ``kg entities``, ``kg show``: the analysis, explained."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

import typer

from kg.cli.output import Format, FormatOpt, StoreOpt, emit, handle_errors, printable, store_path
from kg.errors import EXIT_FINDINGS, EXIT_OK
from kg.model import Corpus, Dispute, Source


class FailOn(str, Enum):
    never = "never"
    any = "any"


FailOnOpt = typer.Option(FailOn.never, "--fail-on",
                         help="Exit 1 when there is any finding (for scripts and CI).")


def _load(store: Path | None) -> Corpus:
    from kg.store import load_corpus

    return load_corpus(store_path(store))


def _texts(corpus: Corpus) -> dict[str, str]:
    return {c.id: c.text for c in corpus.claims()}


def _finish(rows: Sequence[object], fail_on: FailOn) -> NoReturn:
    raise typer.Exit(EXIT_FINDINGS if rows and fail_on is FailOn.any else EXIT_OK)


@handle_errors
def flags(kind: str | None = typer.Option(None, "--kind", help="Only this flag kind."),
          store: Path | None = StoreOpt, fmt: Format = FormatOpt, fail_on: FailOn = FailOnOpt) -> None:
    """Flags (unsupported, anonymous, single-origin, hedge-laundering, circular), each with its rule and evidence."""
    corpus = _load(store)
    rows: list[dict[str, object]] = [
        {"id": f.id, "kind": f.kind, "target": f.target, "rule": f.rule,
         "explanation": f.explanation,
         "evidence": [f"{s.article}:{s.start}-{s.end} {s.text!r}" for s in f.evidence]}
        for f in corpus.analysis.flags if kind is None or f.kind == kind]
    emit(rows, fmt, columns=["kind", "rule", "target", "explanation"])
    _finish(rows, fail_on)


@handle_errors
def conflicts(kind: str | None = typer.Option(None, "--kind", help="status, polarity, value or stance."),
              pairs: bool = typer.Option(False, "--pairs",
                                         help="One row per pair of conflicting claims instead of per dispute."),
              store: Path | None = StoreOpt, fmt: Format = FormatOpt,
              fail_on: FailOn = FailOnOpt) -> None:
    """Disputes: conflicting claims over one question, gathered into sides (each with its
    articles, claims, sources and a quote), with the rules and a one-sentence explanation.
    ``--pairs``: the pairwise conflicts the disputes gather, one row per pair of claims."""
    corpus = _load(store)
    texts = _texts(corpus)
    an = corpus.analysis
    if pairs:
        rows: list[dict[str, object]] = [
            {"id": k.id, "kind": k.kind, "rule": k.rule, "claim_a": k.claim_a, "claim_b": k.claim_b,
             "text_a": texts.get(k.claim_a), "text_b": texts.get(k.claim_b),
             "explanation": k.explanation, "review": k.review}
            for k in an.conflicts if kind is None or k.kind == kind]
        emit(rows, fmt, columns=["kind", "rule", "explanation", "review"])
        _finish(rows, fail_on)
    labels, sources = _labels(corpus), corpus.sources()
    found = [d for d in an.disputes if kind is None or d.kind == kind]
    listed = [_dispute_row(d, texts, labels, sources) for d in found]
    if fmt is Format.json:
        emit(listed, fmt)
    else:  # a table or CSV row: each side as "position: its articles"
        emit([{**r, "sides": " | ".join(f"{s.position}: {', '.join(labels.get(a, a) for a in s.articles)}"
                                        for s in d.sides)} for d, r in zip(found, listed, strict=True)],
             fmt, columns=["kind", "label", "sides", "explanation"])
    _finish(listed, fail_on)


def _dispute_row(d: Dispute, texts: dict[str, str], labels: dict[str, str],
                 sources: dict[str, Source]) -> dict[str, Any]:
    """A dispute as JSON: one object per side with its position, articles (ids and short
    names), claims with their texts, sources and origin count (the shape ai-news-dev's
    scorer reads side by side)."""
    return {"id": d.id, "kind": d.kind, "rules": list(d.rules), "label": d.label,
            "sides": [{"position": s.position, "articles": list(s.articles),
                       "article_names": [labels.get(a, a) for a in s.articles], "claims": list(s.claims),
                       "texts": [texts.get(c, "") for c in s.claims],
                       "sources": [sources[x].name if x in sources else x for x in s.sources],
                       "origins": s.origins} for s in d.sides],
            "conflicts": list(d.conflicts), "explanation": d.explanation}


def _labels(corpus: Corpus) -> dict[str, str]:
    """Article id -> the short name explanations use ("000")."""
    from kg.analysis.explain import article_label

    return {g.article.id: article_label(g.article.id, g.article.source) for g in corpus.articles}


@handle_errors
def entities(store: Path | None = StoreOpt, fmt: Format = FormatOpt) -> None:
    """Canonical entities with type, developer (for AI models), aliases and mention counts."""
    corpus = _load(store)
    names = {e.id: e.name for e in corpus.analysis.entities}
    rows: list[dict[str, object]] = [
        {"id": e.id, "name": e.name, "type": e.type, "developer": names.get(e.developer or ""),
         "aliases": sorted(set(e.aliases)), "mentions": len(e.mentions)}
        for e in sorted(corpus.analysis.entities, key=lambda e: (-len(e.mentions), e.name))]
    emit(rows, fmt, columns=["name", "type", "developer", "mentions", "aliases"])


@handle_errors
def show(claim_id: str = typer.Argument(..., help="A claim id (see `kg claims`)."),
         context: int = typer.Option(120, "--context", help="Characters of context each side."),
         store: Path | None = StoreOpt, fmt: Format = FormatOpt) -> None:
    """Everything about one claim: span in context, attribution chain, certainty, proposition, conflicts, flags."""
    from kg.query.claim import describe

    info = describe(_load(store), claim_id, context)
    if fmt is Format.json:
        emit([], fmt, data=info)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.text import Text

    claim, article = info["claim"], info["article"]
    out = Console()
    out.print(f"[bold]Claim {claim['id']}[/] in article {article['id']} ({escape(printable(article['source']))}) "
              f"[{claim['start']}:{claim['end']}]")
    t = Text("…" + printable(str(info["before"])))
    t.append(printable(claim["text"]), style="bold reverse")
    t.append(printable(str(info["after"])) + "…")
    out.print(t)
    chain_names = " -> ".join(f"{s['name']} ({s['kind']})" for s in info["chain"]) or "none (the article's own voice)"
    out.print(f"attribution: {escape(printable(chain_names))}")
    out.print(f"certainty: {claim['certainty']}; event: {claim['frame']['event_type'] or '-'} "
              f"{claim['event_status'] or ''}; polarity: {claim['polarity']}")
    for p in info["propositions"]:
        out.print(escape(printable(f"proposition: {p['label']}  [{p['reason']}]")))
    for k in info["conflicts"]:
        out.print(f"[red]conflict ({k['kind']}, {k['rule']}):[/] {escape(printable(k['explanation']))}")
    for f in info["flags"]:
        out.print(f"[yellow]flag {f['kind']} ({f['rule']}):[/] {escape(printable(f['explanation']))}")
