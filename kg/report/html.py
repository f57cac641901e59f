"""The HTML report: one self-contained page (inline CSS and SVG, no scripts, no requests).

Rendered by Jinja2 with autoescaping on for every value; link targets pass
``safe_url`` (only http, https and mailto become links, anything else is shown as
text); the ClaimReview JSON-LD goes into its ``<script>`` through ``|tojson``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import jinja2

    from kg.report.select import Report

SAFE_SCHEMES = ("http", "https", "mailto")


def safe_url(url: str | None) -> str | None:
    """``url`` if its scheme is http, https or mailto (after trimming), else ``None``."""
    if not url:
        return None
    url = url.strip()
    if any(ord(ch) < 32 or ch.isspace() for ch in url):
        return None  # "java\tscript:" and friends
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES else None


def environment() -> jinja2.Environment:
    """The Jinja2 environment for ``kg/templates`` (autoescape always on)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    return env


def render_html(report: Report, page_url: str) -> str:
    from kg.report.jsonld import claim_reviews
    from kg.report.picture import svg

    env = environment()
    template = env.get_template("report.html.j2")
    pictures = {item.id: svg(item) for item in report.items}
    return str(template.render(report=report, pictures=pictures,
                               claim_reviews=claim_reviews(report, page_url)))
