"""Wikidata: the ministerial posts Avigdor Lieberman held, from 'position held' (P39) statements."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .common import PullError, Puller, get_json, owned

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
        raise PullError(f"{len(people)} Wikidata items matched: {', '.join(sorted(_qid(p) for p in people))}", "set LIEBERMAN_QID in src/edition/pullers/wikidata.py to the right item")
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
    mine = owned(current, ("start_source_id", "end_source_id"), tag)
    curated, notes, added = current[~mine], [], []
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


PULLER = Puller(
    name="wikidata_lieberman_posts", dataset="lieberman_posts", source_id="WD",
    tag_columns=("start_source_id", "end_source_id"), url=WIKIDATA_SPARQL,
    source={"id": "WD", "citation": "Wikidata, statements 'position held' (P39) with start time (P580) and end time (P582) "
            "qualifiers, queried through the Wikidata Query Service.", "url": WIKIDATA_SPARQL},
    key=("post", "start_date", "start_source_id"), fetch=fetch_lieberman, transform=transform_lieberman,
    expect=expect_lieberman, merge=merge_lieberman, order=lambda r: r["start_date"],
)
