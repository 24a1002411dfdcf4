"""Links to the website in HTML that notebooks output (the figures' "Dataset page", "Download CSV" and source
links) are absolute, so they resolve in JupyterLab, Colab and a downloaded notebook. In the book itself they are
turned back into page-relative links, so the built site works offline and in a pull request's preview."""

from __future__ import annotations

import html
import posixpath
import re

from docutils import nodes


def relative_site_links(app, doctree, docname: str) -> None:
    """Rewrite href="<html_baseurl>path" in the page's raw HTML to the path relative to the page."""
    base = (app.config.html_baseurl or "").rstrip("/") + "/"
    if app.builder.format != "html" or base == "/":
        return
    href = re.compile(r'(href=")' + re.escape(html.escape(base)) + r'([^"#]*)')
    folder = posixpath.dirname(app.builder.get_target_uri(docname))

    def relative(match: re.Match) -> str:
        target = match[2] or "index.html"
        return match[1] + posixpath.relpath(target, folder or ".")

    for node in doctree.findall(nodes.raw):
        if "html" not in node.get("format", "").split():
            continue
        text = node.astext()
        changed = href.sub(relative, text)
        if changed != text:
            node.children = []
            node += nodes.Text(changed)
            node.rawsource = changed
