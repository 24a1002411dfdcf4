"""The house figure style, and `show()`: a figure with its caption, alt text and provenance.

Every figure is emitted as one HTML <figure>: an SVG image with alt text, a caption,
and a generated footer (source line, CSV download, one-line load snippet, citation),
so the same output reads well in the built book and in Jupyter.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

# Okabe-Ito: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
STYLE = {
    "figure.facecolor": "white",  # opaque, so figures stay legible in dark mode
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "figure.figsize": (7.2, 3.6),
    "svg.fonttype": "none",  # text stays text: lighter files, searchable labels
    "svg.hashsalt": "edition",  # stable ids, so re-runs produce identical output
}
plt.rcParams.update(STYLE)


# How each kind of figure is drawn: matplotlib's own markers, arrows (errorbar limits) and legend.
COMPUTED = "computed by the editors (hollow)"
PARTIAL = "partial year (square)"
LOWER, UPPER = "lower bound: at least (arrow up)", "upper bound: at most (arrow down)"


def plot_qualified(ax, x, y, quals, colour, label: str = "", size: float = 36, line: bool = False) -> None:
    """Plot points so that each shows what kind of figure it is.

    Exact, rounded and approximate figures are filled dots; figures the editors computed
    are hollow; partial-year figures are squares; bounds carry an arrow pointing to where
    the true value lies. Retracted and superseded figures must be removed beforehand
    (edition.datasets.current).
    """
    x, y, quals = list(x), [float(v) for v in y], list(quals)
    if any(q.withdrawn for q in quals):
        raise ValueError("a retracted or superseded figure cannot be plotted as current; filter with edition.datasets.current()")
    if line:
        ax.plot(x, y, color=colour, linewidth=1.2, label=label)
        label = ""
    for xi, yi, q in zip(x, y, quals):
        hollow, square = "derived" in q.kinds, "partial_year" in q.kinds
        ax.scatter([xi], [yi], s=size, marker="s" if square else "o", facecolors="white" if hollow else colour,
                   edgecolors=colour, linewidths=1.5, zorder=3, label=label)
        label = ""
        if q.kinds & {"lower_bound", "upper_bound"}:
            ax.errorbar([xi], [yi], yerr=[[abs(yi) * 0.12 or 1]], lolims="lower_bound" in q.kinds, uplims="upper_bound" in q.kinds,
                        fmt="none", ecolor=colour, elinewidth=1.2, capsize=3, zorder=2)


def qualifier_legend(ax, quals, **kwargs) -> None:
    """Add legend entries for the kinds of figure that occur (only those), after the series' own."""
    from matplotlib.lines import Line2D

    kinds = set().union(*[q.kinds for q in quals]) if len(quals) else set()
    handles, labels = ax.get_legend_handles_labels()
    extra = [
        ("derived", Line2D([], [], marker="o", linestyle="none", markerfacecolor="white", markeredgecolor="#555555"), COMPUTED),
        ("partial_year", Line2D([], [], marker="s", linestyle="none", color="#555555"), PARTIAL),
        ("lower_bound", Line2D([], [], marker="^", linestyle="none", color="#555555"), LOWER),
        ("upper_bound", Line2D([], [], marker="v", linestyle="none", color="#555555"), UPPER),
    ]
    for kind, handle, text in extra:
        if kind in kinds:
            handles.append(handle)
            labels.append(text)
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
                                    ("partial_year", "squares cover part of a year only")) if kind in kinds]
    return ("Marks: " + "; ".join(said) + ".") if said else "Every value is plotted as its source states it."


class FigureHTML:
    """Rich output: HTML for the book and Jupyter, plain text elsewhere."""

    def __init__(self, markup: str, text: str):
        self.markup, self.text = markup, text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text


def show(fig, frames: pd.DataFrame | list[pd.DataFrame], caption: str, alt: str) -> FigureHTML:
    """Close fig and return it as a captioned figure whose footer says where its numbers come from."""
    if not alt or not caption:
        raise ValueError("every figure needs a caption and alt text (what the chart shows, in words)")
    frames = frames if isinstance(frames, list) else [frames]
    provs = [f.attrs.get("provenance") for f in frames]
    if any(p is None for p in provs):
        raise ValueError("plot data loaded with edition.datasets.load(), so the figure can say where its numbers come from")
    return _figure(fig, caption, alt, "".join(_footer(p) for p in provs))


def _figure(fig, caption: str, alt: str, footer: str) -> FigureHTML:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    # decoding="async": a chart in the first screen is drawn after the text, instead of holding back the first paint.
    markup = (
        f'<figure class="edition-figure"><img src="data:image/svg+xml;base64,{svg}" alt="{html.escape(alt)}" width="100%" decoding="async" loading="lazy">'
        f"<figcaption><p class=\"figure-caption\">{html.escape(caption)}</p>{footer}</figcaption></figure>"
    )
    return FigureHTML(markup, f"[Figure: {caption}]")


def _footer(prov) -> str:
    e = html.escape
    page = f"datasets/{prov.name}.html"
    return (
        f'<p class="figure-source">{e(prov.source_line)} '
        f'<a href="{page}">About this dataset</a> \u00b7 <a href="datasets/{prov.name}.csv" download>Download CSV</a></p>'
        f'<p class="figure-load">Load it: <code>{e(prov.load_snippet)}</code></p>'
        f'<p class="figure-cite">Cite: {e(prov.citation)}</p>'
    )


def verdict_chart(annotations) -> FigureHTML:
    """Bar chart of how many annotations carry each verdict (and the opinion label)."""
    from .annotations import VERDICTS

    scale = [*VERDICTS, "opinion"]
    counts = pd.Series([a.verdict for a in annotations]).value_counts().reindex(scale, fill_value=0)
    fig, ax = plt.subplots(figsize=(7.2, 3.2))
    ax.barh(counts.index[::-1], counts.values[::-1], color=PALETTE[0])
    for y, value in enumerate(counts.values[::-1]):
        ax.text(value + 0.2, y, str(value), va="center")
    ax.set_xlabel("Number of annotations")
    ax.set_title("Verdicts on the article's statements")
    ax.grid(axis="y", visible=False)
    alt = "Horizontal bar chart of annotations by verdict: " + ", ".join(f"{v} {n}" for v, n in counts.items()) + "."
    footer = f'<p class="figure-source">Source: the edition\'s {len(annotations)} annotations (data/annotations/ in the repository). <a href="claims.html">Claims index</a></p>'
    return _figure(fig, "How the article's statements fare against the record", alt, footer)


def show_table(annotations, verdicts: list[str]) -> FigureHTML:
    """A table of the annotations with the given verdicts: quote, verdict, summary."""
    e = html.escape
    rows = [a for a in annotations if a.verdict in verdicts]
    if not rows:
        return FigureHTML("<p>None.</p>", "None.")
    body = "".join(
        f'<tr><td>\u201c{e(a.exact)}\u201d</td><td><span class="verdict-badge verdict-{e(a.verdict.replace(" ", "-"))}">{e(a.label)}</span></td>'
        f'<td>{e(a.summary)} <a href="claims.html#verdict-{e(a.verdict.replace(" ", "-"))}">In the claims index</a></td></tr>'
        for a in rows
    )
    table = f'<table class="table summary-table"><thead><tr><th>The article\'s words</th><th>Verdict</th><th>What the evidence shows</th></tr></thead><tbody>{body}</tbody></table>'
    return FigureHTML(table, "\n".join(f"- {a.exact} [{a.verdict}]" for a in rows))
