"""One generic HTML element node, for the few elements docutils has no node for.

Tag and attributes are set only by this extension's code (never from contributor
text); attribute values are escaped by the HTML translator.
"""

from __future__ import annotations

from docutils import nodes


class html_element(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """<tag attrs>children</tag> in HTML; only the children in other formats."""


def element(tag: str, *children: nodes.Node, **attrs: str) -> html_element:
    node = html_element("", *children)
    node["tag"] = tag
    node["attrs"] = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    return node


def visit_html(self, node: html_element) -> None:
    attrs = "".join(f' {k}="{self.attval(str(v))}"' for k, v in node["attrs"].items())
    self.body.append(f"<{node['tag']}{attrs}>")


def depart_html(self, node: html_element) -> None:
    self.body.append(f"</{node['tag']}>")


def visit_passthrough(self, node: html_element) -> None:
    pass


def setup_nodes(app) -> None:
    other = (visit_passthrough, visit_passthrough)
    app.add_node(html_element, html=(visit_html, depart_html), latex=other, text=other, man=other, texinfo=other)


def table(headers: list[str], rows: list[list[nodes.Node]], classes: list[str]) -> nodes.table:
    """A docutils table: one header row, then a row per list of cells (plain nodes are wrapped in paragraphs)."""
    out = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    out += group
    group += [nodes.colspec(colwidth=1) for _ in headers]
    head = nodes.thead()
    head += nodes.row("", *[nodes.entry("", nodes.paragraph(text=h)) for h in headers])
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell if isinstance(cell, nodes.paragraph) else nodes.paragraph("", "", cell)
            row += entry
        body += row
    group += [head, body]
    return out
