"""Datasets: CSV snapshots under data/datasets/, each described by a sidecar manifest <name>.yml.

`load(name)` reads only the committed snapshot, checks it against its manifest and
returns its current rows (no retracted or superseded figure) as a DataFrame whose
`.attrs["provenance"]` says where the numbers come from; `load_record(name)` returns
every row, those kept for the record included.
It never touches the network; refreshing from the primary source is `edition.pullers`,
and `edition.live.load_live(name)` pulls today's figures into memory only.
"""

from __future__ import annotations

import csv
import hashlib
import re
import io
from dataclasses import dataclass
from pathlib import Path

from ._lazy import lazy_import
from .paths import data_dir, label as _label
from .yamlfile import Problem, ProblemsFound, read_yaml, schema_problems

pd = lazy_import("pandas")  # loaded on first use

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
    qualifier: str = ""  # the column that says what kind of figure this one is
    key: bool = False  # a key (year, month), not a figure: needs no qualifier


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
    pulled_live: str = ""  # when load_live() pulled these figures (UTC); empty for the snapshot

    def __deepcopy__(self, memo) -> Provenance:
        # pandas deep-copies a frame's attrs on every operation; the provenance is never changed in place
        # (a new one is made with dataclasses.replace), so every copy can share it.
        return self

    @property
    def taken(self) -> str:
        return f"pulled live at {self.pulled_live}" if self.pulled_live else f"snapshot taken on {self.retrieved}"
    changelog: tuple[dict, ...] = ()
    preference: dict | None = None
    unique: tuple[str, ...] = ()  # columns no two current rows may share

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


def source_anchor(source_id: str) -> str:
    """The id of a source's entry on its dataset page (figures' tables link to it)."""
    return "source-" + re.sub(r"[^a-z0-9]+", "-", source_id.strip().lower()).strip("-")


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
    key = (path, path.read_bytes())
    if key not in _MANIFESTS:
        _MANIFESTS[key] = _manifest(name, folder, path)
    return _MANIFESTS[key]


# Manifests and parsed snapshots already read in this process, by their bytes: a build and a notebook
# load the same datasets many times (charts, evidence checks, dataset pages). Provenance is immutable;
# a caller gets its own copy of a frame.
_MANIFESTS: dict[tuple, Provenance] = {}
_FRAMES: dict[tuple, pd.DataFrame] = {}
_KEEP = 64


def _manifest(name: str, folder: Path, path: Path) -> Provenance:
    if len(_MANIFESTS) > _KEEP:
        _MANIFESTS.clear()
    doc = read_yaml(path, _label(path))
    problems = schema_problems(doc, SCHEMA, FIXES)
    if not problems and doc.data["name"] != name:
        problems.append(Problem(doc.label, doc.line(("name",)), "name", f"name {doc.data['name']!r} does not match the file name", f"set 'name: {name}'"))
    if not problems:
        problems += _qualifier_column_problems(doc)
        names = [c["name"] for c in doc.data["columns"]]
        problems += [Problem(doc.label, doc.line(("unique", i)), f"unique.{i}", f"no column named {col!r}", "list columns of the CSV that identify a row")
                     for i, col in enumerate(doc.data.get("unique") or []) if col not in names]
    if problems:
        raise ProblemsFound(problems)
    d = doc.data
    return Provenance(
        name=name, title=d["title"], description=d["description"].strip(),
        columns=tuple(Column(c["name"], c["type"], c["description"], c.get("unit", ""), c.get("qualifier", ""), c.get("key", False)) for c in d["columns"]),
        sources=tuple(d["sources"]), retrieved=d["retrieved"], license=d["license"],
        caveats=tuple(d.get("caveats") or ()), sha256=d["sha256"], rows=d["rows"],
        csv_path=folder / f"{name}.csv", manifest_path=path, puller=d.get("puller", ""),
        changelog=tuple(d.get("changelog") or ()),
        preference=d.get("preference"), unique=tuple(d.get("unique") or ()),
    )


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """The dataset's current rows, verified against its manifest; provenance in df.attrs.

    A row any of whose figures is retracted or superseded is left out, so it can never
    reach a chart or a caption. The full record: `load_record(name)`.
    Today's figures from the primary source: `edition.live.load_live(name)`.
    """
    return current_rows(load_record(name, folder))


def current_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows none of whose figures is retracted or superseded (the index keeps the record's numbering)."""
    withdrawn = pd.Series(False, index=frame.index)
    for col in (c for c in frame.attrs["provenance"].columns if c.qualifier):
        withdrawn |= qualifiers(frame, col.name).map(lambda q: q.withdrawn).astype(bool)
    out = frame[~withdrawn]
    out.attrs = frame.attrs
    return out


def load_record(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Every row of the dataset's snapshot, retracted and superseded figures included, verified against its manifest.

    For pullers, `edition data rehash` and the dataset page; charts use `load()`.
    """
    prov = manifest(name, folder)
    path = prov.csv_path
    if not path.is_file():
        raise FileNotFoundError(f"{_label(path)}: the snapshot listed in {_label(prov.manifest_path)} is missing; restore it from git (`git checkout -- {_label(path)}`)")
    content = path.read_bytes()
    got = hashlib.sha256(content).hexdigest()
    if got != prov.sha256:
        raise ValueError(
            f"{_label(path)}: checksum mismatch: expected {prov.sha256} (from {_label(prov.manifest_path)}), got {got}. "
            f"If you changed the CSV on purpose, check it and run `edition data rehash {name}`; otherwise restore it with `git checkout -- {_label(path)}`"
        )
    key = (id(prov), got)  # one Provenance per manifest bytes; the cached frame holds it, so its id is not reused
    if key not in _FRAMES:
        if len(_FRAMES) > _KEEP:
            _FRAMES.clear()
        _FRAMES[key] = parse_csv(content, prov, _label(path))
    frame = _FRAMES[key].copy()
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
    frame.attrs["provenance"] = prov
    problems = preference_problems(frame, label) if prov.preference else []
    if problems:
        raise ProblemsFound(problems)
    return frame


def _typed(values: pd.Series, kind: str) -> pd.Series:
    if kind == "boolean":
        return values.map({"true": True, "false": False}).astype("boolean")
    if kind in ("integer", "number"):
        return pd.to_numeric(values).astype(DTYPES[kind])
    return values.astype(DTYPES[kind])


def check_csv(content: bytes, prov: Provenance, label: str) -> list[Problem]:
    """Every problem of a CSV against its manifest, all at once: encoding, header, row shape, types, qualifiers,
    source ids, duplicate rows and row count."""
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
    # Rows of the wrong length are reported above; the later checks read them padded, so they can still report the rest.
    even = [header] + [(r + [""] * len(header))[: len(header)] for r in rows[1:]]
    problems += qualifier_problems(even, prov, label)
    problems += source_id_problems(even, prov, label)
    problems += duplicate_problems(even, prov, label)
    if len(rows) - 1 != prov.rows:
        problems.append(Problem(label, len(rows), "", f"{len(rows) - 1} data rows, the manifest says {prov.rows}", FIXES["rows"]))
    return sorted(problems, key=lambda p: p.line)


def source_id_columns(prov: Provenance) -> list[str]:
    """The columns that cite the manifest's sources by id (source_id, start_source_id, ...)."""
    return [c.name for c in prov.columns if c.name == "source_id" or c.name.endswith("_source_id")]


def source_id_problems(rows: list[list[str]], prov: Provenance, label: str) -> list[Problem]:
    """Every id a row cites (several are joined by ';') is defined under the manifest's sources."""
    defined = {s["id"] for s in prov.sources if s.get("id")}
    problems = []
    for name in source_id_columns(prov):
        at = rows[0].index(name)
        for line, row in enumerate(rows[1:], start=2):
            for ident in (x.strip() for x in row[at].split(";")):
                if ident and ident not in defined:
                    problems.append(Problem(label, line, name, f"source id {ident!r} is not defined in {_label(prov.manifest_path)}",
                                            f"add a source with 'id: {ident}' (citation and url) to the manifest's sources, or correct the id"))
    return problems


def duplicate_problems(rows: list[list[str]], prov: Provenance, label: str) -> list[Problem]:
    """No two current rows say the same thing: the same values in every column but the note (the same figure entered
    twice), or the same values in the manifest's 'unique' columns. Retracted and superseded rows are kept for the record
    and do not count."""
    header = rows[0]
    withdrawn = set()
    for col in prov.columns:
        if col.qualifier:
            at = header.index(col.qualifier)
            withdrawn |= {line for line, row in enumerate(rows[1:], start=2) if row[at].strip() and _safe_parse(row[at]).withdrawn}
    keys = [("every column but the note", [i for i, name in enumerate(header) if name != "note"])]
    if prov.unique:
        keys.insert(0, (", ".join(prov.unique), [header.index(name) for name in prov.unique]))
    problems, reported = [], set()
    for what, idx in keys:
        seen: dict[tuple, int] = {}
        for line, row in enumerate(rows[1:], start=2):
            if line in withdrawn:
                continue
            key = tuple(row[i] for i in idx)
            if key in seen and line not in reported:
                reported.add(line)
                problems.append(Problem(label, line, what if what != "every column but the note" else "", f"this current row repeats line {seen[key]} ({what})",
                                        f"delete one of the two, or mark the one that is replaced 'superseded: line {seen[key]}' in its qualifier"))
            seen.setdefault(key, line)
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


# What kind of figure a value is. Every figure column names a qualifier column in its
# manifest; each cell of that column holds one or more of these, joined by "; ".
QUALIFIERS = {
    "exact": "as the source states it, with no 'about', 'more than' or rounding word",
    "rounded": "the source rounds it (a headline 'about 24,000' from a precise count)",
    "approximate": "the source says 'about', 'some', 'around' or gives an estimate",
    "lower_bound": "the source says 'more than', 'over', 'at least'",
    "upper_bound": "the source says 'less than', 'under', 'at most'",
    "range": "a range: the row gives its lower and upper ends",
    "partial_year": "covers part of the year only (the period is in the row)",
    "derived": "computed by the editors, written 'derived: <formula>'",
    "retracted": "withdrawn by its source; written 'retracted: line <N>' pointing to the correcting row",
    "superseded": "replaced by a later figure; written 'superseded: line <N>' pointing to it",
}
QUALIFIER_FIX = "write one or more of " + ", ".join(QUALIFIERS) + " joined by '; ' (derived: <formula>; retracted: line <N>; superseded: line <N>)"


@dataclass(frozen=True)
class Qualifier:
    kinds: frozenset
    formula: str = ""
    line: int = 0  # the CSV line of the correcting row, for retracted and superseded

    @property
    def withdrawn(self) -> bool:
        return bool(self.kinds & {"retracted", "superseded"})


def parse_qualifier(text: str) -> Qualifier:
    """Read one qualifier cell; raise ValueError saying what is wrong."""
    kinds, formula, line = set(), "", 0
    for part in (p.strip() for p in text.split(";")):
        kind, _, rest = part.partition(":")
        kind, rest = kind.strip(), rest.strip()
        if kind not in QUALIFIERS:
            raise ValueError(f"{part!r} is not a qualifier")
        if kind == "derived":
            if not rest:
                raise ValueError("'derived' needs its formula, e.g. 'derived: 236000 / 430000'")
            formula = rest
        elif kind in ("retracted", "superseded"):
            match = re.fullmatch(r"line (\d+)", rest)
            if not match:
                raise ValueError(f"'{kind}' needs the CSV line of the correcting row, e.g. '{kind}: line 12'")
            line = int(match.group(1))
        elif rest:
            raise ValueError(f"'{kind}' takes no text after it")
        kinds.add(kind)
    return Qualifier(frozenset(kinds), formula, line)


def _qualifier_column_problems(doc) -> list[Problem]:
    """Every figure column names an existing qualifier column (or says it is a key)."""
    problems, cols = [], doc.data["columns"]
    names = {c["name"] for c in cols}
    for i, col in enumerate(cols):
        where = doc.line(("columns", i))
        if col.get("qualifier") and col["qualifier"] not in names:
            problems.append(Problem(doc.label, where, f"columns.{i}.qualifier", f"no column named {col['qualifier']!r}", "name a column of this CSV that holds the qualifiers"))
        if col["type"] in ("number", "integer") and not col.get("key") and not col.get("qualifier"):
            problems.append(Problem(doc.label, where, f"columns.{i}", f"the figure column {col['name']!r} names no qualifier column",
                                    "add 'qualifier: <column>' naming the column that says exact, rounded, lower_bound..., or 'key: true' if it is a key such as a year"))
    return problems


def qualifier_problems(rows: list[list[str]], prov: Provenance, label: str) -> list[Problem]:
    """Each qualifier cell is well formed, present exactly where a figure is, and points to a real correcting row."""
    header, problems = rows[0], []
    figures: dict[str, list[int]] = {}
    for col in prov.columns:
        if col.qualifier:
            figures.setdefault(col.qualifier, []).append(header.index(col.name))
    for qcol, value_idx in figures.items():
        q = header.index(qcol)
        for line, row in enumerate(rows[1:], start=2):
            has_value, cell = any(row[i] for i in value_idx), row[q].strip()
            if has_value and not cell:
                problems.append(Problem(label, line, qcol, "a figure without a qualifier", QUALIFIER_FIX))
            elif cell and not has_value:
                problems.append(Problem(label, line, qcol, f"a qualifier ({cell!r}) where the row has no figure", "empty the cell, or put the figure in the row"))
            elif cell:
                try:
                    parsed = parse_qualifier(cell)
                except ValueError as err:
                    problems.append(Problem(label, line, qcol, str(err), QUALIFIER_FIX))
                    continue
                if parsed.withdrawn:
                    target = rows[parsed.line - 1] if 2 <= parsed.line <= len(rows) else None
                    if target is None or parsed.line == line:
                        problems.append(Problem(label, line, qcol, f"line {parsed.line} is not another row of the file", "point to the CSV line (header = line 1) of the row that corrects this one"))
                    elif target[q].strip() and _safe_parse(target[q]).withdrawn:
                        problems.append(Problem(label, line, qcol, f"line {parsed.line} is itself retracted or superseded", "point to the row that is current"))
    return problems


def _safe_parse(text: str) -> Qualifier:
    try:
        return parse_qualifier(text)
    except ValueError:
        return Qualifier(frozenset())


def qualifiers(frame: pd.DataFrame, column: str) -> pd.Series:
    """The parsed qualifier of each row's figure in column (an empty Qualifier where there is none)."""
    qcol = next(c.qualifier for c in frame.attrs["provenance"].columns if c.name == column)
    return frame[qcol].fillna("").map(_safe_parse)


def current(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows whose figure in column is neither retracted nor superseded: what a chart may plot as current."""
    out = frame[~qualifiers(frame, column).map(lambda q: q.withdrawn)]
    out.attrs = frame.attrs
    return out


def preference_rank(frame: pd.DataFrame) -> pd.Series:
    """Each row's place in the manifest's order of preference (lower is better; None: never preferred).

    Agencies first, in the stated order (a figure whose agency is not named comes after
    them), then the kind of figure (exact before rounded, approximate, lower bound).
    """
    rule = frame.attrs["provenance"].preference
    value = rule["value"]
    quals = qualifiers(frame, value)

    def agency(text) -> int:
        text = text if isinstance(text, str) else ""
        return next((i for i, names in enumerate(rule["agencies"]) if text.startswith(tuple(names))), len(rule["agencies"]))

    def rank(i: int):
        q = quals.iloc[i]
        if pd.isna(frame[value].iloc[i]) or q.withdrawn:
            return None
        kind = min((rule["qualifiers"].index(k) for k in q.kinds if k in rule["qualifiers"]), default=len(rule["qualifiers"]))
        return (agency(frame[rule["agency_column"]].iloc[i]), kind)

    return pd.Series([rank(i) for i in range(len(frame))], index=frame.index, dtype=object)


def preference_problems(frame: pd.DataFrame, label: str) -> list[Problem]:
    """The flagged rows follow the manifest's order of preference: one per group, and the best-ranked."""
    rule = frame.attrs["provenance"].preference
    flag, problems = rule["column"], []
    ranks = preference_rank(frame)
    for key, group in frame.groupby(rule["among"], sort=False):
        ranked = ranks[group.index].dropna()
        chosen = group.index[group[flag].fillna(False).astype(bool)]
        where = ", ".join(f"{c}={v}" for c, v in zip(rule["among"], key if isinstance(key, tuple) else (key,)))
        if ranked.empty:
            for i in chosen:
                problems.append(Problem(label, int(i) + 2, flag, f"{where}: a row with no current figure is flagged {flag}", f"set {flag} to false"))
            continue
        best = min(ranked)
        first = next(i for i in ranked.index if ranked[i] == best)
        if len(chosen) != 1:
            problems.append(Problem(label, int(first) + 2, flag, f"{where}: {len(chosen)} rows are flagged {flag}, where one must be", f"flag only line {int(first) + 2}, the best by the manifest's order of preference"))
        elif ranks[chosen[0]] != best:
            problems.append(Problem(label, int(chosen[0]) + 2, flag, f"{where}: this row is flagged {flag}, but line {int(first) + 2} comes first in the manifest's order of preference (agency, then exact before rounded, approximate, lower bound)",
                                    f"set {flag} to false here and true on line {int(first) + 2}, or correct the row's agency or qualifier"))
    return problems


def number(value: float) -> str:
    """A figure as a reader expects it: thousands separated, no trailing zeros."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def describe(value: float, q: Qualifier, unit: str = "") -> str:
    """A figure in words that say what kind of figure it is: 'more than 43,000', 'about 900,000'."""
    text = number(value) + unit
    if "lower_bound" in q.kinds:
        text = f"more than {text}"
    elif "upper_bound" in q.kinds:
        text = f"less than {text}"
    elif "approximate" in q.kinds:
        text = f"about {text}"
    notes = [word for kind, word in (("rounded", "rounded"), ("derived", "computed by the editors"), ("partial_year", "partial year"), ("retracted", "retracted"), ("superseded", "superseded")) if kind in q.kinds]
    return text + (f" ({', '.join(notes)})" if notes else "")


def validate(name: str, folder: Path | None = None) -> list[Problem]:
    """Every problem of one dataset at once: its manifest, its checksum and row count, and the CSV's content."""
    try:
        prov = manifest(name, folder)
    except ProblemsFound as err:
        return list(err.problems)
    path = prov.csv_path
    if not path.is_file():
        return [Problem(_label(path), 1, "", f"the snapshot listed in {_label(prov.manifest_path)} is missing", f"restore it from git (`git checkout -- {_label(path)}`)")]
    content, problems = path.read_bytes(), []
    got = hashlib.sha256(content).hexdigest()
    if got != prov.sha256:
        problems.append(Problem(_label(prov.manifest_path), _manifest_line(prov, "sha256"), "sha256",
                                f"the checksum of {_label(path)} is {got}, the manifest records {prov.sha256}",
                                f"if you changed the CSV on purpose, check it and run `edition data rehash {name}`; otherwise restore it with `git checkout -- {_label(path)}`"))
    found = check_csv(content, prov, _label(path))
    if not found and prov.preference:
        try:
            parse_csv(content, prov, _label(path))
        except ProblemsFound as err:
            found = list(err.problems)
    return problems + found


def _manifest_line(prov: Provenance, key: str) -> int:
    return read_yaml(prov.manifest_path, _label(prov.manifest_path)).line((key,))


def rehash(name: str, folder: Path | None = None) -> Provenance:
    """Record the CSV's checksum and row count in its manifest after a deliberate edit, once the CSV is valid.

    Raises ProblemsFound, writing nothing, if the manifest or the CSV has any problem (other than the checksum and
    row count it is about to record).
    """
    import dataclasses

    folder = folder or datasets_dir()
    prov = manifest(name, folder)
    csv_path = prov.csv_path
    if not csv_path.is_file():
        raise ProblemsFound([Problem(_label(csv_path), 1, "", "there is no CSV to record", f"put the data in {_label(csv_path)}")])
    content = csv_path.read_bytes()
    try:
        count = max(0, len(list(csv.reader(io.StringIO(content.decode("utf-8"))))) - 1)
    except UnicodeDecodeError:
        count = prov.rows
    parse_csv(content, dataclasses.replace(prov, rows=count), _label(csv_path))  # raises with every problem
    import yaml

    data = yaml.safe_load(prov.manifest_path.read_text(encoding="utf-8"))
    data["sha256"] = hashlib.sha256(content).hexdigest()
    data["rows"] = count
    write_manifest(prov.manifest_path, data)
    return manifest(name, folder)


def write_manifest(path: Path, data: dict) -> None:
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")

