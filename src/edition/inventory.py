"""The claim inventory: the editors' paragraph-by-paragraph list of what in the article needs an annotation.

It is kept apart from the annotations so that a test can show the two agree one to one:
every inventoried item has its annotation, and no annotation is missing from the inventory.
"""

from __future__ import annotations

from pathlib import Path

from .paths import data_dir
from .yamlfile import Problem, read_yaml


def inventory_path() -> Path:
    return data_dir() / "inventory.yml"


def load_inventory(path: Path | None = None) -> dict[str, list[dict]]:
    doc = read_yaml(path or inventory_path(), "data/inventory.yml")
    return {key: list(items or []) for key, items in (doc.data or {}).items()}


def problems(inventory: dict[str, list[dict]], annotations: list) -> list[Problem]:
    """Where the inventory and the annotations disagree (item, kind or paragraph)."""
    label = "data/inventory.yml"
    by_id = {a.id: a for a in annotations}
    listed = {item["id"]: (key, item) for key, items in inventory.items() for item in items}
    found = []
    for ident, (key, item) in listed.items():
        ann = by_id.get(ident)
        if ann is None:
            found.append(Problem(label, 1, f"{key}.{ident}", "inventoried item has no annotation", f"add data/annotations/{ident}.yml or remove the item"))
        elif (ann.block_key, ann.kind) != (key, item.get("kind")):
            found.append(Problem(label, 1, f"{key}.{ident}", f"the annotation is a {ann.kind} in {ann.block_key}, the inventory says {item.get('kind')} in {key}", "make the two agree"))
    for ident, ann in by_id.items():
        if ident not in listed:
            found.append(Problem(ann.file, 1, "id", "annotation is not in the claim inventory", f"add '- {{id: {ident}, kind: {ann.kind}}}' under {ann.block_key} in data/inventory.yml"))
    return found


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
