"""Evidence checks: verdicts computed from the datasets they rest on.

Each check is one short function. Its parameters are named after the datasets it reads
(the loaded DataFrames are passed in), and it returns whether the annotation's
expectation holds and one sentence saying what the data show. An annotation names its
checks under `evidence:`; the build runs them, prints the sentence in the note, and fails
naming the annotation, the check and the dataset if a check no longer holds.

In a notebook:  from edition.evidence import run; run("arrivals_did_not_rise_every_year")
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from . import datasets
from .datasets import current, describe, qualifiers

PUBLISHED = "2024-11-15"  # the article's date: the present tense is judged as of then
CHECKS: dict[str, Callable] = {}


@dataclass(frozen=True)
class Result:
    check: str
    holds: bool
    sentence: str
    datasets: tuple[str, ...]
    error: str = ""  # the check raised: its message, reported as the check's failure


def check(func: Callable) -> Callable:
    """Register an evidence check under its function name."""
    CHECKS[func.__name__] = func
    return func


def datasets_of(name: str) -> tuple[str, ...]:
    return tuple(inspect.signature(CHECKS[name]).parameters)


def run(name: str, load: Callable[[str], pd.DataFrame] | None = None) -> Result:
    """Run one check on the datasets as loaded by `load` (the committed snapshots by default)."""
    if name not in CHECKS:
        raise KeyError(f"unknown evidence check {name!r}; known checks: {', '.join(sorted(CHECKS))}")
    load = load or datasets.load
    used = datasets_of(name)
    try:
        holds, sentence = CHECKS[name](*[load(d) for d in used])
    except Exception as err:  # a broken check is that check's failure, never a traceback in the build
        return Result(name, False, "", used, f"{type(err).__name__}: {err}")
    return Result(name, bool(holds), sentence, used)


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _period(start: str, end: str) -> str:
    return start if start == end else f"{start} to {end}"


def _bounds(value: float, q) -> tuple[float, float]:
    """The interval a figure stands for: a lower bound is open upwards, an upper bound downwards."""
    low = float("-inf") if "upper_bound" in q.kinds else value
    high = float("inf") if "lower_bound" in q.kinds else value
    return low, high


def _falls(frame: pd.DataFrame) -> list[int]:
    """Years whose figure is certainly below the previous year's, bounds taken into account."""
    rows = frame.assign(q=qualifiers(frame, "value")).set_index("year").sort_index()
    years = []
    for year in rows.index:
        if year - 1 in rows.index:
            _, high = _bounds(rows.at[year, "value"], rows.at[year, "q"])
            low, _ = _bounds(rows.at[year - 1, "value"], rows.at[year - 1, "q"])
            if high < low:
                years.append(int(year))
    return years


@check
def arrivals_did_not_rise_every_year(aliyah_by_year):
    rows = current(aliyah_by_year, "value")
    rows = rows[rows["preferred"] & rows["value"].notna()]
    total = _falls(rows[rows["series"] == "total_immigrants"])
    russia = _falls(rows[rows["series"] == "russia_immigrants"])
    sentence = (f"total arrivals fell from the year before in {len(total)} years ({_listing([str(y) for y in total]) if total else 'none'}); "
                f"arrivals from Russia fell in {_listing([str(y) for y in russia]) if russia else 'no year with a figure for the year before'}")
    return bool(total or russia), sentence


def _estimates(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    rows = current(frame, "value")
    return rows[(rows["measure_type"] == measure) & (rows["unit"] == "persons") & rows["value"].notna()].sort_values("ref_date")


@check
def russian_speakers_about_one_million(fsu_population_israel):
    rows = _estimates(fsu_population_israel, "russian_speaking_population")
    q = qualifiers(rows, "value")
    low = min(_bounds(v, k)[0] for v, k in zip(rows["value"], q))
    high = max(_bounds(v, k)[1] for v, k in zip(rows["value"], q))
    said = [f"{describe(v, k)} ({d})" for v, k, d in zip(rows["value"], q, rows["ref_date"])]
    return low <= 1_000_000 <= high, "estimates of Russian speakers in Israel run " + _listing(said)


@check
def over_a_million_arrived_from_former_ussr(fsu_population_israel):
    rows = _estimates(fsu_population_israel, "cumulative_arrivals")
    q = qualifiers(rows, "value")
    top = max(range(len(rows)), key=lambda i: _bounds(rows["value"].iloc[i], q.iloc[i])[0])
    value, qual, when = rows["value"].iloc[top], q.iloc[top], rows["ref_date"].iloc[top]
    return _bounds(value, qual)[0] >= 1_000_000, f"the largest count of arrivals from the former USSR is {describe(value, qual)} ({when}), a gross count since 1989"


@check
def ussr_us_france_voted_yes_uk_abstained(unga_181_roll_call):
    vote = unga_181_roll_call.set_index("country")["vote"]
    counts = vote.value_counts()
    holds = all(vote[c] == "yes" for c in ("USSR", "United States", "France")) and vote["United Kingdom"] == "abstain"
    named = "; ".join(f"{c} {vote[c]}" for c in ("USSR", "United States", "France", "United Kingdom"))
    return holds, f"Resolution 181 passed {counts.get('yes', 0)} to {counts.get('no', 0)} with {counts.get('abstain', 0)} abstentions ({named})"


@check
def israel_visa_agreement_signed_2008_not_2007(russia_visa_free):
    israel = russia_visa_free.set_index("country_or_territory").loc["Israel"]
    signed = str(israel["date_signed"])
    return signed.startswith("2008"), f"the Russia–Israel agreement was signed on {signed} and entered into force on {israel['date_in_force']}"


@check
def visa_free_travel_common_for_russians(russia_visa_free_counts, russia_visa_free):
    counts = current(russia_visa_free_counts, "visa_free_or_on_arrival_destinations")
    known = counts[counts["visa_free_or_on_arrival_destinations"].notna() & (counts["year"].astype(str) <= PUBLISHED[:4])]
    latest = known.sort_values(["year", "month"], na_position="first").iloc[-1]
    agreements = russia_visa_free["date_signed"].notna().sum()
    holds = latest["visa_free_or_on_arrival_destinations"] >= 50 and agreements >= 10
    return holds, (f"Russian passport holders could reach {latest['visa_free_or_on_arrival_destinations']} destinations without a visa or with one on arrival "
                   f"({latest['edition']}), and the agreements table lists {agreements} signed agreements")


@check
def russia_not_israels_main_crude_supplier_since_2016(israel_crude_imports):
    shares = current(israel_crude_imports, "value")
    shares = shares[(shares["metric"] == "share_of_imports") & shares["value"].notna() & (shares["period_end"].str[:4] >= "2016")]
    shares = shares.assign(q=qualifiers(shares, "value"))
    russia = shares[shares["origin_as_reported"] == "Russia"]
    others = shares[(shares["origin_as_reported"] != "Russia") & (shares["value"] >= 30)]
    russia_years = sorted(set(russia["period_start"].str[:4]) | set(russia["period_end"].str[:4]))
    other_years = sorted(set(others["period_end"].str[:4]) - set(russia_years))
    said = "; ".join(f"{o} {describe(v, q, '%')} ({_period(s, e)})" for o, v, q, s, e in zip(others["origin_as_reported"], others["value"], others["q"], others["period_start"], others["period_end"]))
    russian = _listing([f"{describe(v, q, '%')} ({_period(s, e)})" for v, q, s, e in zip(russia["value"], russia["q"], russia["period_start"], russia["period_end"])]) if len(russia) else "none"
    holds = len(russia_years) <= 1 and len(other_years) >= 2
    return holds, f"shares of Russian crude since 2016: {russian}; other origins with 30% or more: {said}"


@check
def trade_turnover_a_few_billion_dollars(russia_israel_trade):
    rows = current(russia_israel_trade, "value_usd")
    rows = rows[(rows["flow"] == "total_turnover") & rows["value_usd"].notna()].assign(q=lambda d: qualifiers(d, "value_usd"))
    said = [f"{describe(v / 1e9, q, ' billion dollars')} ({y})" for v, q, y in zip(rows["value_usd"], rows["q"], rows["year"])]
    lows = [_bounds(v, q)[0] for v, q in zip(rows["value_usd"], rows["q"])]
    highs = [_bounds(v, q)[1] for v, q in zip(rows["value_usd"], rows["q"])]
    holds = max(lows) >= 5e9 and max(h for h in highs if h != float("inf")) < 10e9 and max(lows) < 10e9
    return holds, "reported yearly turnover of Russia–Israel trade: " + _listing(said)


@check
def israeli_drones_sold_and_licence_built_for_russia(israel_russia_uav_deals):
    deals = current(israel_russia_uav_deals, "quantity")
    bought = deals[(deals["record_type"] == "direct purchase") & deals["quantity"].notna()]
    downed = deals[deals["record_type"].str.startswith("shoot-down (Donbas)")]
    licence_built = downed["supplier"].str.contains("licence", case=False).all() and len(downed) > 0
    years = f"{bought['order_year_from'].min()}–{bought['order_year_to'].max()}"
    holds = len(bought) > 0 and licence_built
    where = _listing(downed["supplier"].tolist()) if len(downed) else "no shoot-down recorded"
    return holds, f"Russia bought {int(bought['quantity'].sum())} drones directly from Israel Aerospace Industries ({years}); the drone downed over Donbas in 2015 was built by {where}"


@check
def iranian_drones_used_by_russia_in_ukraine(iran_drones_to_russia):
    rows = current(iran_drones_to_russia, "value")
    rows = rows[rows["date"] <= PUBLISHED]
    first = rows[rows["metric"] == "first_reported_downing"].sort_values("date")
    launches = rows[(rows["metric"] == "cumulative_launches") & rows["value"].notna()].sort_values("date")
    holds = len(first) > 0 and len(launches) > 0
    last = launches.iloc[-1] if len(launches) else None
    count = f"; {describe(last['value'], qualifiers(launches, 'value').iloc[-1])} launches counted by {last['date']} ({last['description']})" if last is not None else ""
    return holds, (f"the first Iranian-designed drone was reported downed in Ukraine on {first['date'].iloc[0]}" if len(first) else "no downing recorded") + count


@check
def yisrael_beiteinu_leads_without_majority(knesset_russian_speaking_vote):
    polls = knesset_russian_speaking_vote[knesset_russian_speaking_vote["measure"].str.contains("vote")]
    with_yb = [rows for _, rows in polls.groupby(["survey_date", "pollster_or_analyst"]) if (rows["option"] == "Yisrael Beiteinu").any()]
    led = [r for r in with_yb if r.loc[r["value_high"].idxmax(), "option"] == "Yisrael Beiteinu"]
    shares = [f"{int(r.loc[r['option'] == 'Yisrael Beiteinu', 'value_low'].iloc[0])}% ({r['survey_date'].iloc[0]})" for r in with_yb]
    below_half = [r for r in with_yb if r.loc[r["option"] == "Yisrael Beiteinu", "value_low"].iloc[0] < 50]
    holds = len(with_yb) > 0 and len(led) * 2 >= len(with_yb) and len(below_half) > 0
    return holds, f"Yisrael Beiteinu, polled on its own list, leads in {len(led)} of {len(with_yb)} polls of Russian-speaking voters, with " + _listing(shares)


@check
def lieberman_out_of_netanyahu_government_at_publication(lieberman_posts):
    posts = lieberman_posts[lieberman_posts["prime_minister"].str.contains("Netanyahu")]
    spans = sorted({(s, e) for s, e in zip(posts["start_date"], posts["end_date"])})
    now = lieberman_posts[(lieberman_posts["start_date"] <= PUBLISHED) & (lieberman_posts["end_date"].fillna("9999") >= PUBLISHED)]
    holds = len(spans) > 0 and now.empty
    held = _listing([f"{s} to {e}" for s, e in spans])
    return holds, f"Lieberman held posts in Netanyahu's governments from {held}, and no post on {PUBLISHED}, the article's date" if now.empty else f"Lieberman held {_listing(now['post'].tolist())} on {PUBLISHED}"
