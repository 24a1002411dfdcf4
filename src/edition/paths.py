"""Where the project's data lives, found from the working folder so notebooks work from any chapter."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import yaml


BUNDLE = Path(__file__).resolve().parent / "bundle"  # data/ and _config.yml as installed with the package (read-only use)


def repo_root() -> Path:
    """The repository root: $EDITION_ROOT, else the nearest folder above the cwd holding data/article.yml,
    else the copy of the data installed with the package (a downloaded chapter run outside the repository)."""
    if os.environ.get("EDITION_ROOT"):
        return Path(os.environ["EDITION_ROOT"]).resolve()
    for folder in (Path.cwd(), *Path.cwd().parents, *Path(__file__).resolve().parents, BUNDLE):
        if (folder / "data" / "article.yml").is_file():
            return folder
    raise FileNotFoundError(
        "Cannot find the edition's data/article.yml above the current folder, nor with the installed package; "
        "run from inside the repository, set EDITION_ROOT to its path, or install the edition from the repository."
    )


class NotACheckout(Exception):
    """A command that writes the edition's files was run where the only copy found is the installed package's."""


def checkout_root(command: str) -> Path:
    """The repository root for a command that writes into it: as repo_root(), but never the copy of the data
    installed with the package (writing there would change site-packages, not the edition)."""
    root = repo_root()
    if root == BUNDLE.resolve():
        raise NotACheckout(
            f"`edition {command}` writes the edition's files, but no repository was found above {Path.cwd()}: the only "
            f"copy of the data here is the one installed with the package ({root}), which it must not change. "
            "Fix: run it from inside a clone of the repository, or set EDITION_ROOT to the clone's path."
        )
    return root


def data_dir() -> Path:
    return repo_root() / "data"


def label(path: Path) -> str:
    """A path as shown in messages: relative to the repository when it is inside it."""
    try:
        return str(path.resolve().relative_to(repo_root()))
    except (ValueError, FileNotFoundError):
        return str(path)


def site_url() -> str:
    """The website's address, ending in a slash: $EDITION_SITE (set by a downloaded notebook's first cell), else
    _config.yml's html.baseurl; while that is still the OWNER placeholder, on Binder, the Pages address of the
    repository Binder was launched from ($BINDER_REPO_URL, https://github.com/OWNER/NAME)."""
    if os.environ.get("EDITION_SITE"):
        return os.environ["EDITION_SITE"].rstrip("/") + "/"
    config = repo_root() / "_config.yml"
    return _site_url(config, config.stat().st_mtime_ns, os.environ.get("BINDER_REPO_URL", ""))


@functools.lru_cache(maxsize=4)
def _site_url(config_file: Path, stamp: int, binder_repo: str) -> str:
    # Every figure link and note permalink asks: the configuration is read once while it is unchanged.
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    url = (config.get("html", {}).get("baseurl") or "").rstrip("/") + "/"
    binder = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", binder_repo)
    if "//OWNER." in url and binder:
        return f"https://{binder[1].lower()}.github.io/{binder[2]}/"
    return url
