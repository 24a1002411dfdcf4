"""Evidence checks: each holds on the data, fails in the article's world, holds in a stronger one, and the build says so."""

from __future__ import annotations

import pytest

from edition import annotations, datasets, evidence
from edition.evidence import World
from edition.yamlfile import ProblemsFound

from conftest import build_book


def _loader(changed: dict):
    return lambda name: changed[name] if name in changed else datasets.load(name)


def _frame(name, **changes):
    """A copy of a dataset with columns set on the rows picked by a function of the frame."""
    frame = datasets.load(name).copy()
    for column, (pick, value) in changes.items():
        frame.loc[pick(frame), column] = value
    return frame


def test_every_check_declares_its_two_worlds():
    assert evidence.CHECKS
    for name, found in evidence.CHECKS.items():
        assert isinstance(found.article, World) and isinstance(found.stronger, World), name
        assert len(found.article.says) > 10 and len(found.stronger.says) > 10, name


@pytest.mark.parametrize("name", sorted(evidence.CHECKS))
def test_check_holds_on_the_data(name):
    result = evidence.run(name)
    assert result.holds and not result.error, result
    assert len(result.sentence) > 20 and set(result.datasets) <= set(datasets.available())


@pytest.mark.parametrize("name", sorted(evidence.CHECKS))
def test_check_fails_in_the_articles_world(name):
    result = evidence.in_world(name, "article")
    assert not result.holds, f"{name} still holds in the article's world ({evidence.CHECKS[name].article.says}): {result.sentence}"
    assert not result.error, result.error  # it fails on the data, not by crashing


@pytest.mark.parametrize("name", sorted(evidence.CHECKS))
def test_check_holds_in_a_stronger_world(name):
    result = evidence.in_world(name, "stronger")
    assert result.holds and not result.error, f"{name} fails in its stronger world ({evidence.CHECKS[name].stronger.says}): {result}"


def test_a_world_leaves_the_loaded_frames_alone():
    frame = datasets.load("aliyah_by_year")
    before = frame.copy()
    evidence.in_world("russian_arrivals_did_not_rise_every_year", "article", lambda name: frame)
    assert frame.equals(before)


def test_a_check_cannot_be_registered_without_its_worlds(monkeypatch):
    monkeypatch.setattr(evidence, "CHECKS", dict(evidence.CHECKS))

    def unguarded(aliyah_by_year):
        return True, "always"

    with pytest.raises(TypeError, match="'unguarded' declares no article and no stronger world"):
        evidence.check(unguarded)
    with pytest.raises(TypeError, match="declares no stronger world"):
        evidence.check(article=World("the claim is true", lambda d: {}))(unguarded)
    assert "unguarded" not in evidence.CHECKS


def test_in_world_names_the_two_worlds():
    with pytest.raises(ValueError, match="'article' and a 'stronger' world"):
        evidence.in_world("russian_arrivals_did_not_rise_every_year", "weaker")


# The rules a check keeps, each shown on the check that once broke it.

def _russia(frame, year):
    return (frame["series"] == "russia_immigrants") & frame["preferred"].astype(bool) & (frame["year"] == year)


def _article_aliyah():
    return evidence.CHECKS["russian_arrivals_did_not_rise_every_year"].article.change({"aliyah_by_year": datasets.load("aliyah_by_year")})["aliyah_by_year"]


def test_arrivals_check_reads_arrivals_from_russia_not_all_arrivals():
    frame = _article_aliyah()
    totals = frame[(frame["series"] == "total_immigrants") & frame["preferred"].astype(bool)].sort_values("year")
    assert (totals["value"].diff() < 0).any()  # all arrivals still fall in some years ...
    assert not evidence.run("russian_arrivals_did_not_rise_every_year", _loader({"aliyah_by_year": frame})).holds  # ... and that proves nothing


def test_arrivals_check_compares_no_years_across_a_change_of_agency():
    frame = _article_aliyah()
    assert frame.loc[_russia(frame, 2014), "note"].iloc[0].startswith("Jewish Agency")
    assert frame.loc[_russia(frame, 2015), "note"].iloc[0].startswith("CBS")
    frame.loc[_russia(frame, 2015), "value"] = frame.loc[_russia(frame, 2014), "value"].iloc[0] - 500  # lower, but counted by CBS, not the Agency
    result = evidence.run("russian_arrivals_did_not_rise_every_year", _loader({"aliyah_by_year": frame}))
    assert not result.holds and "2015 is not compared" in result.sentence


def test_arrivals_check_judges_the_years_before_the_article():
    frame = _article_aliyah()
    frame.loc[_russia(frame, 2024), "value"] = frame.loc[_russia(frame, 2023), "value"].iloc[0] - 1000  # a fall the article could not know
    assert not evidence.run("russian_arrivals_did_not_rise_every_year", _loader({"aliyah_by_year": frame})).holds


def test_arrivals_sentence_names_the_fall_and_its_agency():
    sentence = evidence.run("russian_arrivals_did_not_rise_every_year").sentence
    assert "fell in 2023 (CBS: 45,472 in 2022, 33,116 in 2023)" in sentence
    assert "2011" not in sentence and "2013 (" not in sentence  # the old artefacts of an agency switch in all arrivals


def test_drone_check_holds_on_an_old_sale_and_fails_on_one_in_the_articles_present():
    deals = datasets.load("israel_russia_uav_deals")
    old = evidence.CHECKS["no_israeli_drone_deliveries_at_publication"].article.change({"israel_russia_uav_deals": deals})["israel_russia_uav_deals"]
    old.loc[old.index[-1], ["order_year_from", "order_year_to"]] = [2021, 2021]
    assert evidence.run("no_israeli_drone_deliveries_at_publication", _loader({"israel_russia_uav_deals": old})).holds
    licensed = _frame("israel_russia_uav_deals", supplier=(lambda f: f["record_type"].str.startswith("shoot-down (Donbas)"), "IAI (delivered from Israel)"))
    assert not evidence.run("no_israeli_drone_deliveries_at_publication", _loader({"israel_russia_uav_deals": licensed})).holds


def test_drone_check_fails_when_no_drone_was_launched():
    zero = _frame("iran_drones_to_russia", value=(lambda f: f["metric"].str.contains("launches"), 0.0))
    assert not evidence.run("iranian_drones_used_by_russia_in_ukraine", _loader({"iran_drones_to_russia": zero})).holds


def test_launch_counts_on_different_bases_are_different_metrics():
    drones = datasets.load("iran_drones_to_russia")
    launches = drones[drones["metric"].str.contains("launches")]
    assert launches["metric"].is_unique  # one basis per metric: no chart line can join two bases
    assert "each on its own basis" in evidence.run("iranian_drones_used_by_russia_in_ukraine").sentence


def test_crude_check_holds_even_counting_kazakh_and_azerbaijani_crude_as_russian():
    crude = _frame("israel_crude_imports", origin_as_reported=(lambda f: f["origin_as_reported"].isin(["Azerbaijan", "Kazakhstan"]) & f["metric"].str.startswith("rank"), "Russia"))
    assert evidence.run("russia_not_israels_main_crude_supplier_since_2016", _loader({"israel_crude_imports": crude})).holds


def test_the_sentence_says_what_kind_of_figure_each_is():
    assert "more than 1,300,000 (2022-08-10)" in evidence.run("russian_speakers_about_one_million").sentence
    assert "computed by the editors" in evidence.run("russia_not_israels_main_crude_supplier_since_2016").sentence


def test_a_check_that_raises_is_that_checks_failure(monkeypatch):
    def broken(aliyah_by_year):
        return aliyah_by_year["no_such_column"].sum() > 0, "never"

    world = World("a world that changes nothing", lambda d: {})
    monkeypatch.setitem(evidence.CHECKS, "broken_check", evidence.Check("broken_check", broken, world, world))
    result = evidence.run("broken_check")
    assert not result.holds and result.datasets == ("aliyah_by_year",)
    assert result.error.startswith("KeyError") and "no_such_column" in result.error


def test_unknown_check_lists_the_known_ones():
    with pytest.raises(KeyError, match="known checks: .*russian_arrivals_did_not_rise_every_year"):
        evidence.run("arrivals_rose")


def test_an_annotation_naming_an_unknown_check_is_a_located_error(root, tmp_path):
    text = (root / "data" / "annotations" / "immigration-increase-every-year.yml").read_text(encoding="utf-8")
    path = tmp_path / "immigration-increase-every-year.yml"
    path.write_text(text.replace("evidence: [russian_arrivals_did_not_rise_every_year]", "evidence: [arrivals_rose_every_year]"), encoding="utf-8")
    with pytest.raises(ProblemsFound) as err:
        annotations.read(path, datasets=set(datasets.available()))
    problem = next(p for p in err.value.problems if p.field == "evidence.0")
    line = next(i for i, l in enumerate(text.splitlines(), start=1) if l.startswith("evidence:"))
    assert problem.line == line and "arrivals_rose_every_year" in problem.message
    assert "russian_arrivals_did_not_rise_every_year" in problem.fix


def test_every_note_with_a_check_shows_its_computed_sentence(built_site):
    chapter = (built_site / "book" / "02-migration-politics-visas.html").read_text(encoding="utf-8")
    expected = evidence.run("russian_arrivals_did_not_rise_every_year").sentence
    assert "Computed from the data: </strong>" + expected[0].upper() + expected[1:] in chapter
    assert 'href="datasets/aliyah_by_year.html">Immigration to Israel by year' in chapter


def test_notes_without_a_genuine_check_show_no_computed_sentence(built_site):
    for chapter, claim in (("01-from-1947-to-putin", "un-decreed-israel-1947"), ("04-economic-technological-military-ties", "russia-israel-economic-ties-scale")):
        page = (built_site / "book" / f"{chapter}.html").read_text(encoding="utf-8")
        start = page.index(f'id="claim-{claim}"')
        note = page[start:page.index("</aside>", start)]
        assert "Computed from the data" not in note, claim


@pytest.mark.slow
def test_a_data_change_that_contradicts_a_verdict_fails_the_build(repo_copy, tmp_path, built_site):
    import shutil

    # Start from the session build's execution cache: no notebook loads the changed dataset, so none runs.
    shutil.copytree(built_site.parent / ".jupyter_cache", tmp_path / "out" / "_build" / ".jupyter_cache")
    folder = repo_copy / "data" / "datasets"
    path = folder / "lieberman_posts.csv"
    text = path.read_text(encoding="utf-8")
    assert ",2018-11-17," in text
    path.write_text(text.replace(",2018-11-17,", ",,", 1), encoding="utf-8")
    datasets.rehash("lieberman_posts", folder)
    result = build_book(repo_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    line = next(l for l in output.splitlines() if "lieberman_out_of_netanyahu_government_at_publication" in l and "WARNING" in l)
    assert "data/annotations/lieberman-netanyahu-ally-minister.yml:" in line and "lieberman_posts" in line and "no longer holds" in line
