"""The diff between a snapshot and its refreshed rows, and the report printed for it."""

from __future__ import annotations

import pandas as pd

from .common import Puller


def diff(current: pd.DataFrame, merged: pd.DataFrame, key: tuple[str, ...]) -> tuple[list[dict], list[dict], list[tuple[dict, dict]]]:
    """Rows added, removed and changed between two frames, rows paired by their key columns."""
    def index(frame):
        seen: dict[tuple, dict] = {}
        for row in frame.to_dict("records"):
            k = tuple(row[c] for c in key)
            while k in seen:  # a repeated key still pairs, in order
                k = k + ("#",)
            seen[k] = row
        return seen
    old, new = index(current), index(merged)
    added = [new[k] for k in new if k not in old]
    removed = [old[k] for k in old if k not in new]
    changed = [(old[k], new[k]) for k in old if k in new and old[k] != new[k]]
    return added, removed, changed


def report(prov, puller: Puller, current: pd.DataFrame, merged: pd.DataFrame, notes: list[str]) -> str:
    added, removed, changed = diff(current, merged, puller.key)
    label = lambda row: " | ".join(row[c] or "-" for c in puller.key)
    rest = lambda row: ", ".join(f"{c}={v!r}" for c, v in row.items() if c not in puller.key and v)
    lines = [
        f"{prov.name}: pulled by {puller.name} from {puller.url} (rows tagged {puller.source_id})",
        f"Rows: {len(current)} before, {len(merged)} after: {len(added)} added, {len(removed)} removed, {len(changed)} changed.",
    ]
    if added:
        lines += ["Added:"] + [f"  + {label(r)}: {rest(r)}" for r in added]
    if removed:
        lines += ["Removed:"] + [f"  - {label(r)}: {rest(r)}" for r in removed]
    if changed:
        lines += ["Changed:"] + [f"  ~ {label(o)}: " + "; ".join(f"{c} {o[c]!r} -> {n[c]!r}" for c in o if o[c] != n[c]) for o, n in changed]
    if notes:
        lines += ["Notes:"] + [f"  * {n}" for n in notes]
    return "\n".join(lines)
