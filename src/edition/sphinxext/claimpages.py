"""One page per annotation, claims/<id>.html, generated when the site is written.

The pages are not source documents: an html-collect-pages handler renders each with the
theme's page template, from the same annotation files and through the same allow-list
renderer as the chapter notes (render.py, markup.py), so there is nothing to commit per claim
and no toctree to keep. Each page carries its share card (cards.py), Open Graph and Twitter
metadata, its ClaimReview (rated claims), its citation in three formats (citation.py), an
embeddable snippet, and its history; the Atom feed and the sitemap are written at the end
(feeds.py).
"""

from __future__ import annotations

import hashlib
import html
import json
import time
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from .. import markup
from ..annotations import Annotation
from . import cards, citation, computed, excerpts, feeds, jsonld, render
from .nodes import element, html_element

logger = logging.getLogger(__name__)
FOLDER = "claims"


def page_name(ann_id: str) -> str:
    return f"{FOLDER}/{ann_id}"


SITE_CARD = f"{FOLDER}/chapters/edition.png"


def chapter_card(doc: str) -> str:
    return f"{FOLDER}/chapters/{doc.replace('/', '-')}.png"


def absolute(app, path: str) -> str:
    return (app.config.html_baseurl or "").rstrip("/") + "/" + path


def plain(text: str) -> str:
    """Contributor markdown as the plain text a card, a meta tag or a snippet shows (links keep their words)."""
    return " ".join(" ".join(node.astext().split()) for node in markup.to_nodes(text))


def site_name(app) -> str:
    return str(app.config.html_title or app.config.project or "")


def claim_docs(env) -> dict[str, str]:
    return {cid: doc for doc, ids in getattr(env, "edition_claims", {}).items() for cid in ids}


def placed(app) -> list[tuple[Annotation, str]]:
    """The annotations the build placed in a chapter, with that chapter's docname."""
    docs = claim_docs(app.env)
    return [(a, docs[a.id]) for a in app.edition.annotations if a.id in docs]


# -- the link from the chapter note -------------------------------------------------------------

def point_notes_to_pages(app, doctree, docname) -> None:
    """render.note links to claims/<id>.html; make that link relative to the page it is on."""
    for node in doctree.findall(html_element):
        target = node["attrs"].get("data-claim-page")
        if target:
            node["attrs"]["href"] = relative_uri(app.builder.get_target_uri(docname), f"{page_name(target)}.html")


# -- the pages ------------------------------------------------------------------------------------

def collect_pages(app):
    if app.builder.format != "html" or not hasattr(app, "edition"):
        return
    out = Path(app.outdir)
    start, cpu, pages = time.perf_counter(), time.process_time(), 0
    if getattr(app, "edition_cards", None) is None:
        start_cards(app, app.env)
    current = {page_name(a.id) for a, _doc in placed(app)}
    for old in (out / FOLDER).glob("*.*") if (out / FOLDER).is_dir() else []:  # the pages of annotations since removed
        if f"{FOLDER}/{old.stem}" not in current:
            old.unlink()
    written_file = Path(app.doctreedir) / "edition-claim-pages.json"
    written = _previously_written(app, written_file)
    for ann, doc in placed(app):
        name = page_name(ann.id)
        key = _inputs_digest(app, ann, doc)
        if written.get(name) == key and (out / f"{name}.html").is_file():
            continue  # the same note, chapter, navigation, data and code as when this page was written
        written[name] = key
        pages += 1
        cite = citation.of(ann, absolute(app, f"{name}.html"), site_name(app), jsonld.EDITORS["name"])
        for suffix, text in ((".bib", citation.bibtex(cite)), (".json", citation.csl_json(cite)), (".ris", citation.ris(cite))):
            (out / f"{name}{suffix}").write_text(text + "\n", encoding="utf-8")
        body = app.builder.render_partial(page_nodes(app, ann, doc, cite))["fragment"]
        context = {
            "title": f"{ann.label}: \u201c{jsonld._short(ann.exact)}\u201d",
            "body": body + review_script(app, ann),
            "metatags": meta(app, ann, cite),
            "display_toc": False,
            "toc": "",
        }
        yield name, context, "page.html"
    drawn, app.edition_cards = app.edition_cards.result(), None
    written_file.write_text(json.dumps({k: v for k, v in written.items() if k in current}), encoding="utf-8")
    # The benchmark reads this line: what the claim pages cost (cards drawn, pages rendered and written).
    logger.info(f"edition claim pages: {pages} pages, {drawn} cards drawn, in {time.perf_counter() - start:.2f} s ({time.process_time() - cpu:.2f} s of CPU)")


def start_cards(app, env) -> None:
    """Once the pages are read, start drawing the share cards (claims, chapters, the site) beside the writing."""
    if app.builder.format != "html" or not hasattr(app, "edition"):
        return
    out, grey = Path(app.outdir), "#374151"
    wanted = [(out / f"{page_name(ann.id)}.png", cards.COLOURS[ann.verdict], card_texts(app, ann)) for ann, _doc in placed(app)]
    wanted += [(out / chapter_card(doc), grey, chapter_card_texts(app, doc, ids))
               for doc, ids in sorted(getattr(env, "edition_claims", {}).items()) if ids and doc in env.titles]
    wanted.append((out / SITE_CARD, grey, site_card_texts(app)))
    app.edition_cards = cards.in_background(wanted, Path(app.doctreedir) / "edition-cards")


def _previously_written(app, path: Path) -> dict[str, str]:
    """The digest of each claim page's inputs when it was last written; nothing after a change of configuration."""
    from sphinx.environment import CONFIG_OK

    if app.env.config_status != CONFIG_OK:
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _inputs_digest(app, ann: Annotation, doc: str) -> str:
    """What a claim page is made from: its note, its chapter's paragraph, the site's navigation and titles,
    the datasets and the edition's code (their fingerprints), and the site's address and name."""
    env = app.env
    inputs = [repr(ann), doc, app.edition.article.title, repr(app.edition.article.blocks),
              repr(sorted((d, t.astext()) for d, t in env.titles.items())), repr(sorted(env.toctree_includes.items())),
              str(getattr(env, "edition_data_fingerprint", "")), str(getattr(env, "edition_code_fingerprint", "")),
              app.config.html_baseurl or "", site_name(app)]
    return hashlib.sha256("\x1f".join(inputs).encode()).hexdigest()


def card_texts(app, ann: Annotation) -> dict[str, str]:
    return {"heading": "Editors\u2019 note on the article \u201c" + app.edition.article.title + "\u201d", "quote": f"\u201c{ann.exact}\u201d",
            "sign": render.GLYPHS[ann.verdict], "label": ann.label, "summary": plain(ann.summary), "site": site_name(app)}


def chapter_card_texts(app, doc: str, ids: list[str]) -> dict[str, str]:
    return {"heading": app.edition.article.title, "quote": app.env.titles[doc].astext(), **_tally(app, ids)}


def site_card_texts(app) -> dict[str, str]:
    ids = [a.id for a, _doc in placed(app)]
    return {"heading": "An annotated, data-backed edition of the article", "quote": f"\u201c{app.edition.article.title}\u201d", **_tally(app, ids)}


def _tally(app, ids: list[str]) -> dict[str, str]:
    by_id = {a.id: a for a in app.edition.annotations}
    tally = [(v, sum(by_id[i].verdict == v for i in ids if i in by_id)) for v in render.SEVERITY]
    return {"sign": "", "label": f"{len(ids)} editors\u2019 notes",
            "summary": " \u00b7 ".join(f"{render.GLYPHS[v]} {n} {v}" for v, n in tally if n), "site": site_name(app)}


def meta(app, ann: Annotation, cite: citation.Citation) -> str:
    url = absolute(app, f"{page_name(ann.id)}.html")
    image = absolute(app, f"{page_name(ann.id)}.png")
    title = f"{ann.label}: \u201c{ann.exact}\u201d"
    summary = plain(ann.summary)
    og = open_graph(title, summary, url, image, f"Share card: {title} {summary}", site_name(app))
    tags = [citation.meta_html(og, "property"), citation.meta_html(twitter(title, summary, image)), citation.meta_html(citation.meta_tags(cite))]
    return "\n".join(tags)


def review_script(app, ann: Annotation) -> str:
    """The page's ClaimReview as JSON-LD ("" for an opinion), placed after the page's text (see add_claim_reviews)."""
    review = jsonld.claim_review(ann, app.edition.article, absolute(app, f"{page_name(ann.id)}.html"))
    return jsonld.script_tag([review]) if review else ""


def open_graph(title: str, description: str, url: str, image: str, alt: str, site: str) -> list[tuple[str, str]]:
    return [("og:type", "article"), ("og:title", title), ("og:description", description), ("og:url", url),
            ("og:image", image), ("og:image:width", str(cards.WIDTH)), ("og:image:height", str(cards.HEIGHT)),
            ("og:image:alt", alt), ("og:site_name", site)]


def twitter(title: str, description: str, image: str) -> list[tuple[str, str]]:
    return [("twitter:card", "summary_large_image"), ("twitter:title", title), ("twitter:description", description), ("twitter:image", image)]


def page_nodes(app, ann: Annotation, doc: str, cite: citation.Citation) -> nodes.Element:
    name = page_name(ann.id)
    page = element("article", id=ann.anchor, class_=f"claim-page {render.verdict_class(ann.verdict)}", data_claim=ann.id, data_verdict=ann.verdict)
    title = element("h1", render.glyph(ann.verdict), nodes.Text(f" {ann.label}: \u201c{jsonld._short(ann.exact)}\u201d"))
    head = nodes.paragraph(classes=["annotation-head"])
    head += render.badge(ann.verdict)
    head += excerpts.review_tag(ann)
    head += nodes.inline(text=f" {ann.kind.capitalize()}" if ann.kind != "opinion" else "", classes=["annotation-kind"])
    summary = nodes.paragraph(classes=["annotation-summary"])
    summary += markup.to_nodes(ann.summary)[0].children if ann.summary else []
    page += [title, head, summary, _in_context(app, ann, doc, name)]
    page += _section("Explanation", *markup.to_nodes(ann.explanation))
    sources = render._sources(ann)
    sources.children = [c for c in sources.children if "annotation-sources-title" not in c.get("classes", []) or not ann.sources]
    page += _section("Sources", sources)
    if ann.datasets or ann.evidence:
        page += _section("Data", *_data(app, ann, name))
    page += _section("History and review", *_history(ann))
    page += _section("Share", *_share(app, ann))
    page += _section("Cite this note", *_cite(ann, cite))
    page += _section("Embed", *_embed(app, ann))
    return page


def _section(heading: str, *children: nodes.Node) -> nodes.Node:
    slug = heading.lower().replace(" ", "-")
    return element("section", element("h2", nodes.Text(heading)), *children, class_=f"claim-page-{slug}", id=slug)


def _in_context(app, ann: Annotation, doc: str, name: str) -> nodes.Node:
    """The claim's paragraph, with its words marked, and the way back to its place in the chapter."""
    block = app.edition.article.block(ann.block_key)
    before, after = block.text[: ann.start], block.text[ann.start + len(ann.exact):]
    para = nodes.paragraph(classes=["article-context"])
    para += [nodes.Text(before), element("mark", nodes.Text(ann.exact), class_=f"claim-page-mark {render.verdict_class(ann.verdict)}"), nodes.Text(after)]
    where = nodes.paragraph(classes=["claim-page-place"], text="The article\u2019s words in their paragraph, from ")
    chapter = app.env.titles[doc].astext() if doc in app.env.titles else doc
    where += nodes.reference(text=f"{chapter}, paragraph {ann.block_key.lstrip('p')}", refuri=app.builder.get_relative_uri(name, doc) + f"#{ann.anchor}")
    where += nodes.Text(f" (\u201c{app.edition.article.title}\u201d, {app.edition.article.publisher}, {app.edition.article.date}).")
    return element("section", element("blockquote", para, class_="claim-page-context"), where, class_="claim-page-claim")


def _data(app, ann: Annotation, name: str) -> list[nodes.Node]:
    out = []
    if ann.datasets:
        para = nodes.paragraph(classes=["annotation-datasets"], text="Data: ")
        for i, dataset in enumerate(ann.datasets):
            para += nodes.Text(", " if i else "")
            para += nodes.reference("", "", nodes.literal(text=dataset), refuri=app.builder.get_relative_uri(name, f"book/datasets/{dataset}"))
        out.append(para)
    box = nodes.container("", *computed.computed_from_data(ann))
    computed.resolve_computed(app, box, name)
    return [*out, box]


def _history(ann: Annotation) -> list[nodes.Node]:
    meta = nodes.paragraph(classes=["annotation-meta"], text=f"By {ann.author}. First published {ann.history[0]['date']}. Last updated {ann.updated}.")
    meta += excerpts.review_record(ann)
    items = nodes.bullet_list(classes=["claim-page-history"])
    for h in ann.history:
        para = nodes.paragraph(text=f"{h['date']}: ")
        para += render.badge(h["verdict"])
        para += nodes.Text(f" {h.get('note', '')}")
        items += nodes.list_item("", para)
    follow = nodes.paragraph(classes=["claim-page-follow"], text="Follow every correction and change of verdict: ")
    follow += nodes.reference(text="Atom feed", refuri=f"../{feeds.FEED}")
    return [meta, items, follow]


def _share(app, ann: Annotation) -> list[nodes.Node]:
    image = element("img", src=f"{ann.id}.png", alt=f"Share card: {ann.label}: \u201c{ann.exact}\u201d {plain(ann.summary)}",
                    width=str(cards.WIDTH // 2), height=str(cards.HEIGHT // 2), loading="lazy", class_="claim-card")
    para = nodes.paragraph(text="Link to this note: ")
    para += nodes.literal(text=absolute(app, f"{page_name(ann.id)}.html"))
    para += nodes.Text(" \u00b7 ")
    para += nodes.reference(text="share card (PNG, 1200\u00d7630)", refuri=f"{ann.id}.png")
    return [nodes.paragraph("", "", image), para]


def _cite(ann: Annotation, cite: citation.Citation) -> list[nodes.Node]:
    out = []
    for label, suffix, text, language in (("BibTeX", ".bib", citation.bibtex(cite), "none"),
                                          ("CSL-JSON", ".json", citation.csl_json(cite), "none"),
                                          ("RIS", ".ris", citation.ris(cite), "none")):
        para = nodes.paragraph(text=f"{label} (")
        para += nodes.reference(text="download", refuri=f"{ann.id}{suffix}")
        para += nodes.Text(")")
        out += [para, nodes.literal_block(text, text, language=language, classes=[f"citation-{suffix[1:]}"])]
    return out


def embed_snippet(app, ann: Annotation) -> str:
    """A card of plain HTML and inline style (no script) for another site; every value escaped."""
    colour = cards.COLOURS[ann.verdict]
    url = html.escape(absolute(app, f"{page_name(ann.id)}.html"))
    esc = html.escape
    return (
        f'<a href="{url}" style="display:block;max-width:36em;padding:.8em 1em;border:1px solid #d0d7de;'
        f'border-left:6px solid {colour};border-radius:6px;color:#111827;background:#fff;text-decoration:none;font:15px/1.45 sans-serif">'
        f'<strong style="color:{colour}">{esc(render.GLYPHS[ann.verdict])} {esc(ann.label)}</strong> \u00b7 '
        f'\u201c{esc(ann.exact)}\u201d<br><span>{esc(plain(ann.summary))}</span><br>'
        f'<small style="color:#4b5563">{esc(site_name(app))}</small></a>'
    )


def _embed(app, ann: Annotation) -> list[nodes.Node]:
    snippet = embed_snippet(app, ann)
    intro = nodes.paragraph(text="Copy this HTML to show the claim, its verdict and a link to this page on another site (no script):")
    preview = element("div", nodes.raw("", snippet, format="html"), class_="claim-embed-preview")
    return [intro, nodes.literal_block(snippet, snippet, language="none", classes=["claim-embed-code"]), preview]


# -- chapter pages: their own cards ---------------------------------------------------------------

def chapter_meta(app, pagename, templatename, context, doctree) -> None:
    """Open Graph and Twitter card metadata for the chapters that carry notes, with the chapter's card."""
    ids = getattr(app.env, "edition_claims", {}).get(pagename)
    feed = f'<link rel="alternate" type="application/atom+xml" title="Corrections and verdict changes" href="{html.escape(absolute(app, feeds.FEED))}" />'
    context["metatags"] = context.get("metatags", "") + "\n" + feed
    if doctree is None or pagename not in app.env.titles:
        return  # the claim pages carry their own; search and index pages none
    title = app.env.titles[pagename].astext()
    url = absolute(app, f"{pagename}.html")
    if ids:
        texts = chapter_card_texts(app, pagename, ids)
        image = absolute(app, chapter_card(pagename))
        description = f"{texts['label']} on this chapter of \u201c{app.edition.article.title}\u201d: {texts['summary']}."
    else:  # the edition's other pages share its card
        texts = site_card_texts(app)
        image = absolute(app, SITE_CARD)
        description = f"{texts['label']} on \u201c{app.edition.article.title}\u201d: {texts['summary']}."
    og = open_graph(title, description, url, image, f"Share card: {title}. {description}", site_name(app))
    context["metatags"] += "\n" + citation.meta_html(og, "property") + "\n" + citation.meta_html(twitter(title, description, image))


def finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or not hasattr(app, "edition"):
        return
    base = app.config.html_baseurl or ""
    if not base:
        logger.warning("html_baseurl is not set: no feed or sitemap written. Fix: set html.baseurl in _config.yml", type="edition", subtype="feeds")
        return
    out = Path(app.outdir)
    feeds.write_feed(out, base, site_name(app), feeds.entries(app.edition, placed(app), lambda i: absolute(app, f"{page_name(i)}.html"),
                                                              lambda name: absolute(app, f"book/datasets/{name}.html")))
    # Every page Sphinx wrote from a source, and every claim page (not files left over from earlier builds).
    pages = [f"{doc}.html" for doc in app.env.all_docs if (out / f"{doc}.html").is_file()]
    feeds.write_sitemap(out, base, pages + [f"{page_name(a.id)}.html" for a, _doc in placed(app)])


def setup_claim_pages(app) -> None:
    app.connect("doctree-resolved", point_notes_to_pages)
    app.connect("env-updated", start_cards, priority=600)  # after the notebooks are all in (prerun.wait_for_all)
    app.connect("html-collect-pages", collect_pages)
    app.connect("html-page-context", chapter_meta)
    app.connect("build-finished", finished)
