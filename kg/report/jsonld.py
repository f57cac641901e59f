"""schema.org ``ClaimReview`` items, one per reported proposition (or loose claim).

Only the ``https://schema.org`` context is used. The rating never gives a truth
value: ``reviewRating.alternateName`` says what was found and that it is
machine-flagged and unreviewed, unless a reviewer confirmed the conflict.
Each ``appearance`` is a ``CreativeWork`` (the article's ``url``) whose ``identifier`` list holds the
offsets as machine-readable ``PropertyValue`` items; for a local snapshot the
``url`` itself points at the exact characters (RFC 5147 ``file:...#char=start,end``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.model import Article, Source
    from kg.report.views import ClaimView, Item, Report

CONTEXT = "https://schema.org"
PERSON_KINDS = ("person", "official")


def article_url(article: Article) -> str:
    """The article's web address if it has a safe one, else its file as a ``file:`` URL."""
    from kg.report.views import safe_url

    url = safe_url(article.url)
    if url and not url.lower().startswith("mailto:"):
        return url.split("#", 1)[0]
    return Path(article.source).resolve().as_uri()


def _prop(name: str, value: Any) -> dict[str, Any]:
    return {"@type": "PropertyValue", "propertyID": name, "value": value}


def appearance(v: ClaimView) -> dict[str, Any]:
    c, a = v.claim, v.article
    base = article_url(a)
    # RFC 5147 fragments address characters of a plain-text file (our snapshot); a web
    # page's characters differ from the snapshot's, so its address is left whole.
    url = f"{base}#char={c.start},{c.end}" if base.startswith("file:") else base
    return {
        "@type": "CreativeWork",
        "url": url,
        "text": c.text,
        "description": (f"characters [{c.start}, {c.end}) (Unicode code points) of article {a.id} "
                        f"({a.source}); attributed to: {v.attribution_label}; certainty: {v.certainty_label}"),
        "isPartOf": {"@type": "CreativeWork", "url": base, "name": a.title or a.source,
                     **({"publisher": {"@type": "Organization", "name": a.publisher}} if a.publisher else {}),
                     **({"datePublished": a.published} if a.published else {})},
        **({"datePublished": a.published} if a.published else {}),
        "identifier": [_prop("kg:claim", c.id), _prop("kg:article", a.id),
                       _prop("kg:sourcePath", a.source), _prop("kg:startOffset", c.start),
                       _prop("kg:endOffset", c.end)],
    }


def _author(s: Source) -> dict[str, Any]:
    kind = "Person" if s.kind in PERSON_KINDS else "Organization"
    return {"@type": kind, "name": s.name, "description": f"source kind: {s.kind}"}


def claim_review(item: Item, page_url: str) -> dict[str, Any]:
    from kg.report.views import short

    views = item.claims
    dated = sorted((v for v in views if v.article.published), key=lambda v: str(v.article.published))
    first = dated[0] if dated else (views[0] if views else None)
    authors = list({v.chain[0].id: _author(v.chain[0]) for v in views if v.chain}.values())
    body = [f"Evidence, not a verdict: {'; '.join(item.evidence) or 'none'}."]
    body += [f"{v.article.title or v.article.source} [{v.claim.start}, {v.claim.end}): "
             f"\u201c{short(v.claim.text, 500)}\u201d ({v.attribution_label}; {v.certainty_label})" for v in views]
    body += [f"{k.kind} conflict ({k.rule}): {k.explanation}" for k in item.conflicts]
    body += [f"flag {f.kind} ({f.rule}): {f.explanation}" for f in item.flags]
    if item.origins:
        body.append(f"{len(item.origins)} independent origin(s): {'; '.join(item.origins)}")
    claim: dict[str, Any] = {
        "@type": "Claim",
        "name": item.label,
        "appearance": [appearance(v) for v in views],
    }
    if first is not None:
        claim["firstAppearance"] = appearance(first)
    if authors:
        claim["author"] = authors if len(authors) > 1 else authors[0]
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": f"{page_url.split('#', 1)[0]}#item-{item.id}",
        "identifier": item.id,
        "claimReviewed": item.label,
        "itemReviewed": claim,
        "reviewRating": {"@type": "Rating", "alternateName": item.rating,
                         "ratingExplanation": "; ".join(item.evidence)},
        "reviewBody": "\n".join(body),
        "author": {"@type": "Organization", "name": "kg (automated analysis, unreviewed)"},
    }


def claim_reviews(report: Report, page_url: str) -> list[dict[str, Any]]:
    """One ClaimReview per reported item, each with its own ``@context``."""
    return [claim_review(item, page_url) for item in report.items]
