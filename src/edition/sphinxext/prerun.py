"""Notebooks run side by side, one more than there are cores, while Sphinx reads the other pages.

myst-nb executes a notebook when it reads it, one after the other, and the build waits on one
kernel at a time. Just before reading, the notebooks whose outputs are not in the execution cache
are started together (one more at a time than the machine has cores: a kernel starting up or waiting
for its next cell leaves its core idle, and the extra one takes it) and moved to the end of the
reading order; the pages without code are read meanwhile, and each notebook's outputs are cached
just before myst-nb reads it, which then finds them in the cache. A notebook that fails here is
left alone: myst-nb runs it again when it reads it and reports the error as it always does, so
this step can make a build faster, never different.
"""

from __future__ import annotations

import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sphinx.util import logging

from ..paths import site_url

logger = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parent.parent  # the edition's modules, which draw figures and notes


DIGEST_LINE = "# Outputs computed from annotations, datasets and code with digest "  # the removed cell's one line


def key_execution_to_inputs(app, docname, source) -> None:
    """A notebook runs again when, and only when, what its outputs are computed from changes.

    The execution cache keys on a notebook's code cells. A removed cell holding the digest of the
    notebook's other inputs makes it key on those too: for a page marked `uses_annotations` every
    annotation file (a chapter's notes("pN") cells are not: the site shows notes through the extension
    and the downloadable notebook's are made at the end of the build), the datasets it names, the edition's own code and the website's address (figures and notes link to it).
    """
    text = source[0]
    if "```{code-cell}" not in text:
        return
    store = app.edition
    if re.search(r"^\s*uses_annotations:\s*true\s*$", text.split("\n---", 2)[0] if text.startswith("---") else "", re.M):
        notes = [store.article_file, *sorted(store.annotations_folder.glob("*.yml"))]
    else:
        notes = []  # a chapter's notes("pN") cells: their outputs in the downloadable notebook are made by downloads.py
    digest = hashlib.sha256(site_url().encode())  # outputs link to the website at this address
    for path in [*notes, *datasets_named(store, text), *code()]:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    source[0] = text.rstrip("\n") + (
        "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
        f"{DIGEST_LINE}{digest.hexdigest()}\n```\n"
    )


def data_and_code(store) -> list[Path]:
    """What any notebook's outputs may be computed from besides its notes: the datasets and the edition's modules."""
    return [*sorted(store.datasets_folder.glob("*")), *code()]


def code() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


# A load call with an argument (`load()` in a comment or in prose names nothing), the argument's opening quote if
# it is a string, and the name inside when the string is a plain name.
_LOAD_CALL = re.compile(r"""\b(?:load|load_record|load_live|manifest)\(\s*(?!\))(?P<quote>["']?)(?:(?P<name>\w+)(?P=quote))?""")


def datasets_named(store, text: str) -> list[Path]:
    """The files of the datasets a notebook loads: each named as a string in a load call (load("name")), or
    all of them if any load call takes a name computed at run time, which cannot be read here."""
    calls = list(_LOAD_CALL.finditer(text))
    if any(not call["quote"] for call in calls):
        return sorted(store.datasets_folder.glob("*"))
    names = {call["name"] for call in calls if call["name"]}
    return sorted(path for path in store.datasets_folder.glob("*") if path.stem in names)


def start_outdated_notebooks(app, env, docnames: list[str]) -> None:
    """Start the notebooks that are not in the execution cache, side by side, and read the other pages meanwhile.

    The notebooks move to the end of the reading order (Sphinx lets this event reorder `docnames`), in
    the order they start, so the appendices and front page are read while the kernels run and each
    notebook as soon as it is done; each is waited for just before myst-nb reads it (`wait_for_notebook`).
    """
    config = getattr(env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return
    from jupyter_cache import get_cache

    cache = get_cache(config.execution_cache_path or ".jupyter_cache")
    pending = {doc: nb for doc, nb in ((doc, _notebook(app, env, doc)) for doc in docnames) if nb and not _cached(cache, nb[1])}
    workers = min(len(pending), (os.cpu_count() or 1) + 1)
    if workers < 2:
        return  # nothing to gain: myst-nb runs it as it reads it
    logger.info(f"[edition] running {len(pending)} notebooks, {workers} at a time, while the other pages are read")
    pool = ThreadPoolExecutor(workers)
    # The longest notebooks (most code) start first, so the last one to finish is a short one.
    order = sorted(pending, key=lambda doc: -sum(len(c.source) for c in pending[doc][1].cells if c.cell_type == "code"))
    app.edition_running = {doc: (pending[doc], pool.submit(_execute, pending[doc], config)) for doc in order}
    pool.shutdown(wait=False)
    # Read in the order they were started, which is about the order they finish: each is read as soon as
    # it is done, while the others still run, rather than all at the end behind the slowest.
    docnames[:] = [doc for doc in docnames if doc not in pending] + order


def wait_for_notebook(app, docname, source) -> None:
    """Before myst-nb reads a notebook started by `start_outdated_notebooks`, wait for it and cache its outputs."""
    running = getattr(app, "edition_running", {})
    if docname in running:
        _store(app, *running.pop(docname))


def wait_for_all(app, env) -> None:
    """Any notebook started but not read (its page failed before reading) is still waited for and cached."""
    for item in list(getattr(app, "edition_running", {}).values()):
        _store(app, *item)
    app.edition_running = {}


def _store(app, item, future) -> None:
    """Put a finished run in the execution cache; a failed one is left to myst-nb, which runs it again and reports it."""
    result = future.result()
    if result.err is not None:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    path, notebook, read_fmt = item
    cache = get_cache(app.env.mystnb_config.execution_cache_path or ".jupyter_cache")
    record = cache.add_nb_to_project(str(path), read_data=read_fmt)
    cache.cache_notebook_bundle(CacheBundleIn(notebook, record.uri, data={"execution_seconds": result.time}),
                                check_validity=False, overwrite=True)


def _notebook(app, env, docname: str):
    """(path, notebook, read format) as myst-nb will read the page, or None if it is not a notebook to cache."""
    from myst_nb.core.read import create_nb_reader

    path = Path(env.doc2path(docname))
    if path.suffix not in (".md", ".ipynb") or not path.is_file():
        return None
    source = [path.read_text(encoding="utf-8")]
    key_execution_to_inputs(app, docname, source)  # the text myst-nb is given, digest cell included
    reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, source[0])
    if reader is None:
        return None
    notebook = reader.read(source[0])
    mode = (notebook.metadata.get(env.mystnb_config.metadata_key) or {}).get("execution_mode", "cache")
    if mode != "cache" or not any(cell.cell_type == "code" for cell in notebook.cells):
        return None
    return path, notebook, reader.read_fmt


def _cached(cache, notebook) -> bool:
    try:
        cache.match_cache_notebook(notebook)
    except KeyError:
        return False
    return True


def _execute(item, config):
    from jupyter_cache.executors.utils import single_nb_execution

    path, notebook, _ = item
    return single_nb_execution(notebook, cwd=str(path.parent), allow_errors=config.execution_allow_errors,
                               timeout=config.execution_timeout, meta_override=True)


def executed_notebook(app, docname: str):
    """The page's notebook with the outputs stored in the execution cache, or None if none are stored.

    myst-nb writes a notebook served from the cache without its outputs (it merges them into a copy
    it renders from), so the notebooks offered for download are taken from the cache instead.
    """
    config = getattr(app.env, "mystnb_config", None)
    found = _notebook(app, app.env, docname) if config is not None else None
    if found is None:
        return None
    from jupyter_cache import get_cache

    try:
        _, notebook = get_cache(config.execution_cache_path or ".jupyter_cache").merge_match_into_notebook(found[1])
    except KeyError:
        return None
    return notebook
