"""The editors' boxes written as standard admonitions, which JupyterLab (jupyterlab-myst) renders as callouts:

    :::{admonition} About this chapter          :::{admonition} What the evidence shows
    :class: editorial                            :class: chapter-summary
    ...                                          ...
    :::                                          :::

On the website they become what the `editorial` and `chapter-summary` directives make (the older forms, still
accepted): the editors' box, and the chapter's summary followed by its tally of verdicts."""

from __future__ import annotations

from docutils import nodes

from .pages import claims_placeholder


def admonitions_to_boxes(app, doctree: nodes.document) -> None:
    env = app.env
    for admonition in list(doctree.findall(nodes.admonition)):
        classes = admonition.get("classes", [])
        kind = "chapter-summary" if "chapter-summary" in classes else "editorial" if "editorial" in classes else None
        if kind is None:
            continue
        titles = [c for c in admonition.children if isinstance(c, nodes.title)]
        box = nodes.container(classes=["editorial", "chapter-summary"] if kind == "chapter-summary" else ["editorial"])
        box += nodes.paragraph(text=titles[0].astext() if titles else "Editors\u2019 note", classes=["editorial-label"])
        box += [c for c in admonition.children if not isinstance(c, nodes.title)]
        if kind == "chapter-summary":  # as the chapter-summary directive: the tally follows, from the article's annotations
            env.note_dependency(str(app.edition.article_file))
            box += claims_placeholder(what="chapter-summary", chapter=env.docname)
        admonition.replace_self(box)
