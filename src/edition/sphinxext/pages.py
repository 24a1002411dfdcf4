"""Directives for pages generated from the data: claims index, inventory, verdict scale,
corrections log, chapter summaries, the list of datasets, and editors' notes (dataset pages: datapage)."""

from __future__ import annotations

from collections import Counter

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..annotations import OPINION, VERDICTS, excerpt_tally
from . import excerpts, render
from .nodes import element, table

SCALE = [*VERDICTS, "opinion"]


class claims_placeholder(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """Stands for a list of claims until every chapter has been read."""


class EditorialDirective(SphinxDirective):
    """Editors' prose inside a chapter, visibly set apart from the article's text."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self):
        box = nodes.container(classes=["editorial"])
        box += nodes.paragraph(text=self.arguments[0] if self.arguments else "Editors\u2019 note", classes=["editorial-label"])
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


class _Placeholder(SphinxDirective):
    what = ""
    option_spec = {"chapter": directives.unchanged}

    def run(self):
        store = self.env.app.edition
        if self.what == "chapter-summary":  # a chapter's tally follows its own annotations
            self.env.note_dependency(str(store.article_file))
        else:
            store.note_annotation_dependencies(self.env)
        if self.what == "corrections-log":  # it also lists changes to published figures in the datasets
            for prov in store.manifests.values():
                self.env.note_dependency(str(prov.manifest_path))
        node = claims_placeholder(what=self.what, chapter=self.env.docname)
        box = nodes.container(classes=[f"edition-{self.what}"])
        if self.what == "chapter-summary":
            box = nodes.container(classes=["editorial", "chapter-summary"])
            box += nodes.paragraph(text="What the evidence shows", classes=["editorial-label"])
            self.state.nested_parse(self.content, self.content_offset, box)
        box += node
        return [box]


class ClaimsIndexDirective(_Placeholder):
    what = "claims-index"


class ClaimInventoryDirective(_Placeholder):
    what = "claim-inventory"


class CorrectionsLogDirective(_Placeholder):
    what = "corrections-log"


class RefindingRateDirective(_Placeholder):
    what = "refinding-rate"


class ChapterSummaryDirective(_Placeholder):
    what = "chapter-summary"
    has_content = True


class VerdictScaleDirective(SphinxDirective):
    def run(self):
        items = nodes.definition_list(classes=["verdict-scale"])
        for verdict, (_, meaning) in [*VERDICTS.items(), (OPINION[0], (None, OPINION[1]))]:
            term = nodes.term()
            term += render.badge(verdict)
            items += nodes.definition_list_item("", term, nodes.definition("", nodes.paragraph(text=meaning)))
        return [items]


def resolve_placeholders(app, doctree, docname) -> None:
    """Replace placeholders now that every chapter's claims are known."""
    for node in list(doctree.findall(claims_placeholder)):
        build = {"claims-index": _index, "claim-inventory": _inventory, "corrections-log": _corrections, "chapter-summary": _summary, "refinding-rate": _refinding}[node["what"]]
        node.replace_self(build(app, docname, node))


def _claim_docs(env) -> dict[str, str]:
    return {cid: doc for doc, ids in env.edition_claims.items() for cid in ids}


def _link(app, fromdoc: str, ann, text: str | None = None) -> nodes.Node:
    doc = _claim_docs(app.env).get(ann.id)
    if doc is None:
        return nodes.Text(text or ann.exact)
    uri = app.builder.get_relative_uri(fromdoc, doc) + f"#{ann.anchor}"
    return nodes.reference(text=text or ann.exact, refuri=uri)


def _chapter_title(app, ann) -> str:
    doc = _claim_docs(app.env).get(ann.id)
    return app.env.titles[doc].astext() if doc in app.env.titles else "\u2014"


def _index(app, docname, node) -> nodes.Node:
    anns = app.edition.annotations
    counts = Counter(a.verdict for a in anns)
    box = nodes.container(classes=["claims-index"])
    nav = nodes.paragraph(classes=["claims-filter"], text="Jump to a verdict: ")
    for i, verdict in enumerate(v for v in SCALE if counts[v]):
        nav += nodes.Text(" \u00b7 " if i else "")
        nav += nodes.reference(text=f"{render.badge(verdict).astext()} ({counts[verdict]})", refuri=f"#verdict-{verdict.replace(' ', '-')}")
    box += nav
    review = nodes.paragraph(classes=["claims-review-filter"], text="Review: ")
    review += nodes.reference(text=f"Awaiting review ({sum(a.awaiting_review for a in anns)})", refuri="#awaiting-review")
    box += review
    box += _downloads(docname)
    for verdict in (v for v in SCALE if counts[v]):
        group = nodes.container(ids=[f"verdict-{verdict.replace(' ', '-')}"], classes=["claims-group"], **{"data-verdict": verdict})
        heading = nodes.paragraph(classes=["claims-group-title"])
        heading += render.badge(verdict)
        heading += nodes.Text(f" {counts[verdict]} annotation{'s' if counts[verdict] > 1 else ''}")
        group += heading
        rows = [[_link(app, docname, a), nodes.paragraph("", a.summary, *excerpts.review_tag(a)), nodes.Text(_chapter_title(app, a))] for a in anns if a.verdict == verdict]
        group += table(["Claim (the article\u2019s words)", "What the evidence shows", "Chapter"], rows, ["claims-table"])
        box += group
    box += _awaiting_review(app, docname, anns)
    return box


def _downloads(docname: str) -> nodes.Node:
    """Links to the machine-readable exports written at the root of the site."""
    up = "../" * docname.count("/")
    para = nodes.paragraph(classes=["claims-downloads"], text="Download: ")
    for i, (name, what) in enumerate([("claims.csv", "a spreadsheet of all claims"), ("claimreview.jsonld", "ClaimReview JSON-LD"), ("annotations.jsonld", "a W3C Web Annotation collection")]):
        para += nodes.Text(" \u00b7 " if i else "")
        para += nodes.reference("", name, refuri=up + name)
        para += nodes.Text(f" ({what})")
    return para


def _awaiting_review(app, docname, anns) -> nodes.Node:
    """The notes no second reader has checked yet, so readers can find them (see the methodology)."""
    waiting = [a for a in anns if a.awaiting_review]
    box = nodes.container(ids=["awaiting-review"], classes=["claims-awaiting-review"])
    box += nodes.paragraph(classes=["claims-group-title"], text=f"Awaiting review: {len(waiting)} of {len(anns)} annotations")
    if not waiting:
        box += nodes.paragraph(text="Every annotation has been checked by a second reader.")
        return box
    box += nodes.paragraph(text="These notes have not yet been checked by a second reader; their verdicts stand as their author gave them.")
    rows = [[_link(app, docname, a), render.badge(a.verdict), nodes.Text(a.author)] for a in waiting]
    box += table(["Claim (the article\u2019s words)", "Verdict or label", "Author"], rows, ["claims-awaiting-table"])
    return box


def _inventory(app, docname, node) -> nodes.Node:
    by_id = {a.id: a for a in app.edition.annotations}
    items = [(key, by_id[i["id"]]) for key, listed in app.edition.inventory.items() for i in listed if i["id"] in by_id]
    rows = []
    for n, (key, a) in enumerate(items, start=1):
        rows.append([nodes.Text(str(n)), nodes.Text(key), _link(app, docname, a), nodes.Text(a.kind), render.badge(a.verdict)])
    return table(["#", "Paragraph", "Item (the article\u2019s words)", "Kind", "Verdict or label"], rows, ["claim-inventory"])


def _corrections(app, docname, node) -> nodes.Node:
    entries = [(h, before, a) for a in app.edition.annotations for before, h in zip(a.history, a.history[1:])]
    figures = [(c, p) for p in app.edition.manifests.values() for c in p.changelog if c.get("published_figure")]
    if not entries and not figures:
        return nodes.paragraph(text="No corrections so far: every annotation stands as first published. Each annotation lists its own history, and any change of verdict will appear here with its date and reason.")
    items = nodes.bullet_list(classes=["corrections-log"])
    for h, before, a in sorted(entries, key=lambda e: e[0]["date"], reverse=True):
        para = nodes.paragraph(text=f"{h['date']}: ")
        para += _link(app, docname, a, a.id)
        para += nodes.Text(" \u2014 ")
        if before["verdict"] == h["verdict"]:
            para += nodes.Text("verdict kept: ")
            para += render.badge(h["verdict"])
        else:
            para += nodes.Text("verdict changed from ")
            para += render.badge(before["verdict"])
            para += nodes.Text(" to ")
            para += render.badge(h["verdict"])
        para += nodes.Text(f". {h['note']}")
        items += nodes.list_item("", para)
    for change, prov in sorted(figures, key=lambda e: e[0]["date"], reverse=True):
        para = nodes.paragraph(text=f"{change['date']}: dataset ", classes=["correction-data"])
        para += nodes.reference(text=prov.title.split(":")[0], refuri=app.builder.get_relative_uri(docname, f"book/datasets/{prov.name}"))
        para += nodes.Text(f" \u2014 {change['change']} {change['why']}")
        items += nodes.list_item("", para)
    return items


def _refinding(app, docname, node) -> nodes.Node:
    """The re-finding rate, counted from the annotations at build time (as `edition excerpts` prints it)."""
    tally = excerpt_tally(app.edition.annotations)
    return nodes.paragraph(classes=["refinding-rate"], text=(
        f"Of the {tally.stored} passages stored in the notes, {tally.refound} ({tally.rate:.1%}) are shown as checked, under "
        f"\u201cWhat the source says\u201d; {tally.not_refound} could not be found again in any stored copy of their source and are "
        "shown apart, as \u201cPassage not re-found\u201d with the date of the search."))


def _summary(app, docname, node) -> nodes.Node:
    anns = [a for a in app.edition.annotations if _claim_docs(app.env).get(a.id) == docname]
    counts = Counter(a.verdict for a in anns)
    para = nodes.paragraph(classes=["chapter-tally"], text=f"This chapter carries {len(anns)} annotations: ")
    for i, verdict in enumerate(v for v in SCALE if counts[v]):
        para += nodes.Text(", " if i else "")
        para += render.badge(verdict)
        para += nodes.Text(f" {counts[verdict]}")
    para += nodes.Text(".")
    return para


class DatasetListDirective(SphinxDirective):
    def run(self):
        store = self.env.app.edition
        rows = []
        for name, prov in store.manifests.items():
            rows.append([nodes.literal(text=name), nodes.Text(prov.title), nodes.Text(str(prov.rows)), nodes.Text(prov.retrieved)])
        return [table(["Dataset", "Title", "Rows", "Figures taken"], rows, ["dataset-list"])]


def setup_pages(app) -> None:
    app.add_node(claims_placeholder)
    app.add_directive("editorial", EditorialDirective)
    app.add_directive("claims-index", ClaimsIndexDirective)
    app.add_directive("claim-inventory", ClaimInventoryDirective)
    app.add_directive("corrections-log", CorrectionsLogDirective)
    app.add_directive("chapter-summary", ChapterSummaryDirective)
    app.add_directive("refinding-rate", RefindingRateDirective)
    app.add_directive("verdict-scale", VerdictScaleDirective)
    app.add_directive("dataset-list", DatasetListDirective)
    app.connect("doctree-resolved", resolve_placeholders)


__all__ = ["setup_pages", "element"]
