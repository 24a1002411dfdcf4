"""The claims as data: one row per annotation file, one row per source, straight from the YAML."""

from __future__ import annotations


import yaml

from edition import claims, paths
from edition.article import load_article

ROW_KEYS = ["title", "publisher", "author", "date", "consulted", "url", "standpoint"]


def raw_files(root):
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "data" / "annotations").glob("*.yml"))}


def test_one_claim_row_per_annotation_file(root):
    files = raw_files(root)
    table = claims.claims()
    assert list(table.columns) == claims.CLAIM_COLUMNS
    assert sorted(table["id"]) == sorted(files) and table["id"].is_unique
    for row in table.itertuples():
        data = files[row.id]
        assert (row.kind, row.verdict, row.summary, row.updated) == (data["kind"], data["verdict"], data["summary"].strip(), data["updated"])
        assert row.sources == len(data["sources"])
        assert row.datasets == ", ".join(data.get("datasets") or [])
        assert row.permalink.endswith(f".html#claim-{row.id}") and row.permalink.startswith(paths.site_url())


def test_claim_rows_follow_the_article_and_name_their_chapter(root):
    table = claims.claims()
    keys = [b.key for b in load_article().blocks]
    positions = [keys.index(p) for p in table["paragraph"]]
    assert positions == sorted(positions)
    assert table["chapter"].notna().all() and set(table["chapter"]) <= {1, 2, 3, 4, 5}
    for row in table.itertuples():
        chapter = root / f"{claims.places()[row.paragraph].page}.md"
        assert load_article().block(row.paragraph).text in chapter.read_text(encoding="utf-8")
        assert f"chapter: {row.chapter}\n" in chapter.read_text(encoding="utf-8")


def test_one_source_row_per_source(root):
    files = raw_files(root)
    table = claims.sources()
    assert list(table.columns) == claims.SOURCE_COLUMNS
    expected = sorted((ident, *(str(s.get(k, "")) for k in ROW_KEYS)) for ident, data in files.items() for s in data["sources"])
    got = sorted(tuple(r) for r in table[["annotation", *ROW_KEYS]].itertuples(index=False))
    assert got == expected and len(table) == sum(len(d["sources"]) for d in files.values())


def test_a_file_failing_validation_is_left_out_and_reported(copy_root):
    path = copy_root / "data" / "annotations" / "un-decreed-israel-1947.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: claim", "kind: rumour"), encoding="utf-8")
    assert "un-decreed-israel-1947" not in set(claims.claims()["id"])
    assert "un-decreed-israel-1947" not in set(claims.sources()["annotation"])
    assert [p.file for p in claims.problems()] == ["data/annotations/un-decreed-israel-1947.yml"]
