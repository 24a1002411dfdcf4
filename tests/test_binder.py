"""Binder: the chapters open as notebooks, with the repository's own Binder set-up (binder/)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
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
def lab_copy(root, tmp_path_factory) -> Path:
    """The repository's chapters, data and settings, committed to a fresh git repository that the browser may save into."""
    folder = tmp_path_factory.mktemp("binder-repo")
    for name in ("book", "data"):
        shutil.copytree(root / name, folder / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for name in ("_config.yml", "jupytext.toml"):
        shutil.copy(root / name, folder / name)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "as published"]):
        subprocess.run([*git, *step], cwd=folder, check=True)
    return folder


@pytest.fixture(scope="module")
def jupyter(lab_copy, binder_env):
    """JupyterLab started as Binder starts it: Binder's environment (binder/requirements.txt, then binder/postBuild)."""
    home, env = binder_env["home"], binder_env["env"]
    root = lab_copy
    # Only an explicit save (Ctrl+S) may write a chapter.
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    port = _free_port()
    jupyter_bin = str(binder_env["bin"] / "jupyter")
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


def test_a_chapter_is_read_with_its_kernels_language_info(jupyter, binder_env):
    """What the kernel will report, asked from the kernel's Python (not written in the chapter, nor pinned here)."""
    done = subprocess.run([str(binder_env["python"]), "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True, check=True)
    metadata = _get(f"{jupyter}/api/contents/book/01-from-1947-to-putin.md")["content"]["metadata"]
    assert metadata["language_info"]["name"] == "python" and metadata["language_info"]["version"] == done.stdout.strip()
    assert _get(f"{jupyter}/api/contents/book/01-from-1947-to-putin.md?content=0")["type"] == "notebook"


def test_jupyterlab_opens_markdown_with_the_notebook_viewer_by_default(jupyter):
    settings = _get(f"{jupyter}/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    # The override becomes the default of the setting; a user's own choice would still win.
    default = settings["schema"]["properties"]["defaultViewers"]["default"]
    assert default["markdown"] == "Jupytext Notebook"


def test_a_chapter_run_in_jupyterlab_shows_its_notes(jupyter, lab_copy):
    """Open chapter 1 as Binder would, run all its cells in Chromium, and see the editors' notes."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    from edition import annotations, claims, markup

    first = next(a for a in annotations.load_all() if a.block_key == "p2")
    chapter_file = lab_copy / "book" / "01-from-1947-to-putin.md"
    before = chapter_file.read_bytes()
    assert _get(f"{jupyter}/lab/api/settings/@jupyterlab/docmanager-extension:plugin")["settings"]["autosave"] is False
    artifacts = Path(__file__).resolve().parent.parent / "test-artifacts"
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


def test_a_build_after_a_chapter_lost_its_front_matter_names_the_cause(repo_copy, tmp_path):
    """What a save from an editor without the repository's jupytext.toml does to a chapter: the build names it."""
    import re

    from conftest import build_book

    config = repo_copy / "_config.yml"
    config.write_text(config.read_text().replace("execute_notebooks: cache", "execute_notebooks: \"off\""))
    chapter = repo_copy / "book" / "01-from-1947-to-putin.md"
    text = chapter.read_text(encoding="utf-8")
    damaged = re.sub(r"^edition:\n(  .*\n)+", "", text, count=1, flags=re.MULTILINE)
    assert damaged != text
    chapter.write_text(damaged, encoding="utf-8")
    result = build_book(repo_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"book/01-from-1947-to-putin\.md holds the article's p1, p2, p3, p4 but its front matter has no `edition:` section", output), output[-3000:]


def _open_chapter(browser, jupyter: str, name: str):
    """Open a chapter in JupyterLab (nothing but the local server reachable), pick the kernel if asked, wait until it is idle."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    page.goto(f"{jupyter}/lab/tree/{name}?token={TOKEN}")
    panel = page.locator(".jp-NotebookPanel:visible")  # the chapter's tab (another test's chapter may be open behind it)
    expect(panel.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=60_000)
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(timeout=20_000)
        dialog.get_by_role("button", name="Select").click()
    except PlaywrightTimeout:
        pass
    expect(panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1, timeout=60_000)
    return page, panel


def test_a_chapter_shows_its_editors_box_and_ctrl_s_after_one_edit_changes_only_that_cell(jupyter, lab_copy):
    """Open a chapter in Chromium as a Binder user would: the editors' box is a callout, not raw text; one line typed
    in its first code cell and Ctrl+S change that line of the file and nothing else (git diff), kernelspec included."""
    import re

    from playwright.sync_api import expect, sync_playwright

    name = "book/02-migration-politics-visas.md"
    original = (lab_copy / name).read_text(encoding="utf-8").splitlines()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox", "--disable-gpu"])
        page, panel = _open_chapter(browser, jupyter, name)
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="02-migration-politics-visas")
        expect(tab).to_be_visible()
        box = panel.locator("aside.myst-admonition.editorial", has_text="About this chapter")  # jupyterlab-myst's callout
        expect(box).to_be_visible(timeout=30_000)
        expect(box).to_contain_text("This chapter reproduces paragraphs 5")
        rendered = panel.locator(".jp-MarkdownCell .myst")  # the rendered markdown, beside the hidden editor
        assert rendered.filter(has_text="Unknown Directive").count() == 0 and rendered.filter(has_text=":::{").count() == 0
        editor = panel.locator(".jp-CodeCell").first.locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
        page.keyboard.type("print('edited')")
        page.keyboard.press("Control+s")
        expect(tab).not_to_have_class(re.compile(r"jp-mod-dirty"), timeout=30_000)
        browser.close()
    diff = subprocess.run(["git", "diff", "--unified=0", "--", name], cwd=lab_copy, capture_output=True, text=True, check=True).stdout
    removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert removed == [] and len(added) == 1 and added[0][1:].strip() == "print('edited')", diff
    at = int(re.search(r"^@@ -(\d+)", diff, re.MULTILINE).group(1))  # the new line follows original line `at`
    first_cell = original.index("```{code-cell} ipython3")
    closing = original.index("```", first_cell + 1)
    assert first_cell < at <= closing, f"the line was added at {at}, outside the first code cell ({first_cell + 1}-{closing + 1})"


def test_a_chapter_opens_unmodified_and_a_save_without_edits_writes_it_byte_for_byte(jupyter, lab_copy):
    """JupyterLab marks a notebook changed when its metadata changes: a chapter has no language_info, so without
    the server's help (jupyter-config/jupyter_server_config.py) the tab shows unsaved changes as soon as it opens.
    With it, the tab stays clean once the kernel is ready, and Ctrl+S writes the file exactly as it was."""
    import re

    from playwright.sync_api import expect, sync_playwright

    name = "book/03-we-support-israel.md"
    path = lab_copy / name
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox", "--disable-gpu"])
        page, panel = _open_chapter(browser, jupyter, name)
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="03-we-support-israel")
        expect(tab).to_be_visible()
        assert "jp-mod-dirty" not in (tab.get_attribute("class") or ""), "the chapter shows unsaved changes before any edit"
        panel.locator(".jp-Notebook").click()
        page.keyboard.press("Control+s")
        for _ in range(60):
            if path.stat().st_mtime_ns != stamp:
                break
            page.wait_for_timeout(500)
        expect(tab).not_to_have_class(re.compile(r"jp-mod-dirty"))
        browser.close()
    assert path.stat().st_mtime_ns != stamp, "Ctrl+S saved the chapter"
    assert path.read_bytes() == before, "saving an unedited chapter changed it"
