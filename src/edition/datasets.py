"""Datasets: CSV snapshots under data/datasets/, each described by a sidecar manifest <name>.yml.

`load(name)` reads only the committed snapshot, checks it against its manifest and
returns a DataFrame whose `.attrs["provenance"]` says where the numbers come from.
It never touches the network; refreshing from the primary source is `edition.pullers`,
and `load(name, live=True)` pulls today's figures into memory only (`edition.live`).
"""

from __future__ import annotations

import csv
import hashlib
import re
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .paths import data_dir, label as _label
from .yamlfile import Problem, ProblemsFound, read_yaml, schema_problems

SCHEMA = Path(__file__).with_name("dataset.schema.json")
DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean", "date": "string"}
FIXES = {
    "sha256": "run `edition data rehash NAME` after checking the CSV, and commit both files",
    "rows": "run `edition data rehash NAME`",
    "url": "give the full address starting with https:// (or http://)",
    "retrieved": "write the date the figures were taken as YYYY-MM-DD",
    "columns": "list every CSV column, in order, with name, type and description",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    unit: str = ""


@dataclass(frozen=True)
class Provenance:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    sources: tuple[dict, ...]
    retrieved: str
    license: str
    caveats: tuple[str, ...]
    sha256: str
    rows: int
    csv_path: Path
    manifest_path: Path
    puller: str = ""
    pulled_live: str = ""  # when load(live=True) pulled these figures (UTC); empty for the snapshot

    @property
    def taken(self) -> str:
        return f"pulled live at {self.pulled_live}" if self.pulled_live else f"snapshot taken on {self.retrieved}"

    @property
    def source_line(self) -> str:
        """One line naming every source, for figure captions."""
        # The citation's first part (its author or publisher); a single initial like "J." does not end it.
        names = list(dict.fromkeys(re.split(r"(?<![A-Z])\. |, ", s["citation"])[0] for s in self.sources))
        shown = "; ".join(names[:4]) + (f"; and {len(names) - 4} more (see the dataset page)" if len(names) > 4 else "")
        return f"Sources: {shown}. Figures: {self.taken}."

    @property
    def citation(self) -> str:
        return f"Edition editors, \u201c{self.title}\u201d (dataset {self.name}, {self.taken})."

    @property
    def load_snippet(self) -> str:
        return f'from edition.datasets import load; df = load("{self.name}")'


def datasets_dir() -> Path:
    return data_dir() / "datasets"


def available(folder: Path | None = None) -> list[str]:
    """Names of every dataset that has a manifest."""
    return sorted(p.stem for p in (folder or datasets_dir()).glob("*.yml"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(name: str, folder: Path | None = None) -> Provenance:
    """Read and validate one manifest (not the CSV's content)."""
    folder = folder or datasets_dir()
    path = folder / f"{name}.yml"
    if not path.is_file():
        names = ", ".join(available(folder)) or "(none)"
        raise KeyError(f"unknown dataset {name!r}: there is no {_label(path)}. Available datasets: {names}")
    doc = read_yaml(path, _label(path))
    problems = schema_problems(doc, SCHEMA, FIXES)
    if not problems and doc.data["name"] != name:
        problems.append(Problem(doc.label, doc.line(("name",)), "name", f"name {doc.data['name']!r} does not match the file name", f"set 'name: {name}'"))
    if problems:
        raise ProblemsFound(problems)
    d = doc.data
    return Provenance(
        name=name, title=d["title"], description=d["description"].strip(),
        columns=tuple(Column(c["name"], c["type"], c["description"], c.get("unit", "")) for c in d["columns"]),
        sources=tuple(d["sources"]), retrieved=d["retrieved"], license=d["license"],
        caveats=tuple(d.get("caveats") or ()), sha256=d["sha256"], rows=d["rows"],
        csv_path=folder / f"{name}.csv", manifest_path=path, puller=d.get("puller", ""),
    )


def load(name: str, folder: Path | None = None, live: bool = False) -> pd.DataFrame:
    """The dataset as a DataFrame, verified against its manifest; provenance in df.attrs.

    live=True: today's figures from the primary source, in memory only (see edition.live).
    """
    if live:
        from .live import load_live  # imported here: pulling is the exception, and needs the pullers

        return load_live(name, folder)
    prov = manifest(name, folder)
    path = prov.csv_path
    if not path.is_file():
        raise FileNotFoundError(f"{_label(path)}: the snapshot listed in {_label(prov.manifest_path)} is missing; restore it from git (`git checkout -- {_label(path)}`)")
    got = sha256(path)
    if got != prov.sha256:
        raise ValueError(
            f"{_label(path)}: checksum mismatch: expected {prov.sha256} (from {_label(prov.manifest_path)}), got {got}. "
            f"If you changed the CSV on purpose, check it and run `edition data rehash {name}`; otherwise restore it with `git checkout -- {_label(path)}`"
        )
    frame = parse_csv(path.read_bytes(), prov, _label(path))
    frame.attrs["provenance"] = prov
    return frame


def parse_csv(content: bytes, prov: Provenance, label: str) -> pd.DataFrame:
    """Parse CSV bytes and check them against the manifest's columns and types."""
    problems = check_csv(content, prov, label)
    if problems:
        raise ProblemsFound(problems)
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, na_values=[""])
    for col in prov.columns:
        frame[col.name] = _typed(frame[col.name], col.type)
    return frame


def _typed(values: pd.Series, kind: str) -> pd.Series:
    if kind == "boolean":
        return values.map({"true": True, "false": False}).astype("boolean")
    if kind in ("integer", "number"):
        return pd.to_numeric(values).astype(DTYPES[kind])
    return values.astype(DTYPES[kind])


def check_csv(content: bytes, prov: Provenance, label: str) -> list[Problem]:
    """Every problem of a CSV against its manifest: encoding, header, row shape, types, row count."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as err:
        return [Problem(label, 1, "", f"not UTF-8 text ({err.reason} at byte {err.start})", "save the file as UTF-8")]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [Problem(label, 1, "", "the file is empty", "restore it with git")]
    header, expected = rows[0], [c.name for c in prov.columns]
    if header != expected:
        return [Problem(label, 1, "header", f"columns {header} do not match the manifest's {expected}", f"make the CSV header and the 'columns' of {_label(prov.manifest_path)} agree")]
    problems = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            problems.append(Problem(label, line, "", f"{len(row)} fields where the header has {len(header)}", "check for unquoted commas or a truncated line"))
            continue
        for col, value in zip(prov.columns, row):
            if value and not _fits(value, col.type):
                problems.append(Problem(label, line, col.name, f"{value!r} is not of type {col.type}", "correct the value or the column's type in the manifest"))
    if not problems and len(rows) - 1 != prov.rows:
        problems.append(Problem(label, len(rows), "", f"{len(rows) - 1} data rows, the manifest says {prov.rows}", FIXES["rows"]))
    return problems


def _fits(value: str, kind: str) -> bool:
    checks = {
        "integer": lambda v: v.lstrip("-").isdigit(),
        "number": lambda v: _is_float(v),
        "boolean": lambda v: v in ("true", "false"),
        "date": lambda v: len(v) in (4, 7, 10) and v[:4].isdigit(),
    }
    return checks.get(kind, lambda v: True)(value)


def _is_float(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def rehash(name: str, folder: Path | None = None) -> Provenance:
    """Record the CSV's current checksum and row count in its manifest (after a deliberate edit)."""
    import yaml

    folder = folder or datasets_dir()
    path = folder / f"{name}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    csv_path = folder / f"{name}.csv"
    data["sha256"] = sha256(csv_path)
    data["rows"] = max(0, len(list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"))))) - 1)
    write_manifest(path, data)
    return manifest(name, folder)


def write_manifest(path: Path, data: dict) -> None:
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")

