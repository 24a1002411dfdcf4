"""Execution keyed to the annotation files: a page's notebook runs again when, and only when, the notes it shows change."""

from __future__ import annotations

from types import SimpleNamespace

from edition.sphinxext.prerun import key_execution_to_annotations

CHAPTER = '# A chapter\n\n```{code-cell} ipython3\nnotes("p1")\n```\n\n```{code-cell} ipython3\nnotes("p2")\n```\n'
SUMMARY = "---\nedition:\n  uses_annotations: true\n---\n\n# Summary\n\n```{code-cell} ipython3\nprint(1)\n```\n"


def _app(tmp_path, placed: dict[str, str]):
    folder = tmp_path / "data" / "annotations"
    folder.mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "article.yml").write_text("blocks: []\n")
    for name in placed:
        if not (folder / f"{name}.yml").exists():
            (folder / f"{name}.yml").write_text(f"id: {name}\n")
    anns = [SimpleNamespace(file=f"data/annotations/{name}.yml", block_key=key) for name, key in placed.items()]
    store = SimpleNamespace(root=tmp_path, article_file=tmp_path / "data" / "article.yml", annotations_folder=folder, annotations=anns)
    return SimpleNamespace(edition=store)


def _keyed(app, text: str) -> str:
    source = [text]
    key_execution_to_annotations(app, "doc", source)
    return source[0]


def test_a_chapter_is_keyed_to_its_own_paragraphs_notes_only(tmp_path):
    app = _app(tmp_path, {"mine": "p1", "other": "p7"})
    before = _keyed(app, CHAPTER)
    assert before.startswith(CHAPTER.rstrip("\n")) and ":tags: [remove-cell]" in before.split(CHAPTER.rstrip("\n"))[1]
    (tmp_path / "data" / "annotations" / "other.yml").write_text("id: other\nsummary: changed\n")
    assert _keyed(app, CHAPTER) == before  # a note of another chapter changed: served from the cache
    (tmp_path / "data" / "annotations" / "mine.yml").write_text("id: mine\nsummary: changed\n")
    assert _keyed(app, CHAPTER) != before  # its own note changed: runs again
    assert _keyed(app, CHAPTER) == _keyed(app, CHAPTER)  # and the key is stable


def test_a_page_that_uses_annotations_is_keyed_to_every_file(tmp_path):
    app = _app(tmp_path, {"mine": "p1", "other": "p7"})
    before = _keyed(app, SUMMARY)
    assert before != SUMMARY
    (tmp_path / "data" / "annotations" / "other.yml").write_text("id: other\nsummary: changed\n")
    assert _keyed(app, SUMMARY) != before


def test_pages_without_notes_or_code_are_left_as_they_are(tmp_path):
    app = _app(tmp_path, {"mine": "p1"})
    plain = "# Methodology\n\nNo code here.\n"
    code_only = "# Data\n\n```{code-cell} ipython3\nprint(1)\n```\n"
    assert _keyed(app, plain) == plain
    assert _keyed(app, code_only) == code_only
