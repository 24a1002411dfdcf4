"""Docutils nodes for one annotation: the marker in the text and the note beside it."""

from __future__ import annotations

from docutils import nodes

from .. import markup
from ..annotations import Annotation
from .computed import computed_from_data
from .nodes import element


def verdict_class(verdict: str) -> str:
    return "verdict-" + verdict.replace(" ", "-")


def badge(verdict: str) -> nodes.inline:
    label = "Opinion" if verdict == "opinion" else verdict.capitalize()
    return nodes.inline(text=label, classes=["verdict-badge", verdict_class(verdict)])


def marker(ann: Annotation) -> nodes.Node:
    """The quoted words, kept as they are, made into a link to their annotation."""
    return element(
        "a",
        nodes.Text(ann.exact),
        href=f"#{ann.anchor}",
        id=f"mark-{ann.id}",
        class_=f"claim-mark {verdict_class(ann.verdict)}",
        title=f"{ann.label}: see the editors' note",
        data_claim=ann.id,
    )


def note(ann: Annotation, dataset_link=None) -> nodes.Node:
    """The annotation: badge, summary, then explanation and sources behind a disclosure."""
    head = nodes.paragraph(classes=["annotation-head"])
    head += badge(ann.verdict)
    if ann.kind != "opinion":  # the badge already says "Opinion"
        head += nodes.inline(text=f" {ann.kind.capitalize()}", classes=["annotation-kind"])
    head += nodes.Text(" ")
    head += element("a", nodes.Text("#"), href=f"#{ann.anchor}", class_="annotation-permalink", aria_label=f"Permalink to this annotation ({ann.id})")
    quote = nodes.paragraph(classes=["annotation-quote"], text=f"\u201c{ann.exact}\u201d")
    summary = nodes.paragraph(classes=["annotation-summary"])
    summary += markup.to_nodes(ann.summary)[0].children if ann.summary else []
    details = element("details", element("summary", nodes.Text("Explanation and sources")), class_="annotation-details")
    details += markup.to_nodes(ann.explanation)
    details += _sources(ann)
    if ann.datasets:
        data = nodes.paragraph(classes=["annotation-datasets"], text="Data: ")
        for i, name in enumerate(ann.datasets):
            data += nodes.Text(", " if i else "")
            data += dataset_link(name) if dataset_link else nodes.literal(text=name)
        details += data
    details += computed_from_data(ann)
    meta = nodes.paragraph(classes=["annotation-meta"], text=f"By {ann.author}. Last updated {ann.updated}.")
    if len(ann.history) > 1:
        meta += nodes.Text(" Verdict history: " + "; ".join(f"{h['date']} {h['verdict']}" for h in ann.history) + ".")
    details += meta
    back = nodes.paragraph(classes=["annotation-back"])
    back += element("a", nodes.Text("Back to the text"), href=f"#mark-{ann.id}")
    return element(
        "aside", head, quote, summary, details, back,
        id=ann.anchor, class_=f"margin sidebar annotation {verdict_class(ann.verdict)}",
        aria_label=f"Editors' annotation: {ann.label}", data_verdict=ann.verdict,
    )


def _sources(ann: Annotation) -> nodes.Node:
    items = nodes.bullet_list(classes=["annotation-sources"])
    for src in ann.sources:
        para = nodes.paragraph()
        para += nodes.reference(text=src.title, refuri=src.url) if markup.url_is_safe(src.url) else nodes.Text(src.title)
        credit = ", ".join(x for x in (src.credit, src.date if src.date != "undated" else "undated") if x)
        para += nodes.Text(f". {credit}. Consulted {src.consulted}.")
        if src.standpoint:
            para += nodes.emphasis(text=f" {src.standpoint}.")
        items += nodes.list_item("", para)
    wrapper = nodes.container(classes=["annotation-sources-wrap"])
    wrapper += nodes.paragraph(text="Sources" if ann.sources else "Sources: none found (see above).", classes=["annotation-sources-title"])
    wrapper += items if ann.sources else []
    return wrapper
