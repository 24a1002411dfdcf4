"""What the HTML check reads of a built page: the chapter's heading and its article paragraphs, as a reader sees them."""

from __future__ import annotations

import pytest

from edition.htmlcheck import page_blocks

pytestmark = pytest.mark.check  # part of `make check`

PAGE = """<!DOCTYPE html><html><head><title>Not this</title></head><body>
<nav><h1>Site name</h1><p class="article-text">A paragraph outside the main column.</p></nav>
<main id="main-content">
<h1>Migration, politics &amp; visas<a class="headerlink" href="#migration" title="Link to this heading">¶</a></h1>
<p class="note-text">An editors' note, not the article.</p>
<p class="article-text lead">First <mark class="claim" data-v="x">marked <em>claim</em></mark> &#8220;quoted&#8221;, then<br/>more.</p>
<img src="chart.svg" alt="">
<p class="article-text">Second paragraph.</p>
<h1>A second heading</h1>
</main>
<footer><p class="article-text">Footer text.</p></footer>
</body></html>"""


def test_reads_the_title_without_its_link_and_each_article_paragraph_inside_main():
    assert page_blocks(PAGE, with_title=True) == [
        "Migration, politics & visas",
        "First marked claim \u201cquoted\u201d, thenmore.",
        "Second paragraph.",
    ]


def test_without_a_title_only_the_paragraphs_are_read():
    assert page_blocks(PAGE, with_title=False) == ["First marked claim \u201cquoted\u201d, thenmore.", "Second paragraph."]


def test_a_page_without_main_is_read_whole():
    assert page_blocks("<h1>Title</h1><p class='article-text'>Only <b>one</b>.</p>", with_title=True) == ["Title", "Only one."]


def test_a_changed_character_or_a_lost_paragraph_is_seen():
    changed = PAGE.replace("Second paragraph.", "Second paragraph!")
    lost = PAGE.replace('<p class="article-text">Second paragraph.</p>', "")
    assert page_blocks(changed, with_title=False)[-1] == "Second paragraph!"
    assert page_blocks(lost, with_title=False) == ["First marked claim \u201cquoted\u201d, thenmore."]
