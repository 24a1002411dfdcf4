"""What a reader meets first, in Chromium: the front page's bottom line, chapters that open on the article, signs that
never start a line, notes that read in place and sit beside the text, the Sources page, and no layout shift."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
from collections import Counter

import pytest
from playwright.sync_api import expect

from edition.annotations import load_all
from edition.article import load_article
from edition.sphinxext.render import GLYPHS
from test_browser import browser, goto, open_page  # noqa: F401
from test_reading import chapters, save

pytestmark = pytest.mark.slow

ROOT_PAGE = "book/about.html"


def placed(built_site) -> list:
    """The annotations whose claim is marked in a chapter."""
    html = " ".join((built_site / rel).read_text(encoding="utf-8") for rel in chapters(built_site))
    return [a for a in load_all() if f'id="mark-{a.id}"' in html]


def test_front_page_gives_the_bottom_line_and_links_every_wrong_claim_to_its_place(browser, site_url, built_site):
    page, problems = open_page(browser, viewport={"width": 1400, "height": 900})
    goto(page, site_url, ROOT_PAGE)
    save(page, "front-desktop.png")
    anns = placed(built_site)
    counts = Counter(a.verdict for a in anns)
    tally = {e.get_attribute("class").split("verdict-")[1].replace("-", " "): int(re.search(r"\d+", e.inner_text()).group())
             for e in page.locator(".front-tally .front-count").all()}
    assert tally == dict(counts), f"front page tally {tally}, annotations {dict(counts)}"
    # Each tally entry shows its verdict's sign in its verdict's colour.
    for entry in page.locator(".front-tally .front-count").all():
        verdict = entry.get_attribute("class").split("verdict-")[1].replace("-", " ")
        assert entry.locator(".verdict-glyph").inner_text() == GLYPHS[verdict]
        assert entry.evaluate("e => getComputedStyle(e).color") != page.evaluate("getComputedStyle(document.body).color")
    wrong = [a for a in anns if a.verdict in ("inaccurate", "misleading")]
    links = page.locator(".front-wrong-list a.front-claim")
    hrefs = [link.get_attribute("href") for link in links.all()]
    assert sorted(h.split("#")[1] for h in hrefs) == sorted(a.anchor for a in wrong)
    # Each link lands on its claim, open and on screen.
    for n in (0, len(wrong) - 1):
        goto(page, site_url, ROOT_PAGE)
        links.nth(n).click()
        page.wait_for_load_state("networkidle")
        claim = page.url.split("#claim-")[1]
        mark = page.locator(f'a.claim-mark[data-claim="{claim}"]')
        expect(mark).to_have_attribute("aria-expanded", "true")
        expect(mark).to_be_in_viewport()
    goto(page, site_url, ROOT_PAGE)
    start = page.get_by_role("link", name=re.compile("Start reading"))
    expect(start).to_be_in_viewport()
    start.click()
    expect(page).to_have_url(re.compile(r"/book/01-[^/]+\.html$"))
    page.wait_for_load_state("networkidle")
    goto(page, site_url, ROOT_PAGE)
    article = load_article()
    original = page.locator(".front-original")
    expect(original).to_contain_text(article.title)
    expect(original).to_contain_text(article.publisher)
    expect(original).to_contain_text("15 November 2024")
    if article.url:
        expect(original.locator(f'a[href="{article.url}"]')).to_have_count(1)
    else:
        expect(original.locator("a")).to_have_count(len(article.versions))  # no address is invented
    assert article.versions, "the Spanish version found on the IWL-FI's site"
    for language, title, url in article.versions:
        expect(original).to_contain_text(f"in {language}")
        expect(original.locator(f'a[href="{url}"]')).to_have_text(f"\u201c{title}\u201d")
    expect(page.locator("#verdict-key")).to_have_count(1)
    key = page.locator(".verdict-key-list li")
    assert [li.locator(".verdict-glyph").inner_text() for li in key.all()] == list(GLYPHS.values())
    assert not problems, "\n".join(problems)


# Each piece of text of the front page's tally and key to the signs: its colour and the colour behind it (the first
# ancestor with a background), for the counts, the signs and the words beside them.
FRONT_COLOURS = """() => {
  const behind = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
                          if (!/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  const pick = sel => [...document.querySelectorAll(sel)].map(e => [sel + ' ' + e.textContent.trim().slice(0, 30), getComputedStyle(e).color, behind(e)]);
  return [...pick('.front-tally .front-count'), ...pick('.front-tally .front-count .verdict-glyph'), ...pick('.verdict-key-list li'),
          ...pick('.verdict-key-list .verdict-glyph'), ...pick('.front-wrong-list .verdict-badge'), ...pick('a.front-start-link')];
}"""


def test_front_page_in_dark_mode_keeps_its_tally_and_key_legible(browser, site_url, built_site):
    from axe_playwright_python.sync_playwright import Axe

    from test_browser import contrast, parse_colour

    page, problems = open_page(browser, viewport={"width": 1400, "height": 900}, color_scheme="dark")
    goto(page, site_url, ROOT_PAGE)
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    save(page, "front-desktop-dark.png")
    page.locator("#verdict-key").scroll_into_view_if_needed()
    save(page, "front-key-dark.png")
    colours = page.evaluate(FRONT_COLOURS)
    kinds = {what.split(" ")[0] + " " + what.split(" ")[1] for what, _, _ in colours}
    assert len(kinds) >= 5, f"front page parts not found: {kinds}"
    low = [f"{what}: {contrast(parse_colour(fg)[0], parse_colour(bg)[0]):.2f}:1 ({fg} on {bg})"
           for what, fg, bg in colours if contrast(parse_colour(fg)[0], parse_colour(bg)[0]) < 4.5]
    assert not low, "text below 4.5:1 in dark mode:\n" + "\n".join(low)
    assert not problems, "\n".join(problems)
    # (axe reads the stylesheets again itself, and asks for their imports at the wrong address: not the page's doing.)
    found = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
             for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("width,height", [(1400, 900), (375, 760)])
def test_chapters_open_on_the_article(browser, site_url, built_site, width, height):
    page, problems = open_page(browser, viewport={"width": width, "height": height})
    failures = []
    for rel in chapters(built_site):
        goto(page, site_url, rel)
        if rel.startswith("book/02-"):
            save(page, f"chapter-opening-{width}.png")
        first = page.locator("p.article-text").first.bounding_box()
        if first["y"] > 0.6 * height:
            failures.append(f"{rel}: the article's first word is at {first['y']:.0f}px of a {height}px screen")
        about = page.locator("details.chapter-about")
        if about.count() != 1 or about.evaluate("d => d.open"):
            failures.append(f"{rel}: the editors' chapter note is not folded")
        legend = page.locator(".chapter-legend p").evaluate("p => [p.scrollWidth, p.clientWidth, p.scrollHeight, parseFloat(getComputedStyle(p).lineHeight)]")
        if legend[2] > 1.6 * legend[3] or legend[0] > legend[1] + 1:
            failures.append(f"{rel}: the legend does not fit on one line ({legend})")
        key = page.locator(".chapter-legend a.legend-key")
        if key.count() != 1 or not key.get_attribute("href").endswith("about.html#verdict-key"):
            failures.append(f"{rel}: the legend does not link the key to the signs")
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)


# For every claim: the top of the line holding the last character of its words, and of the line holding its sign
# (the mark's last box, which the sign ends). A sign on a line of its own starts lower than the last word.
SIGN_LINES = """() => [...document.querySelectorAll('p.article-text a.claim-mark')].map(m => {
  const text = [...m.childNodes].filter(n => n.nodeType === 3).pop();
  const range = document.createRange();
  const end = text.data.trimEnd().length;
  range.setStart(text, end - 1); range.setEnd(text, end);
  const word = range.getClientRects(), boxes = m.getClientRects();
  return [m.dataset.claim, word[word.length - 1].top, boxes[boxes.length - 1].top, boxes[boxes.length - 1].width];
})"""


@pytest.mark.parametrize("width", [1400, 1100, 375])
def test_a_sign_never_starts_a_line(browser, site_url, built_site, width):
    page, problems = open_page(browser, viewport={"width": width, "height": 900})
    failures, checked = [], 0
    for rel in chapters(built_site):
        goto(page, site_url, rel)
        for claim, word_top, sign_top, sign_width in page.evaluate(SIGN_LINES):
            checked += 1
            if abs(word_top - sign_top) > 4:
                failures.append(f"{rel} {claim}: its sign starts a new line ({word_top:.0f} vs {sign_top:.0f}px, box {sign_width:.0f}px wide)")
    assert checked >= 60
    assert not failures, f"at {width}px:\n" + "\n".join(failures)
    assert not problems, "\n".join(problems)


# Every collapsed note as drawn: the lines it shows (its height inside the padding over its line height), whether its
# whole summary shows (nothing clipped), how far it sits from its claim, and where its paragraph's lines are.
COLLAPSED = """() => [...document.querySelectorAll('aside.annotation')].map(n => {
  const s = getComputedStyle(n), lh = parseFloat(s.lineHeight), r = n.getBoundingClientRect();
  const m = document.getElementById('mark-' + n.dataset.claim), p = m.closest('p').getBoundingClientRect();
  return {id: n.dataset.claim, lines: (n.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)) / lh,
          whole: n.scrollHeight <= n.clientHeight + 1, grouped: n.classList.contains('in-group'), top: r.top, bottom: r.bottom,
          drift: r.top - m.getBoundingClientRect().top, para: p.top + ':' + p.bottom, paraTop: p.top, paraBottom: p.bottom};
})"""
NEAR = 90     # px: about three lines of the text
GROUPED = 120  # px: an entry of a crowded paragraph's group, about four lines


@pytest.mark.parametrize("width", [1400, 1100])
def test_every_collapsed_note_shows_two_lines_and_stays_near_its_claim(browser, site_url, built_site, width):
    page, problems = open_page(browser, viewport={"width": width, "height": 900})
    failures, checked, groups = [], 0, {}
    for rel in chapters(built_site):
        goto(page, site_url, rel)
        if rel.startswith("book/02-"):
            page.evaluate("""() => { const ps = [...document.querySelectorAll('p.article-text')];
                ps.sort((a, b) => b.querySelectorAll('a.claim-mark').length - a.querySelectorAll('a.claim-mark').length);
                ps[0].scrollIntoView(); window.scrollBy(0, -80); }""")
            save(page, f"notes-crowded-{width}.png")
        for n in page.evaluate(COLLAPSED):
            checked += 1
            where = f"{rel} {n['id']}"
            if round(n["lines"]) < 2 and not n["whole"]:
                failures.append(f"{where}: a collapsed note shows {n['lines']:.1f} line of a longer summary")
            if abs(n["drift"]) > (GROUPED if n["grouped"] else NEAR):
                failures.append(f"{where}: its note is {n['drift']:.0f}px from its claim")
            if n["grouped"]:
                groups.setdefault((rel, n["para"]), []).append(n)
    for (rel, _), entries in groups.items():
        # A group is one box level with its paragraph: entries touch, and it overlaps the paragraph's lines.
        entries.sort(key=lambda n: n["top"])
        if any(abs(b["top"] - a["bottom"]) > 1 for a, b in zip(entries, entries[1:])):
            failures.append(f"{rel}: the group of {len(entries)} notes is broken up")
        if entries[0]["top"] > entries[0]["paraBottom"] or entries[-1]["bottom"] < entries[0]["paraTop"]:
            failures.append(f"{rel}: a group of {len(entries)} notes is not level with its paragraph")
    assert checked >= 60
    assert max(len(e) for e in groups.values()) >= 10, "the most crowded paragraph's notes are not grouped"
    assert not failures, f"at {width}px:\n" + "\n".join(failures)
    assert not problems, "\n".join(problems)


def test_an_opened_note_is_as_tall_as_its_text_with_sources_folded(browser, site_url, built_site):
    page, problems = open_page(browser, viewport={"width": 1400, "height": 900})
    goto(page, site_url, chapters(built_site)[1])
    mark = page.locator("p.article-text a.claim-mark").nth(2)
    mark.click()
    note = page.locator("aside.annotation.is-open")
    sizes = note.evaluate("n => [n.scrollHeight, n.clientHeight, getComputedStyle(n).overflowY]")
    assert sizes[0] <= sizes[1] + 1, f"the opened note scrolls inside itself: {sizes}"
    sources = note.locator("details.annotation-sources-wrap")
    expect(sources.locator("summary")).to_have_text(re.compile(r"^Sources \(\d+\)$"))
    assert not sources.evaluate("d => d.open"), "sources should start folded"
    expect(note.locator(".annotation-details > p").first).to_be_visible()
    # Scrolling past it moves nothing but the page: the note keeps its place beside the text.
    before = note.evaluate("n => n.getBoundingClientRect().top + window.scrollY")
    for _ in range(6):
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(50)
    after = note.evaluate("n => n.getBoundingClientRect().top + window.scrollY")
    assert abs(after - before) < 1, f"the note moved {after - before:.0f}px in the page while scrolling"
    assert not problems, "\n".join(problems)


def test_sources_page_lists_every_source_once_with_its_notes(browser, site_url, built_site):
    page, problems = open_page(browser, viewport={"width": 1400, "height": 900})
    goto(page, site_url, "book/sources.html")
    anns = placed(built_site)
    urls = {s.url for a in anns for s in a.sources}
    listed = page.locator(".sources-list li a.source-link").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert len(listed) == len(set(listed)), "a source is listed twice"
    assert set(listed) == urls, f"missing: {sorted(urls - set(listed))[:5]}; extra: {sorted(set(listed) - urls)[:5]}"
    for a in anns[:: max(1, len(anns) // 8)]:
        entry = page.locator(".sources-list li", has=page.locator(f'a[href="{a.sources[0].url}"]')).first if a.sources else None
        if entry is not None:
            expect(entry.locator(f'a[href$="#{a.anchor}"]')).to_have_count(1)
    wide = page.locator(".sources-list li").evaluate_all("ls => ls.filter(l => l.scrollWidth > l.clientWidth + 1).length")
    assert wide == 0, f"{wide} sources run past the column"
    box = page.get_by_role("searchbox", name="Find a source")
    word = anns[0].sources[0].title.split()[0]
    box.fill(word)
    shown = page.locator(".sources-list li:visible")
    assert 0 < shown.count() < len(urls)
    for text in shown.all_inner_texts():
        assert word.lower() in text.lower()
    assert not problems, "\n".join(problems)


def test_claims_index_links_its_files_and_explore_sits_under_the_appendices(browser, site_url, built_site):
    page, problems = open_page(browser, viewport={"width": 1400, "height": 900})
    goto(page, site_url, "book/claims.html")
    for name in ("claims.csv", "claimreview.jsonld", "annotations.jsonld"):
        link = page.locator(f'.claims-downloads a[href="../{name}"]')
        expect(link).to_have_count(1)
        response = page.request.get(link.evaluate("a => a.href"))
        assert response.ok and len(response.body()) > 100, name
    caption = page.locator(".bd-sidebar-primary p.caption", has_text="Appendices")
    expect(caption.locator("xpath=following-sibling::ul[1]").get_by_role("link", name=re.compile("Explore"))).to_have_count(1)
    assert not problems, "\n".join(problems)


SHIFTS = """
  window.__shift = 0; window.__shifts = [];
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) {
      window.__shift += e.value;
      window.__shifts.push(e.value.toFixed(3) + ' ' + e.sources.map(s => s.node && s.node.nodeType === 1 ? s.node.tagName + '.' + s.node.className : '(text)').join(', '));
  } }).observe({type: 'layout-shift', buffered: true});"""


@pytest.fixture(scope="module")
def slow_site_url(built_site):
    """The site served as a slow network serves it: a chapter arrives in two parts, the second a moment later, so
    the browser paints the first part before it has read the rest. The second part starts at the chapter's first
    note, or with `?late=figure` at its first figure."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 - the standard library's name
            path = built_site / self.path.split("?")[0].split("#")[0].lstrip("/")
            if not re.search(r"/book/0\d-[^/]+\.html$", self.path.split("?")[0]) or not path.is_file():
                return super().do_GET()
            body = path.read_bytes()
            cut = body.index(b'<figure class="edition-figure"' if "late=figure" in self.path else b'<aside id="claim-')
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:cut])
            self.wfile.flush()
            time.sleep(0.6)
            self.wfile.write(body[cut:])

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("width", [1400, 1100])
@pytest.mark.parametrize("arrival", ["at once", "in two parts", "figure late"])
def test_nothing_shifts_while_a_chapter_loads(browser, site_url, slow_site_url, built_site, width, arrival):
    """Nothing on the page moves once shown: not the text, the notes, the figures and their captions, nor the
    navigation (a page that arrives in parts is painted before its notes, or its first figure, are read)."""
    page, problems = open_page(browser, viewport={"width": width, "height": 900}, init_script=SHIFTS)
    failures = []
    for rel in chapters(built_site):
        goto(page, site_url if arrival == "at once" else slow_site_url, rel + ("?late=figure" if arrival == "figure late" else ""))
        shift = page.evaluate("window.__shift")
        if shift > 0.01:
            failures.append(f"{rel}: cumulative layout shift {shift:.3f} ({'; '.join(page.evaluate('window.__shifts'))})")
    assert not failures, f"at {width}px, the page arriving {arrival}:\n" + "\n".join(failures)
    assert not problems, "\n".join(problems)


def test_pointing_at_or_tabbing_to_a_claim_previews_its_whole_summary(browser, site_url, built_site):
    page, problems = open_page(browser, viewport={"width": 1400, "height": 900})
    goto(page, site_url, chapters(built_site)[1])
    clipped = page.locator("aside.annotation").evaluate_all("ns => ns.filter(n => n.scrollHeight > n.clientHeight + 1).map(n => n.dataset.claim)")
    assert clipped, "no collapsed note is clipped here: nothing to preview"
    mark = page.locator(f'a.claim-mark[data-claim="{clipped[0]}"]')
    note = page.locator(f'aside.annotation[data-claim="{clipped[0]}"]')
    mark.hover()
    assert note.evaluate("n => n.scrollHeight <= n.clientHeight + 1"), "hovering the claim does not show its note's whole summary"
    page.mouse.move(5, 450)
    assert note.evaluate("n => n.scrollHeight > n.clientHeight + 1"), "the preview stays after the pointer leaves"
    mark.focus()
    assert note.evaluate("n => n.scrollHeight <= n.clientHeight + 1"), "focusing the claim does not show its note's whole summary"
    assert not problems, "\n".join(problems)
