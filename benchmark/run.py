"""Measure the book: build and rebuild time, page weight and first paint in Chromium, install time and size,
all compared with a stock `jupyter-book create` book built in the same run.

    .venv/bin/python benchmark/run.py [--skip-install] [--skip-stock] [--runs N] [--builds N]

Writes benchmark/results/latest.json and prints a short table. It records figures; it judges nothing.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmark" / "results"
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]


def build(source: Path, output: Path, *flags: str) -> tuple[float, str]:
    """Run `jupyter-book build`; return seconds taken and the log. A failed build stops the benchmark."""
    command = [str(BIN / "jupyter-book"), "build", str(source), "--path-output", str(output), *flags]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=source, env={**os.environ, "EDITION_ROOT": str(source)})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"build of {source} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout + done.stderr


def executed(log: str) -> int:
    """Notebooks actually run (not served from the execution cache) during a build: side by side, or one by one."""
    side_by_side = sum(int(n) for n in re.findall(r"\[edition\] running (\d+) notebooks", log))
    return side_by_side + log.count("Executing notebook")


def read(log: str) -> list[str]:
    """Documents Sphinx (re-)read during a build."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", log)
    return re.findall(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", plain, flags=re.M)


def claim_pages(log: str) -> dict:
    """What the build logged of its claim pages: pages written, share cards drawn (not from the cache), seconds."""
    found = re.search(r"edition claim pages: (\d+) pages, (\d+) cards drawn, in ([\d.]+) s \(([\d.]+) s of CPU\)", log)
    return {"pages": int(found[1]), "cards_drawn": int(found[2]), "seconds": float(found[3]), "cpu_seconds": float(found[4])} if found else {}


def cold_builds(tmp: Path, builds: int, stock: Path | None) -> tuple[list[float], str, list[float], str]:
    """`builds` cold builds of the edition (each into a fresh folder, so with an empty execution cache) and, if a
    stock book is given, as many of it, taken in turn: a machine busy with something else slows both alike. The
    last edition build stays in tmp/book for the rebuilds; the last stock build in tmp/stock-out."""
    ours, theirs, log, stock_log = [], [], "", ""
    for n in range(builds):
        last = n == builds - 1
        out = tmp / ("book" if last else f"book-{n}")
        seconds, log = build(ROOT, out, "-W", "--keep-going")
        ours.append(seconds)
        if not last:
            shutil.rmtree(out)
        if stock is not None:
            stock_out = tmp / ("stock-out" if last else f"stock-out-{n}")
            seconds, stock_log = build(stock, stock_out)
            theirs.append(seconds)
            if not last:
                shutil.rmtree(stock_out)
    return ours, log, theirs, stock_log


def measure_book(out: Path, colds: list[float], log: str) -> dict:
    """From the cold builds (the last one in `out`): rebuilds after touching one annotation file and after editing it."""
    cold = statistics.median(colds)
    touched = sorted((ROOT / "data" / "annotations").glob("*.yml"))[0]
    original, stat = touched.read_bytes(), touched.stat()
    try:
        os.utime(touched)  # a touch: newer modification time, same bytes
        rebuild, relog = build(ROOT, out, "-W", "--keep-going")
        # An edit: one more space at the end of the summary line, which the notes show trimmed.
        text = original.decode("utf-8")
        touched.write_text(re.sub(r"^(summary: .*)$", r"\1 ", text, count=1, flags=re.M), encoding="utf-8")
        edited, edlog = build(ROOT, out, "-W", "--keep-going")
    finally:
        # Leave the file exactly as found, time stamps included, so nothing else sees a change.
        if touched.read_bytes() != original:
            touched.write_bytes(original)
        os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return {
        "cold_build_s": round(cold, 2),  # the median of the cold builds
        "cold_builds_s": [round(c, 2) for c in colds],
        "cold_notebooks_executed": executed(log),
        "rebuild_after_touch_s": round(rebuild, 2),
        "rebuild_vs_cold": round(rebuild / cold, 2),
        "rebuild_notebooks_executed": executed(relog),
        "rebuild_documents_read": read(relog),
        "rebuild_after_edit_s": round(edited, 2),
        "edit_vs_cold": round(edited / cold, 2),
        "edit_notebooks_executed": executed(edlog),
        "cold_claim_pages": claim_pages(log),
        "rebuild_claim_pages": claim_pages(relog),
        "touched_file": touched.relative_to(ROOT).as_posix(),
        "html": str(out / "_build" / "html"),
    }


@contextmanager
def serve(directory: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def page_figures(browser, url: str) -> dict:
    """One cold load: bytes over the wire and requests to the local server, first contentful paint and load."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    # Other hosts (hypothes.is, CDNs) are blocked and left out: the figures describe the site itself.
    page.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1" else route.abort())
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    local, sizes = set(), {}

    def sent(event):
        if urlparse(event["request"]["url"]).hostname == "127.0.0.1":
            local.add(event["requestId"])

    def finished(event):
        sizes[event["requestId"]] = event["encodedDataLength"]  # headers and body as transferred

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="networkidle")
    timing = page.evaluate("""() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const nav = performance.getEntriesByType('navigation')[0];
        return {fcp: paint ? paint.startTime : null, load: nav.loadEventEnd};
    }""")
    context.close()
    return {"bytes": sum(sizes.get(r, 0) for r in local), "requests": len(local),
            "fcp_ms": round(timing["fcp"], 1) if timing["fcp"] is not None else None, "load_ms": round(timing["load"], 1)}


def measure_pages(browser, sites: dict[str, tuple[Path, list[str]]], runs: int) -> dict:
    """Per site and page: bytes and requests of a cold load, median first paint and load over `runs` loads.

    The loads are interleaved (every page of every site once per round), so that a machine busy with something
    else slows all pages alike and the ratios between sites stay fair.
    """
    loads: dict[tuple[str, str], list[dict]] = {(site, rel): [] for site, (_, pages) in sites.items() for rel in pages}
    with ExitStack() as stack:
        bases = {site: stack.enter_context(serve(html)) for site, (html, _) in sites.items()}
        order = list(loads)
        page_figures(browser, f"{bases[order[0][0]]}/{order[0][1]}")  # warm-up: the browser's first load pays its start-up
        for round_ in range(runs):
            # Each round starts one page later, so no page is always measured first or last.
            for site, rel in order[round_ % len(order):] + order[:round_ % len(order)]:
                loads[site, rel].append(page_figures(browser, f"{bases[site]}/{rel}"))
    results: dict[str, dict] = {site: {} for site in sites}
    for (site, rel), figures in loads.items():
        fcps = [x["fcp_ms"] for x in figures if x["fcp_ms"] is not None]
        results[site][rel] = {"bytes": figures[0]["bytes"], "requests": figures[0]["requests"],
                              "fcp_ms": round(statistics.median(fcps), 1) if fcps else None,
                              "load_ms": round(statistics.median(x["load_ms"] for x in figures), 1)}
    return results


# Each install goes into a fresh virtual environment, run from the repository root; only `steps` are timed.
# `base` stands for Binder's image, which brings JupyterLab, Jupyter Server and ipykernel: what Binder adds on top
# of it is `added_mb`.
BINDER_IMAGE = [["install", "--quiet", "jupyterlab>=4.2,<5"]]
INSTALLS = {
    # What CI and a reader building the book install: requirements.txt, which installs the edition with `-e .`.
    "full": {"base": [], "steps": [["install", "--quiet", "-r", "requirements.txt"]]},
    # The same on top of Binder's image: what Binder installed before binder/ existed.
    "full_on_binder_image": {"base": BINDER_IMAGE, "steps": [["install", "--quiet", "-r", "requirements.txt"]]},
    # What Binder installs now: binder/requirements.txt (the layer Binder caches), then binder/postBuild's
    # install of the edition without dependencies.
    "binder": {"base": BINDER_IMAGE, "steps": [["install", "--quiet", "-r", "binder/requirements.txt"], ["install", "--quiet", "--no-deps", "."]]},
}


def _pip(venv: Path, step: list[str]) -> None:
    done = subprocess.run([str(venv / "bin" / "pip"), *step], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"pip {' '.join(step)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def _size(folder: Path) -> int:
    return int(subprocess.run(["du", "-sb", str(folder)], capture_output=True, text=True, check=True).stdout.split()[0])


def measure_install(base: list[list[str]], steps: list[list[str]]) -> dict:
    """A fresh virtual environment: the base installed untimed, then the timed steps; seconds, size, size added."""
    with tempfile.TemporaryDirectory(prefix="edition-install-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
        for step in base:
            _pip(venv, step)
        before = _size(venv)
        start = time.perf_counter()
        for step in steps:
            _pip(venv, step)
        seconds = time.perf_counter() - start
        size = _size(venv)
    return {"seconds": round(seconds, 1), "venv_bytes": size, "venv_mb": round(size / 1e6, 1), "added_mb": round((size - before) / 1e6, 1)}


def measure_installs() -> dict:
    result = {name: measure_install(**spec) for name, spec in INSTALLS.items()}
    result["binder_added_vs_full_venv"] = round(result["binder"]["added_mb"] / result["full"]["venv_mb"], 2)
    result["binder_added_vs_full_added_on_binder_image"] = round(result["binder"]["added_mb"] / result["full_on_binder_image"]["added_mb"], 2)
    return result


def create_stock(tmp: Path) -> Path:
    """The book `jupyter-book create` makes."""
    source = tmp / "stock"
    subprocess.run([str(BIN / "jupyter-book"), "create", str(source)], check=True, capture_output=True)
    return source


def stock_figures(tmp: Path, colds: list[float], log: str) -> tuple[dict, Path, list[str]]:
    """The stock book's build figures (from `cold_builds`), its site and its pages."""
    html = tmp / "stock-out" / "_build" / "html"
    pages = sorted(p.relative_to(html).as_posix() for p in html.glob("*.html")
                   if p.name not in ("genindex.html", "search.html") and "http-equiv" not in p.read_text()[:500].lower())
    return {"cold_build_s": round(statistics.median(colds), 2), "cold_builds_s": [round(c, 2) for c in colds],
            "notebooks_executed": executed(log)}, html, pages


def ratios(ours: dict, stock: dict, book: dict) -> dict:
    chapters = {k: v for k, v in ours.items() if "/0" in k}
    intro = stock["pages"]["intro.html"]
    heaviest = max(chapters.values(), key=lambda x: x["bytes"])
    return {
        "heaviest_chapter_bytes_vs_stock_intro": round(heaviest["bytes"] / intro["bytes"], 2),
        "max_chapter_requests_vs_stock_intro": round(max(x["requests"] for x in chapters.values()) / intro["requests"], 2),
        "slowest_chapter_fcp_vs_stock_intro": round(max(x["fcp_ms"] for x in chapters.values()) / intro["fcp_ms"], 2),
        "about_bytes_vs_stock_intro": round(ours["book/about.html"]["bytes"] / intro["bytes"], 2),
        "cold_build_vs_stock": round(book["cold_build_s"] / stock["cold_build_s"], 2),
    }


# The reading layer's speed budgets, against the stock intro page measured in the same run: the heaviest chapter
# no heavier than before the reading layer (0.52 of the stock page's bytes), and no chapter slower to first paint.
# The build's: a cold build at most 4 times the stock book's in the same run, a rebuild after touching one
# annotation at most 0.15 of the cold build.
BUDGETS = {"heaviest_chapter_bytes_vs_stock_intro": 0.52, "slowest_chapter_fcp_vs_stock_intro": 1.0, "cold_build_vs_stock": 4.0}
BUILD_BUDGETS = {"rebuild_vs_cold": 0.15}


def budgets(ratio: dict, book: dict | None = None) -> dict:
    values = {**ratio, **(book or {})}
    limits = {**BUDGETS, **(BUILD_BUDGETS if book else {})}
    return {name: {"value": values[name], "budget": limit, "met": values[name] <= limit} for name, limit in limits.items()}


def versions(browser) -> dict:
    from importlib.metadata import version

    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "jupyter_book": version("jupyter-book"), "sphinx": version("sphinx"), "chromium": browser.version}


def print_table(result: dict) -> None:
    rows = [("cold build (s), median of " + " / ".join(map(str, result["build"]["cold_builds_s"])), result["build"]["cold_build_s"]),
            ("rebuild after touching an annotation (s)", result["build"]["rebuild_after_touch_s"]),
            ("rebuild after editing an annotation (s)", result["build"]["rebuild_after_edit_s"]),
            ("notebooks run: cold / touch / edit", "{cold_notebooks_executed} / {rebuild_notebooks_executed} / {edit_notebooks_executed}".format(**result["build"]))]
    rows += [(f"{rel}: kB / requests / FCP ms", f"{v['bytes'] / 1000:.0f} / {v['requests']} / {v['fcp_ms']}")
             for rel, v in result["pages"].items()]
    if "full" in result["install"]:
        for name in INSTALLS:
            x = result["install"][name]
            rows.append((f"install {name}: s / venv MB / MB added", f"{x['seconds']} / {x['venv_mb']} / {x['added_mb']}"))
        rows += [(name, result["install"][name]) for name in ("binder_added_vs_full_venv", "binder_added_vs_full_added_on_binder_image")]
    if "pages" in result["stock"]:
        intro = result["stock"]["pages"]["intro.html"]
        rows.append(("stock book: cold build (s), median of " + " / ".join(map(str, result["stock"]["cold_builds_s"])), result["stock"]["cold_build_s"]))
        rows.append(("stock intro.html: kB / requests / FCP ms", f"{intro['bytes'] / 1000:.0f} / {intro['requests']} / {intro['fcp_ms']}"))
        rows += [(f"ratio {name}", value) for name, value in result["stock"]["ratios"].items()]
        rows += [(f"budget {name}", f"{b['value']} <= {b['budget']}: {'met' if b['met'] else 'NOT met'}") for name, b in result["stock"]["budgets"].items()]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-install", action="store_true", help="do not time installing requirements.txt and binder/")
    parser.add_argument("--install-only", action="store_true", help="only time the two installs (prints them, writes nothing)")
    parser.add_argument("--skip-stock", action="store_true", help="do not build and measure a stock Jupyter Book")
    parser.add_argument("--runs", type=int, default=3, help="page loads per page; paint times are medians")
    parser.add_argument("--builds", type=int, default=3, help="cold builds of each book, taken in turn; build times are medians")
    args = parser.parse_args()
    if args.install_only:
        print(json.dumps(measure_installs(), indent=1))
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp, sync_playwright() as playwright:
        tmp = Path(tmp)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ours, log, theirs, stock_log = cold_builds(tmp, args.builds, None if args.skip_stock else create_stock(tmp))
        book = measure_book(tmp / "book", ours, log)
        html = Path(book.pop("html"))
        pages = sorted(p.relative_to(html).as_posix() for p in (html / "book").glob("0*.html")) + ["book/about.html"]
        sites = {"edition": (html, pages)}
        if not args.skip_stock:
            stock, stock_html, stock_pages = stock_figures(tmp, theirs, stock_log)
            sites["stock"] = (stock_html, stock_pages)
        measured = measure_pages(browser, sites, args.runs)
        result = {
            "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "environment": versions(browser),
            "build": book,
            "pages": measured["edition"],
            "install": {"skipped": True} if args.skip_install else measure_installs(),
            "stock": {"skipped": True},
        }
        if not args.skip_stock:
            result["stock"] = {**stock, "pages": measured["stock"]}
            result["stock"]["ratios"] = ratios(result["pages"], result["stock"], book)
            result["stock"]["budgets"] = budgets(result["stock"]["ratios"], book)
        browser.close()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print_table(result)
    print(f"\nwritten to {(RESULTS / 'latest.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
