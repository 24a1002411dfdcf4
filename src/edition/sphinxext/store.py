"""Everything the extension reads from data/, loaded once per build and validated."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from .. import annotations, datasets, inventory
from ..article import Article, load_article
from ..yamlfile import ProblemsFound

logger = logging.getLogger(__name__)


@dataclass
class Store:
    root: Path
    article: Article
    annotations: list = field(default_factory=list)
    manifests: dict = field(default_factory=dict)
    inventory: dict = field(default_factory=dict)

    @property
    def article_file(self) -> Path:
        return self.root / "data" / "article.yml"

    @property
    def annotations_folder(self) -> Path:
        return self.root / "data" / "annotations"

    @property
    def datasets_folder(self) -> Path:
        return self.root / "data" / "datasets"

    def note_annotation_dependencies(self, env) -> None:
        """Mark the page being read as built from every annotation, so editing any of them re-reads it."""
        env.note_dependency(str(self.article_file))
        for ann in self.annotations:
            note_content_dependency(env, self.root / ann.file)

    def dataset_link(self, name: str) -> nodes.Node:
        """A cross-reference to the dataset's appendix page (resolved when pages are written)."""
        ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/book/datasets/{name}", refexplicit=True, refwarn=True)
        ref += nodes.literal(text=name)
        return ref


def note_content_dependency(env, path: Path) -> None:
    """The page being read is built from this file: it is read again when the file's bytes change.

    Unlike Sphinx's own dependencies (by modification time), a file touched or saved unchanged
    re-reads nothing (see `changed_content`).
    """
    env.__dict__.setdefault("edition_content_deps", {}).setdefault(env.docname, {})[str(path)] = _digest(path)


def changed_content(app, env, added, changed, removed) -> list[str]:
    """The pages read from a file whose bytes have changed since (or that is gone)."""
    now: dict[str, str] = {}  # each file hashed once, however many pages it is read into

    def current(path: str) -> str:
        if path not in now:
            now[path] = _digest(Path(path))
        return now[path]

    return [doc for doc, files in getattr(env, "edition_content_deps", {}).items()
            if any(current(path) != digest for path, digest in files.items())]


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def load_store(root: Path) -> Store:
    """Load article, manifests and annotations; report every problem as a located warning."""
    store = Store(root=root, article=load_article(root / "data" / "article.yml"))
    for name in datasets.available(store.datasets_folder):
        try:
            store.manifests[name] = datasets.manifest(name, store.datasets_folder)
        except ProblemsFound as err:
            _warn(err, "dataset")
    found, problems = annotations.collect(store.annotations_folder, store.article, set(datasets.available(store.datasets_folder)))
    store.annotations = found
    _warn(ProblemsFound(problems), "schema")
    store.inventory = inventory.load_inventory(root / "data" / "inventory.yml")
    _warn(ProblemsFound(inventory.problems(store.inventory, found)), "inventory")
    return store


def _warn(err: ProblemsFound, subtype: str) -> None:
    for problem in err.problems:
        logger.warning(f"{problem.field or '(file)'}: {problem.message}. Fix: {problem.fix}", type="annotations", subtype=subtype, location=f"{problem.file}:{problem.line}")
