"""Hostile text in an annotation stays inert on its claim page, in its share card and in the feed."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from sphinx.application import Sphinx

from edition import annotations
from edition.annotations import Annotation, Source
from edition.article import load_article
from edition.markup import url_is_safe
from edition.sphinxext import cards, render

ARTICLE = load_article()
EVIL = '<script>alert(1)</script><img src=x onerror=alert(1)> $\\frac{1}{0}$ $ {{x}} \\end{document}'
ATOM = "{http://www.w3.org/2005/Atom}"


def evil_annotation() -> Annotation:
    exact = "voted together with the imperialist powers (USA, Great Britain, France)"
    block = ARTICLE.block("p2")
    return Annotation(
        id="evil", exact=exact, kind="claim", verdict="misleading",
        summary=f"Summary {EVIL} [x](javascript:alert(1))",
        explanation=f"Text {EVIL}\n\n```{{raw}} html\n<script>alert(2)</script>\n```\n\n[link](jav&#x61;script:alert(3)) ![i](x.png)",
        sources=(Source(title=f"Title {EVIL}", url="javascript:alert(4)", date="2020", consulted="2026-11-24", publisher=EVIL, standpoint=EVIL,
                        excerpts=({"text": EVIL, "language": 'en" onmouseover="alert(5)'},)),),
        author=f"Author {EVIL}", updated="2026-11-25",
        history=({"date": "2026-11-24", "verdict": "accurate", "note": EVIL}, {"date": "2026-11-25", "verdict": "misleading", "note": f"Changed {EVIL}"}),
        file="data/annotations/evil.yml", block_key="p2", start=block.text.index(exact),
    )


@pytest.fixture(scope="module")
def built(root, tmp_path_factory):
    """One chapter built in-process by Sphinx with the real extension and an unvalidated annotation."""
    tmp = tmp_path_factory.mktemp("hostile")
    src = tmp / "src"
    (src / "book").mkdir(parents=True)
    shutil.copy(root / "book" / "01-from-1947-to-putin.md", src / "book" / "chapter.md")
    shutil.copytree(root / "data", tmp / "data")  # the extension reads the files a page shows
    (tmp / "data" / "annotations" / "evil.yml").write_text("id: evil\n", encoding="utf-8")
    (src / "conf.py").write_text(
        "extensions = ['myst_nb', 'edition.sphinxext']\nproject = 'Edition ' + '<b>x</b>'\n"
        "root_doc = 'book/chapter'\nnb_execution_mode = 'off'\nsmartquotes = False\n"
        f"edition_root = {str(tmp)!r}\nmyst_enable_extensions = ['colon_fence']\nhtml_baseurl = 'https://example.org/'\n"
    )
    (tmp / "out" / "claims").mkdir(parents=True)
    (tmp / "out" / "claims" / "removed-note.html").write_text("left by an earlier build", encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setattr(annotations, "collect", lambda *a, **k: ([evil_annotation()], []))
    try:
        app = Sphinx(str(src), str(src), str(tmp / "out"), str(tmp / "doctrees"), "html", status=None, warning=None, freshenv=True)
        app.build()
    finally:
        patch.undo()
    return tmp / "out"


def test_claim_page_shows_hostile_text_as_text(built):
    soup = BeautifulSoup((built / "claims" / "evil.html").read_text(encoding="utf-8"), "html.parser")
    page = soup.select_one("article.claim-page")
    assert "alert(1)" in page.get_text() and "onerror" in page.get_text()
    for tag in page.find_all(True):
        assert tag.name not in ("script", "iframe", "svg", "style", "object"), tag
        assert tag.name != "img" or tag["src"] == "evil.png", tag
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        assert url_is_safe(tag.get("href", "#")) or not tag.get("href", "").lower().startswith(("javascript", "jav")), tag
    for tag in page.find_all(href=True):
        assert "script:" not in tag["href"].lower(), tag
    assert not soup.find_all("script", src=lambda s: s and "alert" in s)
    assert all("alert" not in (s.string or "") or s.get("type") == "application/ld+json" for s in soup.find_all("script"))


def test_hostile_metadata_stays_in_its_attributes(built):
    soup = BeautifulSoup((built / "claims" / "evil.html").read_text(encoding="utf-8"), "html.parser")
    head = soup.head
    tags = {m.get("property") or m.get("name"): m["content"] for m in head.find_all("meta") if m.get("content")}
    assert EVIL in tags["og:description"] and tags["citation_author"] == f"Author {EVIL}"
    for ld in soup.find_all("script", type="application/ld+json"):
        assert "<" not in ld.string
        assert json.loads(ld.string)[0]["reviewRating"]["ratingExplanation"].startswith("Summary <script>")
    assert not [t for t in head.find_all(["script", "img"]) if "alert" in str(t.attrs)]


def test_embed_snippet_and_citations_escape_hostile_text(built):
    soup = BeautifulSoup((built / "claims" / "evil.html").read_text(encoding="utf-8"), "html.parser")
    code = soup.select_one(".claim-page-embed pre").get_text()
    snippet = BeautifulSoup(code, "html.parser")
    assert [t.name for t in snippet.find_all(True)] == ["a", "strong", "br", "span", "br", "small"]
    assert "<script>alert(1)" in snippet.get_text()
    preview = soup.select_one(".claim-embed-preview")
    assert [t.name for t in preview.find_all(True)] == ["a", "strong", "br", "span", "br", "small"]
    bib = (built / "claims" / "evil.bib").read_text(encoding="utf-8")
    assert "\\end{document}" not in bib and "\\textbackslash{}end\\{document\\}" in bib
    ris = (built / "claims" / "evil.ris").read_text(encoding="utf-8").splitlines()
    assert ris[0] == "TY  - ELEC" and ris[-1] == "ER  -" and all(line[2:6] == "  - " for line in ris[:-1])


def test_feed_carries_hostile_text_as_text(built):
    feed = ET.parse(built / "corrections.atom").getroot()
    (entry,) = [e for e in feed.findall(f"{ATOM}entry") if "/claims/" in e.find(f"{ATOM}link").get("href")]
    assert entry.findtext(f"{ATOM}summary").startswith("Verdict changed from accurate to misleading. Changed <script>")
    assert entry.find(f"{ATOM}summary").get("type") == "text" and not list(entry.find(f"{ATOM}summary"))
    assert entry.find(f"{ATOM}link").get("href") == "https://example.org/claims/evil.html"
    assert entry.findtext(f"{ATOM}updated") == "2026-11-25T00:00:00Z"


def test_card_draws_hostile_text_literally(built, tmp_path):
    assert (built / "claims" / "evil.png").is_file()
    ann = evil_annotation()
    target = tmp_path / "card.png"
    cards.draw(target, colour=cards.COLOURS[ann.verdict], heading="h", quote=ann.exact, sign=render.GLYPHS[ann.verdict],
               label=ann.label, summary=ann.summary, site=EVIL)
    from PIL import Image

    assert Image.open(target).size == (cards.WIDTH, cards.HEIGHT)
    shown = cards.card_texts(heading="h", quote=ann.exact, sign=render.GLYPHS[ann.verdict], label=ann.label, summary=ann.summary, site=EVIL)
    # Pillow draws strings as glyphs (no mathtext, TeX or markup); what it is given is the literal text.
    assert "$\\frac{1}{0}$" in shown["site"] and "<script>" in shown["site"]


def test_pages_of_removed_annotations_are_deleted_and_left_out_of_the_sitemap(built):
    assert not (built / "claims" / "removed-note.html").exists()
    urls = {e.text for e in ET.parse(built / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert urls == {"https://example.org/claims/evil.html", "https://example.org/book/chapter.html"}
