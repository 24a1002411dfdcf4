"""Machine-readable output: schema.org ClaimReview per rated claim, and a W3C Web Annotation export."""

from __future__ import annotations

import json

from ..annotations import VERDICTS, Annotation
from ..article import Article

EDITORS = {"@type": "Organization", "name": "Editors of the annotated edition"}
BEST = max(v for v, _ in VERDICTS.values() if v)
WORST = min(v for v, _ in VERDICTS.values() if v)


def claim_review(ann: Annotation, article: Article, page_url: str) -> dict | None:
    """The ClaimReview of one rated claim; None for opinions and unrated (unsupported) claims."""
    value = VERDICTS.get(ann.verdict, (None, ""))[0]
    if value is None:
        return None
    appearance = {"@type": "NewsArticle", "headline": article.title, "datePublished": article.date, "publisher": {"@type": "Organization", "name": article.publisher}}
    if article.url:
        appearance["url"] = article.url
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{page_url}#{ann.anchor}",
        "datePublished": ann.history[0]["date"],
        "dateModified": ann.updated,
        "author": EDITORS,
        "claimReviewed": _short(ann.exact),
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": article.publisher},
            "datePublished": article.date,
            "appearance": appearance,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": ann.verdict.capitalize(),
            "ratingExplanation": ann.summary,
        },
    }


def _short(text: str, limit: int = 75) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def script_tag(objects: list[dict]) -> str:
    """A JSON-LD <script>; '<', '>' and '&' are escaped so no text can close the tag."""
    payload = json.dumps(objects, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{payload}</script>'


def web_annotation(ann: Annotation, article: Article, page_url: str) -> dict:
    """One W3C Web Annotation: the verdict as a tag, summary and explanation as bodies."""
    block = article.block(ann.block_key)
    before, after = block.text[: ann.start], block.text[ann.start + len(ann.exact) :]
    selector = {"type": "TextQuoteSelector", "exact": ann.exact, "prefix": before[-32:], "suffix": after[:32]}
    return {
        "id": f"{page_url}#{ann.anchor}",
        "type": "Annotation",
        "motivation": "assessing" if ann.rated else "commenting",
        "created": ann.history[0]["date"],
        "modified": ann.updated,
        "creator": {"type": "Organization", "name": EDITORS["name"]},
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": ann.label},
            {"type": "TextualBody", "purpose": "describing", "format": "text/markdown", "value": f"{ann.summary}\n\n{ann.explanation}"},
        ]
        + [{"type": "SpecificResource", "purpose": "linking", "source": s.url} for s in ann.sources],
        "target": {"source": page_url, "selector": selector},
    }


def collection(items: list[dict], url: str) -> dict:
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": url, "type": "AnnotationCollection", "label": "Editorial annotations of the edition", "total": len(items), "first": {"type": "AnnotationPage", "items": items}}
