"""Every width and paper, in Chromium: the margin kept between 1,000 and 1,199px, the phone's sheet and chips, and a
compact printed chapter with every source's address."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from edition.annotations import load_all
from test_browser import ARTIFACTS, browser, goto, open_page  # noqa: F401
from test_reading import chapters, save

pytestmark = pytest.mark.slow

PHONE = {"viewport": {"width": 375, "height": 760}, "is_mobile": True, "has_touch": True}
# Characters per line of the article's paragraphs: the text's length over the number of lines it takes.
LINE_LENGTHS = """() => [...document.querySelectorAll('p.article-text')].map(p => {
  const range = document.createRange(); range.selectNodeContents(p);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.bottom))).size;
  return p.textContent.length / Math.max(1, lines);
})"""


@pytest.mark.parametrize("width", [1024, 1100])
def test_between_1000_and_1199px_the_notes_keep_their_margin(browser, site_url, built_site, width):
    page, problems = open_page(browser, viewport={"width": width, "height": 800})
    failures = []
    for rel in chapters(built_site):
        goto(page, site_url, rel)
        if rel.startswith("book/02-"):
            save(page, f"chapter-{width}.png")
        if not page.evaluate("document.documentElement.classList.contains('ed-margin')"):
            failures.append(f"{rel}: no margin at {width}px")
            continue
        text_right = page.evaluate("document.querySelector('article.bd-article').getBoundingClientRect().right")
        lefts = page.locator("aside.annotation").evaluate_all("ns => ns.map(n => n.getBoundingClientRect().left)")
        if min(lefts) < text_right:
            failures.append(f"{rel}: a note overlaps the text")
        longest = max(page.evaluate(LINE_LENGTHS))
        if longest > 85:
            failures.append(f"{rel}: lines run {longest:.0f} characters")
    # The navigation still opens from its button.
    page.locator("button.primary-toggle:visible").first.click()
    expect(page.locator("#pst-primary-sidebar")).to_be_visible()
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)


def _sheet_opened_on_a_phone(browser, site_url, built_site):
    """Chapter 2 on a phone with its first chip tapped: the page, its problems, the chip and the open sheet."""
    page, problems = open_page(browser, **PHONE)
    goto(page, site_url, chapters(built_site)[1])
    chip = page.locator(".ed-strip .ed-chip").first
    chip.scroll_into_view_if_needed()
    chip.tap()
    sheet = page.locator("aside.annotation.is-open")
    expect(sheet).to_be_visible()
    return page, problems, chip, sheet


def test_on_a_phone_a_tap_outside_the_sheet_closes_it_and_targets_are_44px(browser, site_url, built_site):
    page, problems, chip, sheet = _sheet_opened_on_a_phone(browser, site_url, built_site)
    save(page, "sheet-phone.png")
    close = sheet.locator(".annotation-close").bounding_box()
    assert close["width"] >= 44 and close["height"] >= 44, f"the close button is {close}"
    sizes = page.locator(".ed-chip").evaluate_all("cs => cs.map(c => [c.getBoundingClientRect().width, c.getBoundingClientRect().height])")
    assert all(w >= 44 and h >= 44 for w, h in sizes), f"chips smaller than 44px: {[s for s in sizes if min(s) < 44][:3]}"
    # No chip strip is cut off: each fits the screen's width, wrapping where needed.
    widths = page.locator(".ed-strip").evaluate_all("ss => ss.map(s => [s.scrollWidth, s.clientWidth])")
    assert all(sw <= cw + 1 for sw, cw in widths), f"a strip is cut off: {widths}"
    page.touchscreen.tap(180, 120)  # on the article's text, above the sheet
    expect(page.locator("aside.annotation.is-open")).to_have_count(0)
    assert not problems, "\n".join(problems)


def test_in_landscape_the_claim_stays_clear_of_the_toolbar(browser, site_url, built_site):
    page, problems = open_page(browser, viewport={"width": 760, "height": 375}, is_mobile=True, has_touch=True)
    rel = chapters(built_site)[1]
    goto(page, site_url, rel)
    claim = page.locator("p.article-text a.claim-mark").nth(4).get_attribute("data-claim")
    goto(page, site_url, f"{rel}#claim-{claim}")
    save(page, "landscape-permalink.png")
    mark_top = page.locator(f"#mark-{claim}").evaluate("m => m.getBoundingClientRect().top")
    bars = page.evaluate("""() => Math.max(0, ...[...document.querySelectorAll('header.bd-header, .header-article')]
        .map(b => b.getBoundingClientRect()).filter(r => r.top <= 1 && r.height > 0).map(r => r.bottom))""")
    assert mark_top >= bars, f"the claim's top ({mark_top:.0f}px) is under the toolbar ({bars:.0f}px)"
    assert not problems, "\n".join(problems)


def test_a_printed_chapter_is_compact_and_prints_every_source_address(browser, site_url, built_site):
    page, problems = open_page(browser, viewport={"width": 1400, "height": 900})
    rel = chapters(built_site)[1]
    goto(page, site_url, rel)
    claims = set(page.locator("aside.annotation").evaluate_all("ns => ns.map(n => n.dataset.claim)"))
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "print-chapter-2.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 12, f"chapter 2 prints on {len(reader.pages)} A4 pages"
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages)))
    missing = [s.url for a in load_all() if a.id in claims for s in a.sources if re.sub(r"\s+", "", s.url)[:60] not in text]
    assert not missing, f"{len(missing)} source addresses not printed, e.g. {missing[:3]}"
    assert not problems, "\n".join(problems)


def test_the_pdf_command_prints_the_whole_edition_in_reading_order(built_site, tmp_path, root):
    import subprocess
    import sys

    out = tmp_path / "edition.pdf"
    result = subprocess.run([sys.executable, str(root / "scripts" / "edition_pdf.py"), "--site", str(built_site), "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    reader = PdfReader(str(out))
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages[:40]))
    first = text.find("The bottom line")
    chapter_one = text.find("From 1947 to Putin", first + 1)
    assert 0 <= first < chapter_one, "the PDF does not open on the front page followed by chapter 1"
    assert len(reader.pages) > 5 * 3
    # The front page offers it where the command and the Pages workflow write it.
    about = (built_site / "book" / "about.html").read_text(encoding="utf-8")
    assert 'href="../edition.pdf"' in about


def swipe(page, x: float, y: float, dy: float) -> None:
    """A finger on the screen at (x, y), moved down by dy in a few steps and lifted: real touch events (CDP)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 5):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + dy * step / 4}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_on_a_phone_a_swipe_down_on_the_sheet_closes_it(browser, site_url, built_site):
    page, problems, chip, sheet = _sheet_opened_on_a_phone(browser, site_url, built_site)
    box = sheet.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 24
    # A short drag leaves it open (the reader may be scrolling the note).
    swipe(page, x, y, 20)
    expect(sheet).to_be_visible()
    assert sheet.evaluate("n => n.scrollTop") == 0
    save(page, "sheet-phone-before-swipe.png")
    swipe(page, x, y, 120)
    expect(page.locator("aside.annotation.is-open")).to_have_count(0)
    expect(chip).to_have_attribute("aria-expanded", "false")
    expect(chip).to_be_focused()
    save(page, "sheet-phone-after-swipe.png")
    assert not problems, "\n".join(problems)
