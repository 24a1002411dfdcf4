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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole book built once per test session from the repository as it is."""
    out = tmp_path_factory.mktemp("site")
    result = build_book(ROOT, out)
    assert result.returncode == 0, f"book build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return out / "_build" / "html"


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
    base = tmp_path_factory.mktemp("binder")
    venv, home = base / "venv", base / "home"
    home.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    done = subprocess.run([*pip, "-r", "binder/requirements.txt", "jupyterlab>=4.2,<5", "nbclient>=0.10,<1"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_DATA_DIR": str(home / "data")}
    env.pop("EDITION_ROOT", None)
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(["bash", str(ROOT / "binder" / "postBuild")], cwd=home, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return {"python": venv / "bin" / "python", "bin": venv / "bin", "home": home, "env": env}
