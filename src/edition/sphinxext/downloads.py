"""The chapters' downloadable notebooks: the executed .ipynb that the theme copies to _sources/ for its
download menu. Their first code cell installs the edition when it is missing (Colab, a fresh folder); in the
chapters it names a placeholder archive and website, replaced here by the repository's archive at the commit
built and the site's address (html.baseurl, which the Pages workflow sets to the real repository's)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import nbformat
from sphinx.util import logging

from .prerun import DIGEST_LINE, executed_notebook

logger = logging.getLogger(__name__)
PLACEHOLDER = "https://github.com/OWNER/putin-zionism-edition/archive/main.zip"
SITE_PLACEHOLDER = "https://OWNER.github.io/putin-zionism-edition/"


def source_archive(app) -> str:
    """The repository's archive at the commit being built ($GITHUB_SHA in the Pages workflow, else git's HEAD)."""
    options = app.config.html_theme_options or {}
    url = (options.get("repository_url") or "").rstrip("/")
    ref = os.environ.get("GITHUB_SHA") or _git_head(Path(app.srcdir)) or options.get("repository_branch") or "main"
    return f"{url}/archive/{ref}.zip"


def _git_head(folder: Path) -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def finish_downloads(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    archive = source_archive(app)
    site = (app.config.html_baseurl or "").rstrip("/") + "/"
    sources = Path(app.outdir) / "_sources"
    for path in sorted(sources.glob("**/*.ipynb")):
        cached = executed_notebook(app, path.relative_to(sources).with_suffix("").as_posix())
        nb = cached if cached is not None else nbformat.read(path, as_version=4)
        kept = [c for c in nb.cells if not (c.cell_type == "code" and c.source.startswith(DIGEST_LINE))]
        changed = cached is not None or len(kept) != len(nb.cells)  # the build's execution key is no part of the reader's notebook
        nb.cells = kept
        for cell in nb.cells:
            if cell.cell_type == "code" and PLACEHOLDER in cell.source:
                cell.source, changed = cell.source.replace(PLACEHOLDER, archive).replace(SITE_PLACEHOLDER, site), True
        try:
            nbformat.validate(nb)
        except nbformat.ValidationError as error:
            logger.warning(f"{path.name}: the downloadable notebook is not valid nbformat: {error.message}", type="edition", subtype="download")
            continue
        if changed:
            nbformat.write(nb, path)
