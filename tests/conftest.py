"""Shared fixtures: the repository, a full build of the real book, and a local web server for it."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "article-as-received.txt"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def build_book(source: Path, output: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run the real `jupyter-book build` with warnings as errors; output goes under `output`."""
    return subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(source), "--path-output", str(output), "-W", "--keep-going", *extra],
        capture_output=True, text=True, cwd=source, env={**os.environ, "EDITION_ROOT": str(source)},
    )


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """A folder made once per test run and shared by every test process (`make test` runs two, see pytest-xdist):
    the first process to ask makes it under a file lock, the others wait and use it. `make(folder)` returns an
    error message, or "" when the folder is ready; a failure is shared too, so it is reported once per process
    without being made again."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each process's own
    folder, failed = shared / name, shared / f"{name}.failed"
    with FileLock(str(shared / f"{name}.lock")):
        if not folder.exists() and not failed.exists():
            folder.mkdir()
            error = make(folder)
            if error:
                failed.write_text(error, encoding="utf-8")
    if failed.exists():
        pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
    return folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole book built once per test run from the repository as it is."""

    def build(out: Path) -> str:
        result = build_book(ROOT, out)
        return "" if result.returncode == 0 else f"book build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"

    return once_per_run(tmp_path_factory, "site", build) / "_build" / "html"


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served on 127.0.0.1 for browser tests."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """A copy of the book's sources (no build output, no venv) that a test may break."""
    dest = tmp_path / "repo"
    ignore = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", "*.egg-info", ".pytest_cache", "test-artifacts")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.fixture
def copy_root(tmp_path, monkeypatch) -> Path:
    """The data, chapters and configuration copied to a folder a test may change (EDITION_ROOT points there)."""
    for name in ("data", "book"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    monkeypatch.setenv("EDITION_ROOT", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="session")
def binder_env(tmp_path_factory) -> dict:
    """Binder's environment, made as Binder makes it: a fresh virtual environment with binder/requirements.txt,
    then binder/postBuild (the edition without dependencies, the JupyterLab settings) run in a fresh home.
    JupyterLab, which Binder's image brings, and nbclient, which runs the tests' notebooks, are added.
    The only virtual environment the tests make; pip's cache keeps it to about a minute."""

    def make(base: Path) -> str:
        venv, home = base / "venv", base / "home"
        home.mkdir()
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        done = subprocess.run([*pip, "-r", "binder/requirements.txt", "jupyterlab>=4.2,<5", "nbclient>=0.10,<1"], cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            return done.stderr[-3000:]
        done = subprocess.run(["bash", str(ROOT / "binder" / "postBuild")], cwd=home, env=_binder_env(venv, home), capture_output=True, text=True)
        return "" if done.returncode == 0 else done.stderr[-3000:]

    base = once_per_run(tmp_path_factory, "binder", make)
    venv, home = base / "venv", base / "home"
    env = _binder_env(venv, home)
    return {"python": venv / "bin" / "python", "bin": venv / "bin", "home": home, "env": env}


def _binder_env(venv: Path, home: Path) -> dict:
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_DATA_DIR": str(home / "data")}
    env.pop("EDITION_ROOT", None)
    env.pop("VIRTUAL_ENV", None)
    return env
