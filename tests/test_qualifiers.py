"""Qualifiers: every figure says what kind of figure it is, the loader checks it, and the book shows it."""

from __future__ import annotations

import csv
import io
import re
import shutil

import matplotlib.pyplot as plt
import pytest
import yaml
from bs4 import BeautifulSoup

from edition import datasets, figures
from edition.yamlfile import ProblemsFound


@pytest.fixture
def folder(root, tmp_path):
    dest = tmp_path / "datasets"
    shutil.copytree(root / "data" / "datasets", dest)
    return dest


def edit_cell(folder, name, line, column, value):
    """Change one CSV cell (line 1 is the header) and record its checksum by hand, as a careless edit might
    (`edition data rehash` refuses a CSV with problems, so the loader must catch them too)."""
    path = folder / f"{name}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    manifest = yaml.safe_load((folder / f"{name}.yml").read_text(encoding="utf-8"))
    manifest["sha256"] = datasets.sha256(path)
    datasets.write_manifest(folder / f"{name}.yml", manifest)


def problems_of(folder, name):
    with pytest.raises(ProblemsFound) as err:
        datasets.load(name, folder)
    return err.value.problems


def line_of(folder, name, column, value):
    rows = list(csv.reader(io.StringIO((folder / f"{name}.csv").read_text(encoding="utf-8"))))
    return next(i for i, r in enumerate(rows, start=1) if r[rows[0].index(column)] == value)


@pytest.mark.parametrize("name", datasets.available())
def test_every_figure_of_every_dataset_has_a_qualifier(name):
    frame = datasets.load(name)
    for col in (c for c in frame.attrs["provenance"].columns if c.type in ("number", "integer") and not c.key):
        assert col.qualifier, f"{name}.{col.name} names no qualifier column"
        quals = datasets.qualifiers(frame, col.name)
        assert all(q.kinds for q, present in zip(quals, frame[col.name].notna()) if present), f"{name}.{col.name}: a figure without a qualifier"


@pytest.mark.parametrize(
    "cell, message, fix",
    [
        ("", "a figure without a qualifier", "lower_bound"),
        ("about", "'about' is not a qualifier", "lower_bound"),
        ("derived", "'derived' needs its formula", "derived: <formula>"),
        ("retracted", "'retracted' needs the CSV line of the correcting row", "retracted: line <N>"),
        ("superseded: line 999", "line 999 is not another row of the file", "the row that corrects this one"),
    ],
)
def test_a_bad_qualifier_is_located_and_explained(folder, cell, message, fix):
    line = line_of(folder, "russia_israel_trade", "value_usd", "600000000")
    edit_cell(folder, "russia_israel_trade", line, "value_qualifier", cell)
    problem = next(p for p in problems_of(folder, "russia_israel_trade") if p.field == "value_qualifier")
    assert problem.file.endswith("russia_israel_trade.csv") and problem.line == line
    assert message in problem.message and fix in problem.fix
    with pytest.raises(ProblemsFound, match=re.escape(problem.message)):  # and rehash refuses to record it
        datasets.rehash("russia_israel_trade", folder)


def test_a_figure_column_without_a_qualifier_column_is_refused(folder):
    path = folder / "russia_israel_trade.yml"
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    del next(c for c in manifest["columns"] if c["name"] == "change_pct")["qualifier"]
    datasets.write_manifest(path, manifest)
    with pytest.raises(ProblemsFound) as err:
        datasets.manifest("russia_israel_trade", folder)
    problem = err.value.problems[0]
    assert "change_pct" in problem.message and "qualifier: <column>" in problem.fix and problem.line > 1


def test_a_retracted_figure_points_to_its_correction_and_is_never_current():
    frame = datasets.load_record("fsu_population_israel")
    quals = datasets.qualifiers(frame, "value")
    retracted = [(i, q) for i, q in quals.items() if "retracted" in q.kinds]
    assert {frame.at[i, "value"] for i, _ in retracted} == {154474, 50093}
    for _, q in retracted:
        assert not quals[q.line - 2].withdrawn  # the correcting row is current
    assert not set(frame.loc[[i for i, _ in retracted], "value"]) & set(datasets.current(frame, "value")["value"])


def test_a_retraction_pointing_to_a_retracted_row_is_refused(folder):
    frame = datasets.load_record("fsu_population_israel", folder)
    first, second = [i + 2 for i, q in datasets.qualifiers(frame, "value").items() if q.withdrawn]
    edit_cell(folder, "fsu_population_israel", first, "value_qualifier", f"retracted: line {second}")
    problem = next(p for p in problems_of(folder, "fsu_population_israel") if p.line == first)
    assert "itself retracted or superseded" in problem.message


def test_a_withdrawn_figure_cannot_be_plotted_as_current():
    frame = datasets.load_record("fsu_population_israel")
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="retracted or superseded"):
        figures.plot_qualified(ax, range(len(frame)), frame["value"], datasets.qualifiers(frame, "value"), "#000000")
    plt.close(fig)


def test_describe_says_what_kind_of_figure_it_is():
    q = datasets.parse_qualifier
    assert datasets.describe(2.5, q("upper_bound"), " billion dollars") == "less than 2.5 billion dollars"
    assert datasets.describe(43000, q("lower_bound")) == "more than 43,000"
    assert datasets.describe(54.9, q("derived: 236000 / 430000"), "%") == "54.9% (computed by the editors)"
    assert datasets.describe(10200, q("exact; partial_year")) == "10,200 (partial year)"


# The order of preference of aliyah_by_year: agency first, then the kind of figure.

def test_the_preferred_rows_follow_the_stated_order():
    frame = datasets.load("aliyah_by_year")
    ranks = datasets.preference_rank(frame)
    for _, group in frame[frame["value"].notna()].groupby(["year", "series"]):
        chosen = group[group["preferred"]]
        assert len(chosen) == 1
        assert ranks[chosen.index[0]] == min(ranks[group.index].dropna())


def test_preferring_a_row_against_the_order_is_a_located_error(folder):
    cbs = line_of(folder, "aliyah_by_year", "value", "21183")  # 2005 total, CBS
    rows = list(csv.reader(io.StringIO((folder / "aliyah_by_year.csv").read_text(encoding="utf-8"))))
    ja = next(i for i, r in enumerate(rows, start=1) if r[0] == "2005" and r[1] == "total_immigrants" and r[2] == "23000")
    edit_cell(folder, "aliyah_by_year", cbs, "preferred", "false")
    edit_cell(folder, "aliyah_by_year", ja, "preferred", "true")
    problem = next(p for p in problems_of(folder, "aliyah_by_year") if p.field == "preferred")
    assert problem.line == ja and f"line {cbs} comes first" in problem.message
    assert f"true on line {cbs}" in problem.fix


def test_two_preferred_rows_in_one_group_are_refused(folder):
    rows = list(csv.reader(io.StringIO((folder / "aliyah_by_year.csv").read_text(encoding="utf-8"))))
    ja = next(i for i, r in enumerate(rows, start=1) if r[0] == "2006" and r[1] == "total_immigrants" and r[2] == "21000")
    edit_cell(folder, "aliyah_by_year", ja, "preferred", "true")
    assert any("2 rows are flagged preferred" in p.message for p in problems_of(folder, "aliyah_by_year"))


# In the built book: each kind of figure is drawn and worded as promised.

def _figures(page):
    """(desktop SVG, alt text, words of the caption and its folded table and notes) of each figure of a built page."""
    found = []
    for fig in BeautifulSoup(page, "html.parser").select("figure.edition-figure"):
        svg = fig.select_one("svg.chart-wide")
        found.append((str(svg), svg["aria-label"], fig.figcaption.get_text(" ")))
    return found


def test_computed_shares_are_hollow_and_said_to_be_computed(built_site):
    page = (built_site / "book" / "04-economic-technological-military-ties.html").read_text(encoding="utf-8")
    svg, alt, caption = next(f for f in _figures(page) if "crude" in f[1])
    assert "computed by the editors (hollow)" in svg  # the legend entry, as text in the SVG
    assert re.search(r"fill:\s*var\(--edition-figure-paper\)", svg)  # hollow markers, filled with the page's background
    assert "54.9% (computed by the editors)" in alt and "236000 / 430000" in caption
    assert "Reported shares" not in svg


def test_bounds_are_arrows_and_said_less_than_or_more_than(built_site):
    page = (built_site / "book" / "04-economic-technological-military-ties.html").read_text(encoding="utf-8")
    svg, alt, caption = next(f for f in _figures(page) if "trade turnover" in f[1])
    assert "2017: less than 2.5 billion US dollars" in alt and "2018: more than 5 billion US dollars" in alt
    assert "less than 2.5 billion US dollars" in caption and "upper bound: at most (arrow down)" in svg


def test_partial_years_and_mixed_agencies_are_said(built_site):
    page = (built_site / "book" / "02-migration-politics-visas.html").read_text(encoding="utf-8")
    svg, alt, caption = next(f for f in _figures(page) if "immigration" in f[1].lower())
    assert "partial year (square)" in svg and "10,200 (partial year)" in caption
    assert "Central Bureau of Statistics" in caption and "Jewish Agency or ministry" in caption
    assert "more than 20,000" not in caption  # 2020 is the CBS count 19,676, preferred by the dataset's own rule over the Agency's lower bound
    assert "about, or rounded (diamond)" in svg and "about 24,000" in caption  # approximate values look different from exact ones


def test_retracted_figures_are_kept_for_the_record_on_the_dataset_page(built_site):
    page = (built_site / "book" / "datasets" / "fsu_population_israel.html").read_text(encoding="utf-8")
    assert "Figures kept for the record" in page and "154,474 \u2014 retracted" in page
    corrections = (built_site / "book" / "corrections.html").read_text(encoding="utf-8")
    assert "154,474 and 50,093" in corrections and "datasets/fsu_population_israel.html" in corrections
