"""Today's figures in a notebook: `load_live(name)` pulls from the primary source, in memory only.

The pull goes through the dataset's puller and every check `edition data refresh` makes
(fetch, transform, merge with the curated rows, the manifest's columns and types), but
nothing is written: the committed snapshot stays what the book is built from. The
frame's provenance says "pulled live at <time>"; a figure drawn from it says so too.

If the pull cannot be made (no network, a timeout, an HTTP error, a malformed answer),
or the dataset has no live source, the snapshot is returned with a one-line notice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from . import datasets, pullers
from .pullers import PullError
from .yamlfile import ProblemsFound


def load_live(name: str, folder: Path | None = None) -> pd.DataFrame:
    """The dataset's current rows as pulled now from its source, or its verified snapshot's, with a notice saying why not.

    Like `datasets.load()`, it leaves out retracted and superseded figures.
    """
    return datasets.current_rows(_live_record(name, folder))


def _live_record(name: str, folder: Path | None = None) -> pd.DataFrame:
    snapshot = datasets.load_record(name, folder)  # also checks the snapshot the pull is merged into
    prov = snapshot.attrs["provenance"]
    if not prov.puller:
        return _fallback(snapshot, f"{name} has no live source (its figures are compiled by hand)")
    try:
        return pull(prov)
    except PullError as err:
        return _fallback(snapshot, f"Live pull of {name} failed: {err.problem}" + (f" [{err.url}]" if err.url else ""))
    except Exception as err:  # a reader's session must not end in a traceback
        return _fallback(snapshot, f"Live pull of {name} failed: unexpected {type(err).__name__}: {err}")


def pull(prov: datasets.Provenance) -> pd.DataFrame:
    """The steps of `edition data refresh` up to, and not including, the write."""
    pulled = pullers.pull_checked(prov)
    at = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    live = dataclasses.replace(prov, rows=len(pulled.merged), pulled_live=at, sources=pullers.sources_after_pull(prov, pulled.puller))
    try:
        frame = datasets.parse_csv(pulled.content, live, f"{prov.name} (pulled live)")
    except ProblemsFound as err:
        raise PullError("the pulled data fail the dataset checks: " + "; ".join(str(p) for p in err.problems), url=pulled.puller.url)
    frame.attrs["provenance"] = live
    return frame


def _fallback(snapshot: pd.DataFrame, why: str) -> pd.DataFrame:
    notice = f"{why}; showing the snapshot taken on {snapshot.attrs['provenance'].retrieved} instead."
    print(notice, file=sys.stderr)
    snapshot.attrs["notice"] = notice
    return snapshot
