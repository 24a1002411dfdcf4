"""Evidence checks: verdicts computed from the datasets they rest on.

Each check is one short function. Its parameters are named after the datasets it reads
(the loaded DataFrames are passed in), and it returns whether the annotation's
expectation holds and one sentence saying what the data show. An annotation names its
checks under `evidence:`; the build runs them, prints the sentence in the note, and fails
naming the annotation, the check and the dataset if a check no longer holds.

A check that cannot fail guards nothing, so none is registered without two worlds, each a
change of its datasets (see World):

- the article's world, the smallest change under which the verdict would be wrong: where
  the verdict rejects the article's sentence, the change that would make the sentence
  true; where it upholds the sentence, the change that would make it false. The check
  must fail there.
- a stronger world, a change that only strengthens the verdict. The check must hold there.

The tests run every check in both worlds. A check tests the claim's own subject and tense
(arrivals from Russia when the article speaks of Russian Jews; the article's date when it
says "delivers"), compares like with like (no rise or fall across a change of agency), and
sets no threshold at the edge of the data.

In a notebook:  from edition.evidence import run, in_world
                run("russian_arrivals_did_not_rise_every_year")
                in_world("russian_arrivals_did_not_rise_every_year", "article")
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

from ._lazy import lazy_import

pd = lazy_import("pandas")  # loaded on first use

from . import datasets
from .datasets import current, describe, number, qualifiers

PUBLISHED = "2024-11-15"  # the article's date: the present tense is judged as of then
Frames = dict  # {dataset name: pandas DataFrame}, as a check receives them


@dataclass(frozen=True)
class World:
    """A change of a check's datasets: what it stands for, and the change itself.

    `change` receives the check's datasets as loaded ({name: DataFrame}) and returns the
    ones it changes, as new frames (it never alters the frames it is given)."""

    says: str
    change: Callable[[Frames], Frames]


@dataclass(frozen=True)
class Check:
    name: str
    func: Callable
    article: World  # the verdict would be wrong here: the check must fail
    stronger: World  # the verdict is only stronger here: the check must hold

    @property
    def datasets(self) -> tuple[str, ...]:
        return tuple(inspect.signature(self.func).parameters)


CHECKS: dict[str, Check] = {}


@dataclass(frozen=True)
class Result:
    check: str
    holds: bool
    sentence: str
    datasets: tuple[str, ...]
    error: str = ""  # the check raised: its message, reported as the check's failure


def check(func: Callable | None = None, *, article: World | None = None, stronger: World | None = None):
    """Register an evidence check under its function name, with its two worlds:

        @check(article=World("...", change), stronger=World("...", change))
        def name(dataset_a, dataset_b): ...
    """
    def register(f: Callable) -> Callable:
        missing = [w for w, given in (("article", article), ("stronger", stronger)) if not isinstance(given, World)]
        if missing:
            raise TypeError(f"evidence check {f.__name__!r} declares no {' and no '.join(missing)} world: "
                            "register it with @check(article=World(...), stronger=World(...)), the change under which the verdict "
                            "would be wrong (the check must fail) and a change that only strengthens it (the check must hold)")
        CHECKS[f.__name__] = Check(f.__name__, f, article, stronger)
        return f

    if func is not None:  # used bare, as @check: it has no worlds
        return register(func)
    return register


def datasets_of(name: str) -> tuple[str, ...]:
    return CHECKS[name].datasets


def _known(name: str) -> Check:
    if name not in CHECKS:
        raise KeyError(f"unknown evidence check {name!r}; known checks: {', '.join(sorted(CHECKS))}")
    return CHECKS[name]


def run(name: str, load: Callable[[str], pd.DataFrame] | None = None) -> Result:
    """Run one check on the datasets as loaded by `load` (the committed snapshots by default)."""
    found = _known(name)
    load = load or datasets.load
    used = found.datasets
    try:
        holds, sentence = found.func(*[load(d) for d in used])
    except Exception as err:  # a broken check is that check's failure, never a traceback in the build
        return Result(name, False, "", used, f"{type(err).__name__}: {err}")
    return Result(name, bool(holds), sentence, used)


def in_world(name: str, which: str, load: Callable[[str], pd.DataFrame] | None = None) -> Result:
    """Run a check in its "article" or "stronger" world, built from the datasets as loaded by `load`."""
    found = _known(name)
    if which not in ("article", "stronger"):
        raise ValueError(f"no world {which!r}: a check has an 'article' and a 'stronger' world")
    load = load or datasets.load
    frames = {d: load(d) for d in found.datasets}
    changed = {**frames, **getattr(found, which).change({d: f.copy() for d, f in frames.items()})}
    return run(name, lambda d: changed[d] if d in changed else load(d))


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _period(start: str, end: str) -> str:
    return start if start == end else f"{start} to {end}"


def _bounds(value: float, q) -> tuple[float, float]:
    """The interval a figure stands for: a lower bound is open upwards, an upper bound downwards."""
    low = float("-inf") if "upper_bound" in q.kinds else value
    high = float("inf") if "lower_bound" in q.kinds else value
    return low, high


def _set(frame: pd.DataFrame, mask, **values) -> pd.DataFrame:
    """A copy of frame with the given columns set on the rows of mask (for the worlds)."""
    out = frame.copy()
    for column, value in values.items():
        out.loc[mask, column] = value
    out.attrs = frame.attrs
    return out


def _added(frame: pd.DataFrame, **row) -> pd.DataFrame:
    """A copy of frame with one more row (unnamed columns left empty)."""
    out = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
    out.attrs = frame.attrs
    return out


def _dropped(frame: pd.DataFrame, mask) -> pd.DataFrame:
    out = frame[~mask].copy()
    out.attrs = frame.attrs
    return out


# --- Immigration -------------------------------------------------------------------------

def _agency(frame: pd.DataFrame) -> pd.Series:
    """Each row's agency, by the manifest's order of preference (its first name; None if not named)."""
    rule = frame.attrs["provenance"].preference
    groups = rule["agencies"]

    def which(text):
        text = text if isinstance(text, str) else ""
        return next((names[0] for names in groups if text.startswith(tuple(names))), None)

    return frame[rule["agency_column"]].map(which)


def _russia_years(aliyah_by_year: pd.DataFrame) -> pd.DataFrame:
    """The preferred full-year counts of arrivals from Russia, one row per year, with their agency and qualifier."""
    rows = current(aliyah_by_year, "value")
    rows = rows[(rows["series"] == "russia_immigrants") & rows["preferred"].astype(bool) & rows["value"].notna()]
    return rows.assign(agency=_agency(rows), q=qualifiers(rows, "value")).set_index("year").sort_index()


def _russian_arrivals_rise_every_year(d: Frames) -> Frames:
    """Each year's preferred count from Russia raised, where it fell, to one more than the year before."""
    frame = d["aliyah_by_year"].copy()
    mask = (frame["series"] == "russia_immigrants") & frame["preferred"].astype(bool) & frame["value"].notna()
    previous = None
    for i in frame[mask].sort_values("year").index:
        if previous is not None and frame.at[i, "value"] <= previous:
            frame.at[i, "value"] = previous + 1
            frame.at[i, "qualifier"] = "exact"
        previous = frame.at[i, "value"]
    frame.attrs = d["aliyah_by_year"].attrs
    return {"aliyah_by_year": frame}


def _russian_arrivals_fall_in_2016(d: Frames) -> Frames:
    """The 2016 count from Russia made lower than 2015's (both CBS): one more fall."""
    frame = d["aliyah_by_year"]
    russia = (frame["series"] == "russia_immigrants") & frame["preferred"].astype(bool)
    before = frame.loc[russia & (frame["year"] == 2015), "value"].iloc[0]
    return {"aliyah_by_year": _set(frame, russia & (frame["year"] == 2016), value=before - 1000, qualifier="exact")}


@check(
    article=World("arrivals from Russia rise every year: each fall in the preferred counts is raised to one more than the year before", _russian_arrivals_rise_every_year),
    stronger=World("one more fall: arrivals from Russia in 2016 below 2015, both counted by CBS", _russian_arrivals_fall_in_2016),
)
def russian_arrivals_did_not_rise_every_year(aliyah_by_year):
    """Arrivals from Russia fell in at least one year, compared with the year before counted by the same agency.

    The subject is the article's: arrivals from Russia, not all arrivals. Only consecutive
    years counted by the same agency are compared, bounds taken into account, and only years
    complete before the article's date.
    """
    rows = _russia_years(aliyah_by_year)
    rows = rows[rows.index < int(PUBLISHED[:4])]
    fell, rose, skipped = [], [], []
    for year in rows.index:
        if year - 1 not in rows.index:
            continue
        now, before = rows.loc[year], rows.loc[year - 1]
        if now["agency"] is None or now["agency"] != before["agency"]:
            skipped.append(str(year))
            continue
        low_now, high_now = _bounds(now["value"], now["q"])
        low_before, high_before = _bounds(before["value"], before["q"])
        if high_now < low_before:
            fell.append(f"{year} ({now['agency']}: {describe(before['value'], before['q'])} in {year - 1}, {describe(now['value'], now['q'])} in {year})")
        elif low_now > high_before:
            rose.append(str(year))
    last = int(PUBLISHED[:4]) - 1
    said = (f"comparing consecutive years counted by the same agency, up to {last}, the last full year before the article, "
            f"arrivals from Russia fell in {_listing(fell) if fell else 'no year'}"
            f"{' and rose in ' + _listing(rose) if rose else ''}")
    if skipped:
        said += f"; {_listing(skipped)} {'is' if len(skipped) == 1 else 'are'} not compared with the year before, which another agency counted"
    return bool(fell), said


def _estimates(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The current estimates of one kind, in persons, made by the article's date."""
    rows = current(frame, "value")
    rows = rows[(rows["measure_type"] == measure) & (rows["unit"] == "persons") & rows["value"].notna() & (rows["ref_date"].astype(str) <= PUBLISHED)]
    return rows.sort_values("ref_date")


ABOUT = 1.5  # "about one million": within a factor of 1.5 either way, from 666,667 to 1,500,000


def _speakers(d: Frames, value: float) -> Frames:
    frame = d["fsu_population_israel"]
    return {"fsu_population_israel": _set(frame, frame["measure_type"] == "russian_speaking_population", value=value, value_qualifier="exact")}


@check(
    article=World("every estimate of Russian speakers is 1,600,000, beyond 'about one million'", lambda d: _speakers(d, 1_600_000.0)),
    stronger=World("every estimate of Russian speakers is exactly 1,000,000", lambda d: _speakers(d, 1_000_000.0)),
)
def russian_speakers_about_one_million(fsu_population_israel):
    """Every estimate made by the article's date allows 'about one million' (within a factor of 1.5)."""
    rows = _estimates(fsu_population_israel, "russian_speaking_population")
    q = qualifiers(rows, "value")
    fits = [_bounds(v, k)[0] <= 1_000_000 * ABOUT and _bounds(v, k)[1] >= 1_000_000 / ABOUT for v, k in zip(rows["value"], q)]
    said = [f"{describe(v, k)} ({d})" for v, k, d in zip(rows["value"], q, rows["ref_date"])]
    return len(rows) > 0 and all(fits), "estimates of Russian speakers in Israel made by the article's date run " + _listing(said)


THOUSANDS = 100_000  # "thousands" reads as fewer than a hundred thousand


def _arrivals(d: Frames, scale: float | None = None, value: float | None = None) -> Frames:
    frame = d["fsu_population_israel"]
    mask = frame["measure_type"] == "cumulative_arrivals"
    new = frame.loc[mask, "value"] * scale if scale else value
    return {"fsu_population_israel": _set(frame, mask, value=new)}


@check(
    article=World("the counts of arrivals from the former USSR are in the thousands (9,000 each)", lambda d: _arrivals(d, value=9_000.0)),
    stronger=World("every count of arrivals from the former USSR doubled", lambda d: _arrivals(d, scale=2)),
)
def arrivals_from_former_ussr_far_more_than_thousands(fsu_population_israel):
    """The largest count of arrivals from the former USSR by the article's date is far beyond 'thousands'."""
    rows = _estimates(fsu_population_israel, "cumulative_arrivals")
    q = qualifiers(rows, "value")
    top = max(range(len(rows)), key=lambda i: _bounds(rows["value"].iloc[i], q.iloc[i])[0])
    value, qual, when = rows["value"].iloc[top], q.iloc[top], rows["ref_date"].iloc[top]
    return _bounds(value, qual)[0] >= THOUSANDS, f"the largest count of arrivals from the former USSR by the article's date is {describe(value, qual)} ({when}), a gross count since 1989"


# --- The 1947 vote and the visa agreement --------------------------------------------------

def _vote(d: Frames, country: str, vote: str) -> Frames:
    frame = d["unga_181_roll_call"]
    return {"unga_181_roll_call": _set(frame, frame["country"] == country, vote=vote)}


@check(
    article=World("the United Kingdom voted yes with the USSR, the United States and France, as the article says", lambda d: _vote(d, "United Kingdom", "yes")),
    stronger=World("the United Kingdom voted no", lambda d: _vote(d, "United Kingdom", "no")),
)
def ussr_us_france_voted_yes_uk_did_not(unga_181_roll_call):
    vote = unga_181_roll_call.set_index("country")["vote"]
    counts = vote.value_counts()
    holds = all(vote[c] == "yes" for c in ("USSR", "United States", "France")) and vote["United Kingdom"] != "yes"
    named = "; ".join(f"{c} {vote[c]}" for c in ("USSR", "United States", "France", "United Kingdom"))
    return holds, f"Resolution 181 passed {counts.get('yes', 0)} to {counts.get('no', 0)} with {counts.get('abstain', 0)} abstentions ({named})"


def _signed(d: Frames, date: str) -> Frames:
    frame = d["russia_visa_free"]
    return {"russia_visa_free": _set(frame, frame["country_or_territory"] == "Israel", date_signed=date)}


@check(
    article=World("the Russia–Israel agreement was signed on 2007-12-31, in the year the article gives", lambda d: _signed(d, "2007-12-31")),
    stronger=World("the agreement was signed later in 2008, on 2008-09-20", lambda d: _signed(d, "2008-09-20")),
)
def israel_visa_agreement_signed_2008_not_2007(russia_visa_free):
    israel = russia_visa_free.set_index("country_or_territory").loc["Israel"]
    signed = str(israel["date_signed"])
    return not signed.startswith("2007"), f"the Russia–Israel agreement was signed on {signed} and entered into force on {israel['date_in_force']}"


# --- Oil -----------------------------------------------------------------------------------

ARTICLE_ROUTES = ("Russia", "Kazakhstan", "Azerbaijan")  # the article counts Kazakh and Azerbaijani crude as Russian


def _first_ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows naming the first-ranked crude origin in a period that reaches 2016 or later and began by the article's date."""
    rows = current(frame, "value")
    return rows[rows["metric"].isin(["rank", "rank_by_value"]) & (rows["value"] == 1)
                & (rows["period_end"].astype(str).str[:4] >= "2016") & (rows["period_start"].astype(str) <= PUBLISHED)]


def _russia_first(d: Frames) -> Frames:
    frame = d["israel_crude_imports"]
    first = _first_ranked(frame)
    return {"israel_crude_imports": _set(frame, frame.index.isin(first.index), origin_as_reported="Russia")}


def _no_russia(d: Frames) -> Frames:
    frame = d["israel_crude_imports"]
    return {"israel_crude_imports": _dropped(frame, frame["origin_as_reported"] == "Russia")}


@check(
    article=World("Russia ranks first as Israel's crude supplier in every period since 2016 with a ranking", _russia_first),
    stronger=World("Russia is named for no crude at all", _no_russia),
)
def russia_not_israels_main_crude_supplier_since_2016(israel_crude_imports):
    """Since 2016 another supplier ranked first, even counting Kazakh and Azerbaijani crude as Russian, as the article does."""
    first = _first_ranked(israel_crude_imports)
    others = first[~first["origin_as_reported"].isin(ARTICLE_ROUTES)]
    ranked = _listing([f"{o} ({_period(s, e)})" for o, s, e in zip(first["origin_as_reported"], first["period_start"], first["period_end"])]) if len(first) else "none"
    shares = current(israel_crude_imports, "value")
    shares = shares[(shares["metric"] == "share_of_imports") & shares["value"].notna() & (shares["origin_as_reported"] == "Russia")].assign(q=lambda f: qualifiers(f, "value"))
    russian = _listing([f"{describe(v, q, '%')} ({_period(s, e)})" for v, q, s, e in zip(shares["value"], shares["q"], shares["period_start"], shares["period_end"])]) if len(shares) else "none"
    return len(others) > 0, f"first-ranked crude suppliers since 2016: {ranked}; Russia's reported shares of Israel's crude imports: {russian}"


# --- Arms ----------------------------------------------------------------------------------

SINCE = "2022"  # "delivers": the article's present, from Russia's full-scale invasion of Ukraine to the article's date


def _israeli_supply(frame: pd.DataFrame) -> pd.DataFrame:
    """Sales, licences and deliveries by Israel Aerospace Industries itself (not Russian licence production)."""
    rows = current(frame, "quantity")
    israeli = rows["supplier"].str.contains("IAI|Israel Aerospace", regex=True) & ~rows["supplier"].str.contains("under IAI licence|components", regex=True)
    return rows[israeli & ~rows["record_type"].str.startswith("shoot-down")]


def _new_sale(d: Frames) -> Frames:
    frame = d["israel_russia_uav_deals"]
    return {"israel_russia_uav_deals": _added(frame, record_type="direct purchase", order_year_from=2024, order_year_to=2024, date_reported="2024-06",
                                               delivery="2024", supplier="IAI", recipient_or_licensee="Russian Ministry of Defence",
                                               system="UAVs (types not stated)", quantity=10, quantity_qualifier="exact")}


def _no_second_contract(d: Frames) -> Frames:
    frame = d["israel_russia_uav_deals"]
    return {"israel_russia_uav_deals": _dropped(frame, (frame["record_type"] == "direct purchase") & (frame["order_year_from"] == 2010))}


@check(
    article=World("Israel Aerospace Industries sells drones to Russia in 2024, the article's year", _new_sale),
    stronger=World("the 2010 contract for 36 drones is not there", _no_second_contract),
)
def no_israeli_drone_deliveries_at_publication(israel_russia_uav_deals):
    """No Israeli sale, licence or delivery of drones to Russia is recorded in the article's present, and the drone downed over Donbas was built in Russia."""
    supply = _israeli_supply(israel_russia_uav_deals)
    years = pd.to_numeric(supply["order_year_to"], errors="coerce").dropna()
    recent = years[years >= int(SINCE)]
    bought = supply[(supply["record_type"] == "direct purchase") & supply["quantity"].notna()]
    downed = israel_russia_uav_deals[israel_russia_uav_deals["record_type"].str.startswith("shoot-down (Donbas)")]
    licence_built = len(downed) > 0 and downed["supplier"].str.contains("licence", case=False).all()
    where = _listing(downed["supplier"].tolist()) if len(downed) else "no shoot-down recorded"
    last = int(years.max()) if len(years) else None
    return recent.empty and licence_built, (
        f"the last Israeli sale or licence of drones to Russia on record dates from {last}, with none from {SINCE} to the article's date; "
        f"Russia bought {int(bought['quantity'].sum())} drones directly from Israel Aerospace Industries ({bought['order_year_from'].min()}–{bought['order_year_to'].max()}); "
        f"the drone downed over Donbas in 2015 was built by {where}")


def _launches(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["metric"].str.startswith(("launches_", "monthly_launches_")) & frame["value"].notna()]


def _no_launches(d: Frames) -> Frames:
    frame = d["iran_drones_to_russia"]
    return {"iran_drones_to_russia": _set(frame, frame.index.isin(_launches(frame).index), value=0.0, value_qualifier="exact")}


def _more_made_in_russia(d: Frames) -> Frames:
    frame = d["iran_drones_to_russia"]
    mask = frame["metric"] == "cumulative_deliveries"
    return {"iran_drones_to_russia": _set(frame, mask, value=frame.loc[mask, "value"] * 2)}


@check(
    article=World("no Iranian-designed drone launched: every launch count is 0", _no_launches),
    stronger=World("twice as many drones delivered from the Russian plant at Alabuga", _more_made_in_russia),
)
def iranian_drones_used_by_russia_in_ukraine(iran_drones_to_russia):
    """By the article's date Iranian-designed drones were launched at Ukraine, and Russia also made them itself under licence."""
    rows = current(iran_drones_to_russia, "value")
    rows = rows[rows["date"].astype(str) <= PUBLISHED]
    first = rows[rows["metric"] == "first_reported_downing"].sort_values("date")
    launches = _launches(rows).sort_values("date").assign(q=lambda f: qualifiers(f, "value"))
    launched = launches[[_bounds(v, q)[1] > 0 and v > 0 for v, q in zip(launches["value"], launches["q"])]]
    made = rows[(rows["metric"] == "cumulative_deliveries") & rows["value"].notna()].sort_values("date").assign(q=lambda f: qualifiers(f, "value"))
    made_here = made[made["value"] > 0]
    holds = len(first) > 0 and len(launched) > 0 and len(made_here) > 0
    counts = _listing([f"{describe(v, q)} ({m.replace('_', ' ')}, {d})" for v, q, m, d in zip(launches["value"], launches["q"], launches["metric"], launches["date"])]) if len(launches) else "no launches counted"
    home = f"{describe(made['value'].iloc[-1], made['q'].iloc[-1])} delivered from the Russian plant at Alabuga by {made['date'].iloc[-1]}" if len(made) else "no delivery from a Russian plant recorded"
    downed = f"the first Iranian-designed drone was reported downed in Ukraine on {first['date'].iloc[0]}" if len(first) else "no downing recorded"
    return holds, f"{downed}; launches counted, each on its own basis: {counts}; {home}"


# --- Elections and government --------------------------------------------------------------

def _yb(d: Frames, shift: float | None = None, value: float | None = None) -> Frames:
    frame = d["knesset_russian_speaking_vote"]
    mask = frame["option"] == "Yisrael Beiteinu"
    low = frame.loc[mask, "value_low"] + shift if shift is not None else value
    high = frame.loc[mask, "value_high"] + shift if shift is not None else value
    return {"knesset_russian_speaking_vote": _set(frame, mask, value_low=low, value_high=high)}


@check(
    article=World("Yisrael Beiteinu polls 1% of Russian-speaking voters: it leads nowhere", lambda d: _yb(d, value=1.0)),
    stronger=World("Yisrael Beiteinu polls five points more everywhere", lambda d: _yb(d, shift=5.0)),
)
def yisrael_beiteinu_leads_without_majority(knesset_russian_speaking_vote):
    polls = knesset_russian_speaking_vote[knesset_russian_speaking_vote["measure"].str.contains("vote")]
    with_yb = [rows for _, rows in polls.groupby(["survey_date", "pollster_or_analyst"]) if (rows["option"] == "Yisrael Beiteinu").any()]
    led = [r for r in with_yb if r.loc[r["value_high"].idxmax(), "option"] == "Yisrael Beiteinu"]
    shares = [f"{number(r.loc[r['option'] == 'Yisrael Beiteinu', 'value_low'].iloc[0])}% ({r['survey_date'].iloc[0]})" for r in with_yb]
    below_half = [r for r in with_yb if r.loc[r["option"] == "Yisrael Beiteinu", "value_low"].iloc[0] < 50]
    holds = len(with_yb) > 0 and len(led) * 2 > len(with_yb) and len(below_half) > 0
    return holds, f"Yisrael Beiteinu, polled on its own list, leads in {len(led)} of {len(with_yb)} polls of Russian-speaking voters, with " + _listing(shares)


def _netanyahu(frame: pd.DataFrame):
    return frame["prime_minister"].str.contains("Netanyahu")


def _in_office(d: Frames) -> Frames:
    frame = d["lieberman_posts"]
    last = frame[_netanyahu(frame)].sort_values("end_date").index[-1]
    return {"lieberman_posts": _set(frame, frame.index == last, end_date=None)}


def _left_earlier(d: Frames) -> Frames:
    frame = d["lieberman_posts"]
    last = frame[_netanyahu(frame)].sort_values("end_date").index[-1]
    return {"lieberman_posts": _set(frame, frame.index == last, end_date="2017-11-17")}


@check(
    article=World("Lieberman still holds his last post in a Netanyahu government at the article's date", _in_office),
    stronger=World("Lieberman left his last post in a Netanyahu government a year earlier", _left_earlier),
)
def lieberman_out_of_netanyahu_government_at_publication(lieberman_posts):
    posts = lieberman_posts[_netanyahu(lieberman_posts)]
    spans = sorted({(s, e if isinstance(e, str) else "") for s, e in zip(posts["start_date"], posts["end_date"])})
    now = posts[(posts["start_date"] <= PUBLISHED) & (posts["end_date"].fillna("9999") >= PUBLISHED)]
    holds = len(spans) > 0 and now.empty
    held = _listing([f"{s} to {e or 'an unrecorded end'}" for s, e in spans])
    return holds, (f"Lieberman held posts in Netanyahu's governments from {held}, and none on {PUBLISHED}, the article's date" if now.empty
                   else f"Lieberman held {_listing(now['post'].tolist())} in a Netanyahu government on {PUBLISHED}")
