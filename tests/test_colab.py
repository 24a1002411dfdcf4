"""The chapters open in Colab: each chapter page's launch menu links to Colab's address of the chapter's executed
notebook (https://colab.research.google.com/github/<owner>/<repo>/blob/<branch>/<path>), and the Pages workflow
publishes exactly those notebooks at those paths on that branch. (The link itself needs the network and a
published repository; it is not opened here.)"""

from __future__ import annotations

import os
import shutil
import subprocess

import yaml
from bs4 import BeautifulSoup

from conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
PAGES = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
BRANCH = CONFIG["sphinx"]["config"]["edition_colab_branch"]
REPO = CONFIG["repository"]["url"].removeprefix("https://github.com/")
CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("0*.md"))


def colab_links(built_site) -> dict[str, str]:
    """page -> the Colab link of its launch menu (whose icon must be in the site)."""
    links = {}
    for page in sorted(built_site.glob("**/*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found = [a for a in soup.select(".dropdown-launch-buttons a[href]") if "colab.research.google.com" in a["href"]]
        assert len(found) <= 1, f"{page.name}: {found}"
        if found:
            links[page.relative_to(built_site).as_posix()] = found[0]["href"]
            icon = found[0].select_one("img[src]")
            assert icon and (page.parent / icon["src"]).resolve().is_file(), f"{page.name}: the Colab icon is missing"
    return links


def test_each_chapter_page_opens_its_notebook_in_colab(built_site):
    links = colab_links(built_site)
    prefix = f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/"
    for chapter in CHAPTERS:
        assert links.get(f"book/{chapter}.html") == f"{prefix}book/{chapter}.ipynb", links.get(f"book/{chapter}.html")
    for page, link in links.items():
        assert link.startswith(prefix), link
        assert (built_site / "_sources" / link.removeprefix(prefix)).is_file(), f"{page}: {link} names no downloadable notebook"
    assert "book/claims.html" not in links, "a page that is not a notebook has no Colab link"


def test_the_pages_workflow_publishes_exactly_the_linked_notebooks(built_site, tmp_path):
    build, job = PAGES["jobs"]["build"], PAGES["jobs"]["notebooks"]
    upload = next(s for s in build["steps"] if s.get("with", {}).get("name") == "notebooks")
    download = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    push = next(s for s in job["steps"] if "run" in s)
    assert upload["with"]["path"] == "_build/html/_sources" and download["with"]["name"] == "notebooks"
    assert job["permissions"] == {"contents": "write"} and build["permissions"] == {"contents": "read"}
    assert job["if"] == upload["if"] == PAGES["jobs"]["deploy"]["if"], "only what is published on main"
    assert push["env"]["BRANCH"] == BRANCH
    assert not any("checkout" in s.get("uses", "") for s in job["steps"]), "the job that may write runs nothing of the repository"

    # Run the step's own script on the built site, pushing to a local repository in place of GitHub's.
    shutil.copytree(built_site / "_sources", tmp_path / download["with"]["path"])
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(f'[url "{remote.as_uri()}"]\n\tinsteadOf = https://x-access-token:t0ken@github.com/{REPO}.git\n')
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1",
           "TOKEN": "t0ken", "BRANCH": push["env"]["BRANCH"], "GITHUB_REPOSITORY": REPO, "GITHUB_SHA": "0" * 40}
    done = subprocess.run(["bash", "-e", "-c", push["run"]], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(["git", "--git-dir", str(remote), "ls-tree", "-r", "--name-only", BRANCH], capture_output=True, text=True, check=True)
    published = set(listed.stdout.split())
    prefix = f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/"
    assert published == {link.removeprefix(prefix) for link in colab_links(built_site).values()}
    for path in published:
        shown = subprocess.run(["git", "--git-dir", str(remote), "show", f"{BRANCH}:{path}"], capture_output=True, check=True).stdout
        assert shown == (built_site / "_sources" / path).read_bytes(), f"{path} is published as built"
