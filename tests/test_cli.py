"""The `edition` command, as a contributor uses it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EDITION = [str(Path(sys.executable).parent / "edition")]


def run(repo, *args):
    return subprocess.run([*EDITION, *args], cwd=repo, capture_output=True, text=True, env={"EDITION_ROOT": str(repo), "PATH": "/usr/bin:/bin"})


def test_check_passes_on_the_repository(root):
    result = run(root, "check")
    assert result.returncode == 0, result.stderr
    assert "0 problem(s)" in result.stdout


def test_new_scaffolds_an_anchored_annotation_and_check_reports_what_is_left(repo_copy):
    result = run(repo_copy, "new", "israel-no-oil-test", "Israel has no oil")
    assert result.returncode == 0, result.stderr
    created = repo_copy / "data/annotations/israel-no-oil-test.yml"
    assert "exact: \"Israel has no oil\"" in created.read_text()
    assert "{id: israel-no-oil-test, kind: claim}" in (repo_copy / "data/inventory.yml").read_text()
    check = run(repo_copy, "check")
    # The scaffold overlaps an existing annotation's quote: check says so, with file and fix.
    assert check.returncode == 1
    assert "israel-no-oil-test.yml" in check.stderr and "Fix:" in check.stderr


def test_new_refuses_a_quote_that_does_not_anchor(repo_copy):
    result = run(repo_copy, "new", "x", "Israel has plenty of oil")
    assert result.returncode == 1
    assert "not in the article. Closest passage" in result.stderr
    assert not (repo_copy / "data/annotations/x.yml").exists()


def test_check_fails_on_a_broken_annotation(repo_copy):
    path = next((repo_copy / "data/annotations").glob("*.yml"))
    path.write_text(path.read_text().replace("verdict:", "verdikt:", 1))
    result = run(repo_copy, "check")
    assert result.returncode == 1
    assert f"data/annotations/{path.name}:" in result.stderr and "verdikt" in result.stderr
