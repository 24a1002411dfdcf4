"""The `edition` command, as a contributor uses it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EDITION = [str(Path(sys.executable).parent / "edition")]


def run(repo, *args):
    return subprocess.run([*EDITION, *args], cwd=repo, capture_output=True, text=True, env={"EDITION_ROOT": str(repo), "PATH": "/usr/bin:/bin"})


def test_check_passes_on_the_repository(root):
    result = run(root, "check")
    assert result.returncode == 0, result.stderr
    assert "0 problem(s)" in result.stdout


def test_new_scaffolds_an_anchored_annotation_and_check_reports_what_is_left(repo_copy):
    result = run(repo_copy, "new", "israel-no-oil-test", "Israel has no oil")
    assert result.returncode == 0, result.stderr
    created = repo_copy / "data/annotations/israel-no-oil-test.yml"
    assert "exact: \"Israel has no oil\"" in created.read_text()
    assert "{id: israel-no-oil-test, kind: claim}" in (repo_copy / "data/inventory.yml").read_text()
    check = run(repo_copy, "check")
    # The scaffold is not filled in yet: check says so, with file and fix.
    assert check.returncode == 1
    assert "israel-no-oil-test.yml" in check.stderr and "Fix:" in check.stderr


def test_an_overlapping_quote_is_reported_at_its_line(repo_copy):
    original = sorted((repo_copy / "data/annotations").glob("*.yml"))[0]
    copy = original.with_name("zz-" + original.name)
    copy.write_text(original.read_text().replace(f"id: {original.stem}", f"id: zz-{original.stem}", 1))
    check = run(repo_copy, "check")
    overlap = next(line for line in check.stderr.splitlines() if "overlaps the quote of" in line)
    file, number = overlap.split(":")[:2]
    lines = (repo_copy / file).read_text().splitlines()
    assert lines[int(number) - 1].lstrip().startswith("exact:"), overlap


def test_new_refuses_a_quote_that_does_not_anchor(repo_copy):
    result = run(repo_copy, "new", "x", "Israel has plenty of oil")
    assert result.returncode == 1
    assert "not in the article; closest passage:" in result.stderr and "they differ at character" in result.stderr
    assert not (repo_copy / "data/annotations/x.yml").exists()


def test_check_fails_on_a_broken_annotation(repo_copy):
    path = next((repo_copy / "data/annotations").glob("*.yml"))
    path.write_text(path.read_text().replace("verdict:", "verdikt:", 1))
    result = run(repo_copy, "check")
    assert result.returncode == 1
    assert f"data/annotations/{path.name}:" in result.stderr and "verdikt" in result.stderr


FREE = "First of all, it is necessary to recall some historical elements."  # words no annotation covers


def test_an_unfilled_scaffold_is_refused_field_by_field_and_only_once(repo_copy):
    assert run(repo_copy, "new", "historical-elements-test", FREE).returncode == 0
    check = run(repo_copy, "check")
    assert check.returncode == 1
    lines = [line for line in check.stderr.splitlines() if line.strip()]
    label = "data/annotations/historical-elements-test.yml"
    text = (repo_copy / label).read_text().splitlines()
    by_field = {line.split(": ")[1]: line for line in lines}
    # Each problem names the file, the line where the field is, the field and a fix.
    for field, starts in (("summary", "summary:"), ("explanation", "  What the article says"), ("author", "author:"), ("sources", "sources:")):
        line = by_field[field]
        number = int(line.split(":")[1])
        assert line.startswith(f"{label}:") and "Fix:" in line, line
        assert text[number - 1].startswith(starts), (field, text[number - 1])
    assert "placeholder" in by_field["summary"] and "placeholder 'Your name'" in by_field["author"]
    assert "needs at least one source" in by_field["sources"]
    # One error, one message: the file exists, so the inventory does not also call it missing.
    assert not [line for line in lines if "inventory" in line], lines
    assert len(lines) == 4, lines


def test_an_invalid_annotation_is_not_also_reported_missing_from_the_inventory(repo_copy):
    path = repo_copy / "data/annotations" / next(p.name for p in sorted((repo_copy / "data/annotations").glob("*.yml")))
    path.write_text(path.read_text().replace("\nkind:", "\nkynd:", 1))
    check = run(repo_copy, "check")
    assert check.returncode == 1
    lines = [line for line in check.stderr.splitlines() if line.strip()]
    assert lines and all(line.startswith(f"data/annotations/{path.name}:") for line in lines), lines


def test_a_missing_annotation_is_reported_at_its_line_of_the_inventory(repo_copy):
    path = next((repo_copy / "data/annotations").glob("*.yml"))
    path.unlink()
    check = run(repo_copy, "check")
    inventory = (repo_copy / "data/inventory.yml").read_text().splitlines()
    line = next(x for x in check.stderr.splitlines() if "inventoried item has no annotation" in x)
    number = int(line.split(":")[1])
    assert f"id: {path.stem}" in inventory[number - 1], line


def test_rehash_refuses_a_malformed_csv_and_records_nothing(repo_copy):
    folder = repo_copy / "data/datasets"
    manifest = (folder / "unga_181_roll_call.yml").read_text()
    csv = folder / "unga_181_roll_call.csv"
    csv.write_text(csv.read_text().replace("Afghanistan,no,", "Afghanistan,no,extra,", 1) + "Narnia,yes,U9\n")
    result = run(repo_copy, "data", "rehash", "unga_181_roll_call")
    assert result.returncode == 1
    assert "unga_181_roll_call.csv:2: (file): 4 fields where the header has 3" in result.stderr
    assert "source_id: source id 'U9' is not defined in data/datasets/unga_181_roll_call.yml" in result.stderr
    assert "not rehashed" in result.stderr
    assert (folder / "unga_181_roll_call.yml").read_text() == manifest


def test_rehash_records_a_valid_edit(repo_copy):
    folder = repo_copy / "data/datasets"
    csv = folder / "unga_181_roll_call.csv"
    csv.write_text(csv.read_text().replace("Afghanistan,no", "Afghanistan,abstain", 1))
    assert run(repo_copy, "check").returncode == 1  # the checksum no longer matches
    result = run(repo_copy, "data", "rehash", "unga_181_roll_call")
    assert result.returncode == 0, result.stderr
    assert run(repo_copy, "check").returncode == 0
