"""The front page's bottom line and the Sources appendix, both generated from the annotations and the article's data."""

from __future__ import annotations

from collections import Counter

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import markup
from ..annotations import OPINION, VERDICTS, verdict_label
from . import chapter, render
from .nodes import element

WRONG = ("inaccurate", "misleading")


class frontdoor_placeholder(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """Stands for generated content until every chapter has been read (claims' pages are known then)."""


class _Placeholder(SphinxDirective):
    what = ""

    def run(self):
        store = self.env.app.edition
        store.note_annotation_dependencies(self.env)
        self.env.note_dependency(str(store.article_file))
        return [frontdoor_placeholder(what=self.what)]


class BottomLineDirective(_Placeholder):
    what = "bottom-line"


class SourcesListDirective(_Placeholder):
    what = "sources-list"


def in_article_order(app, anns: list) -> list:
    order = {b.key: i for i, b in enumerate(app.edition.article.blocks)}
    text = {b.key: b.text for b in app.edition.article.blocks}
    return sorted(anns, key=lambda a: (order.get(a.block_key, len(order)), text.get(a.block_key, "").find(a.exact)))


def _claim_uri(app, fromdoc: str, ann) -> str | None:
    doc = next((d for d, ids in app.env.edition_claims.items() if ann.id in ids), None)
    return None if doc is None else app.builder.get_relative_uri(fromdoc, doc) + f"#{ann.anchor}"


def _chapters(app) -> list[str]:
    return [d for d in chapter.reading_order(app.env) if chapter.chapter_options(app.env, d)]


def resolve(app, doctree, docname) -> None:
    for node in list(doctree.findall(frontdoor_placeholder)):
        build = {"bottom-line": bottom_line, "sources-list": sources_list}[node["what"]]
        node.replace_self(build(app, docname))


def bottom_line(app, docname: str) -> nodes.Node:
    placed = {cid for ids in app.env.edition_claims.values() for cid in ids}
    anns = in_article_order(app, [a for a in app.edition.annotations if a.id in placed])
    counts = Counter(a.verdict for a in anns)
    box = nodes.container(classes=["front-door"])
    box += _original(app)
    rated = sum(counts[v] for v in VERDICTS)
    tally = nodes.paragraph(classes=["front-tally"], text=f"The editors checked {rated} statements of fact and quotations and labelled {counts['opinion']} passages as the author\u2019s opinion: ")
    for i, verdict in enumerate(v for v in render.SEVERITY if counts[v]):
        tally += nodes.Text(", " if i else "")
        tally += element("span", render.glyph(verdict), nodes.Text(f" {counts[verdict]} {verdict_label(verdict).lower()}"), class_=f"front-count {render.verdict_class(verdict)}")
    tally += nodes.Text(".")
    box += tally
    chapters = _chapters(app)
    if chapters:
        start = nodes.paragraph(classes=["front-start"])
        start += nodes.reference("", "Start reading \u2192", refuri=app.builder.get_relative_uri(docname, chapters[0]), classes=["front-start-link"])
        start += nodes.Text(" \u00b7 ")
        # Written next to the site by `make pdf` (and by the Pages workflow), after the build.
        start += nodes.reference("", "The whole edition as a PDF", refuri="../" * docname.count("/") + "edition.pdf", classes=["front-pdf"])
        box += start
    wrong = [a for a in anns if a.verdict in WRONG]
    section = element("section", class_="front-wrong", aria_labelledby="front-wrong-title")
    section += element("h2", nodes.Text(f"What the article gets wrong ({len(wrong)})"), id="front-wrong-title")
    section += nodes.paragraph(text="Every statement rated inaccurate or misleading, in the article\u2019s order. Each link opens the claim in its place with the editors\u2019 note beside it.")
    items = nodes.bullet_list(classes=["front-wrong-list"])
    for ann in wrong:
        para = nodes.paragraph()
        para += render.badge(ann.verdict)
        para += nodes.Text(" ")
        uri = _claim_uri(app, docname, ann)
        quote = f"\u201c{ann.exact}\u201d"
        para += nodes.reference("", quote, refuri=uri, classes=["front-claim"]) if uri else nodes.Text(quote)
        para += nodes.Text(f" \u2014 {ann.summary}")
        items += nodes.list_item("", para)
    section += items
    box += section
    return box


def _original(app) -> nodes.Node:
    art = app.edition.article
    para = nodes.paragraph(classes=["front-original"], text="The original: ")
    title = f"\u201c{art.title}\u201d"
    para += nodes.reference("", title, refuri=art.url) if art.url else nodes.strong(text=title)
    para += nodes.Text(f", by the {art.publisher}, published {_long_date(art.date)}.")
    if not art.url:
        para += nodes.Text(" The web address of this English text is not recorded in this edition\u2019s data, so none is given here.")
    for language, title, url in art.versions:
        para += nodes.Text(f" The same article in {language}: ")
        para += nodes.reference("", f"\u201c{title}\u201d", refuri=url)
        para += nodes.Text(".")
    return para


def _long_date(iso: str) -> str:
    import datetime

    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B} {day.year}"


class VerdictKeyDirective(SphinxDirective):
    """How to read the signs: each verdict's sign, colour, name and meaning (the front page's section `verdict-key`)."""

    def run(self):
        return [verdict_key()]


def verdict_key() -> nodes.Node:
    items = nodes.bullet_list(classes=["verdict-key-list"])
    for verdict in render.SEVERITY:
        meaning = OPINION[1] if verdict == "opinion" else VERDICTS[verdict][1]
        para = nodes.paragraph()
        para += render.glyph(verdict)
        para += nodes.Text(" ")
        para += nodes.strong(text=verdict_label(verdict))
        para += nodes.Text(f": {meaning}")
        items += nodes.list_item("", para)
    return items


def sources_list(app, docname: str) -> nodes.Node:
    """Every source cited by a note, once, with the notes that cite it; grouped by publisher, searchable by the page's filter."""
    placed = {cid for ids in app.env.edition_claims.values() for cid in ids}
    anns = in_article_order(app, [a for a in app.edition.annotations if a.id in placed])
    by_url: dict[str, tuple] = {}
    for ann in anns:
        for src in ann.sources:
            key = src.url or src.title
            first, cited = by_url.setdefault(key, (src, []))
            if ann not in cited:
                cited.append(ann)
    groups: dict[str, list] = {}
    for src, cited in by_url.values():  # by the first letter of the publisher (or author), A to Z
        name = (src.publisher or src.author or "").strip(" \u201c\"'")
        letter = name[:1].upper() if name[:1].isalpha() else "#"
        groups.setdefault(letter, []).append((src, cited))
    publishers = {(s.publisher or s.author) for s, _ in by_url.values()}
    box = nodes.container(classes=["sources-list"])
    box += nodes.paragraph(classes=["sources-count"], text=f"{len(by_url)} sources cited by {len({a.id for _, c in by_url.values() for a in c})} notes, from {len(publishers)} publishers and authors, listed A to Z by publisher.")
    for publisher in sorted(groups, key=lambda g: (g == "#", g)):
        group = element("section", class_="sources-group")
        group += element("h2", nodes.Text(publisher), class_="sources-publisher")
        items = nodes.bullet_list(classes=["sources-items"])
        for src, cited in sorted(groups[publisher], key=lambda e: ((e[0].publisher or e[0].author).casefold(), e[0].date, e[0].title)):
            para = nodes.paragraph(classes=["source-entry"])
            para += nodes.strong(text=(src.publisher or src.author or "Unattributed") + ". ")
            para += nodes.reference("", src.title, refuri=src.url, classes=["source-link"]) if markup.url_is_safe(src.url) else nodes.Text(src.title)
            para += nodes.Text(". " + ", ".join(x for x in ((src.author if src.publisher else ""), src.date) if x) + ". ")
            if markup.url_is_safe(src.url):
                para += nodes.literal(text=src.url, classes=["source-address"])
                para += nodes.Text(". ")
            para += nodes.Text("Cited by: ")
            for i, ann in enumerate(cited):
                para += nodes.Text("; " if i else "")
                uri = _claim_uri(app, docname, ann)
                para += render.glyph(ann.verdict)
                para += nodes.Text(" ")
                para += nodes.reference("", f"\u201c{ann.exact}\u201d", refuri=uri) if uri else nodes.Text(ann.exact)
            para += nodes.Text(".")
            items += nodes.list_item("", para)
        group += items
        box += group
    return box


def setup_frontdoor(app) -> None:
    app.add_node(frontdoor_placeholder)
    app.add_directive("bottom-line", BottomLineDirective)
    app.add_directive("sources-list", SourcesListDirective)
    app.add_directive("verdict-key", VerdictKeyDirective)
    app.connect("doctree-resolved", resolve)
