"""What a note shows of its checking: the passages its sources hold, and its review record.

Excerpts are shown as plain text (never parsed as markup), so a source's words appear
exactly as stored and nothing in them can become markup or script.
"""

from __future__ import annotations

import re

from docutils import nodes

from ..annotations import Annotation, Source
from .nodes import element

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # a BCP 47 tag, as the schema asks


def excerpts(src: Source) -> list[nodes.Node]:
    """'What the source says': each stored passage as a blockquote in its language, then its translation."""
    if not src.excerpts:
        reason = src.no_excerpt.strip()
        return [nodes.paragraph(classes=["source-no-excerpt"], text=f"No passage stored: {reason.rstrip('.')}.")] if reason else []
    box = nodes.container(classes=["source-excerpts"])
    box += nodes.paragraph(classes=["source-excerpts-title"], text="What the source says")
    for exc in src.excerpts:
        language = str(exc.get("language", ""))
        attrs = {"lang": language} if _LANGUAGE.match(language) else {}
        box += element("blockquote", nodes.paragraph(text=str(exc.get("text", ""))), class_="source-excerpt", **attrs)
        if exc.get("translation"):
            para = nodes.paragraph(classes=["source-excerpt-translation"])
            para += nodes.inline(text="Editors\u2019 translation: ", classes=["source-excerpt-translation-label"])
            para += nodes.Text(str(exc["translation"]))
            box += para
    return [box]


def review_tag(ann: Annotation) -> list[nodes.Node]:
    """An 'Awaiting review' tag for beside the badge, until a second reader has checked the note."""
    if not ann.awaiting_review:
        return []
    return [nodes.Text(" "), nodes.inline(text="Awaiting review", classes=["review-status", "awaiting-review"])]


def review_record(ann: Annotation) -> nodes.Text:
    """The meta line's account of the second reading."""
    readings = ann.second_readings
    if not readings:
        return nodes.Text(" Awaiting review: no second reader has checked this note yet.")
    return nodes.Text(" Reviewed by " + "; ".join(f"{r['by']} on {r['date']}" for r in readings) + ".")
