"""The canonical text, and the guarantee that the book reproduces it exactly."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import SEED, build_book
from edition.article import compare_sequence, load_article, parse_received

ARTICLE = load_article()
ARTICLE_FILE = Path(__file__).resolve().parent.parent / "data" / "article.yml"


def test_canonical_text_matches_the_text_as_received():
    if not SEED.is_file():
        pytest.skip("the text as received is not beside the repository")
    received = parse_received(SEED.read_text(encoding="utf-8"))
    assert [(b.kind, b.text) for b in received] == [(b.kind, b.text) for b in ARTICLE.blocks]


def test_canonical_text_has_every_paragraph_heading_and_endnote_marker():
    assert len(ARTICLE.paragraphs) == 19
    assert [b.text for b in ARTICLE.blocks if b.kind == "heading"] == [
        "\u201cWe Support Israel\u201d", "Economic, Technological, and Military Ties", "Putin\u2019s Reasons"]
    assert re.findall(r"\[(\d+)\]", ARTICLE.text) == [str(n) for n in range(1, 14)]
    for spelling in ("agressions", "Yisrael Beteniu", "the \u2018Russian world'"):
        assert spelling in ARTICLE.text


def test_web_page_residue_and_date_lines_are_left_out():
    for residue in ("Check out our other content", "Check out other tags", "Most Popular Articles", "Fri Nov 15, 2024"):
        assert residue not in ARTICLE.text
    assert ARTICLE.date == "2024-11-15"


def _found():
    return [(f"place {i}", b.text) for i, b in enumerate(ARTICLE.blocks)]


def test_the_article_as_is_has_no_problem():
    assert compare_sequence(ARTICLE, _found()) == []


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda f: f.__setitem__(2, (f[2][0], f[2][1].replace("Stalinist", "Soviet", 1))), r"place 2: text differs from the article's p3 at character 76: expected 't'"),
        (lambda f: f.pop(5), r"p6 is missing from every chapter"),
        (lambda f: f.__setitem__(slice(1, 3), [f[2], f[1]]), r"p2 is out of order \(it comes after p3\)"),
        (lambda f: f.__setitem__(1, (f[1][0], f[1][1].replace("\u201cdecreed\u201d", "\"decreed\""))), r"place 1: .*expected '\u201c' \(U\+201C\), got '\"'"),
        (lambda f: f.append(f[0]), r"p1 is duplicated"),
    ],
    ids=["one-word", "dropped-paragraph", "swapped", "quotation-mark", "duplicated"],
)
def test_mutations_are_reported_with_place_and_first_difference(mutate, expected):
    found = _found()
    mutate(found)
    problems = compare_sequence(ARTICLE, found)
    assert any(re.search(expected, p) for p in problems), problems


# The same guarantee, end to end: a real build of an altered copy of the book must fail.

def _without_execution(repo):
    config = repo / "_config.yml"
    config.write_text(config.read_text().replace("execute_notebooks: cache", "execute_notebooks: \"off\""))


def _build_fails_with(repo, tmp_path, pattern):
    result = build_book(repo, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the build should have failed"
    assert re.search(pattern, output), output[-3000:]


CHAPTER = "book/02-migration-politics-visas.md"


@pytest.mark.slow
@pytest.mark.parametrize(
    "edit, pattern",
    [
        (lambda t: t.replace("Thousands of Jews", "Hundreds of Jews", 1), r"book/02-migration-politics-visas: paragraph 2: text differs from the article's p6 at character 1: expected 'T'"),
        (lambda t: re.sub(r"\nIn 2007, Russia and Israel.*?\n", "\n", t, count=1), r"p7 is missing from every chapter"),
        (lambda t: t.replace("\u201cvisa exemption\u201d", "\"visa exemption\"", 1), r"paragraph 3: text differs from the article's p7 at character \d+: expected '\u201c'"),
    ],
    ids=["changed-word", "dropped-paragraph", "straight-quotes"],
)
def test_build_fails_when_a_chapter_alters_the_text(repo_copy, tmp_path, edit, pattern):
    _without_execution(repo_copy)
    chapter = repo_copy / CHAPTER
    chapter.write_text(edit(chapter.read_text(encoding="utf-8")), encoding="utf-8")
    _build_fails_with(repo_copy, tmp_path, pattern)


@pytest.mark.slow
def test_build_fails_when_two_paragraphs_are_swapped(repo_copy, tmp_path):
    _without_execution(repo_copy)
    chapter = repo_copy / "book/05-putins-reasons.md"
    text = chapter.read_text(encoding="utf-8")
    first, second = ARTICLE.block("p18").text, ARTICLE.block("p19").text
    chapter.write_text(text.replace(first, "\0").replace(second, first).replace("\0", second), encoding="utf-8")
    _build_fails_with(repo_copy, tmp_path, r"p18 is out of order")


@pytest.mark.slow
def test_rendering_that_changes_characters_is_caught_in_the_html(repo_copy, tmp_path):
    # Smart quotes would turn the author's straight apostrophe in 'Russian world' into a curly one.
    _without_execution(repo_copy)
    config = repo_copy / "_config.yml"
    config.write_text(config.read_text().replace("smartquotes: false", "smartquotes: true"))
    _build_fails_with(repo_copy, tmp_path, r"rendered article text: .*p8 at character \d+: expected \"'\"")


@pytest.mark.slow
def test_malformed_toc_fails_the_build_naming_the_file(repo_copy, tmp_path):
    _without_execution(repo_copy)
    (repo_copy / "_toc.yml").write_text("format: jb-book\nroot: book/about\nparts:\n  - chapters:\n    - file: book/missing-chapter\n")
    _build_fails_with(repo_copy, tmp_path, r"missing-chapter|_toc\.yml")


@pytest.mark.slow
def test_rebuild_notices_added_and_edited_annotations(repo_copy, tmp_path):
    import yaml
    from bs4 import BeautifulSoup

    _without_execution(repo_copy)
    out = tmp_path / "out"
    assert build_book(repo_copy, out).returncode == 0
    source = repo_copy / "data/annotations/ussr-vote-1947.yml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    # Re-anchor a copy of an existing annotation on free words of the same paragraph.
    data.update(id="added-later", quote={"exact": "First of all, it is necessary to recall some historical elements."})
    (repo_copy / "data/annotations/added-later.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    inventory = repo_copy / "data/inventory.yml"
    inventory.write_text(inventory.read_text().replace("p2:", "p2:\n  - {id: added-later, kind: claim}", 1))
    result = build_book(repo_copy, out)
    assert result.returncode == 0, result.stdout[-3000:]
    chapter = out / "_build/html/book/01-from-1947-to-putin.html"
    assert BeautifulSoup(chapter.read_text(), "html.parser").select_one("aside#claim-added-later")
    claims = out / "_build/html/claims"
    other = claims / "ussr-vote-1947.html"
    other_written = other.stat().st_mtime_ns
    data["summary"] = "An edited summary that the rebuilt page must show."
    added = repo_copy / "data/annotations/added-later.yml"
    added.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert build_book(repo_copy, out).returncode == 0
    aside = BeautifulSoup(chapter.read_text(), "html.parser").select_one("aside#claim-added-later")
    assert "An edited summary that the rebuilt page must show." in aside.get_text()
    assert "An edited summary that the rebuilt page must show." in (claims / "added-later.html").read_text()
    downloadable = (out / "_build/html/_sources/book/01-from-1947-to-putin.ipynb").read_text()
    assert "An edited summary that the rebuilt page must show." in downloadable  # its notes cell shows the note as it is now
    assert other.stat().st_mtime_ns == other_written  # an unchanged note's page is not written again
    # A touch (same bytes, newer time) re-reads and rewrites nothing.
    added.touch()
    result = build_book(repo_copy, out)
    assert "no targets are out of date" in result.stdout and "edition claim pages" not in result.stdout, result.stdout[-3000:]


@pytest.mark.slow
def test_changed_dataset_is_replotted_not_served_from_the_execution_cache(repo_copy, tmp_path, built_site):
    from edition import datasets

    out = tmp_path / "out"
    # Start from the session build's execution cache: this first build runs no notebook.
    shutil.copytree(built_site.parent / ".jupyter_cache", out / "_build" / ".jupyter_cache")
    assert build_book(repo_copy, out).returncode == 0
    chapter = out / "_build/html/book/01-from-1947-to-putin.html"
    assert "13 against, 10 abstentions" in chapter.read_text()
    folder = repo_copy / "data/datasets"
    csv = folder / "unga_181_roll_call.csv"

    def vote_changes(before: str, after: str) -> None:
        # Changes no verdict rests on (the evidence checks would rightly fail the build on the powers' votes).
        csv.write_text(csv.read_text().replace(before, after))
        datasets.rehash("unga_181_roll_call", folder)

    # A fresh environment over the old execution cache, as `jupyter-book clean` leaves it.
    vote_changes("Afghanistan,no", "Afghanistan,abstain")
    shutil.rmtree(out / "_build" / ".doctrees")
    result = build_book(repo_copy, out)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "12 against, 11 abstentions" in chapter.read_text()
    # An incremental rebuild.
    vote_changes("Cuba,no", "Cuba,abstain")
    result = build_book(repo_copy, out)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "11 against, 12 abstentions" in chapter.read_text()

def test_importing_the_text_again_keeps_the_addresses_an_editor_recorded(tmp_path):
    from edition.article import import_received

    if not SEED.is_file():
        pytest.skip("the text as received is not beside the repository")
    target = tmp_path / "article.yml"
    shutil.copy(ARTICLE_FILE, target)
    import_received(SEED, target)
    again = load_article(target)
    assert again.versions == ARTICLE.versions and again.versions and again.url == ARTICLE.url
    assert again.blocks == ARTICLE.blocks
