"""Pullers, offline: recorded-shape answers in tests/fixtures/pullers/ stand in for the sources.

HTTP is intercepted with `responses`; the Dataverse file download goes through a pooch stub
(and once through real pooch, with `responses` underneath). Every refresh runs on a copy of
data/ in a temporary folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
from pathlib import Path

import pooch
import pytest
import requests
import responses
import yaml

from edition import cli, datasets, pullers
from edition.pullers import PullError, atomic, comtrade, dataverse, wikidata

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pullers"
NAMES = ["lieberman_posts", "unga_181_roll_call", "russia_israel_trade"]
FAULTS = ["timeout", "http_500", "truncated", "malformed", "missing_keys", "empty"]


# ---------------------------------------------------------------- fixtures and fake sources


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of data/; returns its datasets folder."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data" / "datasets"


@pytest.fixture(autouse=True)
def offline(request, monkeypatch):
    """No pauses between calls, and no request escapes to the network (except in live tests)."""
    if request.node.get_closest_marker("network"):
        yield None
        return
    monkeypatch.setattr(comtrade, "COMTRADE_PAUSE", 0)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def wikidata_answer() -> dict:
    return json.loads(fixture_text("wikidata_lieberman_posts.json"))


def comtrade_server(answers: dict[int, dict]):
    """A stand-in for the preview: answers each call with the reporter's records for the asked years."""
    def callback(request):
        params = request.params
        years = {int(y) for y in params["period"].split(",")}
        answer = dict(answers[int(params["reporterCode"])])
        answer["data"] = [r for r in answer["data"] if r["refYear"] in years]
        answer["count"] = len(answer["data"])
        return 200, {"Content-Type": "application/json"}, json.dumps(answer)
    return callback


def comtrade_answers() -> dict[int, dict]:
    return {376: json.loads(fixture_text("comtrade_preview_israel.json")),
            643: json.loads(fixture_text("comtrade_preview_russia.json"))}


def pooch_stub(monkeypatch, content: bytes | None = None, error: Exception | None = None) -> list:
    """Replace pooch.retrieve: write `content` where pooch would, or raise `error`."""
    calls = []

    def retrieve(url, known_hash=None, fname=None, path=None, processor=None, downloader=None, progressbar=False):
        calls.append(url)
        if error is not None:
            raise error
        target = Path(path) / fname
        target.write_bytes(content)
        return str(target)

    monkeypatch.setattr(pooch, "retrieve", retrieve)
    return calls


def voeten_csv() -> bytes:
    return (FIXTURES / "voeten_unvotes_sample.csv").read_bytes()


def edit_voeten(change) -> bytes:
    """The sample file with `change(row)` applied to each row dict."""
    rows = list(csv.DictReader(io.StringIO(voeten_csv().decode())))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        change(row)
        writer.writerow(row)
    return out.getvalue().encode()


def http_error(status: int) -> requests.HTTPError:
    resp = requests.Response()
    resp.status_code = status
    return requests.HTTPError(f"{status} Server Error", response=resp)


def serve(mock, monkeypatch, name: str, fault: str | None = None) -> None:
    """Make the source of `name` answer normally, or with `fault`."""
    if name == "unga_181_roll_call":
        good = voeten_csv()
        content, error = {
            None: (good, None),
            "timeout": (None, requests.exceptions.ReadTimeout("read timed out")),
            "http_500": (None, http_error(500)),
            "truncated": (good[: len(good) * 2 // 3], None),
            "malformed": (b"<!DOCTYPE html><html><body><h1>Internal error</h1></body></html>\n", None),
            "missing_keys": (good.replace(b",vote,", b",vote_choice,", 1), None),
            "empty": (edit_voeten(lambda r: r.update(rcid="76" if r["rcid"] == "77" else r["rcid"])), None),
        }[fault]
        pooch_stub(monkeypatch, content, error)
        return
    if name == "lieberman_posts":
        url, good = pullers.WIKIDATA_SPARQL, fixture_text("wikidata_lieberman_posts.json")
        lacking = wikidata_answer()
        for b in lacking["results"]["bindings"]:
            del b["positionLabel"]
        missing, empty = lacking, {"head": {"vars": []}, "results": {"bindings": []}}
    else:
        url, good = pullers.COMTRADE_PREVIEW, None
        missing = {"elapsedTime": "0.01 secs", "count": 1, "error": "",
                   "data": [{"refYear": 2020, "reporterCode": 643, "partnerCode": 376, "flowCode": "X"}]}
        empty = {"elapsedTime": "0.01 secs", "count": 0, "data": [], "error": ""}
    if fault is None:
        if good is None:
            mock.add_callback(responses.GET, url, callback=comtrade_server(comtrade_answers()))
        else:
            mock.add(responses.GET, url, body=good, content_type="application/json")
        return
    text = good or fixture_text("comtrade_preview_israel.json")
    server_error = dict(body="Internal Server Error", content_type="text/plain") if good else dict(json={"statusCode": 500, "message": "Internal server error"})
    kwargs = {
        "timeout": dict(body=requests.exceptions.ConnectTimeout("connect timed out")),
        "http_500": dict(status=500, **server_error),
        "truncated": dict(body=text[: len(text) // 2], content_type="application/json"),
        "malformed": dict(body='{"results": {"bindings": [}', content_type="application/json"),
        "missing_keys": dict(json=missing),
        "empty": dict(json=empty),
    }[fault]
    mock.add(responses.GET, url, **kwargs)


def files(folder: Path, name: str) -> tuple[bytes, bytes]:
    return (folder / f"{name}.csv").read_bytes(), (folder / f"{name}.yml").read_bytes()


def rows(folder: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / f"{name}.csv").read_text(encoding="utf-8"))))


def drop_rows(folder: Path, name: str, keep) -> None:
    """Edit a snapshot in the copy (as an editor would) and rehash it."""
    kept = [r for r in rows(folder, name) if keep(r)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(kept[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    (folder / f"{name}.csv").write_text(out.getvalue(), encoding="utf-8")
    datasets.rehash(name, folder)


# ---------------------------------------------------------------- pure transforms


def test_wikidata_dates_keep_their_precision():
    binding = {"start": {"value": "2002-03-01T00:00:00Z"}, "startPrecision": {"value": "10"},
               "end": {"value": "2004-01-01T00:00:00Z"}, "endPrecision": {"value": "9"}}
    assert wikidata._wikidata_date(binding, "start") == "2002-03"
    assert wikidata._wikidata_date(binding, "end") == "2004"
    assert wikidata._wikidata_date({}, "start") == ""


def test_post_names_are_normalised():
    assert wikidata._post_name("Deputy Prime Minister of Israel") == "Deputy Prime Minister"
    assert wikidata._post_name("Minister of Transport") == "Minister of Transportation"
    assert wikidata._post_name("Israeli Minister of Finance") == "Minister of Finance"


def test_transform_lieberman_keeps_ministerial_posts_only():
    frame = pullers.transform_lieberman(wikidata_answer())
    assert "member of the Knesset" not in set(frame["post"])
    assert len(frame) == 9
    assert set(frame["start_source_id"]) == {"WD"} == set(frame["end_source_id"])
    infra = frame[frame["post"] == "Minister of National Infrastructure"].iloc[0]
    assert (infra["start_date"], infra["end_date"]) == ("2001-03-07", "2002-03")


def test_transform_unga_maps_modern_codes_to_1947_names():
    raw = dataverse._scan(io.StringIO(voeten_csv().decode()), "77")
    frame = pullers.transform_unga(raw)
    votes = dict(zip(frame["country"], frame["vote"]))
    assert len(frame) == 57 and "Switzerland" not in votes  # vote 9: not a member
    assert votes["USSR"] == votes["Byelorussian SSR"] == votes["Ukrainian SSR"] == "yes"
    assert votes["China"] == "abstain" and votes["Siam"] == "absent" and votes["Yemen"] == "no"
    assert frame["vote"].value_counts().to_dict() == {"yes": 33, "no": 13, "abstain": 10, "absent": 1}


def test_transform_comtrade_writes_values_as_published():
    frame = pullers.transform_comtrade(list(comtrade_answers().values()))
    assert len(frame) == 14 and set(frame["source_id"]) == {"COMTRADE"}
    row = frame[(frame["year"] == "2019") & (frame["flow"] == "israel_imports_from_russia")].iloc[0]
    assert row["value_usd"] == "1111111111.11" and row["figures_basis"] == "israel_reported"
    row = frame[(frame["year"] == "2019") & (frame["flow"] == "israel_exports_to_russia")].iloc[0]
    assert row["value_usd"] == "2222222222"


# ---------------------------------------------------------------- successful refreshes


def test_lieberman_refresh_reports_disagreements_and_keeps_curated_rows(offline, monkeypatch, folder):
    serve(offline, monkeypatch, "lieberman_posts")
    before = files(folder, "lieberman_posts")
    report = pullers.refresh("lieberman_posts", folder=folder)
    assert "0 added, 0 removed, 0 changed" in report
    assert "Wikidata gives Minister of Defense 2016-05-30 to 2018-11-18" in report
    assert "curated row kept" in report and "Q900000001" in report
    assert "No change" in report
    assert files(folder, "lieberman_posts") == before


def test_lieberman_refresh_fills_a_gap_then_owns_that_row(offline, monkeypatch, folder):
    drop_rows(folder, "lieberman_posts", lambda r: r["post"] != "Minister of Finance")
    curated = rows(folder, "lieberman_posts")
    serve(offline, monkeypatch, "lieberman_posts")
    report = pullers.refresh("lieberman_posts", folder=folder)
    assert "1 added, 0 removed" in report
    assert "+ Minister of Finance | 2021-06-13 | WD" in report
    frame = datasets.load("lieberman_posts", folder)
    assert len(frame) == 9 and frame.iloc[-1]["end_date"] == "2022-12-29"
    after = rows(folder, "lieberman_posts")
    assert all(r in after for r in curated)
    manifest = yaml.safe_load((folder / "lieberman_posts.yml").read_text())
    assert manifest["retrieved"] == dt.date.today().isoformat() and manifest["rows"] == 9
    assert any(s.get("id") == "WD" for s in manifest["sources"])
    assert manifest["puller"] == "wikidata_lieberman_posts"

    # A later pull without that post removes the puller's own row, and only that row.
    answer = wikidata_answer()
    answer["results"]["bindings"] = [b for b in answer["results"]["bindings"] if "Finance" not in b["positionLabel"]["value"]]
    offline.replace(responses.GET, pullers.WIKIDATA_SPARQL, json=answer)
    report = pullers.refresh("lieberman_posts", folder=folder)
    assert "0 added, 1 removed" in report and "- Minister of Finance | 2021-06-13 | WD" in report
    assert rows(folder, "lieberman_posts") == curated


def test_unga_refresh_tags_corroborated_rows(offline, monkeypatch, folder):
    serve(offline, monkeypatch, "unga_181_roll_call")
    curated = rows(folder, "unga_181_roll_call")
    report = pullers.refresh("unga_181_roll_call", folder=folder)
    assert "57 before, 57 after: 0 added, 0 removed, 57 changed" in report
    assert "~ USSR: source_id 'U2;U3;U4' -> 'U2;U3;U4;VOETEN-DV'" in report
    assert "Source totals: 33 yes, 13 no, 10 abstain, 1 absent" in report
    frame = datasets.load("unga_181_roll_call", folder)
    assert [r["vote"] for r in rows(folder, "unga_181_roll_call")] == [r["vote"] for r in curated]
    assert all(s.endswith(";VOETEN-DV") for s in frame["source_id"])
    manifest = yaml.safe_load((folder / "unga_181_roll_call.yml").read_text())
    assert any(s.get("id") == "VOETEN-DV" for s in manifest["sources"])
    # A second pull finds nothing to do.
    assert "No change" in pullers.refresh("unga_181_roll_call", folder=folder)


def test_unga_disagreement_keeps_the_curated_vote(offline, monkeypatch, folder):
    pooch_stub(monkeypatch, edit_voeten(lambda r: r.update(vote="1") if (r["rcid"], r["Country"]) == ("77", "CUB") else None))
    report = pullers.refresh("unga_181_roll_call", folder=folder)
    assert "Cuba: the source says 'yes', the curated row 'no': curated vote kept" in report
    cuba = next(r for r in rows(folder, "unga_181_roll_call") if r["country"] == "Cuba")
    assert cuba == {"country": "Cuba", "vote": "no", "source_id": "U1;U2;U3;U4"}


def test_unga_download_goes_through_pooch(offline, folder):
    offline.add(responses.GET, pullers.VOETEN_URL, body=voeten_csv(), content_type="text/csv")
    report = pullers.refresh("unga_181_roll_call", folder=folder, write=False)
    assert "57 changed" in report and "Dry run" in report


def test_trade_refresh_adds_comtrade_rows_and_keeps_statements(offline, monkeypatch, folder):
    serve(offline, monkeypatch, "russia_israel_trade")
    curated = rows(folder, "russia_israel_trade")
    report = pullers.refresh("russia_israel_trade", folder=folder)
    assert "13 before, 27 after: 14 added, 0 removed, 0 changed" in report
    assert "+ 2019 | calendar year | israel_imports_from_russia | COMTRADE: value_usd='1111111111.11'" in report
    frame = datasets.load("russia_israel_trade", folder)
    after = rows(folder, "russia_israel_trade")
    assert all(r in after for r in curated)
    assert (frame["source_id"] == "COMTRADE").sum() == 14
    assert list(frame["year"]) == sorted(frame["year"])
    calls = [c.request.params for c in offline.calls]
    assert {c["reporterCode"] for c in calls} == {"376", "643"}
    assert all(c["cmdCode"] == "TOTAL" and c["flowCode"] == "M,X" for c in calls)
    # The same answer again changes nothing: the puller replaces its own rows only.
    assert "No change" in pullers.refresh("russia_israel_trade", folder=folder)
    assert rows(folder, "russia_israel_trade") == after


# ---------------------------------------------------------------- failures leave both files alone


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("name", NAMES)
def test_fault_raises_pull_error_and_changes_nothing(offline, monkeypatch, folder, name, fault):
    serve(offline, monkeypatch, name, fault)
    before = files(folder, name)
    with pytest.raises(PullError) as caught:
        pullers.refresh(name, folder=folder)
    message = str(caught.value)
    puller = pullers.PULLERS[datasets.manifest(name, folder).puller]
    assert message.startswith(f"{name}: ") and puller.url in message and "Fix: " in message
    expected = {"timeout": "timeout", "http_500": "HTTP 500", "empty": "no rows",
                "truncated": ("truncated", "not valid JSON"), "malformed": ("malformed", "lacks the columns"),
                "missing_keys": ("lacks",)}[fault]
    assert any(word in message for word in ((expected,) if isinstance(expected, str) else expected)), message
    assert files(folder, name) == before
    assert not list(folder.glob(".*.tmp"))


@pytest.mark.parametrize("name", NAMES)
def test_changed_manifest_columns_are_refused(offline, monkeypatch, folder, name):
    csv_path, yml_path = folder / f"{name}.csv", folder / f"{name}.yml"
    manifest = yaml.safe_load(yml_path.read_text())
    old = manifest["columns"][-1]["name"]
    manifest["columns"][-1]["name"] = "renamed_column"
    datasets.write_manifest(yml_path, manifest)
    lines = csv_path.read_text().split("\n")
    lines[0] = lines[0].rsplit(old, 1)[0] + "renamed_column"
    csv_path.write_text("\n".join(lines))
    datasets.rehash(name, folder)
    serve(offline, monkeypatch, name)
    before = files(folder, name)
    with pytest.raises(PullError, match="the puller produces columns"):
        pullers.refresh(name, folder=folder)
    assert files(folder, name) == before


def test_missing_expected_rows_are_refused(offline, monkeypatch, folder):
    answers = comtrade_answers()
    answers[643]["data"] = []  # Russia-reported rows missing
    offline.add_callback(responses.GET, pullers.COMTRADE_PREVIEW, callback=comtrade_server(answers))
    before = files(folder, "russia_israel_trade")
    with pytest.raises(PullError, match="expected rows are missing.*russia_reported"):
        pullers.refresh("russia_israel_trade", folder=folder)
    assert files(folder, "russia_israel_trade") == before


def test_failed_write_is_undone(offline, monkeypatch, folder):
    serve(offline, monkeypatch, "russia_israel_trade")
    before = files(folder, "russia_israel_trade")
    real_replace, seen = os.replace, []

    def replace(src, dst):
        seen.append(dst)
        if len(seen) == 2:  # the CSV is in place, the manifest fails
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(PullError, match="writing failed and was undone"):
        pullers.refresh("russia_israel_trade", folder=folder)
    assert files(folder, "russia_israel_trade") == before
    assert not list(folder.glob(".*.tmp"))


def test_dataset_without_puller_is_refused(folder):
    with pytest.raises(PullError, match="no 'puller:' field"):
        pullers.refresh("aliyah_by_year", folder=folder)


def test_broken_snapshot_is_not_refreshed(offline, monkeypatch, folder):
    path = folder / "lieberman_posts.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    serve(offline, monkeypatch, "lieberman_posts")
    with pytest.raises(PullError, match="checksum mismatch"):
        pullers.refresh("lieberman_posts", folder=folder)


# ---------------------------------------------------------------- dry run


@pytest.mark.parametrize("name", NAMES)
def test_dry_run_writes_nothing(offline, monkeypatch, folder, name):
    if name == "lieberman_posts":  # make sure there is something that would be written
        drop_rows(folder, name, lambda r: r["post"] != "Minister of Finance")
    serve(offline, monkeypatch, name)
    before = files(folder, name)
    report = pullers.refresh(name, write=False, folder=folder)
    assert report.endswith("Dry run: nothing written.")
    assert files(folder, name) == before
    assert not list(folder.glob(".*.tmp"))


def test_cli_dry_run_and_failure(offline, monkeypatch, folder, capsys):
    monkeypatch.setenv("EDITION_ROOT", str(folder.parent.parent))
    serve(offline, monkeypatch, "russia_israel_trade")
    before = files(folder, "russia_israel_trade")
    assert cli.main(["data", "refresh", "russia_israel_trade", "--dry-run"]) == 0
    assert "Dry run: nothing written." in capsys.readouterr().out
    assert files(folder, "russia_israel_trade") == before

    offline.replace(responses.GET, pullers.COMTRADE_PREVIEW, status=500, json={"statusCode": 500, "message": "down"})
    assert cli.main(["data", "refresh", "russia_israel_trade"]) == 1
    assert "snapshot left unchanged" in capsys.readouterr().err
    assert files(folder, "russia_israel_trade") == before


# ---------------------------------------------------------------- live (opt-in)

network = pytest.mark.skipif(os.environ.get("EDITION_NETWORK") != "1", reason="set EDITION_NETWORK=1 to reach the live endpoints")


@pytest.mark.network
@network
@pytest.mark.parametrize("name", NAMES)
def test_live_endpoint_dry_run(folder, name):
    before = files(folder, name)
    report = pullers.refresh(name, write=False, folder=folder)
    assert report.startswith(f"{name}: pulled by")
    assert files(folder, name) == before
