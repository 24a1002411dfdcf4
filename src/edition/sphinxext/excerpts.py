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
    """'What the source says': each passage found again as a blockquote in its language, then its translation.

    A passage a search of the stored copies did not find again is never shown under that heading:
    it follows in its own box, headed "Passage not re-found on <date>".
    """
    if not src.excerpts:
        reason = src.no_excerpt.strip()
        return [nodes.paragraph(classes=["source-no-excerpt"], text=f"No passage stored: {reason.rstrip('.')}.")] if reason else []
    shown = []
    if src.checked_excerpts:
        box = nodes.container(classes=["source-excerpts"])
        box += nodes.paragraph(classes=["source-excerpts-title"], text="What the source says")
        for exc in src.checked_excerpts:
            box += _passage(exc, "source-excerpt")
        shown.append(box)
    for exc in src.unfound_excerpts:
        box = nodes.container(classes=["source-excerpts", "source-excerpts-not-refound"])
        box += nodes.paragraph(classes=["source-excerpts-title"], text=f"Passage not re-found on {exc['not_refound']}")
        box += nodes.paragraph(classes=["source-not-refound-note"], text="A search of the stored copies of this source did not find these words again; the note does not rely on them as checked.")
        box += _passage(exc, "source-excerpt-not-refound")
        shown.append(box)
    return shown


def _passage(exc: dict, class_: str) -> list[nodes.Node]:
    language = str(exc.get("language", ""))
    attrs = {"lang": language} if _LANGUAGE.match(language) else {}
    out = [element("blockquote", nodes.paragraph(text=str(exc.get("text", ""))), class_=class_, **attrs)]
    if exc.get("translation"):
        para = nodes.paragraph(classes=["source-excerpt-translation"])
        para += nodes.inline(text="Editors\u2019 translation: ", classes=["source-excerpt-translation-label"])
        para += nodes.Text(str(exc["translation"]))
        out.append(para)
    return out


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
