"""The `edition` commands that write (new, data rehash/pages/refresh, import-article) refuse to run outside a
checkout of the repository, where the only data found is the copy installed with the package; reading that
copy (a downloaded chapter's notebook loading its data) keeps working. Run in Binder's environment, where
the edition is installed as a package, not from the repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def run(binder_env, folder, *args):
    env = {"PATH": str(binder_env["bin"]), "HOME": str(binder_env["home"])}
    return subprocess.run([str(binder_env["bin"] / "edition"), *args], capture_output=True, text=True, cwd=folder, env=env)


def _bundle(binder_env) -> Path:
    done = subprocess.run([str(binder_env["python"]), "-c", "from edition import paths; print(paths.BUNDLE)"], capture_output=True, text=True, check=True)
    return Path(done.stdout.strip())


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.parametrize("command, args", [
    ("new", ["new", "a-new-note", "In the face of the great worldwide repudiation"]),
    ("data rehash", ["data", "rehash"]),
    ("data pages", ["data", "pages"]),
    ("data refresh", ["data", "refresh", "aliyah_by_year"]),
    ("import-article", ["import-article", "article.txt"]),
])
def test_write_commands_refuse_to_run_outside_a_checkout(binder_env, tmp_path, command, args):
    bundle = _bundle(binder_env)
    before = _snapshot(bundle)
    done = run(binder_env, tmp_path, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"`edition {command}` writes the edition's files" in done.stderr
    assert "no repository was found" in done.stderr and str(bundle) in done.stderr and "Fix: run it from inside a clone" in done.stderr
    assert _snapshot(bundle) == before, "the installed copy is unchanged"


def test_reading_the_installed_data_outside_a_checkout_still_works(binder_env, tmp_path):
    done = run(binder_env, tmp_path, "check")
    assert "annotations and" in done.stdout and "datasets checked" in done.stdout, done.stderr[-2000:]
    dry = run(binder_env, tmp_path, "data", "refresh", "aliyah_by_year", "--dry-run")
    assert "no repository was found" not in dry.stderr, "a dry run writes nothing, so it is not refused"
    code = "from edition import datasets, paths; print(len(datasets.load('aliyah_by_year')), paths.repo_root())"
    done = subprocess.run([str(binder_env["python"]), "-c", code], capture_output=True, text=True, cwd=tmp_path, env={"PATH": str(binder_env["bin"]), "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    rows, root = done.stdout.split()
    assert int(rows) > 0 and root == str(_bundle(binder_env))


def test_a_write_command_runs_in_a_checkout(repo_copy, monkeypatch):
    """Inside a checkout (here a copy of the repository, found from the working folder) the guard lets it through."""
    from edition import cli, paths

    monkeypatch.delenv("EDITION_ROOT", raising=False)
    monkeypatch.chdir(repo_copy / "book")
    assert paths.checkout_root("data pages") == repo_copy
    assert cli.main(["data", "pages"]) == 0
