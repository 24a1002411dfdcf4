"""Evidence checks: each holds on the data, each flips when its data is changed, and the build says so."""

from __future__ import annotations

import pytest

from edition import annotations, datasets, evidence
from edition.yamlfile import ProblemsFound

from conftest import build_book


def _set(frame, mask, **values):
    out = frame.copy()
    for column, value in values.items():
        out.loc[mask, column] = value
    return out


# For each check, a change of its data that should make it fail: the check must notice.
MUTATIONS = {
    "arrivals_did_not_rise_every_year": lambda d: {"aliyah_by_year": _set(d["aliyah_by_year"], slice(None), value=d["aliyah_by_year"]["year"].astype(float), qualifier="exact")},
    "russian_speakers_about_one_million": lambda d: {"fsu_population_israel": _set(d["fsu_population_israel"], d["fsu_population_israel"]["measure_type"] == "russian_speaking_population", value=2_500_000.0)},
    "over_a_million_arrived_from_former_ussr": lambda d: {"fsu_population_israel": _set(d["fsu_population_israel"], d["fsu_population_israel"]["measure_type"] == "cumulative_arrivals", value=500_000.0)},
    "ussr_us_france_voted_yes_uk_abstained": lambda d: {"unga_181_roll_call": _set(d["unga_181_roll_call"], d["unga_181_roll_call"]["country"] == "USSR", vote="no")},
    "israel_visa_agreement_signed_2008_not_2007": lambda d: {"russia_visa_free": _set(d["russia_visa_free"], d["russia_visa_free"]["country_or_territory"] == "Israel", date_signed="2007-03-20")},
    "visa_free_travel_common_for_russians": lambda d: {"russia_visa_free_counts": _set(d["russia_visa_free_counts"], slice(None), visa_free_or_on_arrival_destinations=12)},
    "russia_not_israels_main_crude_supplier_since_2016": lambda d: {"israel_crude_imports": _set(d["israel_crude_imports"], d["israel_crude_imports"]["metric"] == "share_of_imports", origin_as_reported="Russia")},
    "trade_turnover_a_few_billion_dollars": lambda d: {"russia_israel_trade": _set(d["russia_israel_trade"], slice(None), value_usd=d["russia_israel_trade"]["value_usd"] * 10)},
    "israeli_drones_sold_and_licence_built_for_russia": lambda d: {"israel_russia_uav_deals": _set(d["israel_russia_uav_deals"], d["israel_russia_uav_deals"]["record_type"].str.startswith("shoot-down (Donbas)"), supplier="IAI (delivered from Israel)")},
    "iranian_drones_used_by_russia_in_ukraine": lambda d: {"iran_drones_to_russia": d["iran_drones_to_russia"][d["iran_drones_to_russia"]["metric"] != "first_reported_downing"]},
    "yisrael_beiteinu_leads_without_majority": lambda d: {"knesset_russian_speaking_vote": _set(d["knesset_russian_speaking_vote"], d["knesset_russian_speaking_vote"]["option"] == "Yisrael Beiteinu", value_low=1.0, value_high=1.0)},
    "lieberman_out_of_netanyahu_government_at_publication": lambda d: {"lieberman_posts": _set(d["lieberman_posts"], d["lieberman_posts"]["post"] == "Minister of Finance", end_date=None)},
}


def _loader(changed: dict):
    return lambda name: changed.get(name) if name in changed else datasets.load(name)


def test_every_check_has_a_mutation():
    assert set(MUTATIONS) == set(evidence.CHECKS)


@pytest.mark.parametrize("name", sorted(evidence.CHECKS))
def test_check_holds_on_the_data_and_fails_when_its_data_is_changed(name):
    before = evidence.run(name)
    assert before.holds and not before.error, before
    assert len(before.sentence) > 20 and set(before.datasets) <= set(datasets.available())
    frames = {d: datasets.load(d) for d in before.datasets}
    after = evidence.run(name, _loader(MUTATIONS[name](frames)))
    assert not after.holds, f"{name} still holds after its data was changed: {after.sentence}"
    assert not after.error, after.error  # it fails on the data, not by crashing


def test_the_sentence_says_what_kind_of_figure_each_is():
    assert "more than 5 billion dollars (2018)" in evidence.run("trade_turnover_a_few_billion_dollars").sentence
    assert "less than 2.5 billion dollars (2017)" in evidence.run("trade_turnover_a_few_billion_dollars").sentence
    assert "computed by the editors" in evidence.run("russia_not_israels_main_crude_supplier_since_2016").sentence


def test_a_check_that_raises_is_that_checks_failure(monkeypatch):
    def broken(aliyah_by_year):
        return aliyah_by_year["no_such_column"].sum() > 0, "never"

    monkeypatch.setitem(evidence.CHECKS, "broken_check", broken)
    result = evidence.run("broken_check")
    assert not result.holds and result.datasets == ("aliyah_by_year",)
    assert result.error.startswith("KeyError") and "no_such_column" in result.error


def test_unknown_check_lists_the_known_ones():
    with pytest.raises(KeyError, match="known checks: .*arrivals_did_not_rise_every_year"):
        evidence.run("arrivals_rose")


def test_an_annotation_naming_an_unknown_check_is_a_located_error(root, tmp_path):
    text = (root / "data" / "annotations" / "immigration-increase-every-year.yml").read_text(encoding="utf-8")
    path = tmp_path / "immigration-increase-every-year.yml"
    path.write_text(text.replace("evidence: [arrivals_did_not_rise_every_year]", "evidence: [arrivals_rose_every_year]"), encoding="utf-8")
    with pytest.raises(ProblemsFound) as err:
        annotations.read(path, datasets=set(datasets.available()))
    problem = next(p for p in err.value.problems if p.field == "evidence.0")
    line = next(i for i, l in enumerate(text.splitlines(), start=1) if l.startswith("evidence:"))
    assert problem.line == line and "arrivals_rose_every_year" in problem.message
    assert "arrivals_did_not_rise_every_year" in problem.fix


def test_every_note_with_a_check_shows_its_computed_sentence(built_site):
    chapter = (built_site / "book" / "02-migration-politics-visas.html").read_text(encoding="utf-8")
    expected = evidence.run("arrivals_did_not_rise_every_year").sentence
    assert "Computed from the data: </strong>" + expected[0].upper() + expected[1:] in chapter
    assert 'href="datasets/aliyah_by_year.html">Immigration to Israel by year' in chapter


@pytest.mark.slow
def test_a_data_change_that_contradicts_a_verdict_fails_the_build(repo_copy, tmp_path):
    folder = repo_copy / "data" / "datasets"
    path = folder / "lieberman_posts.csv"
    text = path.read_text(encoding="utf-8")
    assert ",2022-12-29,37th government sworn in" in text
    path.write_text(text.replace(",2022-12-29,37th government sworn in", ",,37th government sworn in"), encoding="utf-8")
    datasets.rehash("lieberman_posts", folder)
    result = build_book(repo_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    line = next(l for l in output.splitlines() if "lieberman_out_of_netanyahu_government_at_publication" in l and "WARNING" in l)
    assert "data/annotations/lieberman-netanyahu-ally-minister.yml:" in line and "lieberman_posts" in line and "no longer holds" in line
