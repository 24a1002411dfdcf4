"""UN Comtrade: annual Russia-Israel goods trade as each side reports it, from the keyless preview API."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pandas as pd

from .common import PullError, Puller, csv_number, get_json, replace_owned

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
        "value_usd": csv_number(rec["primaryValue"]), "value_qualifier": "exact", "change_pct": "", "change_usd": "",
        "figures_basis": basis, "statement_by": f"UN Comtrade ({name} as reporter)", "source_id": "COMTRADE",
        "note": f"goods, all commodities (HS TOTAL), primary value; {valued}{estimated}",
    }]


def expect_comtrade(pulled: pd.DataFrame) -> list[str]:
    return [f"rows with figures_basis {b}" for b in ("israel_reported", "russia_reported") if b not in set(pulled["figures_basis"])]


PULLER = Puller(
    name="comtrade_russia_israel_trade", dataset="russia_israel_trade", source_id="COMTRADE",
    tag_columns=("source_id",), url=COMTRADE_PREVIEW,
    source={"id": "COMTRADE", "citation": "UN Comtrade, public preview API: annual goods trade (HS TOTAL), Russian Federation "
            "(643) reporting with Israel (376) and Israel reporting with the Russian Federation.", "url": COMTRADE_PREVIEW},
    key=("year", "period", "flow", "source_id"), fetch=fetch_comtrade, transform=transform_comtrade,
    expect=expect_comtrade, merge=replace_owned(("source_id",)), order=lambda r: int(r["year"]),
)
