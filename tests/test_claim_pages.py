"""One page per claim: page, share card, ClaimReview, citation, embed snippet, feed and sitemap."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from edition import annotations
from edition.sphinxext import claimpages

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = annotations.load_all(ROOT / "data" / "annotations")
BASE = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def metas(soup: BeautifulSoup) -> dict[str, str]:
    return {m.get("property") or m.get("name"): m.get("content") for m in soup.find_all("meta") if m.get("content") is not None}


def local(site: Path, page: Path, href: str) -> Path:
    """The file a relative link on page points at."""
    return (page.parent / href.split("#")[0]).resolve() if not href.startswith("#") else page


@pytest.fixture(scope="module")
def claim_pages(built_site):
    return {a.id: built_site / "claims" / f"{a.id}.html" for a in ANNOTATIONS}


def test_every_annotation_has_its_page_with_complete_metadata_and_card(built_site, claim_pages):
    assert len(claim_pages) > 50
    for ann in ANNOTATIONS:
        path = claim_pages[ann.id]
        assert path.is_file(), f"no page for {ann.id}"
        soup = soup_of(path)
        tags = metas(soup)
        url = f"{BASE}claims/{ann.id}.html"
        assert tags["og:url"] == url
        assert tags["og:title"] == f"{ann.label}: \u201c{ann.exact}\u201d"
        assert tags["og:description"] == claimpages.plain(ann.summary)
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["og:image"] == tags["twitter:image"] == f"{BASE}claims/{ann.id}.png"
        assert tags["citation_title"] == tags["og:title"] and tags["citation_author"] == ann.author
        assert tags["citation_date"] == ann.updated.replace("-", "/")
        assert png_size(built_site / "claims" / f"{ann.id}.png") == (1200, 630)
        page = soup.select_one("article.claim-page")
        assert page["id"] == ann.anchor and page["data-verdict"] == ann.verdict
        # verdict first: the heading names it, before the summary and the claim in context
        assert page.find("h1").get_text().strip().split(":")[0].endswith(ann.label)
        assert page.select_one("mark.claim-page-mark").get_text() == ann.exact
        titles = [h.get_text() for h in page.find_all("h2")]
        assert titles[:2] == ["Explanation", "Sources"] and {"History and review", "Cite this note", "Embed", "Share"} <= set(titles)
        assert len(page.select(".claim-page-history li")) == len(ann.history)
        stored = [e for s in ann.sources for e in s.excerpts]
        checked = [e["text"].strip() for e in stored if not e.get("not_refound")]
        unfound = [e["text"].strip() for e in stored if e.get("not_refound")]
        assert [q.get_text().strip() for q in page.select("blockquote.source-excerpt")] == checked
        assert [q.get_text().strip() for q in page.select("blockquote.source-excerpt-not-refound")] == unfound  # shown apart


def test_claim_page_and_chapter_note_link_to_each_other(built_site, claim_pages):
    for ann in ANNOTATIONS:
        page = claim_pages[ann.id]
        back = soup_of(page).select_one(".claim-page-place a")["href"]
        chapter = local(built_site, page, back)
        assert back.endswith(f"#{ann.anchor}") and chapter.is_file()
        note = soup_of(chapter).select_one(f"aside#{ann.anchor} .annotation-page-link a")
        assert local(built_site, chapter, note["href"]) == page.resolve()


def test_rated_claims_carry_a_valid_claim_review_on_their_page(claim_pages):
    rated = [a for a in ANNOTATIONS if annotations.VERDICTS.get(a.verdict, (None,))[0] is not None]
    assert rated
    for ann in ANNOTATIONS:
        soup = soup_of(claim_pages[ann.id])
        scripts = soup.find_all("script", type="application/ld+json")
        assert not soup.head.find("script", type="application/ld+json")  # at the end of the body
        reviews = [r for s in scripts for r in json.loads(s.string) if r.get("@type") == "ClaimReview"]
        if ann not in rated:
            assert not reviews, ann.id
            continue
        (review,) = reviews
        assert review["url"] == f"{BASE}claims/{ann.id}.html#{ann.anchor}"
        rating = review["reviewRating"]
        assert rating["ratingValue"] == annotations.VERDICTS[ann.verdict][0]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert rating["alternateName"] == ann.label and review["claimReviewed"] and review["datePublished"] == ann.history[0]["date"]
        assert review["itemReviewed"]["@type"] == "Claim"


def test_citations_in_three_formats_name_author_title_date_url_and_version(built_site, claim_pages):
    ann = next(a for a in ANNOTATIONS if len(a.history) > 1)
    url = f"{BASE}claims/{ann.id}.html"
    (csl,) = json.loads((built_site / "claims" / f"{ann.id}.json").read_text(encoding="utf-8"))
    assert csl["URL"] == url and csl["author"] == [{"literal": ann.author}] and csl["title"].endswith(f"\u201c{ann.exact}\u201d")
    assert csl["issued"]["date-parts"] == [[int(p) for p in ann.updated.split("-")]] and csl["version"].startswith(str(len(ann.history)))
    ris = (built_site / "claims" / f"{ann.id}.ris").read_text(encoding="utf-8").splitlines()
    assert ris[0] == "TY  - ELEC" and ris[-1] == "ER  -" and f"UR  - {url}" in ris and f"AU  - {ann.author}" in ris
    bib = (built_site / "claims" / f"{ann.id}.bib").read_text(encoding="utf-8")
    assert bib.startswith(f"@misc{{edition-{ann.id},") and f"url = {{{url}}}" in bib.replace("\\_", "_") and f"date = {{{ann.updated}}}" in bib
    page = soup_of(claim_pages[ann.id])
    assert bib.strip() in [pre.get_text().strip() for pre in page.select(".claim-page-cite-this-note pre")]
    assert [p.get_text().split(" (")[0] for p in page.select(".claim-page-cite-this-note > p")] == ["BibTeX", "CSL-JSON", "RIS"]


def test_embed_snippet_shows_claim_verdict_and_link_without_script(claim_pages):
    ann = ANNOTATIONS[0]
    page = soup_of(claim_pages[ann.id])
    code = page.select_one(".claim-page-embed pre").get_text()
    snippet = BeautifulSoup(code, "html.parser")
    (link,) = snippet.find_all("a")
    assert link["href"] == f"{BASE}claims/{ann.id}.html"
    assert ann.label in link.get_text() and ann.exact in link.get_text()
    assert not snippet.find_all(["script", "iframe", "img"])


def test_feed_is_atom_with_one_complete_entry_per_change(built_site):
    feed = ET.parse(built_site / "corrections.atom").getroot()
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    changes = sum(len(a.history) - 1 for a in ANNOTATIONS)
    entries = feed.findall(f"{ATOM}entry")
    assert changes and len(entries) >= changes
    ids = set()
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{ATOM}{tag}") or "").strip(), (tag, ET.tostring(entry))
        href = entry.find(f"{ATOM}link").get("href")
        assert href.startswith(BASE) and (built_site / href[len(BASE):]).is_file()
        ids.add(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(entries)
    claim = built_site / "claims" / f"{ANNOTATIONS[0].id}.html"
    follow = soup_of(claim).select_one(".claim-page-follow a")["href"]
    assert (claim.parent / follow).resolve() == (built_site / "corrections.atom").resolve()
    chapter = soup_of(built_site / "book" / "corrections.html")
    assert chapter.find("link", type="application/atom+xml")["href"] == f"{BASE}corrections.atom"


def test_sitemap_lists_every_page_with_the_real_base_url(built_site):
    urls = {e.text for e in ET.parse(built_site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")}
    assert all(u.startswith(BASE) for u in urls)
    for ann in ANNOTATIONS:
        assert f"{BASE}claims/{ann.id}.html" in urls
    for chapter in (built_site / "book").glob("*.html"):
        assert f"{BASE}book/{chapter.name}" in urls


def test_chapter_pages_carry_their_own_card(built_site):
    soup = soup_of(built_site / "book" / "01-from-1947-to-putin.html")
    tags = metas(soup)
    assert tags["twitter:card"] == "summary_large_image" and tags["og:url"] == f"{BASE}book/01-from-1947-to-putin.html"
    image = tags["og:image"]
    assert png_size(built_site / image[len(BASE):]) == (1200, 630)
    assert "Project name not set" not in tags["og:title"] + tags["og:site_name"]
    assert tags["og:site_name"] == yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]


def test_other_pages_share_the_edition_card(built_site):
    tags = metas(soup_of(built_site / "book" / "methodology.html"))
    assert tags["twitter:card"] == "summary_large_image" and tags["og:url"] == f"{BASE}book/methodology.html"
    assert png_size(built_site / tags["og:image"][len(BASE):]) == (1200, 630)
    assert tags["og:description"].startswith(f"{len(ANNOTATIONS)} editors\u2019 notes")


def test_claim_pages_share_one_complete_drawing_of_the_site_navigation(built_site, claim_pages):
    """The sidebar is drawn once for all claim pages (navigation.share_navigation): it must still be the whole
    table of contents, with working links from claims/, no page marked as the current one and named toggles."""
    navs = {str(soup_of(path).select_one("nav.bd-docs-nav")) for path in claim_pages.values()}
    assert len(navs) == 1
    nav = BeautifulSoup(navs.pop(), "html.parser")
    page = next(iter(claim_pages.values()))
    links = [a["href"] for a in nav.select("a.reference.internal")]
    assert {local(built_site, page, href).relative_to(built_site).as_posix() for href in links} >= {
        "book/01-from-1947-to-putin.html", "book/05-putins-reasons.html", "book/summary.html", "book/datasets/index.html"}
    assert all(local(built_site, page, href).is_file() for href in links)
    assert not nav.select("li.current, li.active")
    toggles = nav.select("li.has-children > details > summary")
    assert toggles and all(summary.get("aria-label", "").startswith("Pages under ") for summary in toggles)
