"""Binder: the chapters open as notebooks, with the repository's own Binder set-up (postBuild)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
TOKEN = "edition-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def jupyter(root, tmp_path_factory):
    """JupyterLab started as Binder starts it, after running the repository's postBuild."""
    home = tmp_path_factory.mktemp("binder-home")
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    subprocess.run(["bash", "postBuild"], cwd=root, env=env, check=True)
    # The browser test opens a chapter of this very repository: JupyterLab must not save it back.
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    port = _free_port()
    jupyter_bin = shutil.which("jupyter", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(
        [jupyter_bin, "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", "--allow-root"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            _get(f"{base}/api/status")
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail(f"JupyterLab did not start: {server.stderr.read().decode()[-2000:]}")
    yield base
    server.terminate()
    server.wait(timeout=20)


def test_chapter_is_served_as_a_notebook(jupyter):
    model = _get(f"{jupyter}/api/contents/book/01-from-1947-to-putin.md")
    assert model["type"] == "notebook"
    cells = model["content"]["cells"]
    assert any(c["cell_type"] == "code" and "load(" in c["source"] for c in cells)
    assert any("In the face of the great worldwide repudiation" in c["source"] for c in cells if c["cell_type"] == "markdown")


def test_jupyterlab_opens_markdown_with_the_notebook_viewer_by_default(jupyter):
    settings = _get(f"{jupyter}/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    # The override becomes the default of the setting; a user's own choice would still win.
    default = settings["schema"]["properties"]["defaultViewers"]["default"]
    assert default["markdown"] == "Jupytext Notebook"


def test_a_chapter_run_in_jupyterlab_shows_its_notes(jupyter, root):
    """Open chapter 1 as Binder would, run all its cells in Chromium, and see the editors' notes."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    from edition import annotations, claims, markup

    first = next(a for a in annotations.load_all() if a.block_key == "p2")
    chapter_file = root / "book" / "01-from-1947-to-putin.md"
    before = chapter_file.read_bytes()
    assert _get(f"{jupyter}/lab/api/settings/@jupyterlab/docmanager-extension:plugin")["settings"]["autosave"] is False
    artifacts = root / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
        page.goto(f"{jupyter}/lab/tree/book/01-from-1947-to-putin.md?token={TOKEN}")
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=60_000)
        dialog = page.locator(".jp-Dialog", has_text="Select Kernel")  # JupyterLab asks once for a text notebook
        try:
            dialog.wait_for(timeout=30_000)
            dialog.get_by_role("button", name="Select").click()
        except PlaywrightTimeout:  # a front-end that starts the kernel without asking
            pass
        expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1, timeout=60_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
        page.get_by_text("Run All Cells", exact=True).click()
        note = page.locator(f".jp-OutputArea-output section.edition-note[data-claim='{first.id}']")
        expect(note).to_be_visible(timeout=120_000)
        expect(note.locator(".verdict-badge")).to_have_text(first.label)
        expect(note.locator(".edition-note-summary")).to_contain_text(markup.to_nodes(first.summary)[0].astext()[:60])
        note.locator("summary").click()  # the explanation opens like the site's
        expect(note.locator("details")).to_have_attribute("open", "")
        expect(page.locator(".jp-OutputArea-output figure.edition-figure").first).to_be_attached(timeout=60_000)
        expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1, timeout=120_000)
        news = page.locator(".Toastify__toast", has_text="Jupyter news")
        if news.count():
            news.get_by_role("button", name="No", exact=True).click()  # an unrelated prompt that would cover the screenshot
        note.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "binder-chapter-notes.png"))
        count = page.locator(".jp-OutputArea-output section.edition-note").count()
        browser.close()
    chapter = {key for key, place in claims.places().items() if place.page == "book/01-from-1947-to-putin"}
    assert count == sum(a.block_key in chapter for a in annotations.load_all())
    assert chapter_file.read_bytes() == before, "the chapter was saved from JupyterLab"
