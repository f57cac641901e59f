"""Shared fixtures: the seed corpus built once per test session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from kg.model import ArticleGraph, Corpus

pytest_plugins = ["tests.neo4j_fixture"]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from seeds/ (one build, shared read-only by the tests)."""
    from kg.pipeline import build

    root = tmp_path_factory.mktemp("seed-store") / ".kg"
    report = build([SEEDS], root)
    assert not report.errors, report.errors
    return root


@pytest.fixture(scope="session")
def seed_corpus(seed_store: Path) -> Corpus:
    from kg.store import load_corpus

    return load_corpus(seed_store)


def seed_article(corpus: Corpus, prefix: str) -> str:
    """The article id of the seed file whose name starts with ``prefix`` (e.g. "003")."""
    for g in corpus.articles:
        if Path(g.article.source).name.startswith(prefix):
            return g.article.id
    raise KeyError(prefix)


@cache
def seed_graphs() -> dict[str, ArticleGraph]:
    """Each seed extracted directly (no store), keyed by its file prefix ("000".."004")."""
    from kg.ingest import read as ingest
    from kg.nlp import extract
    from kg.nlp import parse as nlp

    graphs = {}
    for path in sorted(SEEDS.glob("*.txt")):
        raw = next(r for r in ingest.read_file(path) if isinstance(r, ingest.RawArticle))
        article, pieces, blocks = extract.prepare(raw)
        graphs[path.name[:3]] = extract.extract(article, blocks, nlp.parse(pieces))
    return graphs
