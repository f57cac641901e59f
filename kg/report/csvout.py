"""The CSV report: one row per quoted claim (a claim quoted by several items is one row).

A cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) gets a leading ``'``; ``start`` and ``end`` still
point at the exact text in the article.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.report.views import Report

COLUMNS = ("claim", "article", "source_path", "start", "end", "quote", "attribution", "certainty",
           "event_status", "flags", "conflicts", "items", "evidence")


#: what a spreadsheet reads as the start of a formula (OWASP, "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """``value`` as a CSV cell that no spreadsheet runs: text starting a formula gets a
    leading ``'`` (``=HYPERLINK(...)``, a source named ``+1 analysts``); a number stays
    a number (``-3``). Every CSV kg writes goes through here (also ``kg claims -f csv``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render_csv(report: Report) -> str:
    rows: dict[str, dict[str, object]] = {}
    for item in report.items:
        for v in item.claims:
            c = v.claim
            row = rows.get(c.id)
            if row is None:
                conflicts = [f"{k.kind} with {k.claim_b if k.claim_a == c.id else k.claim_a} ({k.rule}; "
                             f"{'confirmed' if k.review == 'confirmed' else 'machine-found, unreviewed'})"
                             for k in item.conflicts if c.id in (k.claim_a, k.claim_b)]
                row = rows[c.id] = {
                    "claim": c.id, "article": c.article, "source_path": v.article.source,
                    "start": c.start, "end": c.end, "quote": c.text,
                    "attribution": v.attribution_label, "certainty": v.certainty_label,
                    "event_status": v.status_label,
                    "flags": "; ".join(f"{f.kind} ({f.rule})" for f in v.flags),
                    "conflicts": "; ".join(conflicts), "items": item.id,
                    "evidence": "; ".join(item.evidence),
                }
            elif item.id not in str(row["items"]).split("; "):
                row["items"] = f"{row['items']}; {item.id}"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for row in rows.values():
        w.writerow([cell(row[k]) for k in COLUMNS])
    return buf.getvalue()
