"""Figures as a reader sees them, in Chromium at a desktop and a phone width: chart text large enough,
labels apart, the chart in the page's colours in dark mode, and no page wider than the screen."""

from __future__ import annotations

import pytest
from test_browser import (  # noqa: F401 - browser is a fixture
    DESKTOP, PHONE, browser, contrast, goto, open_page, pages_containing, parse_colour, screenshot, site_pages,
)

pytestmark = pytest.mark.slow

# Every visible chart: the smallest text in CSS px (font size x rendered width / viewBox width) and any two
# text boxes that overlap or touch.
MEASURE = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('figure.edition-figure .figure-chart svg')) {
    const box = svg.getBoundingClientRect();
    if (!box.width || getComputedStyle(svg).display === 'none') continue;
    const scale = box.width / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
    const sizes = texts.map(t => parseFloat(t.style.fontSize || getComputedStyle(t).fontSize) * scale);
    // The lines of one label (a group of class label) count as one box.
    const labels = [...new Set(texts.map(t => t.closest('g.label') || t))];
    const rects = labels.map(l => l.getBoundingClientRect());
    const name = l => l.textContent.trim();
    const clashes = [];
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      if (a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom)
        clashes.push(name(labels[i]) + ' / ' + name(labels[j]));
    }
    out.push({figure: svg.closest('figure').id, cls: svg.getAttribute('class'), smallest: Math.min(...sizes), clashes,
              right: Math.max(box.right, ...rects.map(r => r.right)), left: Math.min(box.left, ...rects.map(r => r.left))});
  }
  return out;
}"""


@pytest.mark.parametrize("viewport, smallest", [(DESKTOP, 11), (PHONE, 9)], ids=["desktop-1400", "phone-375"])
def test_chart_text_is_legible_and_labels_apart(browser, site_url, built_site, viewport, smallest):
    phone = viewport is PHONE
    page, problems = open_page(browser, viewport=viewport, is_mobile=phone, has_touch=phone)
    pages = pages_containing(built_site, 'class="edition-figure"')
    assert len(pages) >= 6, pages
    failures, charts = [], 0
    for rel in pages:
        goto(page, site_url, rel)
        for chart in page.evaluate(MEASURE):
            charts += 1
            expected = "chart-narrow" if phone else "chart-wide"
            if expected not in chart["cls"]:
                failures.append(f"{rel} #{chart['figure']}: shows {chart['cls']}, not the {expected} rendering")
            if chart["smallest"] < smallest:
                failures.append(f"{rel} #{chart['figure']}: text drawn at {chart['smallest']:.1f}px (at least {smallest})")
            failures += [f"{rel} #{chart['figure']}: labels overlap or touch: {c}" for c in chart["clashes"]]
            if chart["right"] > viewport["width"] + 0.5 or chart["left"] < 0:
                failures.append(f"{rel} #{chart['figure']}: chart or its text spans {chart['left']:.0f}..{chart['right']:.0f}px, outside the screen")
    assert charts >= 10, f"only {charts} charts measured"
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop-1400", "phone-375"])
def test_no_page_scrolls_sideways(browser, site_url, built_site, viewport):
    phone = viewport is PHONE
    page, problems = open_page(browser, viewport=viewport, is_mobile=phone, has_touch=phone)
    failures = []
    for rel in site_pages(built_site):
        goto(page, site_url, rel)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            failures.append(f"{rel}: {width}px wide at a {viewport['width']}px viewport")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_take_the_page_colours(browser, site_url, built_site, scheme):
    """No white card in dark mode: the chart has no background, and its text is the page's text colour."""
    failures = []
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        phone = viewport is PHONE
        page, problems = open_page(browser, viewport=viewport, is_mobile=phone, has_touch=phone, color_scheme=scheme)
        for rel in ("book/02-migration-politics-visas.html", "book/05-putins-reasons.html", "book/summary.html"):
            goto(page, site_url, rel)
            assert page.locator("html").get_attribute("data-theme") == scheme
            figure = page.locator("figure.edition-figure").first
            figure.scroll_into_view_if_needed()
            figure.screenshot(path=str(screenshot_path(f"figure-{rel.split('/')[-1][:-5]}-{name}-{scheme}.png")))
            page_bg = parse_colour(page.evaluate("getComputedStyle(document.body).backgroundColor"))[0]
            for colour, backgrounds in page.locator("figure.edition-figure .figure-chart svg").evaluate_all(
                    "svgs => svgs.filter(s => getComputedStyle(s).display !== 'none').map(s => [getComputedStyle(s.querySelector('text')).fill,"
                    " [s, s.parentElement, s.closest('figure')].map(e => getComputedStyle(e).backgroundColor)])"):
                for background in backgrounds:
                    if parse_colour(background)[1] != 0:
                        failures.append(f"{rel} ({name}, {scheme}): a chart background {background}")
                fill = parse_colour(colour)[0]
                if contrast(fill, page_bg) < 4.5:
                    failures.append(f"{rel} ({name}, {scheme}): chart text {colour} on the page's {page_bg}: {contrast(fill, page_bg):.2f}:1")
        assert not problems, "\n".join(problems)
    assert not failures, "\n".join(failures)


def screenshot_path(name: str):
    from test_browser import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def test_code_toggle_sits_below_the_figure_and_never_prints(browser, site_url):
    page, problems = open_page(browser)
    goto(page, site_url, "book/04-economic-technological-military-ties.html")
    places = page.locator("div.cell:has(figure.edition-figure)").evaluate_all(
        "cells => cells.map(c => [c.querySelector('figure').getBoundingClientRect().bottom, c.querySelector('details.above-input').getBoundingClientRect().top])")
    assert len(places) == 3 and all(toggle >= figure for figure, toggle in places), places
    page.emulate_media(media="print")
    shown = page.locator("div.cell:has(figure.edition-figure) details.above-input").evaluate_all(
        "ds => ds.filter(d => getComputedStyle(d).display !== 'none').length")
    assert shown == 0, f"{shown} code toggles would print"
    assert page.locator("figure.edition-figure svg.chart-wide").first.is_visible()
    assert not problems, "\n".join(problems)
