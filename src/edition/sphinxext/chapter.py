"""Chapters: find the article's text in each chapter, check it, and mark the annotated words."""

from __future__ import annotations

import json

from docutils import nodes
from sphinx.util import logging

from ..article import compare_sequence
from . import render
from .store import note_content_dependency
from .nodes import element, html_element

logger = logging.getLogger(__name__)
DENSE_CLAIMS = 8  # a paragraph with this many claims is set with lighter marks, and its notes grouped in the margin


def chapter_options(env, docname: str) -> dict | None:
    """The `edition:` front matter of a chapter page, or None for other pages."""
    meta = page_options(env, docname)
    return meta if meta.get("chapter") else None


def article_paragraphs(doctree: nodes.document) -> list[nodes.paragraph]:
    """The article's own paragraphs: those standing directly in a section.

    Everything the editors add lives in directives (notes, summaries) or code cells,
    which are never direct paragraph children of a section.
    """
    return [p for p in doctree.findall(nodes.paragraph) if isinstance(p.parent, nodes.section) and "editorial-title-note" not in p["classes"]]


def page_options(env, docname: str) -> dict:
    """The `edition:` front matter of a page (myst-nb stores nested front matter as JSON text)."""
    meta = env.metadata.get(docname, {}).get("edition")
    if isinstance(meta, str):
        meta = json.loads(meta)
    return meta if isinstance(meta, dict) else {}


def on_doctree_read(app, doctree: nodes.document) -> None:
    env = app.env
    if page_options(env, env.docname).get("uses_annotations"):
        app.edition.note_annotation_dependencies(env)  # a notebook computed from the annotation files
    options = chapter_options(env, env.docname)
    if options is None:
        return
    store = app.edition
    env.note_dependency(str(store.article_file))
    found: list[tuple[str, str]] = []
    title = next(iter(doctree.findall(nodes.title)), None)
    if title is not None and options.get("editorial_title"):
        _mark_editorial_title(title)
    elif title is not None:
        found.append((f"{env.docname}: title", title.astext()))
    by_text = {b.text: b for b in store.article.blocks}
    claims = []
    for n, para in enumerate(article_paragraphs(doctree), start=1):
        text = para.astext()
        found.append((f"{env.docname}: paragraph {n}", text))
        para["classes"].append("article-text")
        block = by_text.get(text)
        if block is None:
            continue
        para["ids"].append(f"article-{block.key}")
        marked = _annotate(app, para, block.key)
        claims += marked
        if len(marked) >= DENSE_CLAIMS or sum(len(a.exact) for a in marked) > 0.6 * len(text):
            para["classes"].append("is-dense")
    env.edition_blocks[env.docname] = found
    env.edition_claims[env.docname] = [a.id for a in claims]
    tally = render.legend(claims)
    if title is not None and tally is not None:
        _insert_after_title(title, tally)
        _link_key(app, tally)
    if title is not None:
        _fold_chapter_note(title)
    if claims and not list(doctree.findall(nodes.section))[1:]:
        # The theme hides its secondary sidebar while margin notes are in view, and fails with an
        # error on pages that have none (no sub-headings): give it an empty, hidden one.
        doctree += element("div", class_="bd-sidebar-secondary d-none", hidden="hidden", aria_hidden="true")


def flag_pages_with_notes(app, pagename, templatename, context, doctree) -> None:
    """Tell the page's head whether it carries notes, so the margin is made before the first paint (a rule that waits
    for the first note to be read moves the text when a page arrives in parts)."""
    context["edition_notes"] = bool(getattr(app.env, "edition_claims", {}).get(pagename))


def _insert_after_title(title: nodes.title, node: nodes.Node) -> None:
    """Below the title, and below the editors' note on it where there is one."""
    section = title.parent
    at = section.index(title) + 1
    if at < len(section) and "editorial-title-note" in section[at].get("classes", []):
        at += 1
    section.insert(at, node)


def _link_key(app, tally: nodes.Node) -> None:
    """The legend ends with a link to the key of the signs on the front page."""
    para = next(iter(tally.findall(nodes.paragraph)))
    para += nodes.Text(" \u00b7 ")
    uri = app.builder.get_relative_uri(app.env.docname, app.config.root_doc) + "#verdict-key"
    para += nodes.reference("", "Key", refuri=uri, classes=["legend-key"], reftitle="Key to the signs")


def _fold_chapter_note(title: nodes.title) -> None:
    """The editors' notes on the chapter (its title, what it reproduces) fold into one line, so the chapter opens on the article."""
    section = title.parent
    elements = [n for n in section.children if isinstance(n, nodes.Element)]
    text_starts = min([section.index(p) for p in elements if "article-text" in p["classes"]] or [len(section)])
    notes = [n for n in elements if {"editorial-title-note", "editorial"} & set(n["classes"]) and section.index(n) < text_starts]
    if not notes:
        return
    folded = element("details", element("summary", nodes.Text("About this chapter")), class_="chapter-about")
    for note in notes:
        section.remove(note)
        if "editorial" in note["classes"]:  # its label is the summary now
            note.children = [c for c in note.children if not (isinstance(c, nodes.Element) and "editorial-label" in c["classes"])]
        folded += note
    legend = [n for n in section.children if isinstance(n, nodes.Element) and "chapter-legend" in n["classes"]]
    section.insert(section.index(legend[0]) + 1 if legend else section.index(title) + 1, folded)


def _mark_editorial_title(title: nodes.title) -> None:
    section = title.parent
    note = nodes.paragraph(classes=["editorial-title-note"], text="This chapter\u2019s title was added by the editors; the article\u2019s opening part has no heading.")
    section.insert(section.index(title) + 1, note)


def _annotate(app, para: nodes.paragraph, key: str) -> list:
    """Wrap each annotated quote of this paragraph in a marker and put its note after it."""
    anns = [a for a in app.edition.annotations if a.block_key == key]
    for ann in anns:
        note_content_dependency(app.env, app.edition.root / ann.file)
        _wrap(para, ann)
    parent = para.parent
    at = parent.index(para) + 1
    for offset, ann in enumerate(anns):
        parent.insert(at + offset, render.note(ann, app.edition.dataset_link))
    return anns


def _wrap(para: nodes.paragraph, ann) -> None:
    """Split the Text node holding the quote, so the paragraph's text stays exactly the same."""
    for text in list(para.findall(nodes.Text)):
        if isinstance(text.parent, html_element):  # already inside another marker
            continue
        value = str(text)
        at = value.find(ann.exact)
        while at != -1 and not (value[:at].endswith(ann.prefix) and value[at + len(ann.exact) :].startswith(ann.suffix)):
            at = value.find(ann.exact, at + 1)
        if at == -1:
            continue
        parent = text.parent
        pieces = [nodes.Text(value[:at]), render.marker(ann), nodes.Text(value[at + len(ann.exact) :])]
        index = parent.index(text)
        parent.remove(text)
        for offset, piece in enumerate(p for p in pieces if not (isinstance(p, nodes.Text) and not str(p))):
            parent.insert(index + offset, piece)
        return
    logger.warning(f"annotation {ann.id}: its quote could not be marked in the text", type="annotations", subtype="anchor", location=ann.file)


def reading_order(env) -> list[str]:
    """Documents in table-of-contents order, starting from the root document."""
    order: list[str] = []

    def walk(doc: str) -> None:
        if doc in order:
            return
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(env.config.root_doc)
    return order


def check_integrity(app, env) -> None:
    """The article, read across all chapters in order, must equal the canonical text."""
    found = [item for doc in reading_order(env) for item in env.edition_blocks.get(doc, [])]
    for problem in compare_sequence(app.edition.article, found):
        doc = problem.split(":", 1)[0]
        logger.warning(f"article text: {problem}", type="edition", subtype="integrity", location=doc if doc in env.all_docs else None)

