"""Static checks of the chapters, fast enough for `make check`: each is a valid text notebook, and each of the
article's paragraphs is followed by its own one-line notes("pN") cell (tagged remove-cell)."""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

from edition.article import load_article

pytestmark = pytest.mark.check

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("0*.md"))


def notes_cell_problems(chapters: list[Path]) -> list[str]:
    """Where the chapters' notes cells and the article's paragraphs do not pair up one to one, in order."""
    blocks = load_article().blocks
    problems, found = [], []
    for chapter in chapters:
        last_block = None
        for cell in jupytext.read(chapter).cells:
            lines = cell.source.splitlines()
            keys = [b.key for b in blocks if b.text in lines or f"# {b.text}" in lines]
            last_block = keys[-1] if keys else last_block
            for key in re.findall(r'^notes\("(\w+)"\)', cell.source, re.MULTILINE):
                if key != last_block:
                    problems.append(f"{chapter.name}: notes({key!r}) follows {last_block}, not {key}")
                if cell.cell_type == "code" and "remove-cell" not in cell.metadata.get("tags", []):
                    problems.append(f"{chapter.name}: the notes({key!r}) cell is not tagged remove-cell")
                found.append(key)
    expected = [b.key for b in blocks]
    problems += [f"paragraph {key} has no notes({key!r}) cell after it" for key in expected if key not in found]
    if not problems and found != expected:
        problems.append(f"the notes cells are in the order {found}, the article's is {expected}")
    return problems


def test_there_are_chapters():
    assert len(CHAPTERS) >= 3


def test_every_article_block_is_followed_by_its_notes_cell():
    """So that a new annotation on any paragraph shows in the notebook without editing a chapter."""
    assert notes_cell_problems(CHAPTERS) == []


def test_a_deleted_notes_cell_is_caught(tmp_path):
    copies = []
    for chapter in CHAPTERS:
        copy = tmp_path / chapter.name
        copy.write_text(re.sub(r'```\{code-cell\}[^`]*?\nnotes\("p9"\)\n```\n', "", chapter.read_text(encoding="utf-8")), encoding="utf-8")
        copies.append(copy)
    assert sum(c.read_text(encoding="utf-8").count('notes("p9")') for c in copies) == 0, "the test did not delete the cell"
    assert "paragraph p9 has no notes('p9') cell after it" in notes_cell_problems(copies)


def test_chapters_are_valid_text_notebooks():
    for chapter in CHAPTERS:
        nb = jupytext.read(chapter)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert any(c.cell_type == "code" for c in nb.cells)
