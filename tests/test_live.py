"""load_live(name): today's figures in memory, against recorded answers and injected failures.

The sources are the stand-ins of tests/test_pullers.py (the same recorded answers and faults).
Every case runs on a copy of data/ and checks that the snapshot and its manifest are never written.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import requests
import responses
from test_pullers import FAULTS, NAMES, comtrade_answers, files, folder, offline, serve  # noqa: F401 - fixtures

from edition import datasets, pullers
from edition.live import load_live
from edition.figures import show
from edition.pullers import atomic


@pytest.fixture(autouse=True)
def no_writes(monkeypatch):
    """Any attempt to write a snapshot fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("load_live() tried to write the snapshot")
    monkeypatch.setattr(atomic, "write", refuse)
    monkeypatch.setattr(datasets, "write_manifest", refuse)


@pytest.mark.parametrize("name", NAMES)
def test_a_live_pull_is_checked_merged_and_labelled_but_not_written(folder, offline, monkeypatch, capsys, name):
    before = files(folder, name)
    serve(offline, monkeypatch, name)
    frame = load_live(name, folder)
    prov = frame.attrs["provenance"]
    assert prov.pulled_live.endswith(" UTC") and prov.pulled_live[:4].isdigit()
    assert f"Figures: pulled live at {prov.pulled_live}." in prov.source_line
    assert "notice" not in frame.attrs and capsys.readouterr().err == ""
    assert files(folder, name) == before
    assert list(frame.columns) == [c.name for c in prov.columns] and len(frame) == prov.rows
    snapshot = datasets.load(name, folder)
    assert str(frame.dtypes.to_dict()) == str(snapshot.dtypes.to_dict())  # typed exactly like the snapshot
    assert "snapshot taken on" in snapshot.attrs["provenance"].source_line


def test_live_figures_are_the_sources_not_the_snapshots(folder, offline, monkeypatch):
    """The recorded Comtrade answers hold synthetic values: the live frame must carry them."""
    serve(offline, monkeypatch, "russia_israel_trade")
    live = load_live("russia_israel_trade", folder)
    assert not live.equals(datasets.load("russia_israel_trade", folder))
    recorded = pullers.transform_comtrade(list(comtrade_answers().values()))
    pulled = live[live["source_id"] == "COMTRADE"]
    assert sorted(zip(pulled["year"].astype(str), pulled["flow"])) == sorted(zip(recorded["year"], recorded["flow"]))


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("name", NAMES)
def test_a_failed_pull_falls_back_to_the_snapshot_with_one_line(folder, offline, monkeypatch, capsys, name, fault):
    before = files(folder, name)
    serve(offline, monkeypatch, name, fault)
    with pytest.raises(pullers.PullError) as refused:
        pullers.refresh(name, write=False, folder=folder)  # what the refresh command would report
    serve(offline, monkeypatch, name, fault)
    frame = load_live(name, folder)
    notice = capsys.readouterr().err
    assert notice.count("\n") == 1 and "Traceback" not in notice
    assert notice.startswith(f"Live pull of {name} failed: {refused.value.problem}")
    assert notice.strip().endswith(f"showing the snapshot taken on {frame.attrs['provenance'].retrieved} instead.")
    assert frame.attrs["notice"] == notice.strip()
    assert frame.attrs["provenance"].pulled_live == ""
    assert frame.equals(datasets.load(name, folder))
    assert files(folder, name) == before


@pytest.mark.parametrize(("fault", "words"), [("timeout", "timeout"), ("http_500", "500"), ("malformed", "")])
def test_the_notice_says_what_happened(folder, offline, monkeypatch, capsys, fault, words):
    serve(offline, monkeypatch, "russia_israel_trade", fault)
    load_live("russia_israel_trade", folder)
    notice = capsys.readouterr().err
    assert (words or "not valid JSON") in notice


def test_no_network_falls_back(folder, offline, capsys):
    offline.add(responses.GET, pullers.COMTRADE_PREVIEW, body=requests.exceptions.ConnectionError("no route to host"))
    frame = load_live("russia_israel_trade", folder)
    assert "could not connect" in capsys.readouterr().err
    assert frame.attrs["provenance"].pulled_live == ""


def test_a_dataset_without_a_live_source_says_so(folder, capsys):
    frame = load_live("aliyah_by_year", folder)
    assert capsys.readouterr().err.startswith("aliyah_by_year has no live source")
    assert frame.equals(datasets.load("aliyah_by_year", folder))


def test_the_figure_footer_says_which_figures_it_shows(folder, offline, monkeypatch):
    serve(offline, monkeypatch, "unga_181_roll_call")
    live = load_live("unga_181_roll_call", folder)
    snapshot = datasets.load("unga_181_roll_call", folder)
    for frame, words in ((live, f"pulled live at {live.attrs['provenance'].pulled_live}"), (snapshot, "snapshot taken on 2")):
        fig, ax = plt.subplots()
        ax.bar(["yes"], [1])
        assert words in show(fig, frame, caption="A chart.", alt="A bar.")._repr_html_()
