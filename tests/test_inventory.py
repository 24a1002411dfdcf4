"""The claim inventory and the annotations agree one to one; the standard's sourcing rules hold."""

from __future__ import annotations

import re

import pytest

from edition.annotations import NEEDS_TWO_SOURCES, load_all
from edition.article import load_article
from edition.inventory import load_inventory, problems

pytestmark = pytest.mark.check  # part of `make check`

ANNOTATIONS = load_all()
INVENTORY = load_inventory()


def test_inventory_and_annotations_agree_one_to_one():
    assert problems(INVENTORY, ANNOTATIONS) == []
    listed = [i["id"] for items in INVENTORY.values() for i in items]
    assert len(listed) == len(set(listed)) == len(ANNOTATIONS)


def test_every_paragraph_was_inventoried():
    assert list(INVENTORY) == [b.key for b in load_article().paragraphs]


def test_inventory_mismatch_is_reported(tmp_path):
    broken = {k: list(v) for k, v in INVENTORY.items()}
    broken["p1"] = broken["p1"][1:] + [{"id": "no-such-claim", "kind": "claim"}]
    messages = "\n".join(map(str, problems(broken, ANNOTATIONS)))
    assert "no-such-claim: inventoried item has no annotation" in messages
    assert "annotation is not in the claim inventory" in messages


def test_rated_claims_have_the_sources_the_standard_requires():
    for ann in ANNOTATIONS:
        if ann.verdict in NEEDS_TWO_SOURCES:
            assert len({s.url for s in ann.sources}) >= 2, ann.id
        elif ann.verdict not in ("unsupported", "opinion"):
            assert ann.sources, ann.id


def test_unsupported_verdicts_say_what_was_searched():
    for ann in ANNOTATIONS:
        if ann.verdict == "unsupported":
            assert re.search(r"search|queried|looked for", ann.explanation, re.I), ann.id


def test_explanations_are_of_reasonable_length():
    for ann in ANNOTATIONS:
        words = len(ann.explanation.split())
        assert 60 <= words <= 320, (ann.id, words)


def test_the_authors_spelling_is_noted_not_corrected():
    text = " ".join(a.explanation for a in ANNOTATIONS)
    assert "agressions" in text and "Beteniu" in text
