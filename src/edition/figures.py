"""The house figure style, and `chart()`: one HTML <figure> per chart.

Each figure holds the chart drawn twice as inline SVG (a desktop rendering and one laid
out for phones; the stylesheet shows one), a caption, and a table of exactly the values
drawn, generated from the same rows: each value worded by its qualifier, its date at its
precision and a link to its source on the dataset page. Beside it: the CSV, the dataset
page and a permalink. Text stays SVG text; ink and gridlines follow the page's theme.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from typing import Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .datasets import source_anchor  # noqa: E402
from .paths import site_url  # noqa: E402

# Okabe-Ito (with grey for its black): distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]  # grey for black: legible on dark
# Stand-in colours, replaced in the SVG by the page's own: ink (text, axes) and gridlines follow the theme,
# and a hollow marker is filled with the page's background.
INK, GRID, PAPER = "#010203", "#040506", "#fefdfc"
STYLE = {
    "figure.facecolor": "none",  # transparent: no white card in dark mode
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "text.color": INK, "axes.labelcolor": INK, "axes.edgecolor": INK, "xtick.color": INK, "ytick.color": INK,
    "legend.labelcolor": INK,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,  # gridlines behind bars and points
    "grid.color": GRID,
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "figure.figsize": (7.2, 3.6),
    "figure.constrained_layout.use": True,
    "svg.fonttype": "none",  # text stays text: lighter files, searchable labels
    "svg.hashsalt": "edition",  # stable ids, so re-runs produce identical output
}
plt.rcParams.update(STYLE)


# How each kind of figure is drawn: matplotlib's own markers, arrows (errorbar limits) and legend.
COMPUTED = "computed by the editors (hollow)"
PARTIAL = "partial year (square)"
ABOUT = "about, or rounded (diamond)"
LOWER, UPPER = "lower bound: at least (arrow up)", "upper bound: at most (arrow down)"


def plot_qualified(ax, x, y, quals, colour, label: str = "", size: float = 36, line: bool = False, keys=None, horizontal: bool = False) -> None:
    """Plot points so that each shows what kind of figure it is.

    Exact, rounded and approximate figures are filled dots; figures the editors computed
    are hollow; approximate and rounded ones are diamonds; partial-year figures are squares;
    bounds carry an arrow pointing to where the true value lies. keys: each point's table row.
    horizontal: the values are on the x axis (x holds the values, y the positions). Retracted and superseded figures must be removed beforehand
    (edition.datasets.current).
    """
    x, y, quals = list(x), list(y), list(quals)
    if horizontal:
        x = [float(v) for v in x]
    else:
        y = [float(v) for v in y]
    keys = list(keys) if keys is not None else [None] * len(x)
    if any(q.withdrawn for q in quals):
        raise ValueError("a retracted or superseded figure cannot be plotted as current; filter with edition.datasets.current()")
    if line:
        ax.plot(x, y, color=colour, linewidth=1.2, label=label)
    elif label:  # the series' legend entry: a plain dot in its colour (the points' shapes say what kind of figure each is)
        ax.scatter([], [], s=size, marker="o", color=colour, label=label)
    label = ""
    for xi, yi, q, key in zip(x, y, quals, keys):
        hollow, square, about = "derived" in q.kinds, "partial_year" in q.kinds, bool(q.kinds & {"approximate", "rounded"})
        dots = ax.scatter([xi], [yi], s=size, marker="s" if square else "D" if about else "o", facecolors=PAPER if hollow else colour,
                          edgecolors=colour, linewidths=1.5, zorder=3, label=label)
        tag(dots, key)
        label = ""
        if q.kinds & {"lower_bound", "upper_bound"} and horizontal:
            ax.errorbar([xi], [yi], xerr=[[abs(xi) * 0.12 or 1]], xlolims="lower_bound" in q.kinds, xuplims="upper_bound" in q.kinds,
                        fmt="none", ecolor=colour, elinewidth=1.2, capsize=3, zorder=2)
        elif q.kinds & {"lower_bound", "upper_bound"}:
            ax.errorbar([xi], [yi], yerr=[[abs(yi) * 0.12 or 1]], lolims="lower_bound" in q.kinds, uplims="upper_bound" in q.kinds,
                        fmt="none", ecolor=colour, elinewidth=1.2, capsize=3, zorder=2)


def qualifier_legend(ax, quals, horizontal: bool = False, below: bool = False, **kwargs) -> None:
    """Add legend entries for the kinds of figure that occur (only those), after the series' own.

    horizontal: the values run along the x axis, so bounds point right or left. below: the legend goes under
    the chart (outside the plotting area, so it never covers a value).
    """
    from matplotlib.lines import Line2D

    kinds = set().union(*[q.kinds for q in quals]) if len(quals) else set()
    handles, labels = ax.get_legend_handles_labels()
    extra = [
        ("approximate", Line2D([], [], marker="D", linestyle="none", color="#555555"), ABOUT),
        ("rounded", Line2D([], [], marker="D", linestyle="none", color="#555555"), ABOUT),
        ("derived", Line2D([], [], marker="o", linestyle="none", markerfacecolor=PAPER, markeredgecolor="#555555"), COMPUTED),
        ("partial_year", Line2D([], [], marker="s", linestyle="none", color="#555555"), PARTIAL),
        ("lower_bound", Line2D([], [], marker=">" if horizontal else "^", linestyle="none", color="#555555"), LOWER.replace("up", "right") if horizontal else LOWER),
        ("upper_bound", Line2D([], [], marker="<" if horizontal else "v", linestyle="none", color="#555555"), UPPER.replace("down", "left") if horizontal else UPPER),
    ]
    for kind, handle, text in extra:
        if kind in kinds and text not in labels:
            handles.append(handle)
            labels.append(text)
    if not handles:
        return
    if below:
        ax.figure.legend(handles, labels, frameon=False, loc="outside lower left", **kwargs)
    else:
        ax.legend(handles, labels, frameon=False, **kwargs)


def qualified_words(labels, values, quals, unit: str = "", scale: float = 1) -> str:
    """'2017: less than 2.5 billion dollars; 2018: more than 5 billion dollars' from the rows, for alt text and captions."""
    from .datasets import describe

    return "; ".join(f"{lab}: {describe(float(v) / scale, q, unit)}" for lab, v, q in zip(labels, values, quals))


def kinds_sentence(quals) -> str:
    """A caption sentence naming the kinds of figure a chart mixes, generated from its rows."""
    kinds = set().union(*[q.kinds for q in quals]) if len(quals) else set()
    said = [text for kind, text in (("derived", "hollow points were computed by the editors from the sources' figures"),
                                    ("lower_bound", "an arrow up marks a lower bound (the source says 'more than')"),
                                    ("upper_bound", "an arrow down marks an upper bound (the source says 'less than')"),
                                    ("partial_year", "squares cover part of a year only"),
                                    ("approximate", "diamonds are approximate or rounded"), ("rounded", "diamonds are approximate or rounded")) if kind in kinds]
    said = list(dict.fromkeys(said))
    return ("Marks: " + "; ".join(said) + ".") if said else "Every value is plotted as its source states it."


def tag(artist, key) -> None:
    """Mark an artist as drawing table row `key`; the SVG carries it as data-row, so a check can match chart and table."""
    if key is not None:
        artist.set_gid(f"row-{key}")


def tag_bars(bars, keys, quals=None) -> None:
    """Tag each bar with its table row; hatch the bars whose figure is approximate or rounded, so they do not look exact."""
    quals = list(quals) if quals is not None else [None] * len(bars)
    for bar, key, q in zip(bars, keys, quals):
        tag(bar, key)
        if q is not None and q.kinds & {"approximate", "rounded"}:
            bar.set_hatch("///")
            bar.set_edgecolor(PAPER)


class FigureHTML:
    """Rich output: HTML for the book and Jupyter, plain text elsewhere."""

    def __init__(self, markup: str, text: str):
        self.markup, self.text = markup, text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text


# The two renderings: figure width in inches and base font size in points. The SVG's viewBox is in points,
# so text is drawn at (size x rendered width / viewBox width) CSS px: a 7.2 in figure in a column of about
# 700 px draws 11 pt as 14 px; the phone rendering is narrow enough to be drawn at about its own size.
WIDE = {"width": 7.2, "font": 11}
NARROW = {"width": 4.0, "font": 9.5}


def rendering_rc(narrow: bool) -> dict:
    font = (NARROW if narrow else WIDE)["font"]
    return {"font.size": font, "axes.titlesize": font, "axes.labelsize": font, "xtick.labelsize": font,
            "ytick.labelsize": font, "legend.fontsize": font}


@dataclass
class Row:
    """One value a chart draws, as its table states it."""

    what: str
    value: str  # worded by its qualifier: 'about 24,000', 'more than 1,961 (Ukrainian count)'
    date: str  # as precise as the source: '2008', 'September 2024', '20 March 2008'
    sources: str  # source ids, joined by ';'


def rows_frame(what, value, date, sources) -> list[Row]:
    return [Row(str(w), str(v), str(d), str(s)) for w, v, d, s in zip(what, value, date, sources)]


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def date_words(text) -> str:
    """A date at its precision: '2008', 'September 2024', '20 March 2008'; a span 'A to B' word by word."""
    text = "" if text is None or (isinstance(text, float) and text != text) else str(text)
    if " to " in text:
        return " to ".join(date_words(t) for t in text.split(" to "))
    parts = text.split("-")
    if len(parts) == 2 and parts[1].isdigit():
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 3 and parts[2][:2].isdigit():
        return f"{int(parts[2][:2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return text or "\u2014"


DATASET_PAGES = "book/datasets/"  # where the dataset pages and their CSVs are on the website


def site_link(path: str) -> str:
    """The absolute address of a file of the website (path: from the site's root), escaped for an href, so that a
    link under a figure resolves wherever the figure is shown: in JupyterLab on Binder, in Colab, in a downloaded
    notebook. The book's build turns links to its own address back into page-relative ones (sphinxext.sitelinks)."""
    return html.escape(site_url() + path)  # as an attribute value


def chart(frame: pd.DataFrame, key: str, draw: Callable, rows: list[Row], caption: str, alt: str,
          height: float = 3.6, narrow_height: float | None = None, notes=(), noun: str = "values", value_header: str = "Value") -> FigureHTML:
    """Draw `draw(fig, narrow)` twice (desktop and phone) and return the figure with its table of `rows`.

    `draw` must tag each mark with the index of its row in `rows` (plot_qualified(keys=...), tag, tag_bars),
    so a check can prove that the table holds exactly the values drawn. `notes`, plain-text paragraphs
    (qualifier notes, method), go in the folded part under the table.
    """
    if not alt or not caption:
        raise ValueError("every figure needs a caption and alt text (what the chart shows, in words)")
    prov = frame.attrs.get("provenance")
    if prov is None:
        raise ValueError("plot data loaded with edition.datasets.load(), so the figure can say where its numbers come from")
    e = html.escape
    page = site_link(f"{DATASET_PAGES}{prov.name}.html")
    sources = [", ".join(f'<a href="{page}#{source_anchor(s)}">{e(s.strip())}</a>' for s in r.sources.split(";") if s.strip()) for r in rows]
    folded = (''.join(f'<p class="figure-note">{e(n)}</p>' for n in notes) + f'<p class="figure-source">{e(prov.source_line)}</p>'
              f'<p class="figure-cite">Cite: {e(prov.citation)}</p>')
    links = (f'<a href="{site_link(DATASET_PAGES + prov.name + ".csv")}" download>Download CSV</a> \u00b7 <a href="{page}">Dataset page</a>')
    return figure(key, draw, rows, sources, caption, alt, folded, links, height, narrow_height, prov.name, noun, value_header)


def figure(key: str, draw: Callable, rows: list[Row], sources: list[str], caption: str, alt: str, folded: str, links: str,
           height: float, narrow_height: float | None, dataset: str = "", noun: str = "values", value_header: str = "Value") -> FigureHTML:
    """The <figure>: both renderings, the caption, the table (sources: each row's links, as HTML) and the links."""
    e = html.escape
    fid = f"fig-{key}"
    svgs = []
    for narrow in (False, True):
        width = (NARROW if narrow else WIDE)["width"]
        with plt.rc_context({**rendering_rc(narrow), "svg.hashsalt": f"{key}-{narrow}"}):
            fig = plt.figure(figsize=(width, (narrow_height or height * 1.25) if narrow else height))
            draw(fig, narrow)
            svgs.append(_svg(fig, alt, "chart-narrow" if narrow else "chart-wide"))
    body = "".join(f'<tr data-row="{i}"><td>{e(r.what)}</td><td>{e(r.value)}</td><td>{e(r.date)}</td><td>{links_}</td></tr>'
                   for i, (r, links_) in enumerate(zip(rows, sources)))
    table = (f'<table class="figure-table"><thead><tr><th>What</th><th>{e(value_header)}</th><th>Date</th><th>Source</th></tr></thead>'
             f"<tbody>{body}</tbody></table>")
    n = len(rows)
    attr = f' data-dataset="{e(dataset)}"' if dataset else ""
    markup = (
        f'<figure class="edition-figure" id="{fid}"{attr}><div class="figure-chart">{svgs[0]}{svgs[1]}</div>'
        f'<figcaption><p class="figure-caption">{e(caption)}</p>'
        f'<details class="figure-data"{" open" if n <= 6 else ""}><summary>The {n} {noun if n != 1 else noun.rstrip("s")} drawn, and their sources</summary>'
        f"{table}{folded}</details>"
        f'<p class="figure-links">{links} \u00b7 <a href="#{fid}" class="figure-permalink">Link to this figure</a></p></figcaption></figure>'
    )
    return FigureHTML(markup, f"[Figure: {caption}]")


def _svg(fig, alt: str, cls: str) -> str:
    """The figure as inline SVG: no prolog or metadata, theme colours, row tags as data-row, coordinates to 0.1 pt."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'<style type="text/css">.*?</style>', "", svg, flags=re.S)  # a '*' rule that would reach the whole page
    # The phone rendering is hidden until the stylesheet shows it in a narrow column (so a notebook shows one chart).
    hidden = ' style="display:none"' if "chart-narrow" in cls else ""
    svg = re.sub(r"<svg [^>]*?(viewBox=\"[^\"]+\")[^>]*>", lambda m: f'<svg xmlns="http://www.w3.org/2000/svg" {m.group(1)} class="{cls}" role="img" aria-label="{html.escape(alt)}"{hidden}>', svg, count=1)
    svg = re.sub(r"\s*\n\s*", " ", svg)
    svg = re.sub(r">\s+<", "><", svg)
    svg = re.sub(r" ?font-family: [^;\"]*;?", "", svg)  # the stylesheet names the font (DejaVu Sans, as measured)
    svg = re.sub(r' transform="rotate\(-0 [^)]*\)"', "", svg)
    # A label of several lines is several <text> elements: keep them together, as one label.
    svg = re.sub(r'<g id="text_\d+">((?:(?!</g>).)*)</g>', lambda m: ('<g class="label">' if m.group(1).count("<text") > 1 else "<g>") + m.group(1) + "</g>", svg, flags=re.S)
    svg = re.sub(r'<g id="(?!row-)[^"]*"', "<g", svg)  # matplotlib's structural ids: unused, and repeated across figures
    svg = re.sub(r'<path d="[^"]*" style="fill: none"/>', "", svg)  # transparent backgrounds
    svg = re.sub(r' d="([^"]*)"', lambda m: ' d="' + m.group(1).strip() + '"', svg)
    svg = _bare_groups(svg.replace("<defs></defs>", "").replace("xlink:href=", "href="))
    svg = re.sub(r'id="row-(\d+)"', r'data-row="\1"', svg)
    svg = re.sub(r"<[^>]+>", lambda m: re.sub(r"(\d\.\d)\d+", r"\1", m.group(0)), svg)
    colours = {INK: "currentColor", GRID: "var(--edition-figure-grid)", PAPER: "var(--edition-figure-paper)",
               **{stand_in: f"var(--ed-{v.replace(' ', '-')})" for v, stand_in in VERDICT_STAND_INS.items()}}
    for stand_in, colour in colours.items():
        svg = svg.replace(stand_in, colour)
    return svg


def _bare_groups(svg: str) -> str:
    """Drop the <g> elements that carry no attribute (they group nothing a reader or a style sees), keeping their content."""
    out, stack, last = [], [], 0
    for m in re.finditer(r"<g>|<g [^>]*>|</g>", svg):
        out.append(svg[last:m.start()])
        last = m.end()
        tag_ = m.group(0)
        if tag_ == "</g>":
            if stack.pop():
                out.append(tag_)
        else:
            stack.append(tag_ != "<g>")
            if tag_ != "<g>":
                out.append(tag_)
    out.append(svg[last:])
    return "".join(out)


def show(fig, frames, caption: str, alt: str) -> FigureHTML:
    """A chart drawn by hand in a notebook, as one rendering with its caption and where its numbers come from.

    The book's charts use `chart()` (in edition.charts), which adds the phone rendering and the table of values.
    """
    frames = frames if isinstance(frames, list) else [frames]
    if not alt or not caption:
        raise ValueError("every figure needs a caption and alt text (what the chart shows, in words)")
    if any(f.attrs.get("provenance") is None for f in frames):
        raise ValueError("plot data loaded with edition.datasets.load(), so the figure can say where its numbers come from")
    e = html.escape
    footer = "".join(
        f'<p class="figure-source">{e(p.source_line)} <a href="{site_link(DATASET_PAGES + p.name + ".html")}">Dataset page</a> \u00b7 '
        f'<a href="{site_link(DATASET_PAGES + p.name + ".csv")}" download>Download CSV</a></p>'
        f'<p class="figure-load">Load it: <code>{e(p.load_snippet)}</code></p><p class="figure-cite">Cite: {e(p.citation)}</p>'
        for p in (f.attrs["provenance"] for f in frames))
    svg = _svg(fig, alt, "chart-wide chart-only")
    return FigureHTML(f'<figure class="edition-figure"><div class="figure-chart">{svg}</div><figcaption><p class="figure-caption">{e(caption)}</p>'
                      f"{footer}</figcaption></figure>", f"[Figure: {caption}]")


# The verdicts' signs, as the badges show them (the same as sphinxext.render.GLYPHS), and stand-in colours
# that the SVG turns into the theme's verdict colours.
SIGNS = {"inaccurate": "\u2717", "misleading": "!", "disputed": "\u00b1", "unsupported": "?",
         "mostly accurate": "\u2248", "accurate": "\u2713", "opinion": "op"}
VERDICT_STAND_INS = {v: f"#0{i + 1}0{i + 1}0{i + 1}" for i, v in enumerate(SIGNS)}


def verdict_chart(annotations) -> FigureHTML:
    """Bar chart of how many annotations carry each verdict (and the opinion label), in the verdicts' colours and signs."""
    from matplotlib.ticker import MaxNLocator

    from .annotations import VERDICTS, verdict_label

    scale = [*VERDICTS, "opinion"]
    counts = pd.Series([a.verdict for a in annotations]).value_counts().reindex(scale, fill_value=0)
    labels = [f"{SIGNS[v]} {verdict_label(v)}" for v in scale]

    def draw(fig, narrow):
        ax = fig.subplots()
        order = list(range(len(scale)))[::-1]
        bars = ax.barh([labels[i] for i in order], [counts.iloc[i] for i in order], color=[VERDICT_STAND_INS[scale[i]] for i in order])
        tag_bars(bars, order)
        ax.bar_label(bars, padding=3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0, counts.max() * 1.15 + 1)
        ax.set_xlabel("Number of annotations")
        ax.grid(axis="y", visible=False)

    rows = [Row(verdict_label(v), str(n), "", "") for v, n in counts.items()]
    sources = [f'<a href="{site_link("book/claims.html")}#verdict-{v.replace(" ", "-")}">Claims index</a>' if n else "\u2014" for v, n in counts.items()]
    rated = counts.drop("opinion")
    top = [v for v in rated.index if rated[v] == rated.max()]
    caption = (f"How the {len(annotations)} annotations judge the article's statements: {rated.sum()} carry a verdict, most often "
               + " and ".join(f"\u201c{verdict_label(v).lower()}\u201d" for v in top) + f" ({rated.max()}{' each' if len(top) > 1 else ''}); "
               f"{counts['opinion']} label a statement as the author's opinion.")
    alt = "Horizontal bar chart of annotations by verdict: " + ", ".join(f"{v} {n}" for v, n in counts.items()) + "."
    folded = f'<p class="figure-source">Source: the edition\'s {len(annotations)} annotations (data/annotations/ in the repository).</p>'
    return figure("verdicts", draw, rows, sources, caption, alt, folded, f'<a href="{site_link("book/claims.html")}">Claims index</a>', 3.4, 3.8, noun="verdicts")


def show_table(annotations, verdicts: list[str]) -> FigureHTML:
    """A table of the annotations with the given verdicts: quote, verdict, summary."""
    e = html.escape
    rows = [a for a in annotations if a.verdict in verdicts]
    if not rows:
        return FigureHTML("<p>None.</p>", "None.")
    body = "".join(
        f'<tr><td>\u201c{e(a.exact)}\u201d</td><td><span class="verdict-badge verdict-{e(a.verdict.replace(" ", "-"))}">{e(a.label)}</span></td>'
        f'<td>{e(a.summary)} <a href="{site_link("book/claims.html")}#verdict-{e(a.verdict.replace(" ", "-"))}">In the claims index</a></td></tr>'
        for a in rows
    )
    table = f'<table class="table summary-table"><thead><tr><th>The article\'s words</th><th>Verdict</th><th>What the evidence shows</th></tr></thead><tbody>{body}</tbody></table>'
    return FigureHTML(table, "\n".join(f"- {a.exact} [{a.verdict}]" for a in rows))
