"""Re-pull datasets from their primary sources' machine-readable endpoints.

`refresh(name)` runs the puller named in the dataset's manifest (`puller:`):

    fetch -> transform (pure) -> merge with the curated rows -> validate -> diff -> write

A puller owns only the rows tagged with its own source id; every other row is curated
by hand and survives the merge. Nothing is written unless every check passes, and then
the CSV and its manifest are replaced atomically. Any failure raises `PullError` and
leaves both files byte-identical.

One module per source (`wikidata`, `dataverse`, `comtrade`), each defining its `PULLER`;
`common` holds what they share, `report` the diff, `atomic` the write.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pandas as pd

from .. import datasets
from ..yamlfile import ProblemsFound
from . import atomic, comtrade, dataverse, report, wikidata
from .common import PullError, Puller, owned
from .report import diff

# Each source's endpoint and pure transform, for callers that work with one source.
from .comtrade import COMTRADE_PREVIEW, transform_comtrade
from .dataverse import VOETEN_URL, transform_unga
from .wikidata import WIKIDATA_SPARQL, transform_lieberman

PULLERS = {p.name: p for p in (wikidata.PULLER, dataverse.PULLER, comtrade.PULLER)}

__all__ = ["PULLERS", "PullError", "Pulled", "Puller", "pull_checked", "puller_for", "refresh", "diff",
           "COMTRADE_PREVIEW", "VOETEN_URL", "WIKIDATA_SPARQL",
           "transform_comtrade", "transform_lieberman", "transform_unga"]


@dataclasses.dataclass(frozen=True)
class Pulled:
    """What a pull produced, checked, before anything is written."""

    puller: Puller
    current: pd.DataFrame  # the snapshot's rows, as written
    merged: pd.DataFrame  # the snapshot's curated rows with the puller's rows replaced by the pull
    notes: list
    content: bytes  # `merged` as CSV bytes, in the snapshot's layout


def sources_after_pull(prov: datasets.Provenance, puller: Puller) -> tuple[dict, ...]:
    """The manifest's sources once a pull is written: the puller's own source is added (atomic.write), so its tag counts as defined."""
    return prov.sources if any(s.get("id") == puller.source_id for s in prov.sources) else (*prov.sources, dict(puller.source))


def pull_checked(prov: datasets.Provenance) -> Pulled:
    """Pull a dataset and run every check on the result; write nothing. Raises PullError."""
    puller = puller_for(prov)
    current = _frame(prov.csv_path.read_bytes())
    pulled = puller.pull()
    _check_pulled(pulled, prov, puller)
    merged, notes = puller.merge(current, pulled, puller.source_id)
    merged = _sorted(merged, puller)
    _check_kept(current, merged, puller)
    content = _csv_bytes(merged)
    problems = datasets.check_csv(content, dataclasses.replace(prov, rows=len(merged), sources=sources_after_pull(prov, puller)), f"{prov.name}.csv (as pulled)")
    if problems:
        raise PullError("the pulled data fail the dataset checks: " + "; ".join(str(p) for p in problems),
                        "fix the transform so its rows fit the manifest's columns and types", puller.url)
    return Pulled(puller, current, merged, notes, content)


def refresh(name: str, write: bool = True, folder: Path | None = None) -> str:
    """Re-pull one dataset, print-ready report returned; writes only if `write` and all checks pass."""
    folder = Path(folder) if folder else datasets.datasets_dir()
    puller = None
    try:
        prov = _manifest(name, folder)
        puller = puller_for(prov)
        before = prov.csv_path.read_bytes()
        pulled = pull_checked(prov)
        summary = report.report(prov, puller, pulled.current, pulled.merged, pulled.notes)
        if pulled.content == before:
            return summary + "\nNo change: the snapshot already matches the source; nothing written."
        if not write:
            return summary + "\nDry run: nothing written."
        return summary + "\n" + atomic.write(prov, puller, pulled.content, len(pulled.merged))
    except PullError as err:
        err.dataset = err.dataset or name
        err.url = err.url or (puller.url if puller else "")
        raise
    except Exception as err:  # nothing has been written yet: report it like any other failure
        raise PullError(f"unexpected {type(err).__name__}: {err}", "this is a fault in src/edition/pullers/; report it with this message",
                        puller.url if puller else "", name) from err


def _manifest(name: str, folder: Path) -> datasets.Provenance:
    try:
        prov = datasets.manifest(name, folder)
        datasets.load_record(name, folder)  # refresh only from a snapshot that passes its own checks
    except KeyError as err:
        raise PullError(str(err.args[0]), "give the name of a dataset under data/datasets/")
    except ProblemsFound as err:
        raise PullError("the current snapshot or manifest fails its checks: " + "; ".join(str(p) for p in err.problems), "run `edition check` and fix those problems first")
    except (ValueError, FileNotFoundError) as err:
        raise PullError(f"the current snapshot fails its checks: {err}", "run `edition check` and fix that first")
    return prov


def puller_for(prov: datasets.Provenance) -> Puller:
    if not prov.puller:
        raise PullError(f"the manifest has no 'puller:' field (pullers exist for: {', '.join(sorted(p.dataset for p in PULLERS.values()))})", "this dataset is curated by hand; edit its CSV and run `edition data rehash`")
    puller = PULLERS.get(prov.puller)
    if puller is None or puller.dataset != prov.name:
        raise PullError(f"'puller: {prov.puller}' names no puller for this dataset (known: {', '.join(sorted(PULLERS))})", f"correct the 'puller:' field of {prov.manifest_path.name}")
    return puller


def _frame(content: bytes) -> pd.DataFrame:
    """The CSV as strings, exactly as written ('' for empty cells)."""
    return pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)


def _check_pulled(pulled: pd.DataFrame, prov: datasets.Provenance, puller: Puller) -> None:
    expected = [c.name for c in prov.columns]
    if list(pulled.columns) != expected:
        raise PullError(f"the puller produces columns {list(pulled.columns)}, the manifest lists {expected}", f"make {puller.name}'s transform and the manifest's columns agree")
    if pulled.empty:
        raise PullError("the source returned no rows for this dataset", "check the query or file address; the snapshot is kept until the source has data again")
    missing = puller.expect(pulled)
    if missing:
        raise PullError(f"expected rows are missing from the pull: {', '.join(missing)}", "check the query or file: a partial answer must not replace the snapshot")


def _sorted(frame: pd.DataFrame, puller: Puller) -> pd.DataFrame:
    keys = [puller.order(row) for row in frame.to_dict("records")]
    order = sorted(range(len(keys)), key=keys.__getitem__)  # stable: curated order holds among equals
    return frame.iloc[order].reset_index(drop=True)


def _check_kept(current: pd.DataFrame, merged: pd.DataFrame, puller: Puller) -> None:
    """Guard: no row from another source may disappear in a merge."""
    theirs = current[~owned(current, puller.tag_columns, puller.source_id)]
    have = {puller.key_of(r) for r in merged.to_dict("records")}
    lost = [puller.key_of(r) for r in theirs.to_dict("records") if puller.key_of(r) not in have]
    if lost:
        raise PullError(f"the merge would drop curated rows {lost}", f"fix {puller.name}'s merge: it may only replace rows tagged {puller.source_id}")


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(frame.columns))
    writer.writerows(frame.astype(str).values.tolist())
    return out.getvalue().encode("utf-8")
