"""Wiring of the extension into Sphinx's build phases."""

from __future__ import annotations

import csv
import os
import hashlib
import json
import shutil
from pathlib import Path

from sphinx.util import logging

from .. import annotations, htmlcheck
from . import callouts, chapter, downloads, frontmatter, icons, jsonld, prerun, sitelinks, suggest
from .cells import setup_cells
from .claimpages import setup_claim_pages
from .colab import setup_colab
from .computed import setup_computed
from .datapage import setup_datapage
from .frontdoor import setup_frontdoor
from .navigation import setup_navigation
from .nodes import setup_nodes
from .pages import setup_pages
from .store import changed_content, load_store

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent.parent / "static"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def setup_extension(app) -> None:
    setup_nodes(app)
    setup_pages(app)
    setup_datapage(app)
    setup_computed(app)
    setup_claim_pages(app)  # claims/<id>.html, share cards, the corrections feed and the sitemap
    setup_frontdoor(app)
    setup_colab(app)
    setup_navigation(app)
    setup_cells(app)
    app.add_config_value("edition_root", "", "env")
    app.add_config_value("edition_check_html", True, "env")
    app.add_config_value("edition_subset_icons", True, "html")
    app.connect("config-inited", add_templates)
    app.connect("builder-inited", on_builder_inited)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", annotations_added_or_removed)
    app.connect("env-get-outdated", changed_content)
    app.connect("env-get-outdated", datasets_changed)
    app.connect("env-get-outdated", edition_code_changed)
    app.connect("source-read", prerun.key_execution_to_inputs)
    app.connect("env-before-read-docs", prerun.start_outdated_notebooks)
    app.connect("source-read", prerun.wait_for_notebook, priority=400)  # before myst-nb looks in the cache
    app.connect("env-updated", prerun.wait_for_all)
    app.connect("doctree-read", callouts.admonitions_to_boxes, priority=400)  # before the chapter's own handling
    app.connect("doctree-read", chapter.on_doctree_read)
    app.connect("html-page-context", chapter.flag_pages_with_notes)
    app.connect("doctree-read", frontmatter.check_chapter_front_matter)
    app.connect("env-check-consistency", chapter.check_integrity)
    app.connect("doctree-resolved", sitelinks.relative_site_links)
    app.connect("html-page-context", drop_unused_assets)
    app.connect("html-page-context", add_claim_reviews)
    app.connect("build-finished", on_build_finished)
    app.connect("html-page-context", downloads.note_written)
    app.connect("build-finished", downloads.finish_downloads)


def add_templates(app, config) -> None:
    config.templates_path.append(str(TEMPLATES))


def on_builder_inited(app) -> None:
    root = Path(app.config.edition_root or app.srcdir).resolve()
    # The annotations are read once for the build and its notebooks (their kernels inherit the variable).
    os.environ.setdefault(annotations.CACHE_VARIABLE, str(Path(app.doctreedir) / "edition-annotations"))
    app.edition = load_store(root)
    for name in ("edition_blocks", "edition_claims"):
        if not hasattr(app.env, name):
            setattr(app.env, name, {})
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))
        app.add_css_file("edition.css")  # one stylesheet: each more is one more request before the first paint
        app.add_js_file("edition.js", loading_method="defer")
        # The classes that must be set before the first paint (ed-early, ed-notes): templates/layout.html.
    suggest.register(app)  # the "Suggest a fact-check" control and the notes' correction links


def annotations_added_or_removed(app, env, added, changed, removed) -> list[str]:
    """Re-read every page built from annotations when a file is added or removed.

    (Edits to an existing file are caught by their content: store.changed_content.)
    """
    names = sorted(p.name for p in app.edition.annotations_folder.glob("*.yml"))
    if getattr(env, "edition_annotation_files", None) == names:
        return []
    env.edition_annotation_files = names
    article = str(app.edition.article_file)
    return [doc for doc, deps in env.dependencies.items() if article in deps]


def datasets_changed(app, env, added, changed, removed) -> list[str]:
    """Re-read every notebook page when a dataset, or the code that loads and draws it, changes.

    Sphinx tracks a page's own source only. Once re-read, a page runs again only if its
    inputs changed: its execution is keyed to them (prerun.key_execution_to_inputs).
    """
    digest = hashlib.sha256()
    for path in prerun.data_and_code(app.edition):
        digest.update(path.name.encode() + path.read_bytes())
    fingerprint = digest.hexdigest()
    previous = getattr(env, "edition_data_fingerprint", None)
    env.edition_data_fingerprint = fingerprint
    if previous in (None, fingerprint):
        return []
    return [doc for doc in env.all_docs if "kernelspec" in env.metadata.get(doc, {})]


def edition_code_changed(app, env, added, changed, removed) -> list[str]:
    """Re-write every page when the extension, its script, style or templates change: Sphinx tracks sources, not them."""
    digest = hashlib.sha256()
    for path in sorted(p for folder in (Path(__file__).parent, STATIC, TEMPLATES) for p in folder.glob("*.*")):
        digest.update(path.name.encode() + path.read_bytes())
    fingerprint = digest.hexdigest()
    previous = getattr(env, "edition_code_fingerprint", None)
    env.edition_code_fingerprint = fingerprint
    return [] if previous in (None, fingerprint) else sorted(env.all_docs)


def purge_doc(app, env, docname) -> None:
    for name in ("edition_blocks", "edition_claims", "edition_content_deps"):
        getattr(env, name, {}).pop(docname, None)


def merge_info(app, env, docnames, other) -> None:
    for name in ("edition_blocks", "edition_claims", "edition_content_deps"):
        mine = getattr(env, name, {})
        mine.update({d: v for d, v in getattr(other, name, {}).items() if d in docnames})
        setattr(env, name, mine)


def page_url(app, pagename: str) -> str:
    base = (app.config.html_baseurl or "").rstrip("/") + "/"
    return f"{base}{pagename}.html"


# Assets that Jupyter Book adds to every page for features this book does not use
# (in-page execution, design tabs, toggle directives): dropping them lightens every page.
UNUSED_ASSETS = ("sphinx-thebe", "thebe", "design-tabs", "sphinx-design", "togglebutton")
UNUSED_INLINE = ("THEBE", "togglebutton", "toggleHint", "toggleOpenOnPrint")
# Left blocking: it is small, and while it waits for the stylesheets the parser stops, so the first paint comes
# as soon as they arrive, with the top of the page, rather than after the whole page (a chapter is 150-300 kB)
# has been parsed and laid out: measured in Chromium, deferring it made a chapter's first paint later.
KEEP_BLOCKING = ("documentation_options.js",)


def drop_unused_assets(app, pagename, templatename, context, doctree) -> None:
    def used(asset) -> bool:
        name = str(getattr(asset, "filename", "") or "")
        body = str(getattr(asset, "attributes", {}).get("body", ""))
        return not any(word in name for word in UNUSED_ASSETS) and not any(word in body for word in UNUSED_INLINE)

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if used(asset)]
    # Deferred scripts still run in order, once the page is parsed; the page paints without waiting for them.
    # Not on the search page, whose search tools (loaded by the theme's template) need doctools.js first.
    if pagename != "search" and "script_files" in context:
        context["script_files"] = [_deferred(asset) for asset in context["script_files"]]


def _deferred(asset):
    """A deferred copy of a local script (the builder shares one asset object between all pages)."""
    attributes = getattr(asset, "attributes", None)
    name = str(getattr(asset, "filename", "") or "")
    if attributes is None or not name or name.startswith("http") or "async" in attributes or name.endswith(KEEP_BLOCKING):
        return asset
    return type(asset)(name, priority=asset.priority, **{**attributes, "defer": "defer"})


def add_claim_reviews(app, pagename, templatename, context, doctree) -> None:
    ids = set(app.env.edition_claims.get(pagename, []))
    if not ids:
        return
    anns = [a for a in app.edition.annotations if a.id in ids]
    reviews = [r for a in anns if (r := jsonld.claim_review(a, app.edition.article, page_url(app, pagename)))]
    if reviews:
        # After the page's text, not in the head: there it came before the stylesheets (12 kB on a chapter) and held
        # back their download and the first paint. Search engines read JSON-LD anywhere in the page.
        context["body"] = context.get("body", "") + "\n" + jsonld.script_tag(reviews)


def _prune_kept_annotations(folder: Path, keep: int = 8) -> None:
    """Only the newest results of annotations.collect() stay (one is kept per state of the files)."""
    kept = sorted(folder.glob("annotations-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[keep:]:
        old.unlink(missing_ok=True)


def on_build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _prune_kept_annotations(Path(app.doctreedir) / "edition-annotations")
    out = Path(app.outdir)
    _write_exports(app, out)
    _copy_datasets(app, out)
    if app.config.edition_subset_icons:
        icons.subset_icons(out)
    if app.config.edition_check_html:
        memo_file = Path(app.doctreedir) / "edition-page-texts.json"  # pages already checked, by content
        try:
            memo = json.loads(memo_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            memo = {}
        for problem in htmlcheck.check_site(out, app.edition.article, chapter.reading_order(app.env), app.env.edition_blocks, memo):
            logger.warning(f"rendered article text: {problem}", type="edition", subtype="integrity")
        memo_file.write_text(json.dumps(memo), encoding="utf-8")


def _write_exports(app, out: Path) -> None:
    docs = {cid: doc for doc, ids in app.env.edition_claims.items() for cid in ids}
    placed = [a for a in app.edition.annotations if a.id in docs]
    items = [jsonld.web_annotation(a, app.edition.article, page_url(app, docs[a.id])) for a in placed]
    export = jsonld.collection(items, page_url(app, "annotations").removesuffix(".html") + ".jsonld")
    (out / "annotations.jsonld").write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")
    reviews = [r for a in placed if (r := jsonld.claim_review(a, app.edition.article, page_url(app, docs[a.id])))]
    (out / "claimreview.jsonld").write_text(json.dumps(reviews, ensure_ascii=False, indent=1), encoding="utf-8")
    with (out / "claims.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "paragraph", "kind", "verdict", "quote", "summary", "sources", "updated", "reviewed", "url"])
        for a in placed:
            reviewed = max((r["date"] for r in a.second_readings), default="")  # empty: awaiting review
            writer.writerow([a.id, a.block_key, a.kind, a.verdict, a.exact, a.summary, " ".join(s.url for s in a.sources), a.updated, reviewed, f"{page_url(app, docs[a.id])}#{a.anchor}"])


def _copy_datasets(app, out: Path) -> None:
    target = out / "book" / "datasets"
    target.mkdir(parents=True, exist_ok=True)
    for prov in app.edition.manifests.values():
        shutil.copy2(prov.csv_path, target / prov.csv_path.name)
        shutil.copy2(prov.manifest_path, target / prov.manifest_path.name)
