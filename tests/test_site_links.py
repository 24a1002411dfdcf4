"""Links under figures resolve everywhere a figure is shown: in the built site they are relative to the page
(the site works offline and in a pull request's preview); in the notebooks' outputs (JupyterLab on Binder,
Colab, a downloaded notebook) they are absolute, to the published site."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from edition import charts, datasets, figures

BASE = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"].rstrip("/") + "/"
LINKS = "figure.edition-figure a[href], table.summary-table a[href]"  # the figures' links and the summary's tables'


def _resolves(site: Path, path: str, fragment: str) -> str:
    """'' when site/path exists and (for an HTML page with a fragment) holds that id; else what is wrong."""
    target = site / unquote(path)
    if not target.is_file():
        return f"{path} does not exist"
    if fragment and target.suffix == ".html":
        if BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").find(id=fragment) is None:
            return f"{path} has no #{fragment}"
    return ""


def test_figure_links_in_the_built_site_are_relative_and_resolve(built_site):
    checked = 0
    for page in sorted(built_site.glob("**/*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select(LINKS):
            href = a["href"]
            if href.startswith("#"):
                continue
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, f"{page.relative_to(built_site)}: {href} is not relative"
            resolved = (page.parent / parts.path).resolve().relative_to(built_site.resolve()).as_posix()
            problem = _resolves(built_site, resolved, parts.fragment)
            assert not problem, f"{page.relative_to(built_site)}: {href}: {problem}"
            checked += 1
    assert checked > 100, "the chapters', summary's and dataset pages' figures were checked"


def test_figure_links_in_the_downloadable_notebooks_are_absolute_to_the_site(built_site):
    notebooks = sorted((built_site / "_sources").glob("**/*.ipynb"))
    checked = set()
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                soup = BeautifulSoup(output.get("data", {}).get("text/html", ""), "html.parser")
                for a in soup.select(LINKS):
                    href = a["href"]
                    if href.startswith("#"):  # "Link to this figure": within the notebook
                        continue
                    assert href.startswith(BASE), f"{path.name}: {href} does not start with {BASE}"
                    parts = urlsplit(href.removeprefix(BASE))
                    problem = _resolves(built_site, parts.path, parts.fragment)
                    assert not problem, f"{path.name}: {href}: {problem}"
                    checked.add(path.name)
    chapters = {p.with_suffix(".ipynb").name for p in (ROOT / "book").glob("0*.md")}
    assert chapters | {"summary.ipynb"} <= checked, "every chapter's and the summary's figures carry links"


@pytest.mark.parametrize("env, expected", [
    ({"EDITION_SITE": "https://mirror.example.org/edition"}, "https://mirror.example.org/edition/"),
    ({"BINDER_REPO_URL": "https://github.com/SomeOne/putin-zionism-edition"}, "https://someone.github.io/putin-zionism-edition/"),
])
def test_figure_links_follow_the_sites_address(monkeypatch, env, expected):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if "EDITION_SITE" not in env:
        monkeypatch.delenv("EDITION_SITE", raising=False)
    markup = charts.CHARTS["aliyah_by_year"](datasets.load("aliyah_by_year")).markup
    hrefs = [a["href"] for a in BeautifulSoup(markup, "html.parser").select("a[href]") if not a["href"].startswith("#")]
    assert hrefs and all(h.startswith(f"{expected}{figures.DATASET_PAGES}aliyah_by_year.") for h in hrefs), hrefs
