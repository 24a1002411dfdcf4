"""Reader contributions from the page: the "Suggest a fact-check" script and each note's "Suggest a correction" link.

Both point at the repository's issue forms; the repository is the book's `repository.url`.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

from .. import markup
from ..suggestion import correction_url
from .nodes import element

logger = logging.getLogger(__name__)
# Set once when the builder starts, before any page is read (forked readers inherit it).
_repository = {"url": ""}


def register(app) -> None:
    """Add the selection script (with the repository it files suggestions in) to every HTML page."""
    url = (app.config.html_theme_options or {}).get("repository_url", "") or ""
    if url and not (markup.url_is_safe(url) and url.startswith("https://")):
        logger.warning(f"repository.url {url!r} is not an https:// address: no suggestion links", type="edition", subtype="suggest")
        url = ""
    _repository["url"] = url.rstrip("/")
    if url and app.builder.format == "html":
        app.add_js_file("vendor/dom-anchor-text-position.min.js", loading_method="defer")
        app.add_js_file("suggest.js", loading_method="defer", **{"data-repository": _repository["url"]})


def correction_link(ann) -> list[nodes.Node]:
    """A paragraph with the note's "Suggest a correction" link, the form prefilled with its id (none without a repository)."""
    if not _repository["url"]:
        return []
    para = nodes.paragraph(classes=["annotation-correction"])
    # The note (an aside named after its verdict) gives the link its context; kept short, as it repeats on every note.
    para += element("a", nodes.Text("Suggest a correction"), href=correction_url(_repository["url"], ann.id))
    return [para]
