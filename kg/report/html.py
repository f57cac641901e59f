"""The HTML report: one self-contained page (inline CSS and SVG, no scripts, no requests).

Rendered by Jinja2 with autoescaping on for every value; link targets pass
``kg.report.views.safe_url`` (only http, https and mailto become links, anything else is shown as
text); the ClaimReview JSON-LD goes into its ``<script>`` through ``|tojson``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.report.views import safe_url

if TYPE_CHECKING:
    import jinja2

    from kg.report.views import Report

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
