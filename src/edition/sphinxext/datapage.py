"""The `dataset-page` directive: one appendix page per dataset, generated from its manifest and CSV.

The page shows the dataset's chart (the same one its chapter draws), then the whole record: every row,
numbers formatted, qualifiers and booleans in words, each source id a link to the source's entry,
whose anchor the figures' tables link to as well.
"""

from __future__ import annotations

import pandas as pd
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import charts, datasets, figures
from ..datasets import QUALIFIERS
from .nodes import element, table


class DatasetPageDirective(SphinxDirective):
    """The appendix page of one dataset, generated from its manifest."""

    required_arguments = 1

    def run(self):
        name = self.arguments[0]
        store = self.env.app.edition
        self.env.note_dependency(str(store.datasets_folder / f"{name}.yml"))
        self.env.note_dependency(str(store.datasets_folder / f"{name}.csv"))
        if name not in store.manifests:
            return [self.state.document.reporter.warning(f"unknown dataset {name!r}; available: {', '.join(store.manifests)}", line=self.lineno)]
        try:
            frame = datasets.load_record(name, store.datasets_folder)  # the page shows the full record
        except Exception as err:  # a corrupt snapshot must fail the build, with its message
            return [self.state.document.reporter.warning(str(err), line=self.lineno)]
        return dataset_nodes(frame.attrs["provenance"], frame)


def dataset_nodes(prov, frame) -> list[nodes.Node]:
    out: list[nodes.Node] = [nodes.paragraph(text=prov.description)]
    draw = charts.CHARTS.get(prov.name)
    if draw is not None:  # the chart of the current rows, as its chapter draws it
        out.append(nodes.raw("", draw(datasets.current_rows(frame)).markup, format="html"))  # its links made relative by sitelinks
    links = nodes.paragraph(classes=["dataset-downloads"], text="Download: ")
    links += nodes.reference(text=f"{prov.name}.csv", refuri=f"{prov.name}.csv")
    links += nodes.Text(" (the data) \u00b7 ")
    links += nodes.reference(text=f"{prov.name}.yml", refuri=f"{prov.name}.yml")
    links += nodes.Text(f" (this description). {prov.rows} rows; SHA-256 ")
    links += nodes.literal(text=prov.sha256, classes=["dataset-hash"])
    links += nodes.Text(".")
    out += [links, nodes.paragraph(text="Load it in Python (offline, checksum verified; current rows only, the full record with load_record):"),
            nodes.literal_block(text=prov.load_snippet, language="python")]
    out.append(nodes.rubric(text="Columns"))
    columns = table(["Column", "Type", "Unit", "Meaning"], [[nodes.literal(text=c.name), nodes.Text(c.type), nodes.Text(c.unit or "\u2014"), nodes.Text(c.description)] for c in prov.columns], ["dataset-columns"])
    out.append(element("div", columns, class_="dataset-scroll", tabindex="0", role="region", aria_label=f"Columns of {prov.name}"))
    out.append(nodes.rubric(text="Sources"))
    sources = nodes.bullet_list(classes=["dataset-sources"])
    for src in prov.sources:
        para = nodes.paragraph(text=(f"[{src['id']}] " if src.get("id") else "") + src["citation"] + " ")
        if src.get("url"):
            para += nodes.reference(text=src["url"], refuri=src["url"])
        if src.get("note"):
            para += nodes.Text(f" \u2014 {src['note']}")
        sources += nodes.list_item("", para, ids=[figures.source_anchor(src["id"])] if src.get("id") else [])
    out.append(sources)
    out.append(nodes.paragraph(text=f"Figures taken: {prov.retrieved}. Licence: {prov.license}"))
    if prov.puller:
        out.append(nodes.paragraph(text=f"Refresh from the primary source: edition data refresh {prov.name}"))
    if prov.caveats:
        out.append(nodes.rubric(text="Caveats, gaps and conflicts between sources"))
        out.append(nodes.bullet_list("", *[nodes.list_item("", nodes.paragraph(text=c)) for c in prov.caveats], classes=["dataset-caveats"]))
    out += _record_nodes(prov, frame)
    out.append(nodes.rubric(text="How to cite"))
    out.append(nodes.paragraph(text=prov.citation))
    out.append(nodes.rubric(text=f"The data: all {len(frame)} rows"))
    out.append(nodes.paragraph(text="Line is the row's line in the CSV (the header is line 1). Figures are worded by their qualifiers; a source id links to its entry above."))
    out.append(_record_table(prov, frame))
    return out


QUALIFIER_WORDS = {"exact": "exact", "rounded": "rounded by the source", "approximate": "about (an estimate)", "lower_bound": "more than (a lower bound)",
                   "upper_bound": "less than (an upper bound)", "range": "a range", "partial_year": "part of a year only"}
assert set(QUALIFIER_WORDS) | {"derived", "retracted", "superseded"} == set(QUALIFIERS)


def qualifier_words(text) -> str:
    """A qualifier cell in words: 'about (an estimate); computed by the editors: 236000 / 430000'."""
    if not isinstance(text, str) or not text.strip():
        return ""
    q = datasets.parse_qualifier(text)
    words = [QUALIFIER_WORDS[k] for k in QUALIFIER_WORDS if k in q.kinds]
    if "derived" in q.kinds:
        words.append(f"computed by the editors: {q.formula}")
    words += [f"{k}: the current figure is on line {q.line}" for k in ("retracted", "superseded") if k in q.kinds]
    return "; ".join(words)


def _cell(col, value, qualifier_columns: set[str]) -> nodes.Node:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return nodes.Text("")
    if col.type == "boolean":
        return nodes.Text("yes" if bool(value) else "no")
    if col.type in ("integer", "number"):
        return nodes.Text(str(int(value)) if col.key else datasets.number(float(value)))
    if col.name in qualifier_columns:
        return nodes.Text(qualifier_words(value))
    if col.name == "source_id":
        para = nodes.inline()
        for i, sid in enumerate(s.strip() for s in str(value).split(";") if s.strip()):
            para += nodes.Text(", " if i else "")
            para += nodes.reference(text=sid, refuri=f"#{figures.source_anchor(sid)}")
        return para
    return nodes.Text(str(value))


def _record_table(prov, frame) -> nodes.Node:
    qualifier_columns = {c.qualifier for c in prov.columns if c.qualifier}
    rows = []
    for i, row in frame.iterrows():
        rows.append([nodes.Text(str(int(i) + 2)), *[_cell(c, row[c.name], qualifier_columns) for c in prov.columns]])
    record = table(["Line", *[c.name for c in prov.columns]], rows, ["dataset-record"])
    return element("div", record, class_="dataset-scroll", tabindex="0", role="region", aria_label=f"All rows of {prov.name}")


def _record_nodes(prov, frame) -> list[nodes.Node]:
    """Figures kept for the record (retracted or superseded) and the changelog of the figures."""
    out: list[nodes.Node] = []
    withdrawn = []
    for col in (c for c in prov.columns if c.qualifier):
        quals = datasets.qualifiers(frame, col.name)
        withdrawn += [(int(i) + 2, col.name, frame.at[i, col.name], q) for i, q in quals.items() if q.withdrawn and pd.notna(frame.at[i, col.name])]
    if withdrawn:
        out.append(nodes.rubric(text="Figures kept for the record (retracted or superseded, never plotted)"))
        out.append(nodes.bullet_list("", *[
            nodes.list_item("", nodes.paragraph(text=f"Line {line}, {name}: {datasets.number(value)} \u2014 {' and '.join(sorted(q.kinds & {'retracted', 'superseded'}))}; the correcting figure is on line {q.line}."))
            for line, name, value, q in sorted(set((l, n, v, q) for l, n, v, q in withdrawn), key=lambda w: w[0])  # noqa: E741
        ], classes=["dataset-withdrawn"]))
    if prov.changelog:
        out.append(nodes.rubric(text="Changes to the figures"))
        items = nodes.bullet_list(classes=["dataset-changelog"])
        for change in sorted(prov.changelog, key=lambda c: c["date"], reverse=True):
            para = nodes.paragraph(text=f"{change['date']}: {change['change']} Why: {change['why']}" + (f" Source: {change['source']}" if change.get("source") else ""))
            if change.get("url"):
                para += nodes.Text(" ")
                para += nodes.reference(text=change["url"], refuri=change["url"])
            items += nodes.list_item("", para)
        out.append(items)
    return out


def setup_datapage(app) -> None:
    app.add_directive("dataset-page", DatasetPageDirective)
