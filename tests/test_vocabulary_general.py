"""The shipped vocabularies hold general English and news practice, never a story's names.

The entries grown from the seed articles are gone: no vocabulary value (the decoded
strings of every ``kg/data/*.toml``, comments aside) names an entity the seeds' build
finds, an entity or source of the ``ai-news-dev`` gold (when that data set is present
beside the project), or one of the removed entries listed below; word lists are
lower-case (the ALL-CAPS trade acronyms and the tier words of versioned names aside).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS

GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "ai-news-dev" / "gold.yaml"

#: entries grown from the seeds and removed (issue 22): they must not come back
REMOVED = ["Anthopic", "Anthropic", "Fable", "Mythos", "Claude", "Financial Times", "FT",
           "US government", "US officials", "Washington", "Trump administration", "Pandora",
           "misunderstanding", "restore access", "did not adhere", "does not justify",
           "does not warrant", "disproportionate", "the action", "the order", "Opus",
           "Sonnet", "Haiku", "Commerce Department", "Wall Street Journal", "Reuters"]
#: capitalised values allowed: tier words of versioned names ("Name 4 Pro"), quotes
CASED = frozenset({"models.tiers", "quotes.open", "quotes.close", "quotes.both",
                   "furniture.languages", "names.unnamed"})


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k, where)  # keys of a table can be values too ([ner.types])
            yield from _strings(v, f"{where}.{k}" if where else k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, where)


def _values() -> list[tuple[str, str, str]]:
    out = []
    for ref in resources.files("kg.data").iterdir():
        if ref.name.endswith(".toml"):
            data = tomllib.loads(ref.read_text(encoding="utf-8"))
            out.extend((ref.name, where, s) for where, s in _strings(data))
    return out


def _contains(value: str, name: str) -> bool:
    """``name`` as a word of ``value``; any case, except for an acronym ("US" is not "us")."""
    flags = 0 if name.isupper() and len(name) <= 4 else re.IGNORECASE
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", value, flags) is not None


def _general_words() -> set[str]:
    """The lower-case words of the shipped lists: a gold "source" such as "Sources" or
    "Plaintiffs" is one of them, not a name."""
    return {v for _, _, v in _values() if v == v.lower() and re.fullmatch(r"[\w' -]+", v)}


@pytest.fixture(scope="module")
def seed_names() -> set[str]:
    """Every capitalised entity name and alias a build of the seeds finds."""
    from kg.analysis.entities import resolve
    from kg.ingest import read as ingest
    from kg.nlp import extract
    from kg.nlp import parse as nlp

    claims = []
    for raw in ingest.read_inputs([SEEDS]):
        assert hasattr(raw, "text"), raw
        article, pieces, blocks = extract.prepare(raw)  # type: ignore[arg-type]
        claims.extend(extract.extract(article, blocks, nlp.parse(pieces)).claims)
    names = {n for e in resolve(claims) for n in (e.name, *e.aliases)}
    return {n for n in names if n[:1].isupper() and len(n) > 1}


def _gold_names() -> set[str]:
    text = GOLD.read_text(encoding="utf-8")
    found: set[str] = set()
    for line in re.findall(r"attribution:\s*\[([^\]]*)\]", text):
        found.update(n.strip().strip("\"'") for n in line.split(","))
    return {n for n in found if n[:1].isupper() and len(n) > 2}


def test_no_value_names_an_entity_of_the_seeds(seed_names: set[str]) -> None:
    assert {"Anthropic", "Financial Times", "Fable 5"} <= seed_names  # the build found them
    hits = [(f, w, v, n) for f, w, v in _values() for n in seed_names if _contains(v, n)]
    # ALL-CAPS trade acronyms of [ignore] ("AI") are words, not a story's names
    hits = [h for h in hits if not (h[1] == "ignore.words" and h[2].upper() == h[3])]
    assert hits == []


@pytest.mark.skipif(not GOLD.exists(), reason="ai-news-dev is not beside the project")
def test_no_value_names_an_entity_of_the_ai_news_gold() -> None:
    general = _general_words()
    names = {n for n in _gold_names() if n.lower() not in general and n.lower().rstrip("s") not in general}
    assert "Reuters" in names and "Sam Altman" in names
    hits = [(f, w, v, n) for f, w, v in _values() for n in names if _contains(v, n)]
    assert hits == []


@pytest.mark.parametrize("entry", REMOVED)
def test_removed_entries_are_gone(entry: str) -> None:
    assert [(f, w, v) for f, w, v in _values() if _contains(v, entry)] == []


def test_word_lists_are_lower_case() -> None:
    upper = [(f, w, v) for f, w, v in _values()
             if w not in CASED and w != "ner" and not w.endswith("label")
             and not w.startswith(("ner.", "furniture.", "citation.", "sentences."))
             and v != v.lower()]
    assert upper == []


def test_no_entity_or_source_tables_are_shipped() -> None:
    from kg.data import vocabulary

    v = vocabulary()
    assert v.entities.entities == () and v.sources.sources == ()
