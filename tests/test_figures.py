"""Figures: each chart's table holds exactly the rows it draws, with a source link per row; superseded
rows never reach a chart; dataset pages show the chart and the whole record; no DataFrame HTML in chapters."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from edition import charts, datasets, figures, paths
from edition.datasets import load, load_record

CHAPTER_FIGURES = {  # chapter page -> the datasets it charts
    "book/01-from-1947-to-putin.html": ["unga_181_roll_call"],
    "book/02-migration-politics-visas.html": ["aliyah_by_year", "yisrael_beiteinu_elections", "russia_visa_free"],
    "book/03-we-support-israel.html": ["events_timeline"],
    "book/04-economic-technological-military-ties.html": ["israel_crude_imports", "russia_israel_trade", "israel_russia_uav_deals"],
    "book/05-putins-reasons.html": ["iran_drones_to_russia"],
}


def test_every_chart_is_in_a_chapter():
    assert sorted(d for ds in CHAPTER_FIGURES.values() for d in ds) == sorted(charts.CHARTS)


def test_dates_are_worded_at_their_precision():
    assert figures.date_words("2008") == "2008"
    assert figures.date_words("2024-09") == "September 2024"
    assert figures.date_words("2008-03-20") == "20 March 2008"
    assert figures.date_words("2012-02 to 2012-06") == "February 2012 to June 2012"


def test_signs_are_the_badges_signs():
    from edition.sphinxext.render import GLYPHS

    assert figures.SIGNS == GLYPHS


def figure_parts(markup: str):
    soup = BeautifulSoup(markup, "html.parser")
    fig = soup.select_one("figure.edition-figure")
    drawn = [sorted({int(g["data-row"]) for g in svg.select("[data-row]")}) for svg in fig.select(".figure-chart svg")]
    table = [int(tr["data-row"]) for tr in fig.select("table.figure-table tbody tr")]
    return fig, drawn, table


@pytest.mark.parametrize("name", sorted(charts.CHARTS))
def test_chart_table_holds_exactly_the_rows_drawn(name):
    fig, drawn, table = figure_parts(charts.CHARTS[name](load(name)).markup)
    assert len(drawn) == 2, "a desktop and a phone rendering"
    assert table and drawn[0] == drawn[1] == table == list(range(len(table)))
    for tr in fig.select("table.figure-table tbody tr"):
        links = tr.select("td:last-child a[href]")
        assert links and all(a["href"].startswith(f"{paths.site_url()}book/datasets/{name}.html#source-") for a in links), tr
    caption = fig.select_one(".figure-caption").get_text()
    assert 1 <= len(re.findall(r"[.!?](\s|$)", caption)) <= 2, f"{name}: caption is not one or two sentences: {caption}"
    for svg in fig.select("svg"):
        assert not svg.select("style, script"), "no style rule that could reach the page, no script"
        assert "#ffffff" not in str(svg).lower() and "white" not in str(svg), f"{name}: a white card or white ink in the SVG"


def test_figure_text_is_escaped(monkeypatch):
    frame = load("events_timeline")
    frame = frame.assign(event=frame["event"].where(frame.index != frame.index[-1], "<script>alert(1)</script>"))
    markup = charts.events(frame).markup
    assert "<script>" not in markup and "&lt;script&gt;" in markup


def supersede(folder, name: str, line: int, value_column: str, new_value: str | None) -> str:
    """Apply CONTRIBUTING's correction procedure: a new row with the new figure (None: the same figure), the old one marked superseded."""
    path = folder / f"{name}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    prov = datasets.manifest(name, folder)
    qcol = next(c.qualifier for c in prov.columns if c.name == value_column)
    old = rows[line - 1]
    new = list(old)
    new[header.index(value_column)] = new_value if new_value is not None else old[header.index(value_column)]
    rows.append(new)
    old[header.index(qcol)] = f"superseded: line {len(rows)}"
    if prov.preference:  # a superseded row is never the preferred one
        old[header.index(prov.preference["column"])] = "false"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    datasets.rehash(name, folder)
    return old[header.index(value_column)]


# One charted row of each charted dataset: (CSV line, figure column, a new value no other row has).
SUPERSEDE = {
    "unga_181_roll_call": None,  # votes have no figure column: nothing to supersede
    "aliyah_by_year": (None, "value", "198765"),  # line found below: the preferred 1990 total
    "yisrael_beiteinu_elections": (3, "yb_seats", "9"),
    "russia_visa_free": None,  # dates, not figures
    "events_timeline": None,
    "israel_crude_imports": (None, "value", "47.7"),
    "russia_israel_trade": (None, "value_usd", "7700000000"),
    "israel_russia_uav_deals": (3, "quantity", "77"),  # line 3: the only quantity of 8
    "iran_drones_to_russia": (None, "value", "8888"),
}


def charted_line(name: str) -> int:
    """The CSV line of the first row the dataset's chart draws (found by drawing it)."""
    frame = load(name)
    markup = charts.CHARTS[name](frame).markup
    value_col = SUPERSEDE[name][1]
    words = BeautifulSoup(markup, "html.parser").select_one("table.figure-table tbody tr td:nth-child(2)").get_text()
    for i, v in frame[value_col].items():
        if pd.notna(v) and datasets.number(float(v) / (1e9 if value_col == "value_usd" else 1)) in words:
            return int(i) + 2
    raise AssertionError(f"{name}: no row matches the table's first value {words!r}")


def test_load_returns_current_rows_and_load_record_every_row(tmp_path):
    folder = tmp_path / "datasets"
    shutil.copytree(datasets.datasets_dir(), folder)
    before = len(load_record("yisrael_beiteinu_elections", folder))
    old = supersede(folder, "yisrael_beiteinu_elections", 3, "yb_seats", "9")
    record, current = load_record("yisrael_beiteinu_elections", folder), load("yisrael_beiteinu_elections", folder)
    assert len(record) == before + 1 and len(current) == before
    assert 1 not in current.index and record.loc[1, "yb_seats"] == int(old)  # line 3 is index 1


@pytest.mark.parametrize("name", [n for n, spec in SUPERSEDE.items() if spec])
def test_a_superseded_figure_is_replaced_in_chart_caption_and_table(tmp_path, name):
    """In the chart function: the new figure is drawn and tabled, the superseded one nowhere."""
    folder = tmp_path / "datasets"
    shutil.copytree(datasets.datasets_dir(), folder)
    _, column, new = SUPERSEDE[name]
    line = SUPERSEDE[name][0] or charted_line(name)
    old = supersede(folder, name, line, column, new)
    scale = 1e9 if column == "value_usd" else 1
    old_words, new_words = datasets.number(float(old) / scale), datasets.number(float(new) / scale)
    fig = BeautifulSoup(charts.CHARTS[name](load(name, folder)).markup, "html.parser")
    values = [td.get_text() for td in fig.select("table.figure-table tbody td:nth-child(2)")]
    text = fig.select_one(".figure-caption").get_text() + " " + " ".join(s["aria-label"] for s in fig.select("svg"))
    assert any(new_words in v for v in values), f"{name}: the new figure {new_words} is not in the table"
    unmarked = rf"(?<![\d,.]){re.escape(old_words)}(?![\d,])"
    assert not any(re.search(unmarked, v) for v in values), f"{name}: the superseded {old_words} is in the table"
    assert not re.search(unmarked, text), f"{name}: the superseded {old_words} is in the caption or alt text"
    _, drawn, table = figure_parts(str(fig))
    assert drawn[0] == drawn[1] == table


@pytest.mark.slow
def test_superseded_rows_never_reach_a_figure_in_a_real_build(repo_copy, built_site):
    """Supersede one charted row of every charted dataset by a corrected row (same figure, so the evidence
    checks still hold), build the book, and check that every figure draws and tables each value once."""
    import shutil

    from conftest import build_book

    # Start from the session build's execution cache: only the notebooks that load a changed dataset run.
    shutil.copytree(built_site.parent / ".jupyter_cache", repo_copy / "_build" / ".jupyter_cache")

    folder = repo_copy / "data" / "datasets"
    expected = {name: len(figure_parts(charts.CHARTS[name](load(name)).markup)[2]) for name in charts.CHARTS}
    changed = set()
    for name, spec in SUPERSEDE.items():
        if spec:
            supersede(folder, name, spec[0] or charted_line(name), spec[1], None)
            changed.add(name)
    result = build_book(repo_copy, repo_copy)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = repo_copy / "_build" / "html"
    seen = set()
    for rel in CHAPTER_FIGURES:
        soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")
        for fig in soup.select("figure.edition-figure[data-dataset]"):
            name = fig["data-dataset"]
            seen.add(name)
            _, drawn, table = figure_parts(str(fig))
            assert drawn[0] == drawn[1] == table
            assert len(table) == expected[name], f"{name}: {len(table)} values drawn where the current rows give {expected[name]}"
            caption = fig.select_one(".figure-caption").get_text()
            assert caption == BeautifulSoup(charts.CHARTS[name](load(name)).markup, "html.parser").select_one(".figure-caption").get_text(), name
    assert seen == set(charts.CHARTS) and changed <= seen
    page = (site / "book" / "datasets" / "yisrael_beiteinu_elections.html").read_text(encoding="utf-8")
    assert "Figures kept for the record" in page and "superseded: the current figure is on line" in page


def test_built_figures_link_to_sources_that_exist(built_site):
    checked = 0
    for rel, names in CHAPTER_FIGURES.items():
        soup = BeautifulSoup((built_site / rel).read_text(encoding="utf-8"), "html.parser")
        assert not soup.select("table.dataframe"), f"{rel}: DataFrame HTML in a chapter"
        figs = soup.select("figure.edition-figure[data-dataset]")
        assert [f["data-dataset"] for f in figs] == names
        for fig in figs:
            _, drawn, table = figure_parts(str(fig))
            assert drawn[0] == drawn[1] == table and table
            assert fig.select_one(f'a[href="#{fig["id"]}"]') and fig.select_one("a[download]")
            for a in fig.select("table.figure-table a[href]"):
                page, anchor = a["href"].split("#")
                target = BeautifulSoup((built_site / "book" / page).read_text(encoding="utf-8"), "html.parser")
                assert target.find(id=anchor), f"{rel}: {a['href']} has no target"
                checked += 1
    assert checked
    for path in [*(built_site / "book").glob("0*.html"), built_site / "book" / "summary.html"]:  # every chapter
        assert "dataframe" not in path.read_text(encoding="utf-8"), f"{path.name}: DataFrame HTML"


def test_dataset_pages_show_chart_and_whole_record(built_site):
    for name in datasets.available():
        soup = BeautifulSoup((built_site / "book" / "datasets" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        record = load_record(name)
        rows = soup.select("table.dataset-record tbody tr")
        assert len(rows) == len(record), f"{name}: {len(rows)} rows shown of {len(record)}"
        text = soup.select_one("table.dataset-record").get_text(" ")
        assert not re.search(r"\b(True|False|nan|<NA>)\b", text), f"{name}: raw booleans or missing values"
        assert not re.search(r"\b\d{4,}\.0\b", text), f"{name}: unformatted numbers"
        for a in soup.select("table.dataset-record a[href^='#source-']"):
            assert soup.find(id=a["href"][1:]), f"{name}: {a['href']} has no source entry"
        assert bool(soup.select("figure.edition-figure")) == (name in charts.CHARTS), name
        assert soup.select_one(".dataset-hash")


def test_a_figures_code_toggle_follows_the_figure_in_the_page_itself(built_site):
    """The toggle of a figure's code comes after the figure in the HTML, not only on screen: a page painted before
    its figure has arrived would otherwise show the toggle first and push it down when the figure comes."""
    cells = 0
    for rel in CHAPTER_FIGURES:
        soup = BeautifulSoup((built_site / rel).read_text(encoding="utf-8"), "html.parser")
        for cell in soup.select("div.cell.tag_hide-input"):
            if not cell.select_one("figure.edition-figure"):
                continue
            parts = [child for child in cell.children if getattr(child, "name", None)]
            classes = [" ".join(child.get("class", [])) for child in parts]
            assert "cell_output" in classes[0] and "above-input" in classes[-1], f"{rel}: {classes}"
            cells += 1
    assert cells >= len(CHAPTER_FIGURES)


def test_a_single_member_state_is_counted_in_the_singular():
    html = charts.unga_vote(load("unga_181_roll_call"))._repr_html_()
    assert ">1 member state<" in html and "1 member states" not in html
