"""Replacing a snapshot's CSV and manifest together, or not at all."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path

from .. import datasets
from .common import PullError, Puller


def write(prov: datasets.Provenance, puller: Puller, content: bytes, rows: int) -> str:
    """Replace CSV and manifest together; restore both if anything goes wrong."""
    import yaml

    folder = prov.csv_path.parent
    old_csv, old_yml = prov.csv_path.read_bytes(), prov.manifest_path.read_bytes()
    data = yaml.safe_load(old_yml.decode("utf-8"))
    data["sha256"] = hashlib.sha256(content).hexdigest()
    data["rows"] = rows
    data["retrieved"] = dt.date.today().isoformat()
    if not any(s.get("id") == puller.source_id for s in data["sources"]):
        data["sources"].append(dict(puller.source))  # every tag in the CSV must be a listed source
    tmp_csv = _temp_file(folder, prov.name, content)
    tmp_yml = _temp_file(folder, prov.name, b"")
    try:
        datasets.write_manifest(tmp_yml, data)  # same layout as `edition data rehash`
        os.replace(tmp_csv, prov.csv_path)
        os.replace(tmp_yml, prov.manifest_path)
        datasets.load_record(prov.name, folder)
    except Exception as err:
        _restore(prov.csv_path, old_csv)
        _restore(prov.manifest_path, old_yml)
        raise PullError(f"writing failed and was undone ({type(err).__name__}: {err})", "check the folder's permissions and free space, then try again")
    finally:
        for tmp in (tmp_csv, tmp_yml):
            tmp.unlink(missing_ok=True)
    return f"Wrote {prov.csv_path.name} and {prov.manifest_path.name}: {rows} rows, sha256 {data['sha256']}, retrieved {data['retrieved']}."


def _temp_file(folder: Path, name: str, content: bytes) -> Path:
    """A temporary file in the target's own folder, so os.replace is atomic."""
    handle, path = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    return Path(path)


def _restore(path: Path, content: bytes) -> None:
    if path.exists() and path.read_bytes() == content:
        return
    tmp = _temp_file(path.parent, path.stem, content)
    os.replace(tmp, path)
