"""A figure's code toggle follows its figure in the page itself.

myst-nb writes a hidden input's toggle ("Show code cell source") before the cell's output. A chart is what the
reader came for, so the toggle goes below it; done in the stylesheet alone (flex order), a page painted before
its figure had arrived showed the toggle first and then pushed it down: a layout shift on slow connections and
busy machines. Here the nodes themselves are reordered, after myst-nb has wrapped the input.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

FIGURE_MARK = 'class="edition-figure"'


def holds_figure(node: nodes.Element) -> bool:
    return any(FIGURE_MARK in raw.astext() for raw in node.findall(nodes.raw))


class FigureCodeAfterFigure(SphinxPostTransform):
    default_priority = 200  # after myst-nb's HideInputCells (199) has wrapped the input in its toggle
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for cell in self.document.findall(nodes.container):
            if cell.get("nb_element") != "cell_code" or len(cell.children) < 2:
                continue
            toggle, output = cell.children[0], cell.children[-1]
            if "above-input" in toggle.get("classes", []) and output.get("nb_element") == "cell_code_output" and holds_figure(output):
                cell.remove(toggle)
                cell.append(toggle)


def setup_cells(app) -> None:
    app.add_post_transform(FigureCodeAfterFigure)
