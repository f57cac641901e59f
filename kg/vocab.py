"""Typed access to the rule vocabularies in ``kg/data/*.toml`` (users extend those files)."""

from __future__ import annotations

from functools import cache

from kg import data


def _words(name: str, table: str, key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data.load(name).get(table, {}).get(key, []))


@cache
def reporting_verbs() -> frozenset[str]:
    """Lemmas of verbs that report speech or writing: say, report, tell, state..."""
    return _words("attribution", "verbs", "reporting")
