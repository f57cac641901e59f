"""One cluster folder -> one fresh store, built in this process.

Every cluster is built on its own (no fact of one story may leak into another's
analysis), one after the other, with ``--jobs 1``: the build, the analysis and the
spaCy model all stay in this process, so the model is loaded once for the whole run
(``kg.nlp.parse.load`` is cached per process) and two shared cores are never
oversubscribed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.model import Corpus


@dataclass(frozen=True, slots=True)
class Built:
    """A built cluster: its records, the build's summary and the wall-clock seconds."""

    name: str
    corpus: Corpus
    summary: dict[str, object]
    seconds: float


def folders(root: Path) -> list[Path]:
    """The cluster folders under ``root``, by name (a file beside them is ignored)."""
    return sorted(p for p in root.iterdir() if p.is_dir())


def build_one(folder: Path, store: Path) -> Built:
    """Build ``folder`` into the fresh store ``store`` and read it back."""
    from kg.pipeline import build
    from kg.store import load_corpus

    start = time.perf_counter()
    report = build([folder], store, n_process=1)
    corpus = load_corpus(store)
    summary: dict[str, object] = {
        "store": str(store), "articles": report.articles_total, "parsed": report.parsed,
        "unchanged": report.unchanged, "replaced": report.replaced, "claims": report.claims,
        "entities": report.entities, "propositions": report.propositions,
        "conflicts": report.conflicts, "flags": report.flags, "compacted": report.compacted,
        "skipped": [{"code": e.code.name, "message": str(e)} for e in report.errors],
        "seconds": report.seconds,
    }
    return Built(folder.name, corpus, summary, time.perf_counter() - start)


def build_each(root: Path, stores: Path | None = None, quiet: bool = False) -> Iterator[Built]:
    """Build every cluster folder of ``root`` in turn, each into a fresh store (under
    ``stores`` when given, kept; else in a temporary folder, removed), printing one line
    per cluster on stderr."""
    todo = folders(root)
    for i, folder in enumerate(todo, 1):
        if stores is not None:
            store = stores / folder.name
            _remove(store)
            built = build_one(folder, store)
        else:
            with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
                built = build_one(folder, Path(tmp) / ".kg")
        if not quiet:
            print(f"[{i}/{len(todo)}] {folder.name}: {len(built.corpus.articles)} articles, "
                  f"{len(built.corpus.claims())} claims, {built.seconds:.1f} s",
                  file=sys.stderr, flush=True)
        yield built


def _remove(store: Path) -> None:
    import shutil

    if store.exists():
        shutil.rmtree(store)
