"""What every puller shares: the error, the puller record, the HTTP helper and small cell helpers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

import pandas as pd
import requests

TIMEOUT = 60  # seconds; the SPARQL service allows queries to run that long
HEADERS = {"User-Agent": "edition-pullers/0.1 (annotated edition dataset refresh; python-requests)"}


class PullError(Exception):
    """A refresh failed; the snapshot and its manifest were left as they were."""

    def __init__(self, problem: str, fix: str = "", url: str = "", dataset: str = ""):
        super().__init__(problem)
        self.problem, self.fix, self.url, self.dataset = problem, fix, url, dataset

    def __str__(self) -> str:
        where = f" [{self.url}]" if self.url else ""
        fix = f" Fix: {self.fix.rstrip('.')}." if self.fix else ""
        name = f"{self.dataset}: " if self.dataset else ""
        return f"{name}{self.problem}{where}.{fix} Snapshot and manifest left unchanged."


@dataclass(frozen=True)
class Puller:
    """How one dataset is re-pulled. `name` is what the manifest's `puller:` field holds."""

    name: str
    dataset: str
    source_id: str                     # tag of the rows this puller owns
    tag_columns: tuple[str, ...]       # where that tag is written
    url: str                           # endpoint, named in messages and the report
    source: dict                       # manifest `sources` entry for source_id
    key: tuple[str, ...]               # columns naming a row in the diff
    fetch: Callable[[], Any]           # network only
    transform: Callable[[Any], pd.DataFrame]   # pure
    expect: Callable[[pd.DataFrame], list[str]]  # expected rows missing from a pull
    merge: Callable[[pd.DataFrame, pd.DataFrame, str], tuple[pd.DataFrame, list[str]]]
    order: Callable[[dict], Any]       # sort key of a row (stable, so curated order holds)

    def pull(self) -> pd.DataFrame:
        return self.transform(self.fetch())

    def key_of(self, row: dict) -> tuple:
        return tuple(row[c] for c in self.key)


def get_json(url: str, params: dict, headers: dict | None = None) -> Any:
    """GET a JSON document; every network or format failure becomes a PullError."""
    try:
        resp = requests.get(url, params=params, headers={**HEADERS, **(headers or {})}, timeout=TIMEOUT)
    except requests.Timeout:
        raise PullError(f"no answer within {TIMEOUT} s (timeout)", "try again later; if the service is slow, raise TIMEOUT in src/edition/pullers/common.py", url)
    except requests.ConnectionError as err:
        raise PullError(f"could not connect ({type(err).__name__})", "check the network connection and that the service is up, then try again", url)
    except requests.RequestException as err:
        raise PullError(f"the request failed ({type(err).__name__}: {err})", "check the address and parameters in the source's module under src/edition/pullers/", url)
    if resp.status_code >= 400:
        raise PullError(f"HTTP {resp.status_code} {resp.reason}: {excerpt(resp.text)}", "try again later; if it persists, check the service's status page and the query parameters", url)
    try:
        return resp.json(parse_float=Decimal)  # Decimal keeps the published digits exactly
    except ValueError:
        raise PullError(f"the answer is not valid JSON (truncated or malformed body, starting {excerpt(resp.text)})", "try again; if it persists the service may have changed its format: compare a fresh answer with the transform", url)


def excerpt(text: str, size: int = 120) -> str:
    text = " ".join((text or "").split())
    return repr(text[:size] + ("..." if len(text) > size else ""))


def csv_number(value: Any) -> str:
    """A JSON number as the CSV writes it: integers without '.0', decimals as published."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a number")
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def split_tags(cell: str) -> list[str]:
    return [t for t in cell.split(";") if t]


def owned(frame: pd.DataFrame, columns: tuple[str, ...], tag: str) -> pd.Series:
    """Rows whose tag columns hold only this puller's tag."""
    mask = pd.Series(True, index=frame.index)
    for col in columns:
        mask &= frame[col] == tag
    return mask


def replace_owned(columns: tuple[str, ...]) -> Callable:
    """Merge that swaps the puller's own rows for the pulled ones and keeps all others."""

    def merge(current: pd.DataFrame, pulled: pd.DataFrame, tag: str) -> tuple[pd.DataFrame, list[str]]:
        kept = current[~owned(current, columns, tag)]
        return pd.concat([kept, pulled], ignore_index=True), []

    return merge
