"""The built site in Chromium: every page loads cleanly, annotations open by mouse and by keyboard, the claims
filter, launch button and search work, and dark mode and phone widths stay legible.

Only the local server is reachable: requests to any other host (hypothes.is, CDNs) are aborted, so the tests
run offline and say nothing about third parties, while a failed request to the site itself is a failure.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's own browser builds are not used: the system Chromium, kept quiet and offline.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]
CHAPTER = "book/01-from-1947-to-putin.html"
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 375, "height": 812}

pytestmark = pytest.mark.slow


def site_pages(built_site: Path) -> list[str]:
    """The site's own pages (relative paths): not the theme's assets, index or search page, nor redirect stubs.

    Claim pages (claims/<id>.html) are all drawn by one template from the annotation files, so a browser walks
    a sample of them: one of each verdict and the note with most sources. Every claim page is checked without a
    browser in test_claim_pages.py. Dataset pages (book/datasets/<name>.html) are all drawn by one directive from
    the manifests, so a browser walks a sample of them too (see dataset_page_sample); every dataset page's figure,
    table and links are checked without a browser in test_build.py and test_figures.py.
    """
    pages = []
    sample = {f"claims/{name}.html" for name in claim_page_sample()} | {f"book/datasets/{name}.html" for name in dataset_page_sample()}
    for path in sorted(built_site.rglob("*.html")):
        rel = path.relative_to(built_site)
        if rel.parts[0] in ("_static", "_sources") or rel.as_posix() in ("genindex.html", "search.html"):
            continue
        if (rel.parts[0] == "claims" or rel.parent.as_posix() == "book/datasets" and rel.name != "index.html") and rel.as_posix() not in sample:
            continue
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8")[:2000].lower():
            continue
        pages.append(rel.as_posix())
    return pages


def claim_page_sample() -> list[str]:
    """Ids of the claim pages a browser visits: the first note of each verdict, and the one citing most sources."""
    from edition.annotations import load_all

    notes = load_all()
    first = {}
    for ann in sorted(notes, key=lambda a: a.id):
        first.setdefault(ann.verdict, ann.id)
    return sorted({*first.values(), max(notes, key=lambda a: (len(a.sources), a.id)).id})


def dataset_page_sample() -> list[str]:
    """Names of the dataset pages a browser visits: the longest and the widest record, and the first with and
    the first without a chart (the directive's two shapes)."""
    from edition import charts, datasets

    shapes = {name: datasets.manifest(name) for name in datasets.available()}
    longest = max(shapes, key=lambda n: (shapes[n].rows, n))
    widest = max(shapes, key=lambda n: (len(shapes[n].columns), n))
    charted = min(n for n in shapes if n in charts.CHARTS)
    plain = min((n for n in shapes if n not in charts.CHARTS), default=charted)
    return sorted({longest, widest, charted, plain})


def pages_containing(built_site: Path, marker: str) -> list[str]:
    return [p for p in site_pages(built_site) if marker in (built_site / p).read_text(encoding="utf-8")]


def is_local(url: str) -> bool:
    return urlparse(url).hostname == "127.0.0.1"


# Module scope: test_accessibility imports this fixture, and two Playwright instances cannot be alive at once.
@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, init_script: str | None = None, **context_options):
    """A page in a fresh browser context, and the list of what goes wrong on it: console errors, uncaught
    exceptions and failed or 4xx/5xx requests to the local server. Other hosts are blocked, and their
    failures (including the console's "Failed to load resource" lines they cause) are ignored."""
    context = browser.new_context(viewport=context_options.pop("viewport", DESKTOP), **context_options)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    problems: list[str] = []
    page.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())

    def on_console(message):
        # Resource failures are judged by URL from the network events below, not from their console echo.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"{page.url}: console error: {message.text}")

    def on_request_failed(request):
        if is_local(request.url):
            problems.append(f"{page.url}: request failed: {request.url} ({request.failure})")

    def on_response(response):
        if is_local(response.url) and response.status >= 400:
            problems.append(f"{page.url}: HTTP {response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: uncaught exception: {error}"))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    return page, problems


def goto(page, site_url: str, rel: str) -> None:
    # networkidle: nothing left in flight that the next navigation could abort (blocked hosts fail at once).
    page.goto(f"{site_url}/{rel}", wait_until="networkidle")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def parse_colour(css: str) -> tuple[tuple[float, float, float], float]:
    """(r, g, b), alpha from a computed `rgb()`/`rgba()` value."""
    assert css.startswith("rgb"), f"unexpected computed colour format: {css}"
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return tuple(numbers[:3]), numbers[3] if len(numbers) > 3 else 1.0


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""
    def luminance(rgb):
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def annotation_for(page, mark_href: str):
    assert mark_href and mark_href.startswith("#claim-"), f"claim marker links to {mark_href!r}"
    return page.locator(f'aside.annotation[id="{mark_href[1:]}"]')


def tab_to_a_claim(page) -> None:
    """Press Tab until a claim mark has the focus, as a keyboard reader would."""
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.claim-mark')"):
            return
    pytest.fail("no claim mark received focus after 300 presses of Tab")


def test_every_page_loads_without_errors(browser, site_url, built_site):
    pages = site_pages(built_site)
    assert CHAPTER in pages and "book/about.html" in pages, f"unexpected page walk: {pages}"
    # Every page as on a first visit (empty localStorage): that is when the theme falls back to its default
    # colour mode and reports an invalid one ("Got invalid theme mode").
    page, problems = open_page(browser, init_script="localStorage.clear()")
    for rel in pages + ["search.html", "genindex.html"]:
        goto(page, site_url, rel)
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
    assert not problems, "problems while loading the site:\n" + "\n".join(problems)


def test_pages_draw_their_icons_without_the_icon_web_fonts(browser, site_url):
    page, problems = open_page(browser)
    fonts = []
    page.on("request", lambda request: fonts.append(request.url) if request.url.endswith((".woff2", ".woff", ".ttf")) else None)
    goto(page, site_url, CHAPTER)
    icons = page.locator("i.fa-solid, i.fas, i.fab").evaluate_all(
        "is => is.filter(i => i.getClientRects().length)"
        "  .map(i => [getComputedStyle(i).maskImage || getComputedStyle(i).webkitMaskImage, i.getBoundingClientRect().width])")
    assert icons and all(mask.startswith("url(") and width > 0 for mask, width in icons), icons
    assert not fonts, f"web fonts downloaded: {fonts}"
    assert not problems, "\n".join(problems)


def test_root_redirects_to_the_first_page(browser, site_url):
    page, problems = open_page(browser)
    page.goto(f"{site_url}/")
    expect(page).to_have_url(re.compile(r"/book/about\.html$"))
    assert not problems, "\n".join(problems)


def test_claim_marker_opens_its_annotation_on_click(browser, site_url):
    page, problems = open_page(browser)
    goto(page, site_url, CHAPTER)
    screenshot(page, "chapter-desktop-1400.png")
    mark = page.locator("p.article-text a.claim-mark").nth(1)
    aside = annotation_for(page, mark.get_attribute("href"))
    details = aside.locator("details").first
    expect(details).to_have_js_property("open", False)
    mark.click()
    expect(details).to_have_js_property("open", True)
    expect(aside).to_be_focused()
    expect(aside).to_be_in_viewport()
    assert not problems, "\n".join(problems)


def test_claim_marker_opens_its_annotation_from_the_keyboard(browser, site_url):
    page, problems = open_page(browser)
    goto(page, site_url, CHAPTER)
    tab_to_a_claim(page)
    aside = annotation_for(page, page.evaluate("document.activeElement.getAttribute('href')"))
    details = aside.locator("details").first
    expect(details).to_have_js_property("open", False)
    page.keyboard.press("Enter")
    expect(details).to_have_js_property("open", True)
    expect(aside).to_be_focused()
    expect(aside).to_be_in_viewport()
    assert not problems, "\n".join(problems)


def test_claims_index_filter_shows_one_verdict(browser, site_url):
    page, problems = open_page(browser)
    goto(page, site_url, "book/claims.html")
    groups = page.locator(".claims-group")
    ids = groups.evaluate_all("gs => gs.map(g => g.id)")
    assert len(ids) >= 2 and all(i.startswith("verdict-") for i in ids), ids
    chosen = ids[-1]
    button = page.locator(f'.claims-filter button[data-verdict="{chosen.removeprefix("verdict-")}"]')
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    for group_id in ids:
        group = page.locator(f'.claims-group[id="{group_id}"]')
        if group_id == chosen:
            expect(group).to_be_visible()
        else:
            expect(group).to_be_hidden()
    page.locator('.claims-filter button[data-verdict="all"]').click()
    for group_id in ids:
        expect(page.locator(f'.claims-group[id="{group_id}"]')).to_be_visible()
    assert not problems, "\n".join(problems)


def test_launch_button_opens_the_chapter_on_binder(browser, site_url):
    page, problems = open_page(browser)
    goto(page, site_url, CHAPTER)
    page.get_by_role("button", name="Launch interactive content").click()
    link = page.locator('a[href*="mybinder.org"]')
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert urlparse(href).hostname == "mybinder.org", href
    assert "book/01-from-1947-to-putin.md" in href, href
    assert not problems, "\n".join(problems)


def test_search_finds_a_phrase_of_the_article(browser, site_url):
    page, problems = open_page(browser)
    goto(page, site_url, "search.html?q=encrypted+telephone+line")
    # Sphinx searches in the browser: results appear once searchindex.js has loaded and the query has run.
    results = page.locator("#search-results ul.search li")
    expect(results.first).to_be_visible(timeout=15_000)
    hrefs = results.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("04-economic-technological-military-ties" in h for h in hrefs), hrefs
    assert not problems, "\n".join(problems)


def test_dark_mode_keeps_figures_and_badges_legible(browser, site_url, built_site):
    page, problems = open_page(browser, color_scheme="light")
    goto(page, site_url, CHAPTER)
    # The reader's way in: the theme switcher (auto -> dark when the system prefers light).
    page.locator(".theme-switch-button:visible").first.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    figure_pages = pages_containing(built_site, 'class="edition-figure"')
    badge_pages = pages_containing(built_site, "verdict-badge")
    assert CHAPTER in badge_pages and figure_pages, "the site has no figures or the chapter no verdict badges"
    failures, figures, badges = [], 0, 0
    for rel in sorted(set(figure_pages + badge_pages)):
        goto(page, site_url, rel)  # the choice persists across pages
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")
        if rel == CHAPTER:
            screenshot(page, "chapter-dark.png")
        page_bg = parse_colour(page.evaluate("getComputedStyle(document.body).backgroundColor"))[0]
        for background, ink in page.locator("figure.edition-figure .figure-chart svg").evaluate_all(
                "svgs => svgs.filter(s => getComputedStyle(s).display !== 'none')"
                ".map(s => [getComputedStyle(s).backgroundColor, getComputedStyle(s.querySelector('text')).fill])"):
            figures += 1
            # No white card: the chart lies on the page, its text in the page's text colour.
            if parse_colour(background)[1] != 0:
                failures.append(f"{rel}: chart background {background}")
            if contrast(parse_colour(ink)[0], page_bg) < 4.5:
                failures.append(f"{rel}: chart text {ink} on {page_bg}")
        for name, colour, background in page.locator(".verdict-badge").evaluate_all(
                "bs => bs.map(b => [b.className, getComputedStyle(b).color, getComputedStyle(b).backgroundColor])"):
            badges += 1
            (fg, _), (bg, alpha) = parse_colour(colour), parse_colour(background)
            if alpha < 1:
                failures.append(f"{rel}: {name} has a see-through background ({background})")
            elif contrast(fg, bg) < 4.5:
                failures.append(f"{rel}: {name} contrast {contrast(fg, bg):.2f}:1 ({colour} on {background})")
    assert figures and badges, f"checked {figures} figures and {badges} badges"
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)


def test_phone_width_annotations_and_figures_fit(browser, site_url, built_site):
    page, problems = open_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    width = PHONE["width"]
    chapters = [p for p in site_pages(built_site) if re.match(r"book/\d\d-", p)]
    pages = sorted(set(chapters + pages_containing(built_site, 'class="edition-figure"')))
    assert CHAPTER in pages
    failures, checked = [], 0
    for rel in pages:
        goto(page, site_url, rel)
        if rel == CHAPTER:
            screenshot(page, "chapter-phone-375.png")
        # Opened notes too: long source links inside them must wrap, not widen the page.
        page.evaluate("document.querySelectorAll('aside.annotation details').forEach(d => { d.open = true; })")
        page_width = page.evaluate("document.documentElement.scrollWidth")
        if page_width > width:
            failures.append(f"{rel}: page is {page_width}px wide at a {width}px viewport")
        for name, left, right in page.locator("aside.annotation, figure.edition-figure").evaluate_all(
                "els => els.map(e => { const r = e.getBoundingClientRect();"
                " return [e.id || e.tagName.toLowerCase() + ' ' + JSON.stringify(e.textContent.trim().slice(0, 40)),"
                " r.left, r.right]; })"):
            checked += 1
            if left < 0 or right > width + 0.5:
                failures.append(f"{rel}: {name} spans {left:.0f}..{right:.0f}px, outside 0..{width}px")
    assert checked, "no annotations or figures found"
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)
