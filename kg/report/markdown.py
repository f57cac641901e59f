"""The Markdown report: plain text to paste into a newsroom document.

Every piece of article text is escaped so Markdown renderers show it literally
(no links, emphasis, headings or raw HTML can come from an article).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.report.views import Item, Report

_PLAIN = re.compile(r"[\w.:/-]+")
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def md(text: str) -> str:
    """``text`` on one line, Markdown/HTML-significant characters escaped.

    Escaped: backslash, backtick, ``*``, ``_``, brackets (so no link can form), ``<``, ``>``
    and ``&`` (so no raw HTML or entity), ``#``, ``|`` and ``~``. Runs of white space become
    one space; a leading or trailing space is kept.
    """
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def code(text: str) -> str:
    """``text`` as inline code if it is a plain id (letters, digits, ``-_.:/``), else escaped text."""
    return f"`{text}`" if _PLAIN.fullmatch(text) else md(text)


def _item(n: int, item: Item) -> list[str]:
    from kg.report.views import safe_url

    out = [f"## {n}. {md(item.label)}", "",
           f"**Evidence (not a verdict):** {md('; '.join(item.evidence))}  ",
           f"**{md(item.kind)}** {code(item.id)} · rating label: {md(item.rating)}", "",
           "### What each article says", ""]
    for v in item.claims:
        a, c = v.article, v.claim
        url = safe_url(a.url)
        title = md(a.title or a.source)
        head = f"[{title}](<{url}>)" if url and not any(ch in url for ch in "<> ") else title
        outside = "" if v.member else f" — conflicting account, not part of this {item.kind}"
        out += [f"- **{head}** ({md(a.publisher or 'publisher unknown')}, {md(a.published or 'date unknown')}){outside}",
                f"  > {md(v.before)}**{md(v.quote)}**{md(v.after)}", "",
                f"  - Attributed to: {md(v.attribution_label)}",
                *([f"  - Article cites: {md(v.cited_label)}"] if v.cited else []),
                f"  - Certainty: {md(v.certainty_label)}"]
        if v.status_label:
            out.append(f"  - Event status: {md(v.status_label)}")
        if v.flags:
            out.append(f"  - Flags: {md(', '.join(f.kind for f in v.flags))}")
        out += [f"  - Provenance: article {code(a.id)}, characters \\[{c.start}, {c.end}), "
                f"file {md(a.source)}, claim {code(c.id)}", ""]
    if item.conflicts:
        out += ["### Where the accounts conflict", ""]
        for k in item.conflicts:
            state = "confirmed by a reviewer" if k.review == "confirmed" else "machine-found, unreviewed"
            out.append(f"- **{md(k.kind)} conflict** between {code(k.claim_a)} and {code(k.claim_b)}: "
                       f"{md(k.explanation)} (rule {code(k.rule)}; {state})")
        out.append("")
    if item.flags:
        out += ["### Why flagged", ""]
        for f in item.flags:
            ev = "; ".join(f"“{md(s.text[:200])}” \\[{s.start}, {s.end}) in {code(s.article)}" for s in f.evidence)
            out.append(f"- **{md(f.kind)}** (rule {code(f.rule)}, on {code(f.target)}): {md(f.explanation)}"
                       + (f" Evidence: {ev}" if ev else "") + " (machine-found, unreviewed)")
        out.append("")
    if item.origins:
        out += ["### Independent origins", "",
                f"{len(item.origins)}: " + "; ".join(md(o) for o in item.origins), ""]
    return out


def render_markdown(report: Report) -> str:
    s = report.summary
    lines = ["# Contested and flagged claims", "",
             "> Evidence, not a verdict: everything here was found by machine and is unreviewed "
             "unless marked “confirmed by a reviewer”. It never says which account is true.", ""]
    if report.scope:
        lines += [f"Limited to {md(report.scope)}.", ""]
    lines += [f"Articles: {s['articles']} · Claims: {s['claims']} · Propositions: {s['propositions']} · "
              f"Conflicts: {s['conflicts']} · Flags: {s['flags']} · Reported below: {s['reported']}", ""]
    if not report.items:
        lines += ["Nothing is contested or flagged: the analysis found no conflict and no flag.", ""]
    for n, item in enumerate(report.items, 1):
        lines += _item(n, item)
    lines += ["---", "Offsets are half-open ranges of Unicode code points into each article’s stored text.", ""]
    return "\n".join(lines)
