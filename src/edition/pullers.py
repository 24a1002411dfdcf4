"""Re-pull datasets from their primary sources' machine-readable endpoints.

`refresh(name)` runs the puller named in the dataset's manifest (`puller:`):

    fetch -> transform (pure) -> merge with the curated rows -> validate -> diff -> write

A puller owns only the rows tagged with its own source id; every other row is curated
by hand and survives the merge. Nothing is written unless every check passes, and then
the CSV and its manifest are replaced atomically. Any failure raises `PullError` and
leaves both files byte-identical.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import os
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pooch
import requests

from . import datasets
from .yamlfile import ProblemsFound

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


# ---------------------------------------------------------------- shared helpers


def get_json(url: str, params: dict, headers: dict | None = None) -> Any:
    """GET a JSON document; every network or format failure becomes a PullError."""
    try:
        resp = requests.get(url, params=params, headers={**HEADERS, **(headers or {})}, timeout=TIMEOUT)
    except requests.Timeout:
        raise PullError(f"no answer within {TIMEOUT} s (timeout)", "try again later; if the service is slow, raise TIMEOUT in src/edition/pullers.py", url)
    except requests.ConnectionError as err:
        raise PullError(f"could not connect ({type(err).__name__})", "check the network connection and that the service is up, then try again", url)
    except requests.RequestException as err:
        raise PullError(f"the request failed ({type(err).__name__}: {err})", "check the address and parameters in src/edition/pullers.py", url)
    if resp.status_code >= 400:
        raise PullError(f"HTTP {resp.status_code} {resp.reason}: {_excerpt(resp.text)}", "try again later; if it persists, check the service's status page and the query parameters", url)
    try:
        return resp.json(parse_float=Decimal)  # Decimal keeps the published digits exactly
    except ValueError:
        raise PullError(f"the answer is not valid JSON (truncated or malformed body, starting {_excerpt(resp.text)})", "try again; if it persists the service may have changed its format: compare a fresh answer with the transform", url)


def _excerpt(text: str, size: int = 120) -> str:
    text = " ".join((text or "").split())
    return repr(text[:size] + ("..." if len(text) > size else ""))


def _number(value: Any) -> str:
    """A JSON number as the CSV writes it: integers without '.0', decimals as published."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a number")
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _tags(cell: str) -> list[str]:
    return [t for t in cell.split(";") if t]


def _owned(frame: pd.DataFrame, columns: tuple[str, ...], tag: str) -> pd.Series:
    """Rows whose tag columns hold only this puller's tag."""
    mask = pd.Series(True, index=frame.index)
    for col in columns:
        mask &= frame[col] == tag
    return mask


def replace_owned(columns: tuple[str, ...]) -> Callable:
    """Merge that swaps the puller's own rows for the pulled ones and keeps all others."""

    def merge(current: pd.DataFrame, pulled: pd.DataFrame, tag: str) -> tuple[pd.DataFrame, list[str]]:
        kept = current[~_owned(current, columns, tag)]
        return pd.concat([kept, pulled], ignore_index=True), []

    return merge


# ---------------------------------------------------------------- (a) Wikidata: Lieberman's posts

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
# Item id not pinned yet (unconfirmed). Until it is, the query finds him through his English
# Wikipedia article and the report prints the item found; check it on wikidata.org, then set it.
LIEBERMAN_QID = ""
LIEBERMAN_ENWIKI_TITLE = "Avigdor Lieberman"
LIEBERMAN_COLUMNS = ["post", "government", "prime_minister", "start_date", "start_date_basis", "end_date",
                     "end_date_basis", "start_source_id", "end_source_id", "note"]
# Naming variants of the same post, mapped to the names the dataset uses.
POST_NAMES = {
    "Foreign Minister": "Minister of Foreign Affairs",
    "Defense Minister": "Minister of Defense",
    "Minister of Defence": "Minister of Defense",
    "Finance Minister": "Minister of Finance",
    "Minister of Transport": "Minister of Transportation",
    "Minister of Transport and Road Safety": "Minister of Transportation",
    "Minister of National Infrastructures": "Minister of National Infrastructure",
    "Vice Prime Minister": "Deputy Prime Minister",
}


def lieberman_query() -> str:
    who = (f"VALUES ?person {{ wd:{LIEBERMAN_QID} }}" if LIEBERMAN_QID else
           f'?article schema:about ?person ; schema:isPartOf <https://en.wikipedia.org/> ; schema:name "{LIEBERMAN_ENWIKI_TITLE}"@en .')
    return f"""SELECT DISTINCT ?person ?position ?positionLabel ?start ?startPrecision ?end ?endPrecision WHERE {{
  {who}
  ?person p:P39 ?statement .
  ?statement ps:P39 ?position .
  FILTER NOT EXISTS {{ ?statement wikibase:rank wikibase:DeprecatedRank }}
  OPTIONAL {{ ?statement pqv:P580 [ wikibase:timeValue ?start ; wikibase:timePrecision ?startPrecision ] }}
  OPTIONAL {{ ?statement pqv:P582 [ wikibase:timeValue ?end ; wikibase:timePrecision ?endPrecision ] }}
  SERVICE wikibase:label {{ bd:serviceParam wikibase:language "en" . }}
}}"""


def fetch_lieberman() -> Any:
    return get_json(WIKIDATA_SPARQL, {"query": lieberman_query(), "format": "json"},
                    {"Accept": "application/sparql-results+json"})


def transform_lieberman(raw: Any) -> pd.DataFrame:
    """SPARQL JSON results -> one row per ministerial post held, tagged WD."""
    try:
        bindings = raw["results"]["bindings"]
    except (KeyError, TypeError):
        raise PullError("the SPARQL answer lacks results.bindings", "the endpoint should answer in SPARQL JSON results format; check the query and the Accept header")
    if not isinstance(bindings, list):
        raise PullError("results.bindings is not a list", "check that the endpoint still answers in SPARQL JSON results format")
    if not bindings:
        raise PullError("the query returned no rows: no Wikidata item matched, or it has no 'position held' statements",
                        "check that LIEBERMAN_ENWIKI_TITLE still names his English Wikipedia article, or set LIEBERMAN_QID")
    rows, people = [], set()
    for binding in bindings:
        try:
            person, position, label = (binding[k]["value"] for k in ("person", "position", "positionLabel"))
        except (KeyError, TypeError) as err:
            raise PullError(f"a result row lacks {err}", "the query must select ?person, ?position and ?positionLabel; check lieberman_query()")
        people.add(person)
        if "minister" not in label.lower():  # P39 also lists Knesset membership
            continue
        start, end = _wikidata_date(binding, "start"), _wikidata_date(binding, "end")
        rows.append({
            "post": _post_name(label), "government": "", "prime_minister": "",
            "start_date": start, "start_date_basis": "Wikidata P580 (start time)" if start else "no start time in Wikidata",
            "end_date": end, "end_date_basis": "Wikidata P582 (end time)" if end else "no end time in Wikidata",
            "start_source_id": "WD", "end_source_id": "WD",
            "note": f"Wikidata {_qid(person)}, position {_qid(position)} ({label})",
        })
    if len(people) > 1:
        raise PullError(f"{len(people)} Wikidata items matched: {', '.join(sorted(_qid(p) for p in people))}", "set LIEBERMAN_QID in src/edition/pullers.py to the right item")
    return pd.DataFrame(rows, columns=LIEBERMAN_COLUMNS).drop_duplicates(ignore_index=True)


def _wikidata_date(binding: dict, name: str) -> str:
    """An ISO date cut to the precision Wikidata records (11 day, 10 month, 9 year)."""
    value = binding.get(name, {}).get("value", "")
    if not value:
        return ""
    precision = int(binding.get(f"{name}Precision", {}).get("value", 11))
    day = value.lstrip("+")[:10]
    return day if precision >= 11 else day[:7] if precision == 10 else day[:4] if precision == 9 else ""


def _post_name(label: str) -> str:
    name = label.strip()
    name = name[len("Israeli "):] if name.startswith("Israeli ") else name
    name = name[: -len(" of Israel")] if name.endswith(" of Israel") else name
    name = name[0].upper() + name[1:] if name else name
    return POST_NAMES.get(name, name)


def _qid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def merge_lieberman(current: pd.DataFrame, pulled: pd.DataFrame, tag: str) -> tuple[pd.DataFrame, list[str]]:
    """Curated rows win: a Wikidata post that overlaps a curated row of the same post is only
    compared (differences become notes); posts no curated row covers are added, tagged WD."""
    owned = _owned(current, ("start_source_id", "end_source_id"), tag)
    curated, notes, added = current[~owned], [], []
    for _, row in pulled.iterrows():
        match = [c for _, c in curated.iterrows() if c["post"] == row["post"] and _overlap(c, row)]
        if not match:
            added.append(row)
            continue
        c = match[0]
        if (c["start_date"], c["end_date"]) != (row["start_date"], row["end_date"]):
            notes.append(f"Wikidata gives {row['post']} {row['start_date'] or '?'} to {row['end_date'] or 'open'}; "
                         f"the curated row ({c['government']}) has {c['start_date']} to {c['end_date']}: curated row kept")
    people = {n.split(",")[0] for n in pulled["note"]}
    notes.append(f"Item used: {', '.join(sorted(people))}"
                 + ("" if LIEBERMAN_QID else f" (found through the English Wikipedia article '{LIEBERMAN_ENWIKI_TITLE}'; check it and set LIEBERMAN_QID)"))
    return pd.concat([curated, pd.DataFrame(added, columns=current.columns)], ignore_index=True), notes


def _overlap(a: dict, b: dict) -> bool:
    return _span_start(a["start_date"]) <= _span_end(b["end_date"]) and _span_start(b["start_date"]) <= _span_end(a["end_date"])


def _span_start(date: str) -> str:
    return {4: date + "-01-01", 7: date + "-01"}.get(len(date), date) or "0000-01-01"


def _span_end(date: str) -> str:
    return {4: date + "-12-31", 7: date + "-31"}.get(len(date), date) or "9999-12-31"


def expect_lieberman(pulled: pd.DataFrame) -> list[str]:
    return [] if (pulled["post"] == "Minister of Foreign Affairs").any() else ["a 'Minister of Foreign Affairs' row"]


# ---------------------------------------------------------------- (b) Voeten / Dataverse: UNGA 181

VOETEN_DATASET = "doi:10.7910/DVN/LEJUQZ"  # Voeten, Strezhnev & Bailey, UNGA voting data (= hdl:1902.1/12379)
# Data Access API file address. Unconfirmed: this is the file id public code uses to download
# the roll-call file UNVotes-1.csv; check it on the deposit's page (later versions of the
# deposit are reported to drop the roll-call file) before relying on it.
VOETEN_FILE_ID = 6358426
VOETEN_URL = f"https://dataverse.harvard.edu/api/access/datafile/{VOETEN_FILE_ID}"
VOETEN_FILE = "UNVotes-1.csv"
UNGA_181_RCID = "77"
VOTES = {1: "yes", 2: "abstain", 3: "no", 8: "absent"}  # 9 = not a member: no row
# Codes in the file's `Country` column -> the names the UN used in 1947.
UNGA_1947_NAMES = {
    "AFG": "Afghanistan", "ARG": "Argentina", "AUS": "Australia", "BEL": "Belgium", "BOL": "Bolivia",
    "BRA": "Brazil", "BLR": "Byelorussian SSR", "CAN": "Canada", "CHL": "Chile", "TWN": "China",
    "COL": "Colombia", "CRI": "Costa Rica", "CUB": "Cuba", "CSK": "Czechoslovakia", "DNK": "Denmark",
    "DOM": "Dominican Republic", "ECU": "Ecuador", "EGY": "Egypt", "SLV": "El Salvador", "ETH": "Ethiopia",
    "FRA": "France", "GRC": "Greece", "GTM": "Guatemala", "HTI": "Haiti", "HND": "Honduras",
    "ISL": "Iceland", "IND": "India", "IRN": "Iran", "IRQ": "Iraq", "LBN": "Lebanon", "LBR": "Liberia",
    "LUX": "Luxembourg", "MEX": "Mexico", "NLD": "Netherlands", "NZL": "New Zealand", "NIC": "Nicaragua",
    "NOR": "Norway", "PAK": "Pakistan", "PAN": "Panama", "PRY": "Paraguay", "PER": "Peru",
    "PHL": "Philippines", "POL": "Poland", "SAU": "Saudi Arabia", "THA": "Siam", "SWE": "Sweden",
    "SYR": "Syria", "TUR": "Turkey", "RUS": "USSR", "UKR": "Ukrainian SSR", "ZAF": "Union of South Africa",
    "GBR": "United Kingdom", "USA": "United States", "URY": "Uruguay", "VEN": "Venezuela", "YAR": "Yemen",
    "YUG": "Yugoslavia",
    # other codes a file may use for the same 1947 seats
    "CHN": "China", "YEM": "Yemen", "SUN": "USSR",
}
VOETEN_COLUMNS = ("rcid", "vote", "Country", "Countryname")


def fetch_voeten() -> pd.DataFrame:
    """Download the roll-call file with pooch (fresh each time) and keep roll call 77's rows."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = pooch.retrieve(VOETEN_URL, known_hash=None, fname=VOETEN_FILE, path=tmp,
                                  downloader=pooch.HTTPDownloader(progressbar=False, timeout=TIMEOUT, headers=HEADERS))
        except requests.Timeout:
            raise PullError(f"no answer within {TIMEOUT} s (timeout)", "try again later; Dataverse can be slow for large files", VOETEN_URL)
        except requests.HTTPError as err:
            status = getattr(err.response, "status_code", "?")
            raise PullError(f"HTTP {status} from Dataverse", "check that the file id still exists in the deposit (VOETEN_FILE_ID); a new version may have replaced it", VOETEN_URL)
        except (requests.RequestException, OSError, ValueError) as err:
            raise PullError(f"the download failed ({type(err).__name__}: {err})", "check the network connection and VOETEN_URL, then try again", VOETEN_URL)
        return _rows_of_roll_call(Path(path), UNGA_181_RCID)


def _rows_of_roll_call(path: Path, rcid: str) -> pd.DataFrame:
    """Stream the (large) file, checking every row's shape, and keep one roll call's rows."""
    for encoding in ("utf-8", "latin-1"):
        try:
            with path.open(encoding=encoding, newline="") as handle:
                return _scan(handle, rcid)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any byte")


def _scan(handle, rcid: str) -> pd.DataFrame:
    first = handle.readline()
    delimiter = "\t" if "\t" in first else ","  # Dataverse serves ingested tables as TSV
    header = next(csv.reader([first], delimiter=delimiter), [])
    missing = [c for c in VOETEN_COLUMNS if c not in header]
    if missing:
        raise PullError(f"the file lacks the columns {missing} (header starts {_excerpt(first)})", "the deposit's format changed (or an error page came back): update fetch_voeten/transform_unga", VOETEN_URL)
    at = header.index("rcid")
    keep = []
    for line, row in enumerate(csv.reader(handle, delimiter=delimiter), start=2):
        if len(row) != len(header):
            raise PullError(f"line {line} has {len(row)} fields where the header has {len(header)}: the file is truncated or malformed", "download it again; if it persists, inspect the file", VOETEN_URL)
        if _same_rcid(row[at], rcid):
            keep.append(row)
    return pd.DataFrame(keep, columns=header, dtype=str)


def _same_rcid(value: str, rcid: str) -> bool:
    value = value.strip()  # ingested tables may write numbers as 77.0
    return value == rcid or value == rcid + ".0"


def transform_unga(raw: pd.DataFrame) -> pd.DataFrame:
    """Voeten's rows for roll call 77 -> one row per member with its 1947 name and vote."""
    missing = [c for c in VOETEN_COLUMNS if c not in raw.columns]
    if missing:
        raise PullError(f"the roll-call table lacks the columns {missing}", "update transform_unga to the file's current columns")
    ours = raw[[_same_rcid(str(v), UNGA_181_RCID) for v in raw["rcid"]]]
    if ours.empty:
        raise PullError(f"roll call {UNGA_181_RCID} is not in the file (no rows)", "check that VOETEN_URL still points at the full roll-call file")
    rows = []
    for _, rec in ours.iterrows():
        try:
            code = int(float(rec["vote"]))
        except ValueError:
            raise PullError(f"vote {rec['vote']!r} of {rec['Countryname']} is not a number", "check the file's vote coding (1 yes, 2 abstain, 3 no, 8 absent, 9 not a member)")
        if code == 9:
            continue
        if code not in VOTES:
            raise PullError(f"unknown vote code {code} for {rec['Countryname']}", "extend VOTES in src/edition/pullers.py after checking the codebook")
        name = UNGA_1947_NAMES.get(str(rec["Country"]).strip())
        if name is None:
            raise PullError(f"no 1947 name for {rec['Country']} ({rec['Countryname']})", "add the code to UNGA_1947_NAMES in src/edition/pullers.py")
        rows.append({"country": name, "vote": VOTES[code], "source_id": "VOETEN-DV"})
    frame = pd.DataFrame(rows, columns=["country", "vote", "source_id"])
    twice = sorted(set(frame.loc[frame["country"].duplicated(), "country"]))
    if twice:
        raise PullError(f"roll call {UNGA_181_RCID} lists {', '.join(twice)} more than once", "check UNGA_1947_NAMES for two codes mapped to one name")
    return frame


def merge_unga(current: pd.DataFrame, pulled: pd.DataFrame, tag: str) -> tuple[pd.DataFrame, list[str]]:
    """The tag marks corroboration: added to rows whose vote the source confirms, removed where it
    disagrees (the curated vote stays, a note says so). Members only the source lists get a row."""
    votes = dict(zip(pulled["country"], pulled["vote"]))
    merged, notes = [], []
    for _, row in current.iterrows():
        row = row.copy()
        tags = [t for t in _tags(row["source_id"]) if t != tag]
        theirs = votes.pop(row["country"], None)
        if theirs == row["vote"]:
            tags.append(tag)
        elif theirs is not None:
            notes.append(f"{row['country']}: the source says {theirs!r}, the curated row {row['vote']!r}: curated vote kept, not tagged {tag}")
        if not tags:  # a row only this puller vouched for, and the source no longer does
            continue
        row["source_id"] = ";".join(tags)
        merged.append(row)
    merged += [pd.Series({"country": c, "vote": v, "source_id": tag}) for c, v in votes.items()]
    counts = pulled["vote"].value_counts()
    notes.append("Source totals: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in ("yes", "no", "abstain", "absent")))
    return pd.DataFrame(merged, columns=current.columns).reset_index(drop=True), notes


def expect_unga(pulled: pd.DataFrame) -> list[str]:
    return [f"a row for {c}" for c in ("USSR", "United States", "United Kingdom", "France") if c not in set(pulled["country"])]


# ---------------------------------------------------------------- (c) UN Comtrade: Russia-Israel trade

COMTRADE_PREVIEW = "https://comtradeapi.un.org/public/v1/preview/C/A/HS"
RUSSIA, ISRAEL = 643, 376
REPORTERS = {RUSSIA: ("Russian Federation", ISRAEL, "russia_reported"), ISRAEL: ("Israel", RUSSIA, "israel_reported")}
COMTRADE_FLOWS = {
    (ISRAEL, "X"): "israel_exports_to_russia", (ISRAEL, "M"): "israel_imports_from_russia",
    (RUSSIA, "X"): "russia_exports_to_israel", (RUSSIA, "M"): "russia_imports_from_israel",
}
COMTRADE_FIRST_YEAR = 2000
COMTRADE_YEARS_PER_CALL = 12  # the preview caps an answer at 500 records; stay far below
COMTRADE_PAUSE = 1.0  # seconds between calls: the keyless preview is rate-limited
TRADE_COLUMNS = ["year", "period", "flow", "value_usd", "value_qualifier", "change_pct", "change_usd",
                 "figures_basis", "statement_by", "source_id", "note"]


def fetch_comtrade() -> list:
    """One call per reporter and block of years: both directions, goods total, world totals only."""
    years = list(range(COMTRADE_FIRST_YEAR, dt.date.today().year))
    blocks = [years[i:i + COMTRADE_YEARS_PER_CALL] for i in range(0, len(years), COMTRADE_YEARS_PER_CALL)]
    answers = []
    for reporter, (_, partner, _) in REPORTERS.items():
        for block in blocks:
            if answers:
                time.sleep(COMTRADE_PAUSE)
            answers.append(get_json(COMTRADE_PREVIEW, {
                "reporterCode": reporter, "partnerCode": partner, "period": ",".join(map(str, block)),
                "cmdCode": "TOTAL", "flowCode": "M,X", "partner2Code": 0, "customsCode": "C00", "motCode": 0,
                "includeDesc": "true",
            }))
    return answers


def transform_comtrade(raw: list) -> pd.DataFrame:
    """Preview answers -> one row per year, reporter and direction, tagged COMTRADE."""
    rows = []
    for answer in raw:
        if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
            raise PullError("an answer has no 'data' list", "the preview answers {'count': ..., 'data': [...]}; compare a fresh answer with transform_comtrade")
        if answer.get("error"):
            raise PullError(f"the API reported an error: {answer['error']}", "check the query parameters in fetch_comtrade")
        for rec in answer["data"]:
            rows += _comtrade_row(rec)
    frame = pd.DataFrame(rows, columns=TRADE_COLUMNS)
    twice = frame[frame.duplicated(["year", "flow"], keep=False)]
    if not twice.empty:
        raise PullError(f"several records for {sorted(set(zip(twice['year'], twice['flow'])))}", "narrow the query (customsCode, motCode, partner2Code) or pick one record in transform_comtrade")
    return frame.sort_values(["year", "flow"], kind="stable", ignore_index=True)


def _comtrade_row(rec: Any) -> list[dict]:
    needed = ("refYear", "reporterCode", "partnerCode", "flowCode", "primaryValue")
    lacking = [k for k in needed if not isinstance(rec, dict) or rec.get(k) is None]
    if lacking:
        raise PullError(f"a record lacks {lacking}", "the preview's record fields may have been renamed; update transform_comtrade")
    # world totals only: other customs procedures, transport modes or second partners are breakdowns
    if str(rec.get("customsCode", "C00")) != "C00" or int(rec.get("motCode") or 0) != 0 or int(rec.get("partner2Code") or 0) != 0:
        return []
    reporter, partner = int(rec["reporterCode"]), int(rec["partnerCode"])
    if reporter not in REPORTERS or REPORTERS[reporter][1] != partner:
        raise PullError(f"unexpected record: reporter {reporter}, partner {partner}", "the query's reporterCode/partnerCode were not honoured; check fetch_comtrade")
    flow = COMTRADE_FLOWS.get((reporter, str(rec["flowCode"])))
    if flow is None:  # re-exports and other sub-flows are not asked for
        return []
    name, _, basis = REPORTERS[reporter]
    valued = "imports valued CIF" if str(rec["flowCode"]) == "M" else "exports valued FOB"
    estimated = "; flagged as estimated, not reported" if rec.get("isReported") is False else ""
    return [{
        "year": str(int(rec["refYear"])), "period": "calendar year", "flow": flow,
        "value_usd": _number(rec["primaryValue"]), "value_qualifier": "", "change_pct": "", "change_usd": "",
        "figures_basis": basis, "statement_by": f"UN Comtrade ({name} as reporter)", "source_id": "COMTRADE",
        "note": f"goods, all commodities (HS TOTAL), primary value; {valued}{estimated}",
    }]


def expect_comtrade(pulled: pd.DataFrame) -> list[str]:
    return [f"rows with figures_basis {b}" for b in ("israel_reported", "russia_reported") if b not in set(pulled["figures_basis"])]


# ---------------------------------------------------------------- registry

PULLERS = {p.name: p for p in (
    Puller(
        name="wikidata_lieberman_posts", dataset="lieberman_posts", source_id="WD",
        tag_columns=("start_source_id", "end_source_id"), url=WIKIDATA_SPARQL,
        source={"id": "WD", "citation": "Wikidata, statements 'position held' (P39) with start time (P580) and end time (P582) "
                "qualifiers, queried through the Wikidata Query Service.", "url": WIKIDATA_SPARQL},
        key=("post", "start_date", "start_source_id"), fetch=fetch_lieberman, transform=transform_lieberman,
        expect=expect_lieberman, merge=merge_lieberman, order=lambda r: r["start_date"],
    ),
    Puller(
        name="voeten_unga_181", dataset="unga_181_roll_call", source_id="VOETEN-DV",
        tag_columns=("source_id",), url=VOETEN_URL,
        source={"id": "VOETEN-DV", "citation": f"Erik Voeten, Anton Strezhnev and Michael Bailey, United Nations General "
                f"Assembly Voting Data, Harvard Dataverse ({VOETEN_DATASET}), file {VOETEN_FILE}, roll call rcid {UNGA_181_RCID}.",
                "url": VOETEN_URL, "note": "Vote codes 1 yes, 2 abstain, 3 no, 8 absent, 9 not a member; modern country codes mapped to 1947 names."},
        key=("country",), fetch=fetch_voeten, transform=transform_unga,
        expect=expect_unga, merge=merge_unga, order=lambda r: r["country"],
    ),
    Puller(
        name="comtrade_russia_israel_trade", dataset="russia_israel_trade", source_id="COMTRADE",
        tag_columns=("source_id",), url=COMTRADE_PREVIEW,
        source={"id": "COMTRADE", "citation": "UN Comtrade, public preview API: annual goods trade (HS TOTAL), Russian Federation "
                "(643) reporting with Israel (376) and Israel reporting with the Russian Federation.", "url": COMTRADE_PREVIEW},
        key=("year", "period", "flow", "source_id"), fetch=fetch_comtrade, transform=transform_comtrade,
        expect=expect_comtrade, merge=replace_owned(("source_id",)), order=lambda r: int(r["year"]),
    ),
)}


# ---------------------------------------------------------------- refresh


def refresh(name: str, write: bool = True, folder: Path | None = None) -> str:
    """Re-pull one dataset, print-ready report returned; writes only if `write` and all checks pass."""
    folder = Path(folder) if folder else datasets.datasets_dir()
    puller = None
    try:
        prov = _manifest(name, folder)
        puller = _puller_for(prov)
        before = prov.csv_path.read_bytes()
        current = _frame(before)
        pulled = puller.pull()
        _check_pulled(pulled, prov, puller)
        merged, notes = puller.merge(current, pulled, puller.source_id)
        merged = _sorted(merged, puller)
        _check_kept(current, merged, puller)
        after = _csv_bytes(merged)
        problems = datasets.check_csv(after, dataclasses.replace(prov, rows=len(merged)), f"{name}.csv (as pulled)")
        if problems:
            raise PullError("the pulled data fail the dataset checks: " + "; ".join(str(p) for p in problems), "fix the transform so its rows fit the manifest's columns and types")
        report = _report(prov, puller, current, merged, notes)
        if after == before:
            return report + "\nNo change: the snapshot already matches the source; nothing written."
        if not write:
            return report + "\nDry run: nothing written."
        return report + "\n" + _write(prov, puller, after, len(merged))
    except PullError as err:
        err.dataset = err.dataset or name
        err.url = err.url or (puller.url if puller else "")
        raise
    except Exception as err:  # nothing has been written yet: report it like any other failure
        raise PullError(f"unexpected {type(err).__name__}: {err}", "this is a fault in src/edition/pullers.py; report it with this message",
                        puller.url if puller else "", name) from err


def _manifest(name: str, folder: Path) -> datasets.Provenance:
    try:
        prov = datasets.manifest(name, folder)
        datasets.load(name, folder)  # refresh only from a snapshot that passes its own checks
    except KeyError as err:
        raise PullError(str(err.args[0]), "give the name of a dataset under data/datasets/")
    except ProblemsFound as err:
        raise PullError("the current snapshot or manifest fails its checks: " + "; ".join(str(p) for p in err.problems), "run `edition check` and fix those problems first")
    except (ValueError, FileNotFoundError) as err:
        raise PullError(f"the current snapshot fails its checks: {err}", "run `edition check` and fix that first")
    return prov


def _puller_for(prov: datasets.Provenance) -> Puller:
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
    theirs = current[~_owned(current, puller.tag_columns, puller.source_id)]
    have = {_key(r, puller) for r in merged.to_dict("records")}
    lost = [_key(r, puller) for r in theirs.to_dict("records") if _key(r, puller) not in have]
    if lost:
        raise PullError(f"the merge would drop curated rows {lost}", f"fix {puller.name}'s merge: it may only replace rows tagged {puller.source_id}")


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(frame.columns))
    writer.writerows(frame.astype(str).values.tolist())
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- diff and report


def _key(row: dict, puller: Puller) -> tuple:
    return tuple(row[c] for c in puller.key)


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


def _report(prov, puller: Puller, current: pd.DataFrame, merged: pd.DataFrame, notes: list[str]) -> str:
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


# ---------------------------------------------------------------- atomic write


def _write(prov: datasets.Provenance, puller: Puller, content: bytes, rows: int) -> str:
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
        datasets.load(prov.name, folder)
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
