"""The computed line of a note: each evidence check's sentence, and a build failure when one no longer holds.

note() places a placeholder; once every page is known (doctree-resolved) the checks run on
the build's own datasets and the placeholder becomes "Computed from the data: ..." with a
link to each dataset's page. A check that fails or raises is a located "edition" warning,
which -W turns into a failed build.

Each check is also run in its two worlds (see edition.evidence): one that still holds in the
article's world cannot fail, and one that fails in its stronger world tests something else.
Such a check is hollow: its note shows no "Computed from the data" sentence, and the build
warns, naming the annotation, the check and the world.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

from .. import datasets, evidence
from ..yamlfile import read_yaml

logger = logging.getLogger(__name__)


class computed_evidence(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """Stands for an annotation's computed sentences until the checks have run."""


def computed_from_data(ann) -> list[nodes.Node]:
    """The placeholder for ann's evidence checks (nothing if it names none)."""
    return [computed_evidence(annotation=ann.id, checks=list(ann.evidence), file=ann.file)] if ann.evidence else []


def _loader(app):
    cache = app.__dict__.setdefault("edition_evidence_frames", {})

    def load(name: str):
        if name not in cache:  # each dataset is read once per build, however many notes use it
            cache[name] = datasets.load(name, app.edition.datasets_folder)
        return cache[name]

    return load


def _checked(app, name: str):
    """The check's result on the build's data and why it is hollow ('' if it is not), once per build:
    a note's check is shown on its chapter and on its own page."""
    done = app.__dict__.setdefault("edition_evidence_results", {})
    if name not in done:
        result = evidence.run(name, _loader(app))
        done[name] = result, _hollow(name, _loader(app)) if result.holds else ""
    return done[name]


def resolve_computed(app, doctree, docname) -> None:
    for node in list(doctree.findall(computed_evidence)):
        box = nodes.container(classes=["annotation-computed"])
        for i, name in enumerate(node["checks"]):
            result, hollow = _checked(app, name)
            if hollow:
                _warn_hollow(app, node, i, result, hollow)
                continue
            box += _sentence(app, docname, result)
            if not result.holds:
                _warn(app, node, i, result)
        node.replace_self(box if len(box) else nodes.comment())


def _hollow(name: str, load) -> str:
    """Why the check guards nothing on these data ('' if it does): it holds in the article's world, or fails in the stronger one."""
    found = evidence.CHECKS[name]
    try:
        article, stronger = evidence.in_world(name, "article", load), evidence.in_world(name, "stronger", load)
    except Exception as err:  # a world that cannot be built on these data proves nothing either way
        return f"its worlds could not be built on these data ({type(err).__name__}: {err})"
    if article.holds:
        return f"it still holds in the article's world ({found.article.says}), so it cannot fail"
    if not stronger.holds:
        return f"it fails in its stronger world ({found.stronger.says}){' by raising ' + stronger.error if stronger.error else ''}, so it tests something other than the verdict"
    return ""


def _sentence(app, docname: str, result) -> nodes.paragraph:
    para = nodes.paragraph(classes=["computed-evidence" if result.holds else "computed-evidence-failed"])
    para += nodes.strong(text="Computed from the data: " if result.holds else "Check failed: ")
    text = result.sentence or f"the check {result.check} could not run ({result.error})"
    para += nodes.Text(text[0].upper() + text[1:] + " (")
    for i, name in enumerate(result.datasets):
        para += nodes.Text("; " if i else "")
        prov = app.edition.manifests.get(name)
        title = prov.title.split(":")[0] if prov else name
        uri = app.builder.get_relative_uri(docname, f"book/datasets/{name}")
        para += nodes.reference(text=title, refuri=uri)
    para += nodes.Text(").")
    return para


def _warn(app, node, index: int, result) -> None:
    path = app.edition.root / node["file"]
    line = read_yaml(path, node["file"]).line(("evidence", index)) if path.is_file() else 1
    why = f"it raised {result.error}" if result.error else f"the data now say: {result.sentence}"
    logger.warning(
        f"annotation {node['annotation']!r}: evidence check {result.check!r} no longer holds on dataset {', '.join(result.datasets)} ({why}). "
        f"Fix: correct the dataset, or revise the verdict and the check in src/edition/evidence.py",
        type="edition", subtype="evidence", location=f"{node['file']}:{line}",
    )


def _warn_hollow(app, node, index: int, result, why: str) -> None:
    path = app.edition.root / node["file"]
    line = read_yaml(path, node["file"]).line(("evidence", index)) if path.is_file() else 1
    logger.warning(
        f"annotation {node['annotation']!r}: evidence check {result.check!r} on dataset {', '.join(result.datasets)} guards nothing: {why}; "
        f"its note shows no computed sentence. Fix: make the check test the claim (src/edition/evidence.py), or remove it from the annotation's evidence",
        type="edition", subtype="evidence", location=f"{node['file']}:{line}",
    )


def setup_computed(app) -> None:
    app.add_node(computed_evidence)
    app.connect("doctree-resolved", resolve_computed)
