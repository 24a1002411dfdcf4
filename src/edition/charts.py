"""The edition's charts, one function per charted dataset: the chapters and the dataset pages draw the same one.

Each function takes the dataset as `edition.datasets.load()` returns it (current rows only: a retracted
or superseded figure never reaches a chart, a caption or a table) and returns the figure from
`edition.figures.chart()`: both renderings, a caption whose findings are computed here, and a table of
exactly the rows drawn. `CHARTS` maps each dataset to its chart.
"""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from .datasets import describe, number, qualifiers
from .figures import PALETTE, Row, chart, date_words, kinds_sentence, plot_qualified, qualifier_legend, tag, tag_bars

COUNT = StrMethodFormatter("{x:,.0f}")  # plain whole numbers: 6,000, not 6x10^3


def _span(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A date at its precision as the span it covers: a year, a month or a day."""
    text = str(text)[:10]
    start = pd.Timestamp(text if len(text) > 4 else f"{text}-01-01")
    end = {4: start + pd.offsets.YearEnd(0), 7: start + pd.offsets.MonthEnd(0)}.get(len(text), start)
    return start, end


def _dates(ax, narrow: bool) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=4 if narrow else 8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def unga_vote(votes: pd.DataFrame):
    """Chapter 1: the 1947 partition vote by member states."""
    order = ["yes", "no", "abstain", "absent"]
    counts = votes["vote"].value_counts().reindex(order, fill_value=0)
    powers = votes.set_index("country").loc[["USSR", "United States", "France", "United Kingdom"], "vote"]
    words = {"yes": "In favour", "no": "Against", "abstain": "Abstained", "absent": "Absent"}

    def draw(fig, narrow):
        ax = fig.subplots()
        bars = ax.barh([words[v] for v in order[::-1]], counts[order[::-1]], color=PALETTE[0])
        tag_bars(bars, range(len(order))[::-1])
        for y, vote in enumerate(order[::-1]):
            named = ", ".join(c if not narrow else c.replace("United States", "US").replace("United Kingdom", "UK") for c, v in powers.items() if v == vote)
            ax.text(counts[vote] + 0.8, y, f"{counts[vote]}" + (f"  ({named})" if named else ""), va="center")
        ax.set_xlabel("Member states")
        ax.set_xlim(0, counts.max() + (30 if narrow else 22))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", visible=False)

    sources = [";".join(sorted({s for ids in votes.loc[votes["vote"] == v, "source_id"] for s in str(ids).split(";")})) for v in order]
    rows = [Row(words[v], f"{counts[v]} member state" + ("" if counts[v] == 1 else "s"), "29 November 1947", s) for v, s in zip(order, sources)]
    caption = (f"The partition vote of 29 November 1947: {counts['yes']} in favour, {counts['no']} against, {counts['abstain']} abstentions, "
               f"{counts['absent']} absent; " + ", ".join(f"{c} {v}" for c, v in powers.items()) + ".")
    alt = ("Bar chart of the 1947 partition vote by member states: " + ", ".join(f"{v} {n}" for v, n in counts.items())
           + ". " + "; ".join(f"{c}: {v}" for c, v in powers.items()) + ".")
    return chart(votes, "unga-181", draw, rows, caption, alt, height=2.6, narrow_height=2.9)


def aliyah(frame: pd.DataFrame):
    """Chapter 2: immigrants to Israel per year, all and from the former USSR (the preferred figure of each year)."""
    series = {"total_immigrants": "All immigrants", "fsu_immigrants": "From the former USSR"}
    chosen = frame[frame["preferred"].fillna(False).astype(bool) & frame["series"].isin(series) & frame["value"].notna()].copy()
    partial = frame[frame["preferred"].fillna(False).astype(bool) & frame["series"].isin([f"{k}_partial_year" for k in series]) & frame["value"].notna()].copy()
    partial["base"] = partial["series"].str.removesuffix("_partial_year")
    partial = partial[[y not in set(chosen.loc[chosen["series"] == b, "year"]) for y, b in zip(partial["year"], partial["base"])]]
    drawn = pd.concat([chosen.assign(base=chosen["series"]), partial]).sort_values(["base", "year"])
    drawn["q"] = qualifiers(drawn, "value")
    drawn = drawn.reset_index(drop=True)
    years = range(int(drawn["year"].min()), int(drawn["year"].max()) + 1)

    def draw(fig, narrow):
        ax = fig.subplots()
        for (key, label), colour in zip(series.items(), PALETTE):
            full = drawn[drawn["series"] == key].set_index("year")
            ax.plot(years, full["value"].reindex(years).astype(float), color=colour, linewidth=1.2, label=label)  # gaps stay gaps
            rows = drawn[drawn["base"] == key]
            plot_qualified(ax, rows["year"], rows["value"], rows["q"], colour, size=10 if narrow else 14, keys=rows.index)
        ax.set_ylabel("Immigrants per year")
        ax.yaxis.set_major_formatter(COUNT)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5 if narrow else 10))
        qualifier_legend(ax, drawn["q"])

    total = drawn[drawn["series"] == "total_immigrants"].set_index("year")["value"].astype(float)
    peak = int(total.idxmax())
    later = total[total.index > peak]
    falls = int((later.diff().dropna() < 0).sum())
    caption = (f"Immigration to Israel peaked in {peak} ({number(total[peak])} arrivals); of the {len(later) - 1} later year-on-year changes "
               f"in the total, {falls} were falls. The series joins figures from different agencies (see the table's sources).")
    rows = [Row(f"{series[r['base']]}, {r['year']}", describe(float(r["value"]), r["q"]) + ("" if "partial_year" not in r["q"].kinds else f" ({r['note'].split('; ')[1] if '; ' in str(r['note']) else 'part of the year'})"),
                str(r["year"]), str(r["source_id"])) for _, r in drawn.iterrows()]
    gaps = [y for y in years if y not in set(drawn.loc[drawn["base"] == "fsu_immigrants", "year"])]
    # Which agency each drawn value comes from: the note of each row starts with it.
    agency = drawn["note"].str.extract(r"^(CBS|Israel MFA|Jewish Agency|Ministry)")[0].map(
        {"CBS": "Central Bureau of Statistics", "Israel MFA": "foreign-ministry table", "Jewish Agency": "Jewish Agency or ministry", "Ministry": "Jewish Agency or ministry"})
    mix = agency.fillna("agency not stated").value_counts()
    notes = [f"{kinds_sentence(drawn['q'])} Years without a sourced former-USSR figure are left as gaps: {', '.join(map(str, gaps)) or 'none'}.",
             "The series joins figures from different agencies (" + ", ".join(f"{a}: {n} value{'s' if n > 1 else ''}" for a, n in mix.items())
             + "), so a change across a switch of agency is not like-for-like; where agencies differ, the manifest's order of preference picks one figure per year."]
    alt = (f"Line chart of yearly immigration to Israel from {years[0]}: total arrivals and arrivals from the former Soviet Union, "
           f"highest in {peak} at {number(total[peak])}. Every value is listed in the table below the chart.")
    return chart(frame, "aliyah", draw, rows, caption, alt, notes=notes)


def elections(frame: pd.DataFrame):
    """Chapter 2: Yisrael Beiteinu's seats at each Knesset election."""
    frame = frame.sort_values("election_date").reset_index(drop=True)
    labels = [date_words(d[:7]) if (frame["election_date"].str[:4] == d[:4]).sum() > 1 else d[:4] for d in frame["election_date"]]
    quals = qualifiers(frame, "yb_seats")

    def draw(fig, narrow):
        ax = fig.subplots()
        joint = frame["joint_list"].fillna(False).astype(bool)
        bars = ax.barh(labels[::-1], frame["yb_seats"][::-1].astype(int), color=[PALETTE[1] if j else PALETTE[0] for j in joint[::-1]])
        tag_bars(bars, frame.index[::-1], quals[::-1])
        ax.bar_label(bars, padding=3)
        ax.set_xlabel("Knesset seats (of 120)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", visible=False)
        from matplotlib.patches import Patch

        fig.legend([Patch(color=PALETTE[0]), Patch(color=PALETTE[1])], ["own list", "its share of a joint list"], frameon=False, loc="outside lower left", ncols=2)

    best = frame.loc[frame["yb_seats"].idxmax()]
    caption = (f"Seats won by Yisrael Beiteinu (the article's \u201cYisrael Beteniu\u201d) at each election since {frame['election_date'].iloc[0][:4]}; "
               f"its best result was {int(best['yb_seats'])} seats in {best['election_date'][:4]}.")
    rows = [Row(f"Seats, {date_words(r['election_date'])} election" + (" (its share of a joint list)" if r["joint_list"] else ""),
                describe(float(r["yb_seats"]), q), date_words(r["election_date"]), str(r["source_id"])) for (_, r), q in zip(frame.iterrows(), quals)]
    alt = "Bar chart of Yisrael Beiteinu's Knesset seats: " + ", ".join(f"{lab} {int(s)}" for lab, s in zip(labels, frame["yb_seats"])) + "."
    return chart(frame, "yisrael-beiteinu", draw, rows, caption, alt, height=3.4, narrow_height=3.8)


def visas(frame: pd.DataFrame):
    """Chapter 2: Russia's visa-free agreements in the dataset, by date signed (month-only dates drawn as the month)."""
    dated = frame[frame["date_signed"].notna()].copy()
    dated[["start", "end"]] = [list(_span(d)) for d in dated["date_signed"]]
    dated = dated.sort_values("start").reset_index(drop=True)
    undated = list(frame.loc[frame["date_signed"].isna(), "country_or_territory"])

    def draw(fig, narrow):
        ax = fig.subplots()
        for i, r in dated.iterrows():
            colour = PALETTE[3] if r["country_or_territory"] == "Israel" else PALETTE[0]
            if r["start"] == r["end"]:
                tag(ax.scatter([r["start"]], [i], color=colour, s=22, zorder=3), i)
            else:  # known to the month only: a bar over the month
                tag(ax.hlines([i], r["start"], r["end"], color=colour, linewidth=5, zorder=3), i)
        ax.set_yticks(range(len(dated)), dated["country_or_territory"].str.replace(" (China)", "", regex=False))
        ax.set_ylim(len(dated) - 0.5, -0.5)
        _dates(ax, narrow)
        ax.grid(axis="y", visible=False)
        if undated:
            ax.set_xlabel(("Date signed.\nNo date in the data:\n" if narrow else "Date signed. No date in the data: ") + ", ".join(undated))
        else:
            ax.set_xlabel("Date signed")

    israel = frame.set_index("country_or_territory").loc["Israel"]
    before = int((dated["start"] < _span(israel["date_signed"])[0]).sum())
    caption = (f"Russia signed its visa-free agreement with Israel on {date_words(israel['date_signed'])} (red); of the {len(dated)} dated agreements "
               f"in this sample (not a complete list), {before} {'was' if before == 1 else 'were'} signed earlier.")
    rows = [Row(r["country_or_territory"], str(r["instrument"]), date_words(r["date_signed"]) + (" (day not known)" if r["start"] != r["end"] else ""),
                str(r["source_id"])) for _, r in dated.iterrows()]
    notes = [f"Not drawn, as the data give no date signed: {', '.join(undated)}."] if undated else []
    alt = ("Dot chart of the dates on which Russia signed visa-free agreements: " + "; ".join(f"{c} {date_words(d)}" for c, d in zip(dated["country_or_territory"], dated["date_signed"]))
           + (f". Not dated: {', '.join(undated)}." if undated else "."))
    return chart(frame, "visa-free", draw, rows, caption, alt, height=0.24 * len(dated) + 1.1, narrow_height=0.26 * len(dated) + 1.4, notes=notes, noun="agreements", value_header="Agreement")


def events(frame: pd.DataFrame, since: int = 2000):
    """Chapter 3: the dated events the article refers to, from `since` on, by theme; year- and month-only dates drawn as spans."""
    recent = frame[frame["date"].str[:4].astype(int) >= since].copy()
    recent[["start", "end"]] = [list(_span(d)) for d in recent["date"]]
    recent = recent.sort_values("start").reset_index(drop=True)
    categories = sorted(recent["category"].unique())

    def draw(fig, narrow):
        ax = fig.subplots()
        for i, r in recent.iterrows():
            y = categories.index(r["category"])
            if r["start"] == r["end"]:
                tag(ax.scatter([r["start"]], [y], color=PALETTE[0], s=20, zorder=3, alpha=.8), i)
            else:
                tag(ax.hlines([y], r["start"], r["end"], color=PALETTE[1], linewidth=6, zorder=2, alpha=.8), i)
        ax.set_yticks(range(len(categories)), [_wrap(c, 18 if narrow else 34) for c in categories])
        ax.set_ylim(len(categories) - 0.5, -0.5)
        _dates(ax, narrow)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Dots: a day; bars: a month or year")

    busiest = recent["category"].value_counts()
    top = sorted(busiest[busiest == busiest.max()].index)
    caption = (f"The {len(recent)} dated events from {since} onwards that the article refers to, by theme; the most frequent "
               + (f"theme is {top[0]}" if len(top) == 1 else "themes are " + ", ".join(top[:-1]) + f" and {top[-1]}")
               + f" ({busiest.max()} events{' each' if len(top) > 1 else ''}).")
    rows = [Row(r["event"], r["category"], date_words(r["date"]), str(r["source_id"])) for _, r in recent.iterrows()]
    alt = f"Timeline of {len(recent)} events from {since} onwards grouped by theme: " + "; ".join(f"{c} ({n})" for c, n in busiest.items()) + ". The table lists them."
    return chart(frame, "events", draw, rows, caption, alt, height=0.36 * len(categories) + 1.3, narrow_height=0.5 * len(categories) + 1.4, noun="events", value_header="Theme")


def crude_shares(frame: pd.DataFrame):
    """Chapter 4: shares of Israel's crude imports by origin, each over the period it refers to."""
    shares = frame[(frame["metric"] == "share_of_imports") & frame["value"].notna()].copy()
    shares["q"] = qualifiers(shares, "value")
    shares[["start", "end"]] = [[_span(a)[0], _span(b)[1]] for a, b in zip(shares["period_start"], shares["period_end"])]
    shares = shares.sort_values("start").reset_index(drop=True)
    origins = list(dict.fromkeys(shares.sort_values("origin_as_reported")["origin_as_reported"]))

    def draw(fig, narrow):
        ax = fig.subplots()
        for i, origin in enumerate(origins):
            rows = shares[shares["origin_as_reported"] == origin]
            colour = PALETTE[i % len(PALETTE)]
            ax.hlines(rows["value"], rows["start"], rows["end"], color=colour, linewidth=3, label=origin)
            plot_qualified(ax, rows["start"] + (rows["end"] - rows["start"]) / 2, rows["value"], rows["q"], colour, keys=rows.index)
        ax.set_ylabel("Share of crude imports (%)")
        _dates(ax, narrow)
        if narrow:
            qualifier_legend(ax, shares["q"], loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=1)
        else:
            qualifier_legend(ax, shares["q"], loc="upper left", bbox_to_anchor=(1, 1))

    russia = shares[shares["origin_as_reported"] == "Russia"]
    top = shares.loc[shares["value"].astype(float).idxmax()]
    caption = (f"Each bar spans the period a source's share refers to; the shares come from different trackers and are not one series. "
               f"Russia appears in {len(russia)} of the {len(shares)} shares, all for spring 2020; the largest share drawn is {describe(float(top['value']), top['q'], '%')} ({top['origin_as_reported']}).")
    computed = shares[shares["q"].map(lambda q: "derived" in q.kinds)]
    notes = [f"{kinds_sentence(shares['q'])} Kazakh oil is loaded at Russia's port of Novorossiysk, Azeri and Kurdish oil at Ceyhan in Turkey."]
    if len(computed):
        notes.append("Computed by the editors from the volumes a source gives: " + "; ".join(f"{o} {date_words(p)}: {q.formula}" for o, p, q in zip(computed["origin_as_reported"], computed["period_start"], computed["q"])) + ".")
    period = [date_words(a if a == b else f"{a} to {b}") for a, b in zip(shares["period_start"], shares["period_end"])]
    rows = [Row(f"{r['origin_as_reported']}, share of crude imports", describe(float(r["value"]), r["q"], "%"), p, str(r["source_id"])) for (_, r), p in zip(shares.iterrows(), period)]
    alt = "Chart of shares of Israel's crude oil imports by origin: " + "; ".join(f"{r.what}, {r.date}: {r.value}" for r in rows) + "."
    return chart(frame, "crude-shares", draw, rows, caption, alt, height=3.8, narrow_height=5.2, notes=notes)


def trade(frame: pd.DataFrame):
    """Chapter 4: reported Russia-Israel trade turnover, as points marked by whose figures they are."""
    turnover = frame[(frame["flow"] == "total_turnover") & frame["value_usd"].notna()].copy()
    turnover["q"] = qualifiers(turnover, "value_usd")
    turnover = turnover.sort_values("year").reset_index(drop=True)
    bases = list(dict.fromkeys(turnover.sort_values("figures_basis")["figures_basis"]))

    def draw(fig, narrow):
        ax = fig.subplots()
        for i, basis in enumerate(bases):
            rows = turnover[turnover["figures_basis"] == basis]
            plot_qualified(ax, rows["year"], rows["value_usd"] / 1e9, rows["q"], PALETTE[i], label=basis.replace("_", " "), size=40, keys=rows.index)
        ax.set_ylabel("Turnover (billion US$)")
        ax.set_ylim(0, turnover["value_usd"].max() / 1e9 * 1.35)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5 if narrow else 9))
        qualifier_legend(ax, turnover["q"], loc="upper left")

    caption = (f"{len(turnover)} reported totals of goods trade between Russia and Israel, {turnover['year'].min()}\u2013{turnover['year'].max()}, "
               "from officials' statements and reports, not one statistical series, so they are drawn as points.")
    rows = [Row(f"Trade turnover, {r['period']} ({r['figures_basis'].replace('_', ' ')})", describe(float(r["value_usd"]) / 1e9, r["q"], " billion US dollars"),
                str(r["year"]), str(r["source_id"])) for _, r in turnover.iterrows()]
    alt = "Scatter chart of reported Russia-Israel trade turnover: " + "; ".join(f"{r.date}: {r.value}" for r in rows) + "."
    return chart(frame, "trade", draw, rows, caption, alt, height=3.4, narrow_height=4.2, notes=[kinds_sentence(turnover['q'])])


def uav_deals(frame: pd.DataFrame):
    """Chapter 4: Israeli unmanned aircraft bought or licence-built by Russia."""
    kinds = ["direct purchase", "licence production output", "licence production order"]
    deals = frame[frame["quantity"].notna() & frame["record_type"].isin(kinds)].reset_index(drop=True)
    quals = qualifiers(deals, "quantity")

    def draw(fig, narrow):
        ax = fig.subplots()
        labels = [f"{s.split(' (')[0]}\n({r}, {y})" for s, r, y in zip(deals["system"], deals["record_type"], deals["order_year_from"])]
        if narrow:
            labels = [_wrap(f"{s.split(' (')[0]} ({r.replace('licence production', 'licence')}, {y})", 22) for s, r, y in zip(deals["system"], deals["record_type"], deals["order_year_from"])]
        bars = ax.barh(labels[::-1], deals["quantity"][::-1].astype(int), color=PALETTE[0])
        tag_bars(bars, deals.index[::-1], quals[::-1])
        ax.bar_label(bars, padding=3)
        ax.set_xlabel("Unmanned aircraft (number)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", visible=False)

    total = int(deals["quantity"].sum())
    caption = (f"Israeli unmanned aircraft bought by Russia from Israel Aerospace Industries ({deals['order_year_from'].min()}) or built under licence in Russia, "
               f"as reported: {total} in the {len(deals)} records drawn. The drone downed over Donbas was a licence-built Forpost.")
    rows = [Row(f"{r['system']}: {r['record_type']}", describe(float(r["quantity"]), q), str(r["date_reported"]) if pd.notna(r["date_reported"]) else str(r["order_year_from"]),
                str(r["source_id"])) for (_, r), q in zip(deals.iterrows(), quals)]
    rows = [Row(r.what, r.value, date_words(r.date), r.sources) for r in rows]
    alt = "Horizontal bar chart of Israeli unmanned aircraft bought or built under licence by Russia: " + "; ".join(f"{s} {int(q)}" for s, q in zip(deals["system"], deals["quantity"])) + "."
    return chart(frame, "uav-deals", draw, rows, caption, alt, height=3.6, narrow_height=5.0)


def _drone_label(row, rows) -> str:
    """'3 August 2023: cumulative launches, since the start of the full-scale invasion': a measure says its basis."""
    label = f"{date_words(row['date'])}: {row['metric'].replace('_', ' ')}"
    same = rows[rows["metric"] == row["metric"]]
    if same["system"].nunique() > 1:
        label += f" ({row['system']})"
    since = re.search(r"\bsince ([^,;()]+)", str(row["description"]))
    if since and len(same) > 1:
        label += f", since {since.group(1).strip()}"
    return label


def drones(frame: pd.DataFrame):
    """Chapter 5: reported numbers of Iranian-designed drones. Each row is its own measure, drawn alone: no line joins counts on different bases."""
    counted = frame[(frame["unit"] == "drones") & frame["value"].notna() & (frame["value"] > 1)].copy()
    counted["q"] = qualifiers(counted, "value")
    counted = counted.sort_values("date").reset_index(drop=True)
    counted["label"] = [_drone_label(r, counted) for _, r in counted.iterrows()]

    def draw(fig, narrow):
        ax = fig.subplots()
        ys = list(range(len(counted)))
        for i, r in counted.iterrows():
            plot_qualified(ax, [r["value"]], [i], [r["q"]], PALETTE[0], size=36, keys=[i], horizontal=True)
        ax.set_yticks(ys, [_wrap(t, 24 if narrow else 60) for t in counted["label"]])
        ax.set_ylim(len(counted) - 0.5, -0.5)
        ax.set_xlim(0, counted["value"].max() * 1.2)
        ax.xaxis.set_major_formatter(COUNT)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4 if narrow else 7))
        ax.set_xlabel("Drones (number)")
        ax.grid(axis="y", visible=False)
        qualifier_legend(ax, counted["q"], horizontal=True, below=True)

    caption = (f"{len(counted)} reported figures on Shahed-type drones and Russia, {date_words(counted['date'].iloc[0])} to {date_words(counted['date'].iloc[-1])}; "
               "each is one measure by one government or monitor, on its own basis, so none is joined to another.")
    rows = [Row(f"{r['description']} ({r['claimant_or_measurer']})", describe(float(r["value"]), r["q"]), date_words(r["date"]), str(r["source_id"])) for _, r in counted.iterrows()]
    alt = "Dot chart of reported numbers of Iranian-designed drones related to Russia: " + "; ".join(f"{r.date}, {lab.split(': ', 1)[1]}: {r.value}" for r, lab in zip(rows, counted["label"])) + "."
    return chart(frame, "drones", draw, rows, caption, alt, height=0.42 * len(counted) + 1.2, narrow_height=0.62 * len(counted) + 1.4,
                 notes=[kinds_sentence(counted['q'])])


CHARTS = {
    "unga_181_roll_call": unga_vote,
    "aliyah_by_year": aliyah,
    "yisrael_beiteinu_elections": elections,
    "russia_visa_free": visas,
    "events_timeline": events,
    "israel_crude_imports": crude_shares,
    "russia_israel_trade": trade,
    "israel_russia_uav_deals": uav_deals,
    "iran_drones_to_russia": drones,
}


def dataset_page_chart(name: str, folder) -> str:
    """The markup of a dataset's chart as its appendix page shows it; "" if it has none.

    A plain function of the dataset's name and folder, so the build can draw it in another process.
    """
    from .datasets import current_rows, load_record

    if name not in CHARTS:
        return ""  # a dataset without a chart
    return CHARTS[name](current_rows(load_record(name, folder))).markup
