"""The chapters' downloadable notebooks: the executed .ipynb that the theme copies to _sources/ for its
download menu. Their first code cell installs the edition when it is missing (Colab, a fresh folder); in the
chapters it names a placeholder archive and website, replaced here by the repository's archive at the commit
built and the site's address (html.baseurl, which the Pages workflow sets to the real repository's)."""

from __future__ import annotations

import os
import re
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


def note_written(app, pagename, templatename, context, doctree) -> None:
    """Pages written in this build: only their notebooks are copied to _sources/ again, so only they need finishing."""
    app.__dict__.setdefault("edition_written", set()).add(pagename)


def finish_downloads(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    archive = source_archive(app)
    site = (app.config.html_baseurl or "").rstrip("/") + "/"
    sources = Path(app.outdir) / "_sources"
    written = getattr(app, "edition_written", set())
    for path in sorted(sources.glob("**/*.ipynb")):
        docname = path.relative_to(sources).with_suffix("").as_posix()
        if docname not in written and DIGEST_LINE.encode() not in path.read_bytes():
            continue  # finished by an earlier build and not copied again since
        cached = executed_notebook(app, docname)
        nb = cached if cached is not None else nbformat.read(path, as_version=4)
        nb.cells = [c for c in nb.cells if not (c.cell_type == "code" and c.source.startswith(DIGEST_LINE))]
        for cell in nb.cells:
            if cell.cell_type == "code" and PLACEHOLDER in cell.source:
                cell.source = cell.source.replace(PLACEHOLDER, archive).replace(SITE_PLACEHOLDER, site)
            notes_cell = _NOTES_CELL.fullmatch(cell.source.strip()) if cell.cell_type == "code" else None
            if notes_cell:
                cell.outputs = _notes_outputs(notes_cell[1], cell.get("execution_count"))
        try:
            nbformat.validate(nb)
        except nbformat.ValidationError as error:
            logger.warning(f"{path.name}: the downloadable notebook is not valid nbformat: {error.message}", type="edition", subtype="download")
            continue
        nbformat.write(nb, path)


_NOTES_CELL = re.compile(r"""notes\(["'](\w+)["']\)""")


def _notes_outputs(key: str, count) -> list:
    """What the cell notes("pN") shows when run, computed here from the annotations as they are now: a chapter's
    notebook is not run again for a changed note (its execution is keyed to its data and code only)."""
    from ..notebook import notes

    shown = notes(key)
    if shown is None:
        return []
    return [nbformat.v4.new_output("execute_result", data={"text/plain": repr(shown), "text/html": shown._repr_html_()},
                                   execution_count=count)]
