"""The `dataset-page` directive: one appendix page per dataset, generated from its manifest and CSV.

The page shows the dataset's chart (the same one its chapter draws), then the whole record: every row,
numbers formatted, qualifiers and booleans in words, each source id a link to the source's entry,
whose anchor the figures' tables link to as well.

These pages are read after the notebooks that load their datasets: a dataset page shows the figure its
chapter's notebook output in this build; a chart no notebook draws in this build (a dataset page read on its own) is drawn
meanwhile in one other process, so the build does not draw charts in its own.
"""

from __future__ import annotations

import ast
import html
import json
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import datasets
from .._lazy import lazy_import
from ..datasets import QUALIFIERS
from .nodes import element, table
from .prerun import datasets_named

pd = lazy_import("pandas")  # loaded on first use


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
        return dataset_nodes(frame.attrs["provenance"], frame, _chart_drawn_elsewhere(self.env.app, name))


def _chart_drawn_elsewhere(app, name: str) -> str | None:
    """The chart as its chapter's notebook drew it in this build, else as the other process drew it; None if neither."""
    if name in getattr(app, "edition_chapter_figures", {}):
        return app.edition_chapter_figures[name]
    drawing = getattr(app, "edition_dataset_charts", None)
    return drawing.markup(name) if drawing else None


_FIGURE = re.compile(r'<figure class="edition-figure"[^>]*\bdata-dataset="([\w-]+)"')


def keep_chapter_figures(app, doctree) -> None:
    """The figures a notebook page outputs, by dataset: its dataset page shows the same figure (its links are
    absolute until the page is written, see sitelinks)."""
    for node in doctree.findall(nodes.raw):
        found = _FIGURE.match(node.astext().lstrip()) if "html" in node.get("format", "") else None
        if found:
            app.__dict__.setdefault("edition_chapter_figures", {})[found[1]] = node.astext()


# The other process: draws each named chart and prints [name, markup] as one JSON line as soon as it is drawn.
_WORKER = """import json, sys
from pathlib import Path
from edition.charts import dataset_page_chart
for name in sys.argv[2:]:
    try:
        print(json.dumps([name, dataset_page_chart(name, Path(sys.argv[1]))]), flush=True)
    except BrokenPipeError:  # the build stopped reading (it failed): nothing more to draw
        break
"""


class ChartsDrawnElsewhere:
    """The dataset pages' charts, drawn by a separate Python process (a plain subprocess: nothing of the build is re-run)."""

    def __init__(self, folder: Path, names: list[str]):
        self.process = subprocess.Popen([sys.executable, "-c", _WORKER, str(folder), *names], stdout=subprocess.PIPE, text=True)
        self.drawn: dict[str, str] = {}

    def markup(self, name: str) -> str | None:
        """The chart's markup ("" for a dataset without one), waiting for it if need be; None if the process
        stopped without it (then it is drawn here)."""
        while name not in self.drawn:
            line = self.process.stdout.readline()
            if not line:
                return None
            key, markup = json.loads(line)
            self.drawn[key] = markup
        return self.drawn.pop(name)

    def close(self) -> None:
        if self.process.poll() is None:  # pages that were not read after all
            self.process.kill()
        self.process.wait()
        self.process.stdout.close()


def start_dataset_charts(app, env, docnames: list[str]) -> None:
    """Read the dataset pages right after the last notebook that loads one of their datasets (the figures they show
    come from it), so they are read while the notebooks that load none (summary, explore) still run; a chart that
    no notebook to be read draws (a dataset page read on its own) is drawn meanwhile in one other process."""
    manifests = app.edition.manifests
    pages = {doc: Path(doc).name for doc in docnames if Path(doc).name in manifests and Path(doc).parent.name == "datasets"}
    order = [doc for doc in docnames if doc not in pages]
    drawn_by_notebooks, last_loader = set(), -1
    for i, doc in enumerate(order):
        path = Path(env.doc2path(doc)) if env is not None else None
        if path and path.suffix == ".md" and path.is_file():
            text = path.read_text(encoding="utf-8")
            named = {p.stem for p in datasets_named(app.edition, text)} if "```{code-cell}" in text else set()
            drawn_by_notebooks |= named
            last_loader = i if named & set(pages.values()) else last_loader
    at = last_loader + 1 if last_loader >= 0 else len(order)  # no loader to be read: last, the chart process has time
    docnames[:] = order[:at] + list(pages) + order[at:]
    elsewhere = [name for name in pages.values() if name not in drawn_by_notebooks and name in charted()]
    if len(elsewhere) > 1:  # one chart: drawn as its page is read
        app.edition_dataset_charts = ChartsDrawnElsewhere(app.edition.datasets_folder, elsewhere)


def stop_dataset_charts(app, env) -> None:
    drawing = getattr(app, "edition_dataset_charts", None)
    if drawing is not None:
        drawing.close()
        app.edition_dataset_charts = None


@lru_cache(maxsize=1)
def charted() -> frozenset[str]:
    """The datasets that have a chart: the keys of `charts.CHARTS`, read from charts.py without importing it.
    Importing it loads matplotlib (half a second), which a page whose dataset has no chart does not need."""
    tree = ast.parse((Path(__file__).resolve().parent.parent / "charts.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["CHARTS"] and isinstance(node.value, ast.Dict):
            return frozenset(ast.literal_eval(key) for key in node.value.keys)
    raise RuntimeError("src/edition/charts.py: CHARTS is no longer a dict literal with string keys; update datapage.charted()")


def _chart_here(name: str, frame) -> str:
    """The chart drawn in this process ("" if the dataset has none). Imported here, not at the top: a build
    that draws no chart itself (the other process does) never loads matplotlib."""
    if name not in charted():
        return ""
    from .. import charts

    return charts.CHARTS[name](datasets.current_rows(frame)).markup


def dataset_nodes(prov, frame, chart_markup: str | None = None) -> list[nodes.Node]:
    out: list[nodes.Node] = [nodes.paragraph(text=prov.description)]
    if chart_markup is None:
        chart_markup = _chart_here(prov.name, frame)
    if chart_markup:  # the chart of the current rows, as its chapter draws it; its links made relative by sitelinks
        out.append(nodes.raw("", chart_markup, format="html"))
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
        sources += nodes.list_item("", para, ids=[datasets.source_anchor(src["id"])] if src.get("id") else [])
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


def _cell(col, value, qualifier_columns: set[str]) -> str:
    """One cell of the record, as escaped HTML."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if col.type == "boolean":
        return "yes" if bool(value) else "no"
    if col.type in ("integer", "number"):
        return _text(str(int(value)) if col.key else datasets.number(float(value)))
    if col.name in qualifier_columns:
        return _text(qualifier_words(value))
    if col.name == "source_id":
        ids = [s.strip() for s in str(value).split(";") if s.strip()]
        return "<span>" + ", ".join(f'<a class="reference external" href="#{html.escape(datasets.source_anchor(sid))}">{_text(sid)}</a>' for sid in ids) + "</span>"
    return _text(str(value))


def _text(value: str) -> str:
    return value.translate(_ESCAPES)


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;", ">": "&gt;", "@": "&#64;"})  # as docutils writes text


def _record_table(prov, frame) -> nodes.Node:
    """Every row of the record. Written as one block of HTML: a page of thousands of cells read, transformed
    and written as docutils nodes is most of a build's work on dataset pages, for the same table."""
    qualifier_columns = {c.qualifier for c in prov.columns if c.qualifier}
    head = "".join(f'<th class="head"><p>{_text(name)}</p></th>' for name in ["Line", *[c.name for c in prov.columns]])
    rows = "".join(  # rows marked as Sphinx marks them, so the theme stripes them alike
        f'<tr class="row-{"odd" if n % 2 else "even"}">' + f"<td><p>{int(i) + 2}</p></td>"
        + "".join(f"<td><p>{_cell(c, row[c.name], qualifier_columns)}</p></td>" for c in prov.columns) + "</tr>"
        for n, (i, row) in enumerate(frame.iterrows()))
    label = html.escape(f"All rows of {prov.name}", quote=True)
    return nodes.raw("", f'<div class="dataset-scroll" tabindex="0" role="region" aria-label="{label}">'
                         f'<table class="dataset-record table"><thead><tr class="row-odd">{head}</tr></thead><tbody>{rows}</tbody></table></div>',
                     format="html")


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
    app.connect("env-before-read-docs", start_dataset_charts, priority=600)  # after the notebooks are moved last
    app.connect("doctree-read", keep_chapter_figures)
    app.connect("env-updated", stop_dataset_charts)
