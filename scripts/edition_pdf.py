"""Print the built book to one PDF: the front page, the five chapters and the appendices, in reading order.

Usage (after `make book`):  .venv/bin/python scripts/edition_pdf.py [--site _build/html] [--out _build/html/edition.pdf]

Needs the development requirements (Playwright, pypdf) and a Chromium: the one at $CHROMIUM (default
/usr/bin/chromium), else Playwright's own. `make book` itself needs no browser.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import re
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from pypdf import PdfWriter

# The pages a reader would print, in the table of contents' order; the interactive explorer is left out.
SKIP = ("explore-claims",)


def reading_order(site: Path) -> list[str]:
    """The pages in the order of the site's navigation, starting with the front page."""
    first = site / "book" / "about.html"
    if not first.exists():
        sys.exit(f"{first} not found: build the book first (make book)")
    html = first.read_text(encoding="utf-8")
    links = re.findall(r'<li class="toctree-l\d[^"]*"><a class="reference internal" href="([^"#]+\.html)"', html)
    pages = ["book/about.html"]
    for link in links:
        rel = (first.parent / link).resolve().relative_to(site.resolve()).as_posix()
        if rel not in pages and not any(word in rel for word in SKIP):
            pages.append(rel)
    return pages


def print_site(site: Path, out: Path) -> int:
    pages = reading_order(site)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    writer = PdfWriter()
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium if Path(chromium).exists() else None)
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        for rel in pages:
            page.goto(f"{base}/{rel}", wait_until="networkidle")
            page.emulate_media(media="print")
            writer.append(io.BytesIO(page.pdf(format="A4", print_background=True, outline=False)))
        browser.close()
    server.shutdown()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as handle:
        writer.write(handle)
    print(f"{out}: {len(writer.pages)} pages from {len(pages)} pages of the site")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("_build/html"))
    parser.add_argument("--out", type=Path, default=None, help="default: <site>/edition.pdf, offered for download on the front page")
    args = parser.parse_args(argv)
    return print_site(args.site, args.out or args.site / "edition.pdf")


if __name__ == "__main__":
    sys.exit(main())
