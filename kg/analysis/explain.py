"""How explanations name things: an article's short label, a quote cut to size.

Every conflict, flag and proposition reason quotes the spans behind it; these two
helpers keep those sentences short and alike across the rules.
"""

from __future__ import annotations

import re
from pathlib import Path


def article_label(article_id: str, source: str) -> str:
    """A short name for an article: its file stem without a trailing hash ("000_94e0bd11…" -> "000")."""
    stem = Path(source).stem if source else article_id
    short = re.sub(r"[_.-](?:[0-9a-f]{8,})$", "", stem)
    return short or stem or article_id


def quote(text: str, start: int = 0, end: int = 0, limit: int = 120) -> str:
    """``text`` in quotes, cut to about ``limit`` characters around ``[start, end)``."""
    text = " ".join(text.split()) if len(text) <= limit else text
    if len(text) <= limit:
        return f'"{text}"'
    mid = (start + end) // 2 if end > start else 0
    lo = max(0, min(mid - limit // 2, len(text) - limit))
    hi = lo + limit
    if lo > 0:
        lo = text.find(" ", lo) + 1 or lo
    if hi < len(text):
        cut = text.rfind(" ", lo, hi)
        hi = cut if cut > lo else hi
    body = " ".join(text[lo:hi].split()).rstrip(",;:")
    return f'"{"…" if lo > 0 else ""}{body}{"…" if hi < len(text) else ""}"'
