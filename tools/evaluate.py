"""The seeds' checks of ``make eval``: the rules against a hand-labelled dev set.

Labels: ``tests/data/eval/labels.toml`` over two corpora, the seeds and a second,
invented story (``tests/data/eval/second/``), so the rules are not tuned to one story.
Run: ``python -m tools.evaluate [--json]``; ``make eval`` runs it with the real dev sets
(``tools.kg_eval``, docs/evaluation.md).
"""

from __future__ import annotations

import json
import sys
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.model import Claim, Corpus

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "eval" / "labels.toml"
CORPORA = {"seeds": ROOT / "seeds", "second": ROOT / "tests" / "data" / "eval" / "second"}


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def row(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3)}


def build_corpus(path: Path) -> Corpus:
    from kg.pipeline import build
    from kg.store import load_corpus

    with tempfile.TemporaryDirectory() as tmp:
        build([path], Path(tmp) / ".kg", n_process=1)
        return load_corpus(Path(tmp) / ".kg")


def _claim(corpus: Corpus, file: str, text: str) -> Claim | None:
    ids = {g.article.id for g in corpus.articles if Path(g.article.source).name.startswith(file)}
    return next((c for c in corpus.claims() if c.article in ids and text in c.text), None)


def _source_label(corpus: Corpus, c: Claim) -> str:
    if c.attribution is None:
        return ""
    src = corpus.sources().get(c.attribution.source)
    if src is None:
        return "?"
    return "anonymous" if src.kind == "anonymous" else src.name


def score_claims(corpus: Corpus, labels: list[dict[str, Any]], out: dict[str, Score],
                 misses: list[str]) -> None:
    for lab in labels:
        c = _claim(corpus, lab["file"], lab["text"])
        if c is None:
            misses.append(f"claim not extracted: {lab['text'][:60]!r}")
            for facet in ("attribution", "certainty", "event_status"):
                out[facet].fn += 1
            continue
        got, want = _source_label(corpus, c), lab["source"]
        _tally(out["attribution"], got.casefold(), want.casefold(), empty="", misses=misses,
               what=f"attribution {lab['text'][:50]!r}")
        if "certainty" in lab:
            _tally(out["certainty"], c.certainty, lab["certainty"], empty="asserted", misses=misses,
                   what=f"certainty {lab['text'][:50]!r}")
        if "event_status" in lab:
            _tally(out["event_status"], c.event_status or "", lab["event_status"], empty="",
                   misses=misses, what=f"event status {lab['text'][:50]!r}")


def _tally(s: Score, got: str, want: str, empty: str, misses: list[str], what: str) -> None:
    """A non-default prediction is a positive; right positives are TP, wrong ones FP (+FN)."""
    if got == want:
        s.tp += got != empty
        return
    misses.append(f"{what}: got {got or '-'!r}, want {want or '-'!r}")
    if got != empty:
        s.fp += 1
    if want != empty:
        s.fn += 1


def score_entities(corpus: Corpus, labels: list[dict[str, Any]], s: Score, misses: list[str]) -> None:
    by_surface: dict[str, Counter[str]] = {}
    for e in corpus.analysis.entities:
        for m in e.mentions:
            by_surface.setdefault(m.text.casefold(), Counter())[e.name.casefold()] += 1
    for lab in labels:
        canon = lab["canonical"] if isinstance(lab["canonical"], list) else [lab["canonical"]] * len(lab["surface"])
        for surface, want in zip(lab["surface"], canon, strict=True):
            got = by_surface.get(surface.casefold())
            if not got:
                s.fn += 1
                misses.append(f"entity {surface!r}: no mention found")
            elif got.most_common(1)[0][0] == want.casefold():
                s.tp += 1
            else:
                s.fp += 1
                s.fn += 1
                misses.append(f"entity {surface!r}: resolved to {got.most_common(1)[0][0]!r}, want {want!r}")


def score_conflicts(corpus: Corpus, labels: list[dict[str, Any]], s: Score, misses: list[str]) -> None:
    texts = {c.id: c.text for c in corpus.claims()}
    found = [(k.kind, texts.get(k.claim_a, ""), texts.get(k.claim_b, "")) for k in corpus.analysis.conflicts]
    matched: set[int] = set()

    def has(text: str, want: str | list[str]) -> bool:
        return any(w in text for w in ([want] if isinstance(want, str) else want))

    for lab in labels:
        a, b = lab["a"], lab["b"]
        hit = next((i for i, (kind, ta, tb) in enumerate(found) if kind == lab["kind"] and (
            (has(ta, a) and has(tb, b)) or (has(tb, a) and has(ta, b)))), None)
        if hit is None:
            s.fn += 1
            misses.append(f"conflict {lab['kind']}: {str(a)[:50]!r} vs {str(b)[:50]!r} not found")
        else:
            s.tp += 1
            matched.add(hit)
    s.fp += len(found) - len(matched)


def evaluate() -> tuple[dict[str, dict[str, Any]], list[str]]:
    labels = tomllib.loads(LABELS.read_text(encoding="utf-8"))
    scores = {k: Score() for k in ("attribution", "certainty", "event_status", "entities", "conflicts")}
    misses: list[str] = []
    for name, path in CORPORA.items():
        corpus = build_corpus(path)
        score_claims(corpus, [x for x in labels["claim"] if x["corpus"] == name], scores, misses)
        score_entities(corpus, [x for x in labels["entity"] if x["corpus"] == name],
                       scores["entities"], misses)
        score_conflicts(corpus, [x for x in labels["conflict"] if x["corpus"] == name],
                        scores["conflicts"], misses)
    return {k: v.row() for k, v in scores.items()}, misses


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    rows, misses = evaluate()
    if "--json" in argv:
        print(json.dumps({"scores": rows, "misses": misses}, indent=2, ensure_ascii=False))
        return 0
    print(f"{'facet':<14}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}")
    for k, r in rows.items():
        print(f"{k:<14}{r['precision']:>10.3f}{r['recall']:>8.3f}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}")
    print("\nmisses:")
    for m in misses:
        print(f"  - {m}")
    print("\n(conflict precision counts every unlabelled conflict found as a false positive)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
