"""The claim inventory: the editors' paragraph-by-paragraph list of what in the article needs an annotation.

It is kept apart from the annotations so that a test can show the two agree one to one:
every inventoried item has its annotation, and no annotation is missing from the inventory.
"""

from __future__ import annotations

import re
from pathlib import Path

from .paths import data_dir, repo_root
from .yamlfile import Problem, read_yaml


def inventory_path() -> Path:
    return data_dir() / "inventory.yml"


def load_inventory(path: Path | None = None) -> dict[str, list[dict]]:
    doc = read_yaml(path or inventory_path(), "data/inventory.yml")
    return {key: list(items or []) for key, items in (doc.data or {}).items()}


def problems(inventory: dict[str, list[dict]], annotations: list, reported: set[str] = frozenset()) -> list[Problem]:
    """Where the inventory and the annotations disagree (item, kind or paragraph).

    reported: ids whose annotation files have problems of their own, already reported: not called missing as well.
    """
    label = "data/inventory.yml"
    by_id = {a.id: a for a in annotations}
    listed = {item["id"]: (key, item) for key, items in inventory.items() for item in items}
    found = []
    for ident, (key, item) in listed.items():
        ann = by_id.get(ident)
        if ann is None and ident not in reported:
            found.append(Problem(label, _line(inventory_path(), rf"id:\s*{re.escape(ident)}\b"), f"{key}.{ident}", "inventoried item has no annotation",
                                 f"add data/annotations/{ident}.yml (`edition new`) or remove the item"))
        elif ann is not None and (ann.block_key, ann.kind) != (key, item.get("kind")):
            found.append(Problem(label, _line(inventory_path(), rf"id:\s*{re.escape(ident)}\b"), f"{key}.{ident}",
                                 f"the annotation is a {ann.kind} in {ann.block_key}, the inventory says {item.get('kind')} in {key}", "make the two agree"))
    for ident, ann in by_id.items():
        if ident not in listed:
            found.append(Problem(ann.file, _line(repo_root() / ann.file, r"^id:"), "id", "annotation is not in the claim inventory",
                                 f"add '- {{id: {ident}, kind: {ann.kind}}}' under {ann.block_key} in data/inventory.yml"))
    return found


def _line(path: Path, pattern: str) -> int:
    """The 1-based line of path where pattern first matches (1 if none does or the file is not there)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((i for i, text in enumerate(lines, start=1) if re.search(pattern, text)), 1)


def add_item(key: str, ident: str, kind: str, path: Path | None = None) -> None:
    """Append an item under its paragraph, keeping the file's comments and order."""
    path = path or inventory_path()
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    at += 1
    while at < len(lines) and lines[at].startswith("  - "):
        at += 1
    lines.insert(at, f"  - {{id: {ident}, kind: {kind}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
