"""Share cards: the size, the font's coverage of the verdict signs, and the cache that spares redrawing."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from edition.sphinxext import cards, render

TEXTS = {"heading": "Editors' note", "quote": "the article's words", "sign": "\u2713", "label": "Accurate",
         "summary": "What the evidence shows.", "site": "The edition"}


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_card_font_has_every_verdict_sign():
    path = font_manager.findfont(font_manager.FontProperties(family=cards.FONT), fallback_to_default=False)
    assert "DejaVuSans" in path
    font = FT2Font(path)
    for verdict, sign in render.GLYPHS.items():
        for char in sign:
            assert font.get_char_index(ord(char)) != 0, (verdict, char)
    assert set(cards.COLOURS) == set(render.GLYPHS)


def test_card_is_1200_by_630(tmp_path):
    cards.draw(tmp_path / "c.png", colour=cards.COLOURS["accurate"], **TEXTS)
    assert png_size(tmp_path / "c.png") == (1200, 630)


def test_cards_are_drawn_once_per_change_of_their_inputs(tmp_path):
    cache = tmp_path / "cache"
    assert cards.cached(tmp_path / "a.png", cache, colour="#1a7f37", **TEXTS) is True
    assert cards.cached(tmp_path / "b.png", cache, colour="#1a7f37", **TEXTS) is False
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert cards.cached(tmp_path / "c.png", cache, colour="#1a7f37", **{**TEXTS, "summary": "Changed."}) is True
    assert len(list(cache.glob("*.png"))) == 2


def test_long_text_is_cut_with_an_ellipsis():
    shown = cards.card_texts(**{**TEXTS, "quote": "word " * 200, "summary": "longer " * 200})
    assert shown["quote"].count("\n") == 3 and shown["quote"].endswith("\u2026")
    assert shown["summary"].count("\n") == 2 and shown["summary"].endswith("\u2026")


def test_cards_drawn_beside_the_build_are_put_in_place_and_counted(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    wanted = [(out / "a.png", "#1a7f37", TEXTS), (out / "b.png", "#1a7f37", TEXTS), (out / "c.png", "#b91c1c", TEXTS)]
    assert cards.in_background(wanted, cache).result(timeout=60) == 2  # a and b show the same: drawn once
    assert [png_size(target) for target, _, _ in wanted] == [(1200, 630)] * 3


def test_a_card_that_cannot_be_drawn_is_reported_not_lost(tmp_path):
    future = cards.in_background([(tmp_path / "a.png", "no such colour", TEXTS)], tmp_path / "cache")
    with pytest.raises(ValueError):
        future.result(timeout=60)


def test_the_cards_font_is_matplotlibs_found_without_importing_it():
    import matplotlib

    assert cards._matplotlib_data() == Path(matplotlib.get_data_path())
