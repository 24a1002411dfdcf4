"""The dataset manifests and the offline, checksum-verified loader."""

from __future__ import annotations

import re
import shutil
import socket

import pytest
import yaml

from edition import datasets, paths
from edition.yamlfile import ProblemsFound

pytestmark = pytest.mark.check  # part of `make check`

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


def test_a_dataset_read_twice_is_read_again_when_its_files_change(folder):
    """Loads are remembered by the files' bytes: a changed snapshot or manifest is never served from memory,
    and a caller that changes its frame does not change the next caller's."""
    first = datasets.load(NAME, folder)
    first.loc[first.index[0], "vote"] = "abstain"
    again = datasets.load(NAME, folder)
    assert again["vote"].iloc[0] != "abstain" and again.equals(datasets.load(NAME, folder))
    csv = folder / f"{NAME}.csv"
    csv.write_text(csv.read_text().replace("Afghanistan,no", "Afghanistan,abstain"))
    with pytest.raises(ValueError, match="checksum mismatch"):
        datasets.load(NAME, folder)
    datasets.rehash(NAME, folder)
    changed = datasets.load(NAME, folder)
    assert changed.set_index("country").at["Afghanistan", "vote"] == "abstain"
    manifest = folder / f"{NAME}.yml"
    manifest.write_text(manifest.read_text().replace("license:", "license: Changed.\nold_license:", 1))
    with pytest.raises(ProblemsFound):
        datasets.load(NAME, folder)  # the changed manifest is read again (and this one is invalid)


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
    base = paths.site_url()
    assert f'href="{base}book/datasets/{NAME}.csv"' in html and f'href="{base}book/datasets/{NAME}.html"' in html
    assert f'load("{NAME}")' in html.replace("&quot;", '"') and "Cite:" in html
    with pytest.raises(ValueError, match="caption and alt text"):
        show(plt.figure(), frame, caption="", alt="x")


def edit(folder, name, change):
    path = folder / f"{name}.csv"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def line_with(folder, name, text):
    return next(i for i, line in enumerate((folder / f"{name}.csv").read_text(encoding="utf-8").splitlines(), start=1) if text in line)


def test_an_undefined_source_id_is_named_at_its_line(folder):
    edit(folder, NAME, lambda t: t.replace("Argentina,abstain,U1;U2;U3;U4", "Argentina,abstain,U1;U7", 1))
    rechecksum(folder, NAME)
    problems = [str(p) for p in datasets.validate(NAME, folder)]
    line = line_with(folder, NAME, "Argentina")
    assert problems == [f"{folder}/{NAME}.csv:{line}: source_id: source id 'U7' is not defined in {folder}/{NAME}.yml. "
                        "Fix: add a source with 'id: U7' (citation and url) to the manifest's sources, or correct the id"]


def test_every_source_id_column_is_checked(folder):
    name = "lieberman_posts"
    import csv
    import io

    rows = list(csv.reader(io.StringIO((folder / f"{name}.csv").read_text(encoding="utf-8"))))
    rows[2][rows[0].index("end_source_id")] = "E999"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    edit(folder, name, lambda t: out.getvalue())
    rechecksum(folder, name)
    assert [(p.line, p.field) for p in datasets.validate(name, folder)] == [(3, "end_source_id")]


def test_a_repeated_current_row_is_refused_but_a_superseded_one_is_kept(folder):
    edit(folder, NAME, lambda t: t + "Argentina,abstain,U1;U2;U3;U4\n")
    rechecksum(folder, NAME)
    problems = datasets.validate(NAME, folder)
    repeat = [p for p in problems if "repeats line" in p.message]
    assert len(repeat) == 1 and repeat[0].line == 59 and f"repeats line {line_with(folder, NAME, 'Argentina')}" in repeat[0].message
    assert "superseded: line" in repeat[0].fix


def test_a_withdrawn_row_may_repeat_a_current_one(folder):
    name = "fsu_population_israel"
    assert datasets.validate(name, folder) == []  # its retracted rows sit beside their corrections


def test_the_manifests_unique_columns_are_a_key_of_the_current_rows(folder):
    path = folder / f"{NAME}.yml"
    data = yaml.safe_load(path.read_text())
    data["unique"] = ["country"]
    datasets.write_manifest(path, data)
    assert datasets.validate(NAME, folder) == []
    edit(folder, NAME, lambda t: t + "Argentina,yes,U1\n")
    rechecksum(folder, NAME)
    problems = datasets.validate(NAME, folder)
    assert [(p.line, p.field) for p in problems if "repeats" in p.message] == [(59, "country")]
    data["unique"] = ["land"]
    datasets.write_manifest(path, data)
    assert any("unique.0: no column named 'land'" in str(p) for p in datasets.validate(NAME, folder))


def test_all_problems_of_a_dataset_are_reported_at_once(folder):
    edit(folder, NAME, lambda t: t.replace("Afghanistan,no,", "Afghanistan,no,extra,", 1).replace("Argentina,abstain,U1", "Argentina,abstain,U8", 1)
         + "Brazil,yes,U2;U3;U4\n")
    problems = [str(p) for p in datasets.validate(NAME, folder)]
    assert any("sha256: the checksum of" in p for p in problems), problems  # the checksum, and still the content
    assert any(":2: (file): 4 fields where the header has 3" in p for p in problems), problems
    assert any("source id 'U8' is not defined" in p for p in problems), problems
    assert any("repeats line" in p for p in problems), problems
    assert any("58 data rows, the manifest says 57" in p for p in problems), problems


def test_rehash_validates_before_it_records(folder):
    manifest = (folder / f"{NAME}.yml").read_text()
    edit(folder, NAME, lambda t: t + "Narnia,maybe,U9\n")
    with pytest.raises(ProblemsFound) as err:
        datasets.rehash(NAME, folder)
    assert "source id 'U9' is not defined" in str(err.value)
    assert (folder / f"{NAME}.yml").read_text() == manifest
    edit(folder, NAME, lambda t: t.replace("Narnia,maybe,U9\n", "Narnia,yes,U1\n"))
    assert datasets.rehash(NAME, folder).rows == 58
