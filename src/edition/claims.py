"""The annotations as data: where each one lives in the book, and two pandas tables.

`claims()` has a row per annotation, `sources()` a row per source. Both read
data/annotations/ through the validator (`annotations.collect()`), so they hold
what the website shows; `problems()` lists the files that fail validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from . import annotations, datasets
from .annotations import Annotation
from .article import load_article
from .paths import repo_root, site_url
from .yamlfile import Problem

CLAIM_COLUMNS = ["id", "chapter", "paragraph", "kind", "verdict", "summary", "sources", "datasets", "updated", "permalink"]
SOURCE_COLUMNS = ["annotation", "title", "publisher", "author", "date", "consulted", "url", "standpoint"]


@dataclass(frozen=True)
class Place:
    """Where an article block is published: the chapter's page and number."""

    page: str  # e.g. "book/01-from-1947-to-putin", as in the site's address
    chapter: int


def collected() -> tuple[list[Annotation], list[Problem]]:
    """The valid annotations in article order and the problems of the others, re-read when a file changes."""
    folder = annotations.annotations_dir()
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yml")))
    return _collect(folder, stamp)


@lru_cache(maxsize=2)
def _collect(folder: Path, stamp: tuple) -> tuple[list[Annotation], list[Problem]]:
    return annotations.collect(folder, datasets=set(datasets.available()))  # checked as the website checks them


def places() -> dict[str, Place]:
    """Article block key (p1, h2...) -> the chapter page holding that block's text."""
    root = repo_root()
    chapters = sorted((root / "book").glob("0*.md"))
    return _places(tuple((p, p.stat().st_mtime_ns) for p in chapters), root)


@lru_cache(maxsize=2)
def _places(chapters: tuple, root: Path) -> dict[str, Place]:
    found = {}
    for path, _ in chapters:
        text = path.read_text(encoding="utf-8")
        number = int(yaml.safe_load(text.split("---")[1]).get("edition", {}).get("chapter", 0))
        page = path.relative_to(root).with_suffix("").as_posix()
        for block in load_article().blocks:
            if block.text in text:
                found.setdefault(block.key, Place(page, number))
    return found


def permalink(ann: Annotation) -> str:
    """The note's address on the website: <baseurl><page>.html#claim-<id>."""
    place = places().get(ann.block_key)
    page = f"{place.page}.html" if place else ""
    return f"{site_url()}{page}#{ann.anchor}"


def claims() -> pd.DataFrame:
    """One row per valid annotation, in the article's order."""
    where = places()
    rows = [
        {
            "id": a.id,
            "chapter": where[a.block_key].chapter if a.block_key in where else pd.NA,
            "paragraph": a.block_key,
            "kind": a.kind,
            "verdict": a.verdict,
            "summary": a.summary,
            "sources": len(a.sources),
            "datasets": ", ".join(a.datasets),
            "updated": a.updated,
            "permalink": permalink(a),
        }
        for a in collected()[0]
    ]
    frame = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    return frame.astype({"chapter": "Int64", "sources": "int64"})


def sources() -> pd.DataFrame:
    """One row per source of every valid annotation (dates as written: YYYY, YYYY-MM, YYYY-MM-DD or 'undated')."""
    rows = [
        {"annotation": a.id, "title": s.title, "publisher": s.publisher, "author": s.author, "date": s.date,
         "consulted": s.consulted, "url": s.url, "standpoint": s.standpoint}
        for a in collected()[0]
        for s in a.sources
    ]
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)


def problems() -> list[Problem]:
    """The problems of annotation files left out of the tables (empty when all are valid)."""
    return collected()[1]
