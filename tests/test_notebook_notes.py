"""The notes a chapter shows when it runs as a notebook: read from the annotation files, rendered inertly."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from bs4 import BeautifulSoup
from test_annotations import PAYLOADS

from edition import claims, notebook, paths
from edition.annotations import Annotation, Source
from edition.article import load_article
from edition.markup import url_is_safe

pytestmark = pytest.mark.check  # part of `make check`

ARTICLE = load_article()
INERT = ["script", "img", "iframe", "svg", "object", "embed", "style", "form", "input", "link", "meta", "base"]


def hostile(payload: str) -> Annotation:
    """An annotation that skipped validation, with the payload in every contributed field."""
    exact = "voted together with the imperialist powers (USA, Great Britain, France)"
    source = Source(title=f"Title {payload}", url="javascript:alert(4)", date="2020", consulted="2026-11-24", publisher=payload,
                    author=payload, standpoint=payload,
                    excerpts=({"text": f"Said {payload}", "language": 'en" onmouseover="alert(5)', "translation": payload},))
    return Annotation(
        id='evil" onclick="alert(6)', exact=exact, kind="claim", verdict=f"accurate{payload}",
        summary=f"Summary. {payload} After.", explanation=f"Before. {payload} After.", sources=(source,),
        author=payload, updated="2026-11-24", history=({"date": "2026-11-24", "verdict": payload}, {"date": "2026-11-25", "verdict": payload}),
        file="data/annotations/evil.yml", datasets=(payload,), block_key="p2", start=ARTICLE.block("p2").text.index(exact),
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_payloads_render_inert_in_notebook_output(payload):
    markup = notebook.Notes([hostile(payload)], [f"Notice {payload}"])._repr_html_()
    soup = BeautifulSoup(markup, "html.parser")
    assert not soup.find_all(INERT), soup.find_all(INERT)
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        assert url_is_safe(tag.get("href", "#")), tag
        assert "javascript" not in tag.get("style", "").lower(), tag
    assert f"Title {payload}" in soup.get_text()  # shown as words, not run


def test_markdown_of_the_allow_list_becomes_markup():
    ann = dataclasses.replace(hostile(""), explanation="One *two* **three** `four` [five](https://example.org/x).\n\n- six\n- seven")
    soup = BeautifulSoup(notebook.note_html(ann), "html.parser")
    details = soup.find("details")
    assert details.find("em", string="two") and details.find("strong", string="three") and details.find("code", string="four")
    assert [li.get_text() for li in details.find("ul").find_all("li")] == ["six", "seven"]
    assert details.find("a", string="five")["href"] == "https://example.org/x"
    assert details.find("a", string="five")["rel"] == ["noopener", "noreferrer"]


def test_a_paragraph_without_annotations_shows_nothing(root):
    found, _ = claims.collected()
    quiet = [b.key for b in ARTICLE.blocks if b.key not in {a.block_key for a in found}]
    assert quiet, "every block is annotated: this test needs a block without notes"
    assert notebook.notes(quiet[0]) is None


def test_each_paragraph_shows_its_own_notes_in_the_articles_order():
    found, _ = claims.collected()
    key = max({a.block_key for a in found}, key=lambda k: sum(a.block_key == k for a in found))
    mine = [a for a in found if a.block_key == key]
    output = notebook.notes(key)
    soup = BeautifulSoup(output._repr_html_(), "html.parser")
    notes = soup.select("section.edition-note")
    assert [n["data-claim"] for n in notes] == [a.id for a in mine] and len(mine) > 1
    assert [a.start for a in mine] == sorted(a.start for a in mine)
    for note, ann in zip(notes, mine):
        assert note.select_one(".verdict-badge").get_text() == ann.label
        assert note.select_one(".edition-note-quote").get_text() == f"\u201c{ann.exact}\u201d"
        link = note.find("a", string="On the website")["href"]
        assert link == f"{paths.site_url()}{claims.places()[key].page}.html#claim-{ann.id}"
        assert note.find("details").find("summary").get_text() == "Explanation and sources"
    text = repr(output)
    assert all(f"[{a.label}]" in text and a.exact in text and claims.permalink(a) in text for a in mine)


def test_permalink_uses_the_sites_baseurl_and_chapter_page(copy_root):
    config = copy_root / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://OWNER.github.io/putin-zionism-edition/", "https://example.org/ed"), encoding="utf-8")
    ann = next(a for a in claims.collected()[0] if a.block_key == "p2")
    assert claims.permalink(ann) == f"https://example.org/ed/book/01-from-1947-to-putin.html#claim-{ann.id}"


def test_a_new_annotation_appears_without_editing_the_chapter(copy_root):
    key = "p3"
    before = notebook.notes(key)
    source = copy_root / "data" / "annotations" / "un-decreed-israel-1947.yml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data.update(id="new-test-note", quote={"exact": "advancing towards socialism"}, summary="A freshly written summary.")
    (copy_root / "data" / "annotations" / "new-test-note.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    after = notebook.notes(key)
    assert "A freshly written summary." in after._repr_html_()
    assert len(after.annotations) == len(before.annotations if before else []) + 1


def test_a_broken_note_shows_a_notice_not_a_traceback(copy_root):
    path = copy_root / "data" / "annotations" / "un-decreed-israel-1947.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: claim", "kind: rumour"), encoding="utf-8")
    shown = notebook.notes("p2")
    assert len(shown.notices) == 1
    assert "data/annotations/un-decreed-israel-1947.yml" in shown.notices[0] and "kind" in shown.notices[0]
    assert "un-decreed-israel-1947" not in [a.id for a in shown.annotations]
    assert all(not (n and n.notices) for n in (notebook.notes("p5"), notebook.notes("p6")))  # told once, where it belongs


def test_an_unanchored_broken_note_is_reported_at_each_chapters_first_block(copy_root):
    path = copy_root / "data" / "annotations" / "un-decreed-israel-1947.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("In 1947, when the UN", "In 1946, when the UN"), encoding="utf-8")
    firsts = {}
    for key, place in claims.places().items():
        firsts.setdefault(place.page, key)
    for key in firsts.values():
        assert any("un-decreed-israel-1947.yml" in n for n in notebook.notes(key).notices), key
    assert not (notebook.notes("p2") and notebook.notes("p2").notices)


def test_unknown_block_key_names_the_valid_ones():
    with pytest.raises(KeyError, match=r"no block 'p99' in data/article.yml; use one of p1, p2"):
        notebook.notes("p99")


def test_on_binder_the_notes_link_to_the_site_of_the_repository_binder_launched(copy_root, monkeypatch):
    """_config.yml still holds the OWNER placeholder in a repository that has not set it: Binder names the real one."""
    ann = next(a for a in claims.collected()[0] if a.block_key == "p2")
    assert claims.permalink(ann).startswith("https://OWNER.github.io/putin-zionism-edition/")
    monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/Some-Org/putin-zionism-edition")
    assert claims.permalink(ann) == f"https://some-org.github.io/putin-zionism-edition/book/01-from-1947-to-putin.html#claim-{ann.id}"
    link = BeautifulSoup(notebook.note_html(ann), "html.parser").find("a", string="On the website")["href"]
    assert link == claims.permalink(ann)


def test_a_configured_site_is_not_replaced_by_binders_guess(copy_root, monkeypatch):
    config = copy_root / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://OWNER.github.io/putin-zionism-edition/", "https://example.org/ed/"), encoding="utf-8")
    monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/Some-Org/putin-zionism-edition")
    assert paths.site_url() == "https://example.org/ed/"
    monkeypatch.setenv("EDITION_SITE", "https://published.example.org/edition")  # set by a downloaded notebook's first cell
    assert paths.site_url() == "https://published.example.org/edition/"
