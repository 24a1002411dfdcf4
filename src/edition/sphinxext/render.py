"""Docutils nodes for one annotation: the marker in the text and the note beside it."""

from __future__ import annotations

from docutils import nodes

from .. import markup
from ..annotations import Annotation, verdict_label
from . import excerpts
from .computed import computed_from_data
from .nodes import element
from .suggest import correction_link


# The sign each verdict carries at the claim, beside its colour, so that it can be told apart without
# colour. The stylesheet draws them (edition.css, --ed-glyph) so the article's words stay untouched;
# a browser test checks that the two agree.
GLYPHS = {
    "inaccurate": "\u2717", "misleading": "!", "disputed": "\u00b1", "unsupported": "?",
    "mostly accurate": "\u2248", "accurate": "\u2713", "opinion": "op",
}
# Most in need of the reader's attention first: the order of a chapter's legend.
SEVERITY = list(GLYPHS)


def verdict_class(verdict: str) -> str:
    return "verdict-" + verdict.replace(" ", "-")


def badge(verdict: str) -> nodes.inline:
    return nodes.inline(text=verdict_label(verdict), classes=["verdict-badge", verdict_class(verdict)])


def glyph(verdict: str) -> nodes.inline:
    """The verdict's sign as a small chip; hidden from assistive technology, which reads the words beside it."""
    return element("span", nodes.Text(GLYPHS[verdict]), class_=f"verdict-glyph {verdict_class(verdict)}", aria_hidden="true")


def marker(ann: Annotation) -> nodes.Node:
    """The quoted words, kept as they are, made into a link to their annotation."""
    return element(
        "a",
        nodes.Text(ann.exact),
        href=f"#{ann.anchor}",
        id=f"mark-{ann.id}",
        class_=f"claim-mark {verdict_class(ann.verdict)}",
        title=f"{ann.label}: see the editors' note",
        aria_details=ann.anchor,
        data_claim=ann.id,
        data_verdict=ann.verdict,
    )


def legend(anns: list[Annotation]) -> nodes.Node | None:
    """A chapter's tally of verdicts; each entry leads to the first claim with that verdict."""
    if not anns:
        return None
    box = nodes.container(classes=["chapter-legend"])
    para = nodes.paragraph()
    para += element("span", nodes.Text("Notes: "), class_="legend-label")
    entries = [(v, [a for a in anns if a.verdict == v]) for v in SEVERITY]
    for i, (verdict, these) in enumerate((v, these) for v, these in entries if these):
        para += nodes.Text(" \u00b7 " if i else "")
        name = "opinion" if verdict == "opinion" else verdict
        # The line stays short: sign and count show, the verdict's name is read out (the key to the signs names them).
        link = element("a", glyph(verdict), nodes.Text(f" {len(these)}"),
                       element("span", nodes.Text(f" {name}{'s' if verdict == 'opinion' and len(these) > 1 else ''}"), class_="visually-hidden"),
                       href=f"#mark-{these[0].id}", class_=f"legend-entry {verdict_class(verdict)}", data_verdict=verdict)
        para += link
    box += para
    return box


def note(ann: Annotation, dataset_link=None) -> nodes.Node:
    """The annotation: badge, summary, then explanation and sources behind a disclosure."""
    head = nodes.paragraph(classes=["annotation-head"])
    head += badge(ann.verdict)
    head += excerpts.review_tag(ann)
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
    meta += excerpts.review_record(ann)
    if len(ann.history) > 1:
        meta += nodes.Text(" Verdict history: " + "; ".join(f"{h['date']} {h['verdict']}" for h in ann.history) + ".")
    details += meta
    details += nodes.paragraph("", "", element("a", nodes.Text("This note’s own page: share, cite, embed"), href=f"claims/{ann.id}.html", data_claim_page=ann.id), classes=["annotation-page-link"])
    back = nodes.paragraph(classes=["annotation-back"])
    back += element("a", nodes.Text("Back to the text"), href=f"#mark-{ann.id}")
    return element(
        "aside", head, quote, summary, details, back, *correction_link(ann),
        id=ann.anchor, class_=f"annotation {verdict_class(ann.verdict)}",
        aria_label=f"Editors' annotation: {ann.label}", data_verdict=ann.verdict, data_claim=ann.id,
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
        items += nodes.list_item("", para, *excerpts.excerpts(src))
    if not ann.sources:
        return nodes.paragraph(text="Sources: none found (see above).", classes=["annotation-sources-title"])
    # Folded, so an opened note shows its summary and explanation first; print unfolds it.
    return element("details", element("summary", nodes.Text(f"Sources ({len(ann.sources)})")), items, class_="annotation-sources-wrap")
