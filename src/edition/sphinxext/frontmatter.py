"""A chapter that lost its `edition:` front matter is named as such, before the article check reports its
paragraphs as missing from every chapter (an editor that saves the page without the repository's
jupytext.toml drops that section)."""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

from .chapter import article_paragraphs, chapter_options

logger = logging.getLogger(__name__)


def check_chapter_front_matter(app, doctree: nodes.document) -> None:
    env = app.env
    if chapter_options(env, env.docname) is not None:
        return
    texts = {p.astext() for p in article_paragraphs(doctree)}
    held = [b.key for b in app.edition.article.blocks if b.text in texts]
    if held:
        logger.warning(
            f"{env.doc2path(env.docname, False)} holds the article's {', '.join(held)} but its front matter has no "
            "`edition:` section with `chapter:` (lost when the page was saved without the repository's jupytext.toml): "
            "restore `edition:` with `chapter:` and `editorial_title:` at the top of the file",
            type="edition", subtype="front-matter", location=env.docname,
        )
