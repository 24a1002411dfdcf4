"""The dataset manifests and the offline, checksum-verified loader."""

from __future__ import annotations

import re
import shutil
import socket

import pytest
import yaml

from edition import datasets
from edition.yamlfile import ProblemsFound

NAME = "unga_181_roll_call"


@pytest.fixture
def folder(root, tmp_path):
    """A private copy of data/datasets that a test may corrupt."""
    dest = tmp_path / "datasets"
    shutil.copytree(root / "data" / "datasets", dest)
    return dest


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the loader tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def rechecksum(folder, name):
    """Record only the new checksum, as a careless edit might, so the content checks must catch the rest."""
    path = folder / f"{name}.yml"
    manifest = yaml.safe_load(path.read_text())
    manifest["sha256"] = datasets.sha256(folder / f"{name}.csv")
    datasets.write_manifest(path, manifest)


@pytest.mark.parametrize("name", datasets.available())
def test_every_dataset_loads_offline_with_its_provenance(name, no_network):
    frame = datasets.load_record(name)
    prov = frame.attrs["provenance"]
    assert len(frame) == prov.rows > 0
    current = datasets.load(name)  # the current rows: none withdrawn, the rest all there
    withdrawn = {i for c in prov.columns if c.qualifier for i, q in datasets.qualifiers(frame, c.name).items() if q.withdrawn}
    assert set(current.index) == set(frame.index) - withdrawn
    assert list(frame.columns) == [c.name for c in prov.columns]
    assert prov.sources and all(s.get("url", "").startswith("http") or s.get("note") for s in prov.sources)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", prov.retrieved)
    assert prov.license and prov.description


def test_every_dataset_has_an_appendix_page(root):
    for name in datasets.available():
        page = root / "book" / "datasets" / f"{name}.md"
        assert page.is_file(), f"run `edition data pages` to create {page}"
        assert f"{{dataset-page}} {name}" in page.read_text()


def test_column_types_are_applied():
    frame = datasets.load("aliyah_by_year")
    assert str(frame["year"].dtype) == "Int64"
    assert str(frame["preferred"].dtype) == "boolean"


def test_the_1947_roll_call_totals():
    votes = datasets.load(NAME)["vote"].value_counts()
    assert (votes["yes"], votes["no"], votes["abstain"], votes["absent"]) == (33, 13, 10, 1)


def test_unknown_name_lists_the_available_ones(folder):
    with pytest.raises(KeyError, match=r"unknown dataset 'oil'.*Available datasets: aliyah_by_year, .*unga_181_roll_call"):
        datasets.load("oil", folder)


def test_checksum_mismatch_says_expected_got_and_what_to_do(folder):
    path = folder / f"{NAME}.csv"
    path.write_bytes(path.read_bytes().replace(b"USSR,yes", b"USSR,no!"))
    with pytest.raises(ValueError, match=r"checksum mismatch: expected [0-9a-f]{64} .*got [0-9a-f]{64}\. .*edition data rehash unga_181_roll_call.*git checkout"):
        datasets.load(NAME, folder)


def test_missing_snapshot_names_the_file_and_the_fix(folder):
    (folder / f"{NAME}.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"unga_181_roll_call\.csv: the snapshot .* is missing; restore it"):
        datasets.load(NAME, folder)


@pytest.mark.parametrize(
    "corrupt, expected",
    [
        (lambda t: t.replace("USSR,yes,", "USSR,yes,extra,", 1), r"unga_181_roll_call\.csv:\d+: \(file\): 4 fields where the header has 3"),
        (lambda t: t.replace("country,vote", "country,ballot", 1), r"unga_181_roll_call\.csv:1: header: columns .* do not match the manifest's"),
        (lambda t: t + "Narnia,yes,U9\n", r"58 data rows, the manifest says 57"),
    ],
    ids=["ragged-row", "renamed-column", "extra-row"],
)
def test_corrupt_csv_names_file_and_line(folder, corrupt, expected):
    path = folder / f"{NAME}.csv"
    path.write_text(corrupt(path.read_text(encoding="utf-8")), encoding="utf-8")
    rechecksum(folder, NAME)
    with pytest.raises(ProblemsFound, match=expected):
        datasets.load(NAME, folder)


def test_wrong_type_names_the_column_and_line(folder):
    path = folder / "aliyah_by_year.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("1989,", "nineteen-89,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    rechecksum(folder, "aliyah_by_year")
    with pytest.raises(ProblemsFound, match=r"aliyah_by_year\.csv:2: year: 'nineteen-89' is not of type integer"):
        datasets.load("aliyah_by_year", folder)


def test_not_utf8(folder):
    path = folder / f"{NAME}.csv"
    path.write_bytes(path.read_bytes() + "Côte,yes,U1\n".encode("latin-1"))
    rechecksum(folder, NAME)
    with pytest.raises(ProblemsFound, match=r"not UTF-8 text"):
        datasets.load(NAME, folder)


def test_manifest_schema_errors_are_located(folder):
    path = folder / f"{NAME}.yml"
    data = yaml.safe_load(path.read_text())
    del data["license"]
    data["columns"][1]["type"] = "text"
    datasets.write_manifest(path, data)
    with pytest.raises(ProblemsFound) as err:
        datasets.load(NAME, folder)
    text = str(err.value)
    assert re.search(r"unga_181_roll_call\.yml:1: license: required field 'license' is missing", text)
    assert re.search(r"unga_181_roll_call\.yml:\d+: columns\.1\.type: 'text' is not one of the allowed values\. Fix: use one of: string, integer", text)


def test_figure_footer_says_where_the_numbers_come_from():
    import matplotlib.pyplot as plt

    from edition.figures import show

    frame = datasets.load(NAME)
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    html = show(fig, frame, caption="A <caption>", alt="Alt & text")._repr_html_()
    assert 'aria-label="Alt &amp; text"' in html and "A &lt;caption&gt;" in html
    assert f'href="datasets/{NAME}.csv"' in html and f'href="datasets/{NAME}.html"' in html
    assert f'load("{NAME}")' in html.replace("&quot;", '"') and "Cite:" in html
    with pytest.raises(ValueError, match="caption and alt text"):
        show(plt.figure(), frame, caption="", alt="x")
