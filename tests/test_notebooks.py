"""Every chapter runs top to bottom as a notebook, in an environment made from requirements.txt alone."""

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


def test_chapters_are_valid_text_notebooks(root):
    import jupytext

    for chapter in CHAPTERS:
        nb = jupytext.read(root / "book" / chapter)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert any(c.cell_type == "code" for c in nb.cells)
