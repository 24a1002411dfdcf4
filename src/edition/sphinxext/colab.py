""""Colab" in a notebook page's launch menu. Colab opens .ipynb files from GitHub
(https://colab.research.google.com/github/<owner>/<repo>/blob/<branch>/<path>), and the chapters are MyST
Markdown, so the link points at the page's executed notebook (the one offered for download, with its outputs
and a first cell that installs the edition), which the Pages workflow publishes on its own branch
(edition_colab_branch), at the path it has under _sources/."""

from __future__ import annotations

import re

COLAB = "https://colab.research.google.com/github"


def colab_url(app, notebook: str) -> str:
    """The Colab address of a published notebook (its path under _sources/, e.g. book/02-x.ipynb); '' when the
    repository is not on GitHub."""
    url = ((app.config.html_theme_options or {}).get("repository_url") or "").rstrip("/")
    repo = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?", url)
    if not repo or not app.config.edition_colab_branch:
        return ""
    return f"{COLAB}/{repo[1]}/{repo[2]}/blob/{app.config.edition_colab_branch}/{notebook}"


def add_colab_button(app, pagename, templatename, context, doctree) -> None:
    """After the theme has made the launch menu (and copied the page's notebook to _sources/), add Colab to it."""
    notebook = context.get("ipynb_source")
    menu = next((b for b in context.get("header_buttons", []) if b.get("label") == "launch-buttons"), None)
    url = colab_url(app, notebook) if notebook else ""
    if menu is None or not url:
        return
    menu["buttons"].append({"type": "link", "text": "Colab", "tooltip": "Open this chapter's notebook in Colab",
                            "icon": "_static/images/logo_colab.png", "url": url})


def setup_colab(app) -> None:
    app.add_config_value("edition_colab_branch", "notebooks", "html")
    app.connect("html-page-context", add_colab_button, priority=502)  # after the theme's launch menu (501)
