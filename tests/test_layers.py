"""The package's imports run one way: the import-linter contracts in pyproject.toml hold, and can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LINT = Path(sys.executable).parent / "lint-imports"


def _lint(root: Path, src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}  # analyse this copy of the package, not the installed one
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          capture_output=True, text=True, cwd=root, env=env)


def test_contracts_hold(root):
    result = _lint(root, root / "src")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module, back_import, named", [
    ("datasets.py", "from .live import load_live", "edition.datasets -> edition.live"),  # a lower layer reaching up
    ("quotations.py", "from .annotations import annotations_dir", ".quotations -> .annotations"),  # a cycle inside one layer
    ("evidence.py", "from .article import load_article", "edition.evidence -> edition.article"),  # data reading the text
])
def test_a_new_back_import_fails_and_is_named(root, tmp_path, module, back_import, named):
    src = tmp_path / "src"
    shutil.copytree(root / "src" / "edition", src / "edition", ignore=shutil.ignore_patterns("__pycache__"))
    path = src / "edition" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _reach_back():\n    {back_import}\n", encoding="utf-8")
    result = _lint(root, src)
    assert result.returncode != 0
    assert named in result.stdout, result.stdout[-3000:]
