"""Suggesting a fact-check from the page, in Chromium: select words of a chapter by mouse or keyboard, and the
control that appears opens the issue form with the exact words and a prefix/suffix with which the validator
(edition.annotations.locate, run here in Python) anchors them exactly once. A selection across two paragraphs
or outside the article gets an explanation instead of a URL. Each note links to the correction form."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect, sync_playwright

from edition import annotations
from edition.article import load_article
from test_browser import CHAPTER, CHROMIUM, CHROMIUM_ARGS, goto, open_page, pages_containing

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = load_article(ROOT / "data" / "article.yml")
CONTROL = ".suggest-control"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    # Caret browsing (F7 in Chromium) is how a keyboard user selects the text of a page.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--enable-caret-browsing"])
        yield chromium
        chromium.close()

# Viewport coordinates of the left edge of character `start` of the n-th article paragraph and of the right edge
# of character `end - 1` of the m-th (counting every text node, claim marks included), the n-th scrolled into view.
POINTS = """([n, start, m, end]) => {
  const ps = document.querySelectorAll("p.article-text");
  ps[n].scrollIntoView({block: "center"});
  function rectAt(p, index) {
    const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let seen = 0, node;
    while ((node = walk.nextNode())) {
      if (index < seen + node.length) {
        const r = document.createRange();
        r.setStart(node, index - seen); r.setEnd(node, index - seen + 1);
        return r.getBoundingClientRect();
      }
      seen += node.length;
    }
    throw new Error("index beyond the paragraph");
  }
  const a = rectAt(ps[n], start), b = rectAt(ps[m], end - 1);
  return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
}"""

# A stretch of plain text (outside claim marks) in the n-th paragraph: [start, end) offsets, of at least `length`.
PLAIN = """([n, length]) => {
  const p = document.querySelectorAll("p.article-text")[n];
  const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let seen = 0, node;
  while ((node = walk.nextNode())) {
    if (!node.parentElement.closest("a") && node.length >= length + 4) {
      const at = node.data.indexOf(" ", 2) + 1;
      if (at > 0 && at + length <= node.length) return [seen + at, seen + at + length];
    }
    seen += node.length;
  }
  return null;
}"""


def drag(page, n: int, start: int, end: int, end_paragraph: int | None = None) -> None:
    """Press the mouse at character start of paragraph n, move, release after character end - 1."""
    m = n if end_paragraph is None else end_paragraph
    p = page.evaluate(POINTS, [n, start, m, end])
    page.mouse.move(p["x1"], p["y1"])
    page.mouse.down()
    page.mouse.move((p["x1"] + p["x2"]) / 2, (p["y1"] + p["y2"]) / 2, steps=4)
    page.mouse.move(p["x2"], p["y2"], steps=4)
    page.mouse.up()


def form_fields(href: str) -> dict[str, str]:
    url = urlparse(href)
    assert (url.scheme, url.netloc) == ("https", "github.com") and url.path.endswith("/issues/new"), href
    return {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}


def assert_anchors(page, fields: dict[str, str]) -> None:
    """The form carries the selected words, and the validator finds them exactly once with that context."""
    assert fields["template"] == "suggest-an-annotation.yml"
    selected = page.evaluate("window.getSelection().toString()").strip()
    assert fields["exact"] == selected and len(selected) >= 3
    hits = annotations.locate(ARTICLE, fields["exact"], fields["prefix"], fields["suffix"])
    assert len(hits) == 1, f"{len(hits)} hits for {fields['prefix']!r} + {fields['exact']!r} + {fields['suffix']!r}"
    block, _ = hits[0]
    assert fields["place"] == f"{Path(CHAPTER).stem}, paragraph {block.key}"
    assert fields["page"].endswith(f"/{CHAPTER}#article-{block.key}")


def chapter_page(browser, site_url):
    page, problems = open_page(browser)
    goto(page, site_url, CHAPTER)
    return page, problems


def test_mouse_selection_shows_the_control_with_a_form_url_that_anchors(browser, site_url):
    page, problems = chapter_page(browser, site_url)
    start, end = page.evaluate(PLAIN, [1, 30])
    drag(page, 1, start, end)
    link = page.locator(f"{CONTROL} a")
    expect(link).to_be_visible()
    expect(link).to_have_text("Suggest a fact-check")
    assert_anchors(page, form_fields(link.get_attribute("href")))
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    page.keyboard.press("Escape")
    expect(page.locator(CONTROL)).to_have_count(0)
    assert not problems, "\n".join(problems)


def test_a_selection_across_a_claim_mark_keeps_the_articles_text(browser, site_url):
    page, problems = chapter_page(browser, site_url)
    found = page.evaluate("""() => {
      const ps = [...document.querySelectorAll("p.article-text")];
      for (let n = 0; n < ps.length; n++) {
        for (const mark of ps[n].querySelectorAll("a.claim-mark")) {
          const r = document.createRange(); r.setStart(ps[n], 0); r.setEndBefore(mark);
          const start = r.toString().length, end = start + mark.textContent.length;
          const text = ps[n].textContent;
          if (start > 12 && end + 12 < text.length && text[start - 1] === " " && text[end] === " ") return [n, start - 8, end + 8];
        }
      }
      return null;
    }""")
    assert found, "no claim mark with plain text on both sides in the chapter"
    n, start, end = found
    drag(page, n, start, end)
    link = page.locator(f"{CONTROL} a")
    expect(link).to_be_visible()
    fields = form_fields(link.get_attribute("href"))
    assert_anchors(page, fields)
    mark = page.evaluate("([n]) => document.querySelectorAll('p.article-text')[n].textContent", [n])
    assert fields["exact"] in mark
    assert not problems, "\n".join(problems)


def test_keyboard_selection_shows_the_control_and_tab_reaches_it(browser, site_url):
    page, problems = chapter_page(browser, site_url)
    start, _ = page.evaluate(PLAIN, [2, 30])
    point = page.evaluate(POINTS, [2, start, 2, start + 1])
    page.mouse.click(point["x1"], point["y1"])  # places the caret, selects nothing
    expect(page.locator(CONTROL)).to_have_count(0)
    for _ in range(4):
        page.keyboard.press("Shift+Control+ArrowRight")  # four words
    link = page.locator(f"{CONTROL} a")
    expect(link).to_be_visible()
    assert_anchors(page, form_fields(link.get_attribute("href")))
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    assert not problems, "\n".join(problems)


def test_a_selection_across_two_paragraphs_is_explained_not_sent(browser, site_url):
    page, problems = chapter_page(browser, site_url)
    # The first two paragraphs: adjacent, with no figure between them, so both ends fit on one screen.
    start, _ = page.evaluate(PLAIN, [0, 20])
    _, end = page.evaluate(PLAIN, [1, 20])
    drag(page, 0, start, end, end_paragraph=1)
    box = page.locator(CONTROL)
    expect(box).to_contain_text("across two paragraphs")
    expect(box).to_contain_text("within one paragraph")
    expect(box.locator("a")).to_have_count(0)
    assert not problems, "\n".join(problems)


def test_a_selection_outside_the_article_is_explained_not_sent(browser, site_url):
    page, problems = chapter_page(browser, site_url)
    title = page.get_by_role("heading", level=1).first  # the chapter's title: on the page, not in the article's paragraphs
    title.scroll_into_view_if_needed()
    box = title.bounding_box()
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    assert page.evaluate("window.getSelection().toString()").strip()
    control = page.locator(CONTROL)
    expect(control).to_contain_text("not the article\u2019s text")
    expect(control.locator("a")).to_have_count(0)
    assert not problems, "\n".join(problems)


def test_a_two_letter_selection_asks_to_extend_it(browser, site_url):
    page, problems = chapter_page(browser, site_url)
    start, _ = page.evaluate(PLAIN, [1, 20])
    drag(page, 1, start, start + 2)
    expect(page.locator(CONTROL)).to_contain_text("extend the selection")
    expect(page.locator(f"{CONTROL} a")).to_have_count(0)
    assert not problems, "\n".join(problems)


def test_every_note_links_to_the_correction_form_prefilled_with_its_id(built_site):
    pages = pages_containing(built_site, 'class="annotation ')
    assert pages
    seen = 0
    for rel in pages:
        soup = BeautifulSoup((built_site / rel).read_text(encoding="utf-8"), "html.parser")
        for aside in soup.select("aside.annotation"):
            link = aside.select_one("p.annotation-correction > a")
            assert link is not None, f"{rel}: {aside['id']} has no correction link"
            fields = form_fields(link["href"])
            assert fields["template"] == "suggest-a-correction.yml" and fields["permalink"] == aside["id"], link["href"]
            seen += 1
    assert seen >= 10
