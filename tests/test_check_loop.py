"""`make check` is the quick loop: the validators, the chapters' static checks and the import contracts, run by the
pre-commit hook; `make test` (everything) stays the gate in CI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def recipe(target: str) -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    body = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert body, f"the Makefile has no {target} target"
    return [line.strip() for line in body.group(1).splitlines()]


def test_make_check_runs_the_validators_the_import_contracts_and_the_check_tests():
    steps = recipe("check")
    assert "$(BIN)/edition check" in steps and "$(BIN)/lint-imports" in steps
    assert any(step.startswith("$(BIN)/pytest -m check") for step in steps)


def test_the_check_selection_holds_the_static_chapter_tests_and_nothing_slow():
    result = subprocess.run([str(BIN / "pytest"), "--collect-only", "-q", "-m", "check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    selected = [line for line in result.stdout.splitlines() if "::" in line]
    assert "tests/test_chapters.py::test_every_article_block_is_followed_by_its_notes_cell" in selected
    assert "tests/test_chapters.py::test_a_deleted_notes_cell_is_caught" in selected
    assert any(line.startswith("tests/test_notebook_notes.py::") for line in selected)
    assert any(line.startswith("tests/test_annotations.py::") for line in selected)
    assert any(line.startswith("tests/test_datasets.py::") for line in selected)
    slow = subprocess.run([str(BIN / "pytest"), "--collect-only", "-q", "-m", "check and slow"], capture_output=True, text=True, cwd=ROOT)
    assert not [line for line in slow.stdout.splitlines() if "::" in line], "a slow test is in the quick loop"


def test_the_pre_commit_hook_runs_make_check():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["make-check"]["entry"] == "make check" and hooks["make-check"]["pass_filenames"] is False
    assert re.search(hooks["make-check"]["files"], "data/annotations/x.yml") and re.search(hooks["make-check"]["files"], "book/01-x.md")


def test_ci_runs_the_whole_suite():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8"))
    runs = " ".join(step.get("run", "") for job in workflow["jobs"].values() for step in job.get("steps", []))
    assert "bash .ci/run" in runs
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert script[-1] == "make test"
    (command,) = recipe("test")
    assert command.startswith("$(BIN)/pytest ") and not {"-m", "-k", "--deselect", "tests/"} & set(command.split())  # every test, none left out
