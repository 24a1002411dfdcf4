"""A note shows what its sources say and whether a second reader has checked it, safely even if unvalidated."""

from __future__ import annotations

import csv
import dataclasses
import shutil

import pytest
from bs4 import BeautifulSoup
from sphinx.application import Sphinx

from edition import annotations
from edition.annotations import Source
from edition.markup import url_is_safe

from test_annotations import PAYLOADS
from test_rendering import ARTICLE, evil_annotation

UNFOUND = "A passage that no stored copy of the source holds any more."
RUSSIAN = "\u0412\u0438\u0437\u043e\u0432\u044b\u0439 \u0440\u0435\u0436\u0438\u043c \u043e\u0442\u043c\u0435\u043d\u0451\u043d."


def reviewed_annotation():
    exact = "After Stalin\u2019s death"
    source = Source(
        title="A source", url="https://example.org/a", date="2008", consulted="2026-11-24", publisher="Publisher",
        excerpts=(
            {"text": "The first passage, verbatim.", "language": "en"},
            {"text": RUSSIAN, "language": "ru", "translation": "The visa regime is abolished."},
            {"text": UNFOUND, "language": "en", "not_refound": "2026-12-03"},
        ),
    )
    bare = Source(title="A table", url="https://example.org/b", date="2008", consulted="2026-11-24", publisher="Statistics office", no_excerpt="the source is a spreadsheet")
    return dataclasses.replace(
        evil_annotation(), id="checked", exact=exact, block_key="p3", start=ARTICLE.block("p3").text.index(exact),
        summary="A checked note.", explanation="It is checked.", author="First editor", file="data/annotations/checked.yml",
        sources=(source, bare), reviews=({"by": "Second reader", "date": "2026-12-02", "note": "Sources reopened."},),
    )


def hostile_annotation():
    """Unreviewed, and every script payload stored in an excerpt, a translation and a language tag."""
    excerpts = tuple({"text": f"Said: {p}", "language": "ru\" onmouseover=\"alert(1)", "translation": f"Means: {p}"} for p in PAYLOADS)
    source = Source(title="Hostile", url="https://example.org/h", date="2020", consulted="2026-11-24", publisher="P", excerpts=excerpts)
    return dataclasses.replace(evil_annotation(), sources=(source,), reviews=({"by": evil_annotation().author, "date": "2026-12-02"},))


@pytest.fixture(scope="module")
def site(root, tmp_path_factory):
    """A chapter and the claims index built in-process by Sphinx with the real extension."""
    tmp = tmp_path_factory.mktemp("evidence")
    src = tmp / "src"
    (src / "book").mkdir(parents=True)
    shutil.copy(root / "book" / "01-from-1947-to-putin.md", src / "book" / "chapter.md")
    shutil.copy(root / "book" / "claims.md", src / "book" / "claims.md")
    (src / "book" / "rate.md").write_text("# Rate\n\n```{refinding-rate}\n```\n", encoding="utf-8")
    (src / "book" / "index.md").write_text("# Index\n\n```{toctree}\nchapter\nclaims\nrate\n```\n", encoding="utf-8")
    (src / "conf.py").write_text(
        "extensions = ['myst_nb', 'edition.sphinxext']\n"
        "root_doc = 'book/index'\nnb_execution_mode = 'off'\nsmartquotes = False\nedition_check_html = False\n"
        f"edition_root = {str(root)!r}\nmyst_enable_extensions = ['colon_fence']\nhtml_baseurl = 'https://example.org/'\n"
    )
    patch = pytest.MonkeyPatch()
    patch.setattr(annotations, "collect", lambda *a, **k: ([hostile_annotation(), reviewed_annotation()], []))
    try:
        Sphinx(str(src), str(src), str(tmp / "out"), str(tmp / "doctrees"), "html", status=None, warning=None, freshenv=True).build()
    finally:
        patch.undo()
    return tmp / "out"


def soup(site, name) -> BeautifulSoup:
    return BeautifulSoup((site / "book" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def test_excerpts_are_shown_under_their_source_in_their_language(site):
    aside = soup(site, "chapter").select_one("aside#claim-checked")
    first, bare = aside.select(".annotation-sources > li")
    assert first.select_one(".source-excerpts-title").get_text() == "What the source says"
    quotes = first.select("blockquote.source-excerpt")
    assert [(q.get("lang"), q.get_text(strip=True)) for q in quotes] == [("en", "The first passage, verbatim."), ("ru", RUSSIAN)]
    translation = quotes[1].find_next_sibling("p")
    assert "source-excerpt-translation" in translation["class"]
    assert translation.get_text() == "Editors\u2019 translation: The visa regime is abolished."
    assert bare.select_one(".source-no-excerpt").get_text() == "No passage stored: the source is a spreadsheet."
    assert not bare.select("blockquote")


def test_review_record_or_awaiting_review(site):
    page = soup(site, "chapter")
    checked, hostile = page.select_one("aside#claim-checked"), page.select_one("aside#claim-evil")
    assert not checked.select(".awaiting-review")
    assert "Reviewed by Second reader on 2026-12-02." in checked.select_one(".annotation-meta").get_text()
    tag = hostile.select_one(".annotation-head .awaiting-review")  # reviewed only by its own author
    assert tag.get_text() == "Awaiting review" and tag.find_previous_sibling(class_="verdict-badge")
    assert "Awaiting review: no second reader" in hostile.select_one(".annotation-meta").get_text()


def test_claims_index_lets_readers_find_the_notes_awaiting_review(site):
    page = soup(site, "claims")
    assert page.select_one(".claims-review-filter a")["href"] == "#awaiting-review"
    assert page.select_one(".claims-review-filter a").get_text() == "Awaiting review (1)"
    section = page.select_one("#awaiting-review")
    assert [a["href"].split("#")[1] for a in section.select("table a")] == ["claim-evil"]
    rows = {r.select_one("a")["href"].split("#")[1]: r for r in page.select(".claims-group tbody tr")}
    assert rows["claim-evil"].select(".awaiting-review") and not rows["claim-checked"].select(".awaiting-review")


def test_claims_spreadsheet_has_a_reviewed_column(site):
    rows = {r["id"]: r for r in csv.DictReader((site / "claims.csv").open(encoding="utf-8"))}
    assert rows["checked"]["reviewed"] == "2026-12-02" and rows["evil"]["reviewed"] == ""


def test_hostile_excerpts_render_inert(site):
    aside = soup(site, "chapter").select_one("aside#claim-evil")
    quotes = aside.select("blockquote.source-excerpt")
    assert len(quotes) == len(PAYLOADS)
    for quote, payload in zip(quotes, PAYLOADS):
        assert quote.get_text(strip=True) == f"Said: {payload}"  # shown as the words they are
        assert not quote.has_attr("lang") and not quote.has_attr("onmouseover")
    for tag in aside.find_all(True):
        assert tag.name not in ("script", "img", "iframe", "svg", "style", "object", "embed")
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        own_page = tag.get("data-claim-page") and tag.get("href") == f"../claims/{tag['data-claim-page']}.html"  # the note's own page
        assert url_is_safe(tag.get("href", "#")) or own_page, tag


def _build_with_checks(root, tmp_path, monkeypatch, checks):
    """Chapter 1 built in-process with one annotation naming the given evidence checks; the page and the warnings."""
    import io

    from edition import evidence

    src = tmp_path / "src"
    (src / "book").mkdir(parents=True)
    shutil.copy(root / "book" / "01-from-1947-to-putin.md", src / "book" / "chapter.md")
    (src / "conf.py").write_text(
        "extensions = ['myst_nb', 'edition.sphinxext']\n"
        "root_doc = 'book/chapter'\nnb_execution_mode = 'off'\nsmartquotes = False\nedition_check_html = False\n"
        f"edition_root = {str(root)!r}\nmyst_enable_extensions = ['colon_fence']\nhtml_baseurl = 'https://example.org/'\n"
    )
    for name, found in checks.items():
        monkeypatch.setitem(evidence.CHECKS, name, found)
    ann = dataclasses.replace(reviewed_annotation(), datasets=("unga_181_roll_call",), evidence=tuple(checks))
    monkeypatch.setattr(annotations, "collect", lambda *a, **k: ([ann], []))
    warnings = io.StringIO()
    Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html", status=None, warning=warnings, freshenv=True).build()
    aside = BeautifulSoup((tmp_path / "out" / "book" / "chapter.html").read_text(encoding="utf-8"), "html.parser").select_one("aside#claim-checked")
    return aside, warnings.getvalue()


def test_a_check_that_cannot_fail_loses_its_computed_sentence_and_warns(root, tmp_path, monkeypatch):
    from edition.evidence import Check, World

    def uk_did_not_vote_yes(unga_181_roll_call):
        return True, "the United Kingdom did not vote yes"  # reads nothing: it holds whatever the data say

    def uk_vote_counted(unga_181_roll_call):
        vote = unga_181_roll_call.set_index("country")["vote"]
        return vote["United Kingdom"] != "yes", f"the United Kingdom voted {vote['United Kingdom']}"

    def set_uk(vote):
        def change(d):
            frame = d["unga_181_roll_call"].copy()
            frame.loc[frame["country"] == "United Kingdom", "vote"] = vote
            return {"unga_181_roll_call": frame}
        return change

    article, stronger = World("the United Kingdom voted yes", set_uk("yes")), World("the United Kingdom voted no", set_uk("no"))
    aside, warnings = _build_with_checks(root, tmp_path, monkeypatch, {
        "hollow_uk_check": Check("hollow_uk_check", uk_did_not_vote_yes, article, stronger),
        "genuine_uk_check": Check("genuine_uk_check", uk_vote_counted, article, stronger),
    })
    computed = [p.get_text() for p in aside.select(".computed-evidence")]
    assert len(computed) == 1 and computed[0].startswith("Computed from the data: The United Kingdom voted abstain (")
    assert "did not vote yes" not in aside.get_text()
    line = next(l for l in warnings.splitlines() if "hollow_uk_check" in l)
    assert "'checked'" in line and "unga_181_roll_call" in line and "cannot fail" in line and "the United Kingdom voted yes" in line
    assert "genuine_uk_check" not in warnings


def test_a_passage_not_re_found_is_never_shown_as_checked(site):
    first = soup(site, "chapter").select_one("aside#claim-checked").select(".annotation-sources > li")[0]
    checked, unfound = first.select(".source-excerpts")
    assert checked.select_one(".source-excerpts-title").get_text() == "What the source says"
    assert UNFOUND not in checked.get_text()  # not among the passages shown as checked
    assert "source-excerpts-not-refound" in unfound["class"]
    assert unfound.select_one(".source-excerpts-title").get_text() == "Passage not re-found on 2026-12-03"
    assert unfound.select_one("blockquote.source-excerpt-not-refound").get_text(strip=True) == UNFOUND
    assert not unfound.select("blockquote.source-excerpt")


def test_the_re_finding_rate_is_counted_from_the_notes(site):
    every = [e for a in (hostile_annotation(), reviewed_annotation()) for s in a.sources for e in s.excerpts]
    unfound = [e for e in every if e.get("not_refound")]
    text = soup(site, "rate").select_one("p.refinding-rate").get_text()
    assert f"Of the {len(every)} passages stored in the notes, {len(every) - len(unfound)} (" in text
    assert f"; {len(unfound)} could not be found again" in text


def test_a_notebook_note_shows_a_passage_not_re_found_apart(root):
    from edition import notebook

    html = BeautifulSoup(notebook.note_html(reviewed_annotation()), "html.parser")
    checked = [d for d in html.find_all("div") if d.em and d.em.get_text() == "What the source says:"]
    assert checked and all(UNFOUND not in d.get_text() for d in checked)
    (unfound,) = [d for d in html.find_all("div") if d.em and d.em.get_text().startswith("Passage not re-found")]
    assert unfound.em.get_text() == "Passage not re-found on 2026-12-03:" and UNFOUND in unfound.get_text()
    assert "(passage not re-found on 2026-12-03)" in notebook.note_text(reviewed_annotation())
