"""Harvard Dataverse: Voeten's UN General Assembly roll calls, checked against the UNGA 181 vote."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pandas as pd
import pooch
import requests

from .common import HEADERS, TIMEOUT, PullError, Puller, excerpt, split_tags

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
        raise PullError(f"the file lacks the columns {missing} (header starts {excerpt(first)})", "the deposit's format changed (or an error page came back): update fetch_voeten/transform_unga", VOETEN_URL)
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
            raise PullError(f"unknown vote code {code} for {rec['Countryname']}", "extend VOTES in src/edition/pullers/dataverse.py after checking the codebook")
        name = UNGA_1947_NAMES.get(str(rec["Country"]).strip())
        if name is None:
            raise PullError(f"no 1947 name for {rec['Country']} ({rec['Countryname']})", "add the code to UNGA_1947_NAMES in src/edition/pullers/dataverse.py")
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
        tags = [t for t in split_tags(row["source_id"]) if t != tag]
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


PULLER = Puller(
    name="voeten_unga_181", dataset="unga_181_roll_call", source_id="VOETEN-DV",
    tag_columns=("source_id",), url=VOETEN_URL,
    source={"id": "VOETEN-DV", "citation": f"Erik Voeten, Anton Strezhnev and Michael Bailey, United Nations General "
            f"Assembly Voting Data, Harvard Dataverse ({VOETEN_DATASET}), file {VOETEN_FILE}, roll call rcid {UNGA_181_RCID}.",
            "url": VOETEN_URL, "note": "Vote codes 1 yes, 2 abstain, 3 no, 8 absent, 9 not a member; modern country codes mapped to 1947 names."},
    key=("country",), fetch=fetch_voeten, transform=transform_unga,
    expect=expect_unga, merge=merge_unga, order=lambda r: r["country"],
)
