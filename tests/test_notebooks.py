"""Every chapter runs top to bottom as a notebook, in an environment made from requirements.txt alone,
and shows the editors' notes after the paragraphs they are about (the static checks of the chapters, which need no
kernel, are in test_chapters.py and run in `make check`)."""

from __future__ import annotations

import json
import subprocess
import sys
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
def reader_python(root, tmp_path_factory):
    """A fresh virtual environment with requirements.txt and nothing else (what Binder builds)."""
    venv = tmp_path_factory.mktemp("reader-env") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    result = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return python


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
