"""Reports for fact-checkers: what each article says about a contested or flagged proposition.

``write_report(corpus, fmt, out_dir)`` writes one file per format, atomically, and
returns the paths written. Formats: ``html`` (one self-contained page), ``md``
(Markdown for a newsroom document), ``jsonld`` (schema.org ClaimReview items) and
``csv`` (one row per quoted claim). A report states evidence, never a verdict.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import E, KGError
from kg.model import Corpus

FORMATS: dict[str, str] = {"html": "report.html", "md": "report.md",
                           "jsonld": "report.jsonld", "csv": "report.csv"}


def render(corpus: Corpus, fmt: str, out_dir: Path, proposition: str | None = None,
           entity: str | None = None, base_url: str | None = None) -> str:
    """The report text in format ``fmt`` (nothing is written)."""
    from kg.report.select import build

    if fmt not in FORMATS:
        raise KGError(E.E207, option="--format", detail=f"{fmt!r}; use one of {', '.join(FORMATS)}.")
    report = build(corpus, proposition=proposition, entity=entity)
    page = base_url or (out_dir.resolve() / FORMATS["html"]).as_uri()
    if fmt == "html":
        from kg.report.html import render_html

        return render_html(report, page)
    if fmt == "md":
        from kg.report.markdown import render_markdown

        return render_markdown(report)
    if fmt == "jsonld":
        import json

        from kg.report.jsonld import claim_reviews

        return json.dumps(claim_reviews(report, page), ensure_ascii=False, indent=2) + "\n"
    from kg.report.csvout import render_csv

    return render_csv(report)


def write_report(corpus: Corpus, fmt: str, out_dir: Path, proposition: str | None = None,
                 entity: str | None = None, base_url: str | None = None) -> list[Path]:
    """Write the report in ``fmt`` under ``out_dir`` (temp file + rename); the paths written.

    ``base_url`` is where the HTML report will be published (its anchors become the
    ClaimReview ``url``); without it the local ``file:`` URL of the HTML report is used.
    """
    from kg.codec import write_atomic
    from kg.errors import StoreError

    text = render(corpus, fmt, out_dir, proposition, entity, base_url)
    path = out_dir / FORMATS[fmt]
    try:
        write_atomic(path, text)
        mask = os.umask(0)  # the temporary file is private (0600); a report is for reading
        os.umask(mask)
        path.chmod(0o666 & ~mask)
    except OSError as err:
        raise StoreError(E.E307, path=path, detail=err.strerror or str(err)) from err
    return [path]


__all__ = ["FORMATS", "render", "write_report"]
