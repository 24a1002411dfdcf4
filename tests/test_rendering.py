"""The Sphinx extension renders annotations safely even if the validator were bypassed."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from bs4 import BeautifulSoup
from sphinx.application import Sphinx

from edition import annotations
from edition.annotations import Annotation, Source
from edition.article import load_article
from edition.markup import url_is_safe

ARTICLE = load_article()
EVIL = '<script>alert(1)</script><img src=x onerror=alert(1)>'


def evil_annotation() -> Annotation:
    exact = "voted together with the imperialist powers (USA, Great Britain, France)"
    block = ARTICLE.block("p2")
    return Annotation(
        id="evil", exact=exact, kind="claim", verdict="accurate",
        summary=f"Summary {EVIL} [x](javascript:alert(1))",
        explanation=f"Text {EVIL}\n\n```{{raw}} html\n<script>alert(2)</script>\n```\n\n[link](jav&#x61;script:alert(3)) ![i](x.png)",
        sources=(Source(title=f"Title {EVIL}", url="javascript:alert(4)", date="2020", consulted="2026-11-24", publisher=EVIL, standpoint=EVIL),),
        author=EVIL, updated="2026-11-24", history=({"date": "2026-11-24", "verdict": "accurate", "note": EVIL},),
        file="data/annotations/evil.yml", block_key="p2", start=block.text.index(exact),
    )


@pytest.fixture
def rendered(root, tmp_path, monkeypatch):
    """One chapter built in-process by Sphinx with the real extension and an unvalidated annotation."""
    src = tmp_path / "src"
    (src / "book").mkdir(parents=True)
    shutil.copy(root / "book" / "01-from-1947-to-putin.md", src / "book" / "chapter.md")
    (src / "conf.py").write_text(
        "extensions = ['myst_nb', 'edition.sphinxext']\n"
        "root_doc = 'book/chapter'\nnb_execution_mode = 'off'\nsmartquotes = False\n"
        f"edition_root = {str(root)!r}\nmyst_enable_extensions = ['colon_fence']\nhtml_baseurl = 'https://example.org/'\n"
    )
    monkeypatch.setattr(annotations, "collect", lambda *a, **k: ([evil_annotation()], []))
    app = Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html", status=None, warning=None, freshenv=True)
    app.build()
    return BeautifulSoup((tmp_path / "out" / "book" / "chapter.html").read_text(encoding="utf-8"), "html.parser")


def test_unvalidated_annotation_renders_without_executable_content(rendered):
    aside = rendered.select_one("aside#claim-evil")
    assert aside is not None and "alert(1)" in aside.get_text()  # shown as text, not run
    for tag in aside.find_all(True):
        assert tag.name not in ("script", "img", "iframe", "svg", "style")
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        own_page = tag.get("data-claim-page") and tag.get("href") == f"../claims/{tag['data-claim-page']}.html"  # the note's own page
        assert url_is_safe(tag.get("href", "#")) or own_page, tag
    mark = rendered.select_one("a.claim-mark")
    assert mark["href"] == "#claim-evil"


def test_json_ld_cannot_close_its_script_tag(rendered):
    scripts = rendered.find_all("script", type="application/ld+json")
    assert scripts
    for script in scripts:
        assert "<" not in script.string and "alert" in script.string


def test_rendering_keeps_the_paragraph_text_exact(rendered):
    para = rendered.select_one("#article-p2")
    assert para.get_text() == ARTICLE.block("p2").text
    assert dataclasses.is_dataclass(evil_annotation())


@pytest.mark.parametrize("verdict", ["accurate", "mostly accurate", "misleading", "inaccurate", "disputed", "unsupported", "opinion"])
def test_every_verdict_renders_as_a_badge_that_names_it(verdict):
    from edition.sphinxext.render import badge, note

    assert badge(verdict).astext() == ("Opinion" if verdict == "opinion" else verdict.capitalize())
    ann = dataclasses.replace(evil_annotation(), verdict=verdict, kind="opinion" if verdict == "opinion" else "claim")
    aside = note(ann)
    assert f"verdict-{verdict.replace(' ', '-')}" in aside["attrs"]["class"]
    assert aside.astext().startswith(badge(verdict).astext())
