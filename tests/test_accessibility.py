"""Accessibility of the built site: an axe-core audit of every page in light and dark mode, alt text on every
image, and every annotation reachable from the keyboard alone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from test_browser import browser, goto, open_page, pages_containing, site_pages  # noqa: F401

pytestmark = pytest.mark.slow

SEARCH = "search.html?q=encrypted+telephone+line"
BLOCKING = ("serious", "critical")


def test_axe_finds_no_serious_or_critical_violations(browser, site_url, built_site):
    axe = Axe()
    found = []
    for scheme in ("light", "dark"):
        # The theme follows the system preference by default, so this is also how a dark-mode reader sees the site.
        page, _ = open_page(browser, color_scheme=scheme)
        for rel in site_pages(built_site) + [SEARCH]:
            goto(page, site_url, rel)
            expect(page.locator("html")).to_have_attribute("data-theme", scheme)
            if rel == SEARCH:
                expect(page.locator("#search-results ul.search li").first).to_be_visible(timeout=15_000)
            # Audit what readers see once they open things, not only the closed summaries.
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            # Opened content fades in; measured mid-animation its text would look faint to axe.
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] not in BLOCKING:
                    continue
                targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
                more = len(violation["nodes"]) - 5
                detail = violation["nodes"][0].get("failureSummary", "").replace("\n", " ")
                found.append(f"[{scheme}] {rel}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])} "
                             f"elements): {violation['help']}\n    at {targets}{f' and {more} more' if more > 0 else ''}"
                             f"\n    {detail[:300]}")
    assert not found, f"{len(found)} serious or critical axe violations:\n" + "\n".join(found)


def test_every_image_has_alt_text(browser, site_url, built_site):
    page, _ = open_page(browser)
    missing, images = [], 0
    for rel in site_pages(built_site) + [SEARCH]:
        goto(page, site_url, rel)
        alts = page.locator("img").evaluate_all(
            "imgs => imgs.map(i => [(i.getAttribute('alt') || '').trim(), i.currentSrc.slice(0, 80)])")
        images += len(alts)
        missing += [f"{rel}: <img src={src!r}...> has no alt text" for alt, src in alts if not alt]
    assert images, "no images found on the site"
    assert not missing, "\n".join(missing)


def test_every_annotation_is_reachable_by_keyboard(browser, site_url, built_site):
    pages = pages_containing(built_site, 'class="claim-mark')
    assert pages, "no page has claim markers"
    page, problems = open_page(browser)
    failures, marks_seen = [], 0
    for rel in pages:
        goto(page, site_url, rel)
        marks = page.locator(".claim-mark").evaluate_all(
            "ms => ms.map(m => [m.id, m.tagName, m.getAttribute('href')])")
        marks_seen += len(marks)
        linked = []
        for mark_id, tag, href in marks:
            target = href[1:] if tag == "A" and href and href.startswith("#") else None
            if target and page.locator(f'aside.annotation[id="{target}"]').count():
                linked.append((mark_id, href))
            else:
                failures.append(f"{rel}: claim marker {mark_id} ({tag} href={href!r}) does not link to an annotation")
        # Walk the page with Tab, as a keyboard user would, until every marker has had focus. Once past the
        # number of focusable elements, focus has gone round the page and a missing marker is unreachable.
        wanted = {mark_id for mark_id, _, _ in marks}
        budget = page.evaluate("document.querySelectorAll('a[href], button, input, select, textarea, summary,"
                               " [tabindex]').length") + 10
        for _ in range(budget):
            if not wanted:
                break
            page.keyboard.press("Tab")
            wanted.discard(page.evaluate("document.activeElement.matches('.claim-mark') ? document.activeElement.id : null"))
        failures += [f"{rel}: claim marker {mark_id} never receives focus from Tab" for mark_id in sorted(wanted)]
        # Each marker, activated with Enter, takes the reader to its note, opened.
        for mark_id, href in linked:
            page.locator(f'[id="{mark_id}"]').focus()
            page.keyboard.press("Enter")
            aside = page.locator(f'aside.annotation[id="{href[1:]}"]')
            try:
                expect(aside).to_be_focused(timeout=2_000)
                expect(aside.locator("details").first).to_have_js_property("open", True, timeout=2_000)
            except AssertionError:
                failures.append(f"{rel}: Enter on claim marker {mark_id} does not open and focus {href}")
    assert marks_seen, "no claim markers found"
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)
