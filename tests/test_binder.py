"""Binder: the chapters open as notebooks, with the repository's own Binder set-up (postBuild)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
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
def jupyter(root, tmp_path_factory):
    """JupyterLab started as Binder starts it, after running the repository's postBuild."""
    home = tmp_path_factory.mktemp("binder-home")
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    subprocess.run(["bash", "postBuild"], cwd=root, env=env, check=True)
    port = _free_port()
    jupyter_bin = shutil.which("jupyter", path=str(Path(sys.executable).parent))
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


def test_jupyterlab_opens_markdown_with_the_notebook_viewer_by_default(jupyter):
    settings = _get(f"{jupyter}/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    # The override becomes the default of the setting; a user's own choice would still win.
    default = settings["schema"]["properties"]["defaultViewers"]["default"]
    assert default["markdown"] == "Jupytext Notebook"
