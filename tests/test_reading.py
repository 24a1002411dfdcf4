"""The reading layer in Chromium: every note opens beside its claim with both on screen, on a desktop and on a
phone; collapsed notes stay near their claims and leave no tail; the verdict shows at every claim; the keyboard,
permalinks, print and a browser without script all keep the note with its claim."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from edition.sphinxext.render import GLYPHS, verdict_label
from test_browser import ARTIFACTS, browser, contrast, goto, open_page, parse_colour, site_pages, tab_to_a_claim  # noqa: F401

pytestmark = pytest.mark.slow

DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 375, "height": 760}
VIEWPORTS = {"desktop": {"viewport": DESKTOP}, "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True}}
SHEET_MODE = "document.documentElement.classList.contains('ed-sheet')"

# Where things are on screen, measured in the page: the free part of the viewport starts below the theme's header.
GEOMETRY = """mark => {
  const note = document.getElementById(mark.getAttribute('aria-controls'));
  const header = document.querySelector('header.bd-header');
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}; };
  return {mark: box(mark), note: box(note), head: box(note.querySelector('.annotation-head')), summary: box(note.querySelector('.annotation-summary')),
          top: header ? Math.max(0, header.getBoundingClientRect().bottom) : 0, height: window.innerHeight,
          expanded: mark.getAttribute('aria-expanded'), open: note.classList.contains('is-open')};
}"""


def chapters(built_site) -> list[str]:
    return [p for p in site_pages(built_site) if re.match(r"book/\d\d-", p)]


def save(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def on_screen(box: dict, top: float, height: float) -> bool:
    return box["height"] > 0 and box["top"] >= top - 1 and box["bottom"] <= height + 1


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("device", VIEWPORTS)
def test_every_note_opens_beside_its_claim_with_both_on_screen(browser, site_url, built_site, device):
    page, problems = open_page(browser, **VIEWPORTS[device])
    failures, checked = [], 0
    for rel in chapters(built_site):
        goto(page, site_url, rel)
        for mark in page.locator("p.article-text a.claim-mark").all():
            claim = mark.get_attribute("data-claim")
            mark.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -120)")  # a claim near the top, under the header, as a reader may leave it
            mark.scroll_into_view_if_needed()
            before = page.evaluate("window.scrollY")
            mark.click()
            g = mark.evaluate(GEOMETRY)
            checked += 1
            where = f"{rel} {claim}"
            if g["expanded"] != "true" or not g["open"]:
                failures.append(f"{where}: selecting the claim did not open its note")
            if not on_screen(g["mark"], g["top"], g["height"]):
                failures.append(f"{where}: the claim left the screen (at {g['mark']['top']:.0f}..{g['mark']['bottom']:.0f}px)")
            # An opened note is as tall as its text, which may be taller than the screen: its verdict and summary show.
            if not (on_screen(g["head"], g["top"], g["height"]) and on_screen(g["summary"], g["top"], g["height"])):
                failures.append(f"{where}: the note's verdict and summary are not on screen (note at {g['note']['top']:.0f}..{g['note']['bottom']:.0f}px)")
            if overlaps(g["mark"], g["note"]):
                failures.append(f"{where}: the note covers its claim")
            if device == "desktop" and page.evaluate("window.scrollY") != before:
                failures.append(f"{where}: selecting the claim scrolled the page")
            page.keyboard.press("Escape")
            if mark.get_attribute("aria-expanded") != "false":
                failures.append(f"{where}: Escape did not close the note")
        if rel.startswith("book/02-"):
            page.locator("p.article-text a.claim-mark").nth(3).click()
            save(page, f"note-open-{device}.png")
            page.keyboard.press("Escape")
    assert checked >= 60, f"only {checked} claims checked"
    assert not failures, f"{len(failures)} of {checked} claims:\n" + "\n".join(failures)
    assert not problems, "\n".join(problems)


def test_collapsed_notes_sit_level_with_their_claims_and_leave_no_tail(browser, site_url, built_site):
    page, problems = open_page(browser, viewport=DESKTOP)
    failures, checked = [], 0
    for rel in chapters(built_site):
        goto(page, site_url, rel)
        if rel.startswith("book/01-"):
            save(page, "chapter-desktop-margin.png")
        assert not page.evaluate(SHEET_MODE), f"{rel}: a 1400px screen should show notes in the margin"
        result = page.evaluate("""() => {
          const article = document.querySelector('article.bd-article').getBoundingClientRect();
          const notes = [...document.querySelectorAll('aside.annotation')].map(n => {
            const r = n.getBoundingClientRect(), m = document.getElementById('mark-' + n.dataset.claim).getBoundingClientRect();
            return {id: n.dataset.claim, top: r.top, bottom: r.bottom, left: r.left, mark: m.top, markRight: m.right, textRight: article.right};
          });
          return {notes, articleBottom: article.bottom, pageBottom: document.documentElement.scrollHeight - window.scrollY,
                  screen: window.innerHeight};
        }""")
        notes = sorted(result["notes"], key=lambda n: n["top"])
        for note in notes:
            checked += 1
            if abs(note["top"] - note["mark"]) > result["screen"]:
                failures.append(f"{rel} {note['id']}: note starts {note['top'] - note['mark']:.0f}px from its claim")
            if note["left"] < note["textRight"]:
                failures.append(f"{rel} {note['id']}: note overlaps the text column")
        for a, b in zip(notes, notes[1:]):
            if b["top"] < a["bottom"] - 0.5:
                failures.append(f"{rel}: notes {a['id']} and {b['id']} overlap")
        if notes and notes[-1]["bottom"] > result["articleBottom"] + 1:
            failures.append(f"{rel}: notes run {notes[-1]['bottom'] - result['articleBottom']:.0f}px past the chapter's text")
        if result["pageBottom"] - result["articleBottom"] > result["screen"]:
            failures.append(f"{rel}: the page runs {result['pageBottom'] - result['articleBottom']:.0f}px past the chapter's text")
    assert checked >= 60, f"only {checked} notes checked"
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)


def test_on_a_phone_each_paragraph_gets_one_compact_line_of_notes(browser, site_url, built_site):
    page, problems = open_page(browser, **VIEWPORTS["phone"])
    failures, checked = [], 0
    for rel in chapters(built_site):
        goto(page, site_url, rel)
        if rel.startswith("book/01-"):
            save(page, "chapter-phone-strips.png")
        assert page.evaluate(SHEET_MODE), f"{rel}: a 375px screen should open notes as a sheet"
        expect(page.locator("aside.annotation").first).to_be_hidden()
        for para in page.locator("p.article-text:has(a.claim-mark)").all():
            checked += 1
            marks = para.locator("a.claim-mark").count()
            strip = para.locator("xpath=following-sibling::*[1]")
            info = strip.evaluate("s => ({cls: s.className, chips: s.querySelectorAll('.ed-chip').length,"
                                  " height: s.getBoundingClientRect().height, line: parseFloat(getComputedStyle(s.querySelector('.ed-chip')).height),"
                                  " scroll: s.scrollWidth, width: s.clientWidth})")
            if info["cls"] != "ed-strip" or info["chips"] != marks:
                failures.append(f"{rel}: a paragraph with {marks} claims is followed by {info}")
            elif info["scroll"] > info["width"] + 1:
                failures.append(f"{rel}: the strip of {marks} notes is cut off ({info['scroll']} of {info['width']}px)")
            elif marks <= 6 and info["height"] > 1.6 * info["line"]:
                failures.append(f"{rel}: the strip of {marks} notes takes {info['height']:.0f}px, more than one line")
        chip = page.locator(".ed-strip .ed-chip").first
        chip.scroll_into_view_if_needed()
        chip.click()
        expect(page.locator("aside.annotation.is-open")).to_be_visible()
        page.locator("aside.annotation.is-open .annotation-close").click()
        expect(page.locator("aside.annotation.is-open")).to_have_count(0)
        expect(chip).to_be_focused()
    assert checked >= 15, f"only {checked} paragraphs checked"
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_verdict_can_be_told_at_its_claim(browser, site_url, built_site, scheme):
    page, problems = open_page(browser, viewport=DESKTOP, color_scheme=scheme)
    looks: dict[str, set] = {}
    failures = []
    for rel in chapters(built_site):
        goto(page, site_url, rel)
        for verdict, background, border, style, sign, fg, chip, dense in page.locator("a.claim-mark").evaluate_all("""ms => ms.map(m => {
              const s = getComputedStyle(m), a = getComputedStyle(m, '::after');
              return [m.dataset.verdict, s.backgroundColor, s.borderBottomColor, s.borderBottomStyle, a.content, a.color, a.backgroundColor,
                      !!m.closest('p.is-dense')];
            })"""):
            # A dense paragraph sets every verdict in a lighter tint; the looks are compared within each kind of paragraph.
            looks.setdefault(verdict + (" (dense)" if dense else ""), set()).add((background, border, style))
            glyph = GLYPHS[verdict]
            if not sign.startswith(f'"{glyph}"'):
                failures.append(f"{rel}: a {verdict} claim shows the sign {sign}, expected {glyph!r}")
            if contrast(parse_colour(fg)[0], parse_colour(chip)[0]) < 4.5:
                failures.append(f"{rel}: the {verdict} sign has contrast {contrast(parse_colour(fg)[0], parse_colour(chip)[0]):.2f}:1")
    assert {v.replace(" (dense)", "") for v in looks} >= {"accurate", "mostly accurate", "inaccurate", "opinion"}, f"verdicts found: {sorted(looks)}"
    assert all(len(v) == 1 for v in looks.values()), f"one look per verdict: {looks}"
    for kind in ("", " (dense)"):
        these = {v: next(iter(look)) for v, look in looks.items() if v.endswith(kind) and (kind or "(dense)" not in v)}
        assert len(set(these.values())) == len(these), f"two verdicts share a look: {these}"
    # Assistive technology hears the verdict's words with the claim, not the sign.
    goto(page, site_url, chapters(built_site)[0])
    mark = page.locator("p.article-text a.claim-mark").first
    name = mark.evaluate("m => m.dataset.verdict")
    expect(page.get_by_role("link", name=re.compile(re.escape("opinion" if name == "opinion" else f"verdict: {name}")))).not_to_have_count(0)
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)


def test_each_chapter_opens_with_a_legend_of_its_verdicts(browser, site_url, built_site):
    page, problems = open_page(browser, viewport=DESKTOP)
    failures = []
    for rel in chapters(built_site):
        goto(page, site_url, rel)
        counts = Counter(page.locator("p.article-text a.claim-mark").evaluate_all("ms => ms.map(m => m.dataset.verdict)"))
        entries = page.locator(".chapter-legend a.legend-entry")
        legend = {e.get_attribute("data-verdict"): int(re.search(r"\d+", e.inner_text()).group()) for e in entries.all()}
        if legend != dict(counts):
            failures.append(f"{rel}: legend {legend} but the claims are {dict(counts)}")
        first_heading = page.locator("article h1").first.bounding_box()
        if entries.first.bounding_box()["y"] > first_heading["y"] + 300:
            failures.append(f"{rel}: the legend is not at the top of the chapter")
        verdict = max(counts, key=lambda v: (counts[v], v))
        entry = page.locator(f'.chapter-legend a.legend-entry[data-verdict="{verdict}"]')
        seen = []
        for _ in range(min(2, counts[verdict])):
            entry.click()
            opened = page.locator("aside.annotation.is-open")
            expect(opened).to_have_count(1)
            claim = opened.get_attribute("data-claim")
            seen.append(claim)
            mark = page.locator(f'a.claim-mark[data-claim="{claim}"]')
            if mark.get_attribute("data-verdict") != verdict:
                failures.append(f"{rel}: the {verdict} entry opened a {mark.get_attribute('data-verdict')} claim")
            expect(mark).to_be_in_viewport()
            expect(opened).to_be_in_viewport()
        if len(seen) != len(set(seen)):
            failures.append(f"{rel}: the {verdict} entry goes to the same claim twice: {seen}")
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("device", VIEWPORTS)
def test_keyboard_enter_opens_the_note_and_escape_returns_to_the_claim(browser, site_url, built_site, device):
    page, problems = open_page(browser, **VIEWPORTS[device])
    goto(page, site_url, chapters(built_site)[1])
    tab_to_a_claim(page)
    mark_id = page.evaluate("document.activeElement.id")
    mark = page.locator(f'[id="{mark_id}"]')
    note_id = mark.get_attribute("aria-controls")
    expect(mark).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(mark).to_have_attribute("aria-expanded", "true")
    assert page.evaluate(f"document.getElementById('{note_id}').contains(document.activeElement)"), "focus did not move into the note"
    expect(page.locator(f'[id="{note_id}"] details').first).to_have_js_property("open", True)
    expect(mark).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(mark).to_be_focused()
    expect(mark).to_have_attribute("aria-expanded", "false")
    # The close control does the same.
    page.keyboard.press("Enter")
    page.locator(f'[id="{note_id}"] .annotation-close').click()
    expect(mark).to_be_focused()
    expect(mark).to_have_attribute("aria-expanded", "false")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("device", VIEWPORTS)
def test_a_permalink_opens_its_claim_in_view_with_the_note_beside_it(browser, site_url, built_site, device):
    page, problems = open_page(browser, **VIEWPORTS[device])
    rel = chapters(built_site)[1]
    goto(page, site_url, rel)
    claim = page.locator("p.article-text a.claim-mark").last.get_attribute("data-claim")
    goto(page, site_url, f"{rel}#claim-{claim}")
    mark = page.locator(f'a.claim-mark[data-claim="{claim}"]')
    expect(mark).to_have_attribute("aria-expanded", "true")
    g = mark.evaluate(GEOMETRY)
    assert on_screen(g["mark"], g["top"], g["height"]), f"the claim is not in view: {g}"
    assert on_screen(g["head"], g["top"], g["height"]) and on_screen(g["summary"], g["top"], g["height"]), f"the note's verdict and summary are not in view: {g}"
    assert not overlaps(g["mark"], g["note"]), f"the note is not beside it: {g}"
    assert not problems, "\n".join(problems)


def test_printed_chapter_has_numbered_notes_after_paragraphs_verdict_first(browser, site_url, built_site):
    page, problems = open_page(browser, viewport=DESKTOP)
    for rel in chapters(built_site)[:2]:
        goto(page, site_url, rel)
        verdicts = page.locator("aside.annotation").evaluate_all("ns => ns.map(n => n.dataset.verdict)")
        page.emulate_media(media="print")
        widths = page.evaluate("[document.querySelector('.bd-article-container').getBoundingClientRect().width,"
                               " document.querySelector('.bd-main').getBoundingClientRect().width]")
        assert widths[0] >= 0.9 * widths[1], f"{rel}: in print the text takes {widths[0]:.0f} of {widths[1]:.0f}px: a margin column is left"
        pdf = page.pdf(format="A4", print_background=True)
        page.emulate_media(media="screen")
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"print-{rel.split('/')[-1].removesuffix('.html')}.pdf").write_bytes(pdf)
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        text = re.sub(r"\s+", " ", text)
        for n, verdict in enumerate(verdicts, start=1):
            label = verdict_label(verdict)
            # Verdict first: the note's number, then its sign and verdict.
            assert re.search(rf"\b{n}\. .{{0,4}}{re.escape(label)}", text), f"{rel}: note {n} ({label}) not printed verdict first"
    assert not problems, "\n".join(problems)


def test_without_javascript_every_note_follows_its_paragraph(browser, site_url, built_site):
    page, problems = open_page(browser, viewport=DESKTOP, java_script_enabled=False)
    failures = []
    for rel in chapters(built_site):
        goto(page, site_url, rel)
        for claim, para_bottom, para_left, top, left, visible in page.locator("aside.annotation").evaluate_all("""ns => ns.map(n => {
              const p = document.getElementById('mark-' + n.dataset.claim).closest('p').getBoundingClientRect(), r = n.getBoundingClientRect();
              return [n.dataset.claim, p.bottom, p.left, r.top, r.left, r.height > 0];
            })"""):
            if not visible or top < para_bottom - 1 or abs(left - para_left) > 1:
                failures.append(f"{rel} {claim}: without script the note is not below its paragraph")
    assert not failures, "\n".join(failures)
    # With script disabled, the browser refuses every script request (reported as "csp"): that is the point here.
    assert not [p for p in problems if not p.endswith("(csp)")], "\n".join(problems)
