"""The real book, built once with warnings as errors, inspected as a reader's browser receives it."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from edition.annotations import VERDICTS, load_all
from edition.article import load_article
from edition.datasets import available

pytestmark = pytest.mark.slow
ARTICLE = load_article()
ANNOTATIONS = load_all()
CHAPTERS = [
    "book/01-from-1947-to-putin", "book/02-migration-politics-visas", "book/03-we-support-israel",
    "book/04-economic-technological-military-ties", "book/05-putins-reasons",
]
BASEURL = "https://OWNER.github.io/putin-zionism-edition/"


def page(site, name) -> BeautifulSoup:
    return BeautifulSoup((site / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def test_every_paragraph_is_rendered_exactly_once_in_order(built_site):
    texts = [p.get_text() for name in CHAPTERS for p in page(built_site, name).select("p.article-text")]
    assert texts == [b.text for b in ARTICLE.paragraphs]


def test_every_annotation_is_marked_in_the_text_and_shown_beside_it(built_site):
    asides, marks = {}, {}
    for name in CHAPTERS:
        soup = page(built_site, name)
        asides.update({a["id"]: a for a in soup.select("aside.annotation")})
        marks.update({m["href"]: m for m in soup.select("p.article-text a.claim-mark")})
    assert set(asides) == {a.anchor for a in ANNOTATIONS}
    for ann in ANNOTATIONS:
        aside, mark = asides[ann.anchor], marks[f"#{ann.anchor}"]
        assert mark.get_text() == ann.exact
        assert aside.select_one(".verdict-badge").get_text() == ann.label  # the verdict in words, not colour alone
        assert aside.select_one("a.annotation-permalink")["href"] == f"#{ann.anchor}"
        assert f"Last updated {ann.updated}" in aside.get_text()
        assert len(aside.select(".annotation-sources li")) == len(ann.sources)


def test_each_chapter_has_a_figure_with_caption_alt_and_source(built_site):
    for name in CHAPTERS:
        figures = page(built_site, name).select("figure.edition-figure")
        assert figures, f"{name} has no figure"
        for fig in figures:
            assert len(fig.select_one("svg.chart-wide")["aria-label"]) > 40 and fig.select_one("svg.chart-narrow")["role"] == "img"
            assert fig.select_one(".figure-caption").get_text(strip=True)
            assert fig.select_one(".figure-source").get_text().startswith("Sources:")
            csv = fig.select_one('a[href$=".csv"]')["href"]
            assert (built_site / "book" / csv).is_file()


def test_code_cells_are_folded_away_but_present(built_site):
    soup = page(built_site, CHAPTERS[0])
    cells = soup.select("div.cell.tag_hide-input")
    assert cells and all(c.select_one("details.hide") for c in cells)


def test_claim_reviews_are_embedded_for_rated_claims(built_site):
    for name in CHAPTERS:
        soup = page(built_site, name)
        ids_on_page = {a["id"] for a in soup.select("aside.annotation")}
        scripts = soup.find_all("script", type="application/ld+json")
        # at the end of the body, not ahead of the stylesheets in the head, where it held back the first paint
        assert scripts and not soup.head.find("script", type="application/ld+json")
        assert all(script.find_previous("main") for script in scripts)
        blocks = [json.loads(s.string) for s in scripts]
        reviews = [r for block in blocks for r in block]
        rated = {a.anchor for a in ANNOTATIONS if a.anchor in ids_on_page and VERDICTS.get(a.verdict, (None,))[0] is not None}
        assert {r["url"].split("#")[1] for r in reviews} == rated
        for r in reviews:
            assert r["@type"] == "ClaimReview" and r["@context"] == "https://schema.org"
            assert r["url"].startswith(BASEURL) and r["url"].endswith(tuple(rated))
            assert 0 < len(r["claimReviewed"]) <= 75
            rating = r["reviewRating"]
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
            assert rating["alternateName"] and rating["ratingExplanation"]
            assert r["itemReviewed"]["@type"] == "Claim"
            assert r["itemReviewed"]["author"]["name"].startswith("International Workers League")
            assert r["itemReviewed"]["datePublished"] == "2024-11-15"
            assert r["author"]["name"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["datePublished"])


def test_rating_scale_puts_more_accurate_higher():
    assert VERDICTS["accurate"][0] > VERDICTS["mostly accurate"][0] > VERDICTS["disputed"][0] > VERDICTS["misleading"][0] > VERDICTS["inaccurate"][0]


def test_web_annotation_export(built_site):
    export = json.loads((built_site / "annotations.jsonld").read_text(encoding="utf-8"))
    assert export["@context"] == "http://www.w3.org/ns/anno.jsonld"
    items = export["first"]["items"]
    assert export["total"] == len(items) == len(ANNOTATIONS)
    by_id = {a.anchor: a for a in ANNOTATIONS}
    for item in items:
        ann = by_id[item["id"].split("#")[1]]
        assert item["type"] == "Annotation"
        assert item["motivation"] == ("commenting" if ann.verdict == "opinion" else "assessing")
        selector = item["target"]["selector"]
        assert selector["type"] == "TextQuoteSelector"
        assert selector["prefix"] + selector["exact"] + selector["suffix"] in ARTICLE.text
        assert ARTICLE.text.count(selector["prefix"] + selector["exact"] + selector["suffix"]) == 1
        assert any(b["purpose"] == "tagging" and b["value"] == ann.label for b in item["body"])


def test_pages_carry_canonical_links_hypothesis_and_binder(built_site):
    soup = page(built_site, CHAPTERS[1])
    assert soup.find("link", rel="canonical")["href"] == f"{BASEURL}{CHAPTERS[1]}.html"
    assert soup.find("script", src=re.compile(r"hypothes\.is/embed\.js"))
    binder = soup.find("a", href=re.compile(r"mybinder\.org/v2/gh/"))
    assert binder and "book/02-migration-politics-visas.md" in binder["href"]


def test_claims_index_lists_every_annotation_by_verdict(built_site):
    soup = page(built_site, "book/claims")
    groups = soup.select(".claims-group")
    listed = [a["href"].split("#")[1] for g in groups for a in g.select("table a")]
    assert sorted(listed) == sorted(a.anchor for a in ANNOTATIONS)
    for group in groups:
        verdict = group["id"].removeprefix("verdict-").replace("-", " ")
        assert len(group.select("tbody tr")) == sum(a.verdict == verdict for a in ANNOTATIONS)
    assert [a["href"] for a in soup.select(".claims-filter a")] == [f"#{g['id']}" for g in groups]


def test_methodology_uses_the_same_verdict_definitions(built_site):
    soup = page(built_site, "book/methodology")
    scale = {dt.get_text(strip=True).lower(): dd.get_text(strip=True) for dt, dd in zip(soup.select("dl.verdict-scale dt"), soup.select("dl.verdict-scale dd"))}
    for verdict, (_, meaning) in VERDICTS.items():
        assert scale[verdict] == meaning
    rows = soup.select("table.claim-inventory tbody tr")
    assert len(rows) == len(ANNOTATIONS)


def test_dataset_pages_and_downloads(built_site):
    for name in available():
        soup = page(built_site, f"book/datasets/{name}")
        assert soup.select_one("table.dataset-columns") and soup.select_one("table.dataset-record")
        assert (built_site / "book" / "datasets" / f"{name}.csv").is_file()
        assert soup.find("a", href=f"{name}.csv")


def test_no_raw_article_residue_or_placeholder_pages(built_site):
    for name in CHAPTERS:
        assert "Check out our other content" not in page(built_site, name).get_text()
    for path in built_site.glob("book/**/*.html"):
        text = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text()
        assert not re.search(r"\b(TODO|lorem ipsum)\b", text, re.I), path


def test_pages_carry_only_the_assets_the_book_uses(built_site):
    for name in [*CHAPTERS, "book/about", "book/claims"]:
        html = (built_site / f"{name}.html").read_text(encoding="utf-8")
        assert "scripts/fontawesome.js" not in html
        assert "_static/edition-icons.css" in html
        for unused in ("sphinx-thebe.js", "design-tabs.js", "sphinx-design.min.css", "togglebutton.js", "const THEBE_JS_URL"):
            assert unused not in html, (name, unused)
    css = (built_site / "_static" / "edition-icons.css").read_text()
    used = set(re.findall(r'<i class="[^"]*\bfa-([a-z0-9-]+)', (built_site / f"{CHAPTERS[0]}.html").read_text()))
    for icon in used - {"solid", "brands", "lg"}:
        assert f".fa-{icon}{{" in css or f".fa-{icon}," in css, icon


def test_claims_spreadsheet_export(built_site):
    import csv

    rows = list(csv.DictReader((built_site / "claims.csv").open(encoding="utf-8")))
    assert sorted(r["id"] for r in rows) == sorted(a.id for a in ANNOTATIONS)
    for row in rows:
        assert row["quote"] in ARTICLE.text and row["url"].startswith(BASEURL)


def _asides(site) -> dict:
    return {a["id"]: a for name in CHAPTERS for a in page(site, name).select("aside.annotation")}


def test_notes_show_what_their_sources_say(built_site):
    asides = _asides(built_site)
    shown = 0
    for ann in ANNOTATIONS:
        items = asides[ann.anchor].select(".annotation-sources > li")
        assert len(items) == len(ann.sources), ann.id
        for item, src in zip(items, ann.sources):
            quotes = item.select("blockquote.source-excerpt")
            assert [(q["lang"], q.get_text(strip=True)) for q in quotes] == [(e["language"], e["text"].strip()) for e in src.checked_excerpts], (ann.id, src.title)
            unfound = item.select("blockquote.source-excerpt-not-refound")  # shown apart, never as checked
            assert [q.get_text(strip=True) for q in unfound] == [e["text"].strip() for e in src.unfound_excerpts], (ann.id, src.title)
            assert bool(quotes or unfound) == bool(item.select_one(".source-excerpts-title")), ann.id
            translations = [p.get_text() for p in item.select(".source-excerpt-translation")]
            in_order = [*src.checked_excerpts, *src.unfound_excerpts]
            assert translations == [f"Editors\u2019 translation: {e['translation']}" for e in in_order if e.get("translation")], ann.id
            shown += len(quotes)
    assert shown > 0


def test_awaiting_review_is_shown_in_the_notes_and_the_claims_index(built_site):
    asides = _asides(built_site)
    awaiting = {a.anchor for a in ANNOTATIONS if a.awaiting_review}
    assert {k for k, a in asides.items() if a.select(".annotation-head .awaiting-review")} == awaiting
    for ann in ANNOTATIONS:
        meta = asides[ann.anchor].select_one(".annotation-meta").get_text()
        assert ("Awaiting review" in meta) == ann.awaiting_review, ann.id
        for review in ann.second_readings:
            assert f"{review['by']} on {review['date']}" in meta, ann.id
    claims = page(built_site, "book/claims")
    assert claims.select_one(".claims-review-filter a").get_text() == f"Awaiting review ({len(awaiting)})"
    assert {a["href"].split("#")[1] for a in claims.select("#awaiting-review table a")} == awaiting


def test_corrections_log_lists_every_later_history_entry(built_site):
    log = page(built_site, "book/corrections")
    entries = [(a, before, h) for a in ANNOTATIONS for before, h in zip(a.history, a.history[1:])]
    # Changes to published figures (from the datasets' changelogs) are listed too; they are checked in test_qualifiers.
    items = [li for li in log.select("ul.corrections-log > li") if not li.select_one("p.correction-data")]
    assert len(items) == len(entries)
    texts = " ".join(i.get_text(" ", strip=True) for i in items)
    for ann, before, h in entries:
        change = f"changed from {before['verdict'].capitalize()} to {h['verdict'].capitalize()}" if before["verdict"] != h["verdict"] else f"kept: {h['verdict'].capitalize()}"
        assert f"{h['date']}: {ann.id} \u2014 verdict {change}" in texts, ann.id


def test_claims_spreadsheet_says_when_each_note_was_reviewed(built_site):
    import csv

    rows = {r["id"]: r for r in csv.DictReader((built_site / "claims.csv").open(encoding="utf-8"))}
    for ann in ANNOTATIONS:
        assert rows[ann.id]["reviewed"] == max((r["date"] for r in ann.second_readings), default=""), ann.id


def test_methodology_publishes_the_verdict_rule_and_the_review(built_site):
    soup = page(built_site, "book/methodology")

    def section(label):  # a label's id may sit on the section or on a span inside it
        found = soup.find(id=label)
        return found if found.name == "section" else found.find_parent("section")

    rule = section("how-to-apply-the-scale").get_text(" ", strip=True)
    for words in ("right in its point", "judged as of the date of publication, 15 November 2024", "opinion label on the characterisation", "who uses which label", "both sides"):
        assert words in re.sub(r"\s+", " ", rule).replace("*", ""), words
    assert "What the source says" in section("quotations-and-excerpts").get_text()
    assert "Awaiting review" in section("second-reading").get_text()
    about = page(built_site, "book/about")
    assert about.find("a", href=re.compile(r"methodology\.html#second-reading$"))


def test_the_head_sets_its_classes_once_before_the_stylesheets_and_loads_one_edition_stylesheet(built_site):
    """ed-early (and ed-notes on a page with notes) are set once, before any stylesheet; the edition's styles are one
    request; documentation_options.js stays the one blocking script (it makes the first paint come with the top of
    the page, see extension.KEEP_BLOCKING) and every other local script is deferred."""
    for name in [*CHAPTERS, "book/about"]:
        head = page(built_site, name).head
        classes = [s for s in head.find_all("script") if s.string and "classList.add" in s.string]
        assert len(classes) == 1 and "'ed-early'" in classes[0].string, name
        assert ("'ed-notes'" in classes[0].string) == (name in CHAPTERS), name
        sheets = head.find_all("link", rel="stylesheet")
        assert sheets and classes[0].sourceline < sheets[0].sourceline
        assert [s["href"] for s in sheets if "edition" in s["href"]][:1] and sum("/edition.css" in s["href"] for s in sheets) == 1
        local = [s for s in head.find_all("script", src=True) if not s["src"].startswith("http")]
        assert [s["src"].split("/")[-1].split("?")[0] for s in local if not s.has_attr("defer")] == ["documentation_options.js"], name
