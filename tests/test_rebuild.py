"""Rebuilds notice a change to the edition's own extension, script, style or templates (Sphinx tracks sources only)."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

from edition.sphinxext import extension


def test_a_changed_stylesheet_rewrites_every_page(tmp_path, monkeypatch):
    static = tmp_path / "static"
    shutil.copytree(extension.STATIC, static)
    monkeypatch.setattr(extension, "STATIC", static)
    env = SimpleNamespace(all_docs={"book/about": 1, "book/01-from-1947-to-putin": 1})
    assert extension.edition_code_changed(None, env, set(), set(), set()) == []  # first build: nothing to compare
    assert extension.edition_code_changed(None, env, set(), set(), set()) == []  # unchanged
    (static / "edition.css").write_text((static / "edition.css").read_text() + "\n/* changed */\n")
    assert extension.edition_code_changed(None, env, set(), set(), set()) == sorted(env.all_docs)
    assert extension.edition_code_changed(None, env, set(), set(), set()) == []  # and only once
