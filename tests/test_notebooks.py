"""Every chapter runs top to bottom as a notebook, in Binder's environment (binder/ alone, no jupyter-book,
no Sphinx), and shows the editors' notes after the paragraphs they are about; saving a chapter through
Jupytext, as JupyterLab does, leaves it unchanged (the static checks of the chapters, which need no kernel,
are in test_chapters.py and run in `make check`)."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import textwrap

import pytest

pytestmark = pytest.mark.slow

RUNNER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import jupytext, nbclient

    path = Path(sys.argv[1])
    nb = jupytext.read(path)
    # Started from the chapter's own folder, as Jupyter does.
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    print(json.dumps({
        "errors": [o.get("ename") for o in outputs if o.get("output_type") == "error"],
        "figures": sum("edition-figure" in o.get("data", {}).get("text/html", "") for o in outputs),
        "cells": [{"type": c.cell_type, "source": c.source, "tags": c.metadata.get("tags", []),
                   "outputs": [o.get("data", {}) for o in c.get("outputs", [])]} for c in nb.cells],
    }))
    """
)


@pytest.fixture(scope="session")
def reader_python(binder_env):
    """Binder's environment: binder/requirements.txt and the edition without dependencies (see conftest)."""
    return binder_env["python"]


CHAPTERS = sorted(p.name for p in (__import__("conftest").ROOT / "book").glob("0*.md"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_executes_as_a_notebook(root, reader_python, tmp_path, chapter):
    runner = tmp_path / "run.py"
    runner.write_text(RUNNER)
    result = subprocess.run([str(reader_python), str(runner), str(root / "book" / chapter)], capture_output=True, text=True, cwd=tmp_path, env={"PATH": str(reader_python.parent), "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["figures"] >= 1
    check_notes_follow_their_paragraphs(report["cells"])


def check_notes_follow_their_paragraphs(cells: list[dict]) -> None:
    """Every annotation of the chapter's paragraphs is in the outputs, after its paragraph, in the article's order."""
    from bs4 import BeautifulSoup

    from edition import annotations, markup
    from edition.article import load_article

    blocks = load_article().blocks
    events = []  # ("block", key) for an article paragraph, ("note", id) for a rendered note, in notebook order
    for cell in cells:
        if cell["type"] == "markdown":
            lines = cell["source"].splitlines()
            events += [("block", b.key) for b in blocks if b.text in lines or f"# {b.text}" in lines]
            continue
        for data in cell["outputs"]:
            for note in BeautifulSoup(data.get("text/html", ""), "html.parser").select("section.edition-note"):
                events.append(("note", note))
                assert data["text/plain"].strip(), "every note output has a text/plain rendering too"
    shown_blocks = [key for kind, key in events if kind == "block"]
    assert shown_blocks, "the chapter holds article paragraphs"
    expected = [a for a in annotations.load_all() if a.block_key in shown_blocks]
    notes = [(i, n) for i, (kind, n) in enumerate(events) if kind == "note"]
    assert [n["data-claim"] for _, n in notes] == [a.id for a in expected], "each annotation once, in the article's order"
    for (at, note), ann in zip(notes, expected):
        assert note.select_one(".verdict-badge").get_text() == ann.label
        assert " ".join(note.select_one(".edition-note-summary").get_text().split()) == " ".join(markup.to_nodes(ann.summary)[0].astext().split())
        before = [key for kind, key in events[:at] if kind == "block"]
        assert before and before[-1] == ann.block_key, f"{ann.id} is shown after {before[-1:]} instead of after {ann.block_key}"
    for cell in cells:
        if cell["type"] == "code" and "notes(" in cell["source"]:
            assert "remove-cell" in cell["tags"], "notes cells are left out of the website, which shows the notes itself"


def test_notes_appear_once_in_the_built_site(built_site):
    from bs4 import BeautifulSoup

    from edition import annotations

    ids = []
    for page in sorted((built_site / "book").glob("0*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not soup.select("section.edition-note, .edition-notes"), f"{page.name}: notebook notes leaked into the site"
        assert "notes(" not in soup.get_text(), f"{page.name}: a notes cell is shown"
        ids += [aside["id"] for aside in soup.select("aside.annotation")]
    assert sorted(ids) == sorted(f"claim-{a.id}" for a in annotations.load_all())


# ------------------------------------------------------------------ saving in JupyterLab keeps the chapter


LAB_SAVE = textwrap.dedent(
    """
    # Open a chapter through Jupytext's contents manager, as JupyterLab does, and save what JupyterLab sends back:
    # the notebook as JSON, with cell ids, the kernel's language_info and kernelspec, and the timing metadata
    # JupyterLab records when a cell runs. With "edit", one line is added to the last code cell that is not a
    # notes cell first, and that cell's old source is printed.
    import json, sys
    from jupytext import TextFileContentsManager

    folder, chapter, edit = sys.argv[1], f"book/{sys.argv[2]}", sys.argv[3] == "edit"
    manager = TextFileContentsManager(root_dir=folder)
    model = manager.get(chapter)
    assert model["type"] == "notebook", model["type"]
    content = json.loads(json.dumps(model["content"]))
    content["metadata"]["language_info"] = {"name": "python", "version": "3.12.0", "mimetype": "text/x-python"}
    # JupyterLab rewrites the kernelspec from the running kernel's, in this order (NotebookPanel._updateSpec).
    content["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    for n, cell in enumerate(content["cells"]):
        cell["id"] = f"cell-{n}"
        if cell["cell_type"] == "code":
            cell["metadata"].update(execution={"iopub.status.busy": "2026-01-01T00:00:00Z"}, scrolled=False, trusted=True)
    old = None
    if edit:
        cell = next(c for c in reversed(content["cells"]) if c["cell_type"] == "code" and "notes(" not in c["source"])
        old = cell["source"]
        cell["source"] = old.rstrip("\\n") + "\\nprint('edited')"
    manager.save({"type": "notebook", "format": "json", "content": content}, chapter)
    print(json.dumps({"old": old}))
    """
)


@pytest.fixture
def lab_folder(root, tmp_path):
    """The chapters with the repository's Jupytext configuration, in a folder a test may write to."""
    shutil.copytree(root / "book", tmp_path / "book", ignore=shutil.ignore_patterns("datasets", "_build"))
    shutil.copy(root / "jupytext.toml", tmp_path / "jupytext.toml")
    return tmp_path


def _save_in_lab(binder_env, folder, chapter: str, edit: bool = False) -> str | None:
    """Open and save a chapter with the Jupytext and Jupyter server Binder installs (binder/requirements.txt)."""
    done = subprocess.run([str(binder_env["python"]), "-c", LAB_SAVE, str(folder), chapter, "edit" if edit else "save"],
                          capture_output=True, text=True, env=binder_env["env"])
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])["old"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_opening_and_saving_a_chapter_in_jupyterlab_leaves_it_unchanged(binder_env, lab_folder, chapter):
    path = lab_folder / "book" / chapter
    before = path.read_bytes()
    _save_in_lab(binder_env, lab_folder, chapter)
    after = path.read_bytes()
    assert after == before, "".join(difflib.unified_diff(before.decode().splitlines(True), after.decode().splitlines(True), "before", "after"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_an_edited_cell_changes_only_that_cell(binder_env, lab_folder, chapter):
    path = lab_folder / "book" / chapter
    before = path.read_text(encoding="utf-8").splitlines(True)
    old = _save_in_lab(binder_env, lab_folder, chapter, edit=True)
    after = path.read_text(encoding="utf-8").splitlines(True)
    at = next(i for i, (a, b) in enumerate(zip(before + [""], after)) if a != b)  # the first line that differs
    assert after == before[:at] + ["print('edited')\n"] + before[at:], "".join(difflib.unified_diff(before, after))
    assert before[at] == "```\n" and before[at - 1] == old.splitlines()[-1] + "\n", "inside the edited cell"


# ------------------------------------------------------------------ the downloadable notebooks run anywhere


def _downloaded(built_site, chapter: str):
    import nbformat

    return nbformat.read(built_site / "_sources" / "book" / chapter.replace(".md", ".ipynb"), as_version=4)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_downloadable_notebook_is_valid_and_keeps_its_outputs(built_site, chapter):
    import re

    import nbformat
    from bs4 import BeautifulSoup

    nb = _downloaded(built_site, chapter)
    nbformat.validate(nb)
    html = [o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert sum("edition-figure" in h for h in html) >= 1, "the figures are in the notebook"
    assert sum(len(BeautifulSoup(h, "html.parser").select("section.edition-note")) for h in html) >= 1, "the notes are in the notebook"
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "pip" in first.source and "OWNER/putin-zionism-edition/archive/main.zip" not in first.source
    assert re.search(r'EDITION_SOURCE = "https://github\.com/[^/"]+/[^/"]+/archive/[0-9a-f]{40}\.zip"', first.source), first.source
    assert not [c for c in nb.cells if "with digest" in c.source], "the build's execution key stays out of the reader's notebook"


OUTSIDE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import nbclient, nbformat

    path = Path(sys.argv[1])
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []  # run afresh
    nb.cells.append(nbformat.v4.new_code_cell("from edition import paths\\nprint(paths.repo_root())"))
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    print(json.dumps({
        "errors": [f"{o.get('ename')}: {o.get('evalue')}" for o in outputs if o.get("output_type") == "error"],
        "figures": sum("edition-figure" in o.get("data", {}).get("text/html", "") for o in outputs),
        "root": nb.cells[-1].outputs[0]["text"].strip(),
    }))
    """
)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_downloaded_notebook_runs_in_an_empty_folder_outside_the_repository(built_site, binder_env, tmp_path, chapter):
    """Binder's environment holds the edition as installed (not editable); the notebook runs from a folder with nothing
    else in it, so the data can only come from the package. Its first cell must not try to install (there is no network)."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    notebook = folder / chapter.replace(".md", ".ipynb")
    notebook.write_bytes((built_site / "_sources" / "book" / notebook.name).read_bytes())
    runner = tmp_path / "outside.py"
    runner.write_text(OUTSIDE)
    env = {"PATH": str(binder_env["bin"]), "HOME": str(tmp_path)}
    result = subprocess.run([str(binder_env["python"]), str(runner), str(notebook)], capture_output=True, text=True, cwd=folder, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["figures"] >= 1
    assert report["root"].endswith("site-packages/edition/bundle"), report["root"]
